// The language server's outline (textDocument/documentSymbol) of the statements of issue 11: IP groups, NAT
// gateways, and firewall policies with their rule collection groups and those groups' collections as children.
// On examples/firewall-policy and examples/nat-gateway, driven in process by Session (support/lsp_session.hpp).
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "support/lsp_session.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;

namespace {

const nlohmann::json* find(const nlohmann::json& list, const std::string& name, const std::string& detail_prefix) {
  for (const auto& s : list)
    if (s["name"] == name && s["detail"].get<std::string>().rfind(detail_prefix, 0) == 0) return &s;
  return nullptr;
}

nlohmann::json outline(const std::string& example) {
  Session s;
  s.initialize();
  const std::string uri = "file:///tmp/" + example + ".egress";
  s.open(uri, slurp(source_dir() + "/examples/" + example + "/main.egress").value());
  return s.request("textDocument/documentSymbol", {{"textDocument", {{"uri", uri}}}})["result"];
}

}  // namespace

TEST_CASE("lsp: the outline lists IP groups and firewall policies, with rule groups and collections",
          "[lsp][policy]") {
  const auto symbols = outline("firewall-policy");
  INFO(symbols.dump(2));
  CHECK(find(symbols, "nodes", "ip_group") != nullptr);
  const auto* platform = find(symbols, "platform", "firewall_policy");
  REQUIRE(platform != nullptr);
  REQUIRE(platform->contains("children"));
  const auto& groups = (*platform)["children"];
  REQUIRE(groups.size() == 1);  // its settings (tier, idps ...) are not symbols
  CHECK(groups[0]["name"] == "aks");
  CHECK(groups[0]["detail"] == "rule collection group, priority 200");
  REQUIRE(groups[0].contains("children"));
  CHECK(find(groups[0]["children"], "aksfwnr", "network collection") != nullptr);
  CHECK(find(groups[0]["children"], "aksfwar", "application collection") != nullptr);
  const auto* apps = find(symbols, "apps", "firewall_policy");
  REQUIRE(apps != nullptr);
  const auto& app_groups = (*apps)["children"];
  REQUIRE(app_groups.size() == 1);
  CHECK(find(app_groups[0]["children"], "publish", "nat collection") != nullptr);
  CHECK(find(app_groups[0]["children"], "storedata", "application collection") != nullptr);
}

TEST_CASE("lsp: the outline lists NAT gateways", "[lsp][nat]") {
  const auto symbols = outline("nat-gateway");
  INFO(symbols.dump(2));
  CHECK(find(symbols, "natgw", "nat_gateway") != nullptr);
}

// Several resource groups: a group's block holds its declarations, and the outline shows them under it; hover
// and go-to-definition know them too (the index walks group blocks as sema does).
TEST_CASE("lsp: the outline shows each group's declarations under the group", "[lsp][groups]") {
  Session s;
  s.initialize();
  const std::string uri = "file:///tmp/multi-group.egress";
  s.open(uri, slurp(source_dir() + "/tests/golden/multi-group/main.egress").value());
  const auto symbols = s.request("textDocument/documentSymbol", {{"textDocument", {{"uri", uri}}}})["result"];
  INFO(symbols.dump(2));
  const auto* hub = find(symbols, "hub", "group");
  REQUIRE(hub != nullptr);
  REQUIRE(hub->contains("children"));
  CHECK(find((*hub)["children"], "hubnet", "vnet") != nullptr);
  CHECK(find((*hub)["children"], "fw", "firewall") != nullptr);
  const auto* spoke = find(symbols, "spoke", "group");
  REQUIRE(spoke != nullptr);
  CHECK(find((*spoke)["children"], "aks", "cluster") != nullptr);
  CHECK(find((*spoke)["children"], "fw", "firewall") == nullptr);
  CHECK(find(symbols, "aks", "cluster") == nullptr);  // not at the top level as well
}
