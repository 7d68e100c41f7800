// The language server's completion: keywords by block, names and catalog entries by place, and the edit
// that replaces the word being typed. Driven in process by Session (support/lsp_session.hpp).
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "lsp/text.hpp"
#include "support/lsp_session.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::lsp;
using namespace egress::testing;

TEST_CASE("lsp: completion", "[lsp]") {
  Session s;
  s.initialize();
  const std::string uri = "file:///tmp/complete.egress";
  const std::string base = article();
  auto complete = [&](const std::string& text, const std::string& marker) {
    // `marker` marks the cursor and is taken out of the text.
    const auto at = text.find(marker);
    REQUIRE(at != std::string::npos);
    std::string t = text;
    t.erase(at, marker.size());
    s.replace_all(uri, 2, t);
    return labels(s.at("textDocument/completion", uri, LineIndex(t).position(static_cast<std::uint32_t>(at))));
  };
  s.open(uri, base);

  // Statement keywords by block.
  auto top = complete(base + "\n|", "|");
  CHECK(has(top, "vnet"));
  CHECK(has(top, "firewall"));
  CHECK(has(top, "import"));
  CHECK_FALSE(has(top, "dns_proxy"));
  auto in_fw = complete(base + "\nfirewall fw <\n  |\n>\n", "|");
  CHECK(has(in_fw, "dns_proxy"));
  CHECK(has(in_fw, "network"));
  CHECK(has(in_fw, "dnat"));
  CHECK_FALSE(has(in_fw, "vnet"));
  auto in_collection = complete(base + "\nfirewall fw <\n  network more priority 300 <\n    al|\n  >\n>\n", "|");
  CHECK(has(in_collection, "allow"));
  CHECK(has(in_collection, "deny"));
  CHECK_FALSE(has(in_collection, "dnat"));
  auto in_cluster = complete(base + "\ncluster aks <\n  |\n>\n", "|");
  CHECK(has(in_cluster, "outbound"));
  CHECK(has(in_cluster, "api_server_authorized"));
  auto in_app = complete(base + "\napp store <\n  |\n>\n", "|");
  CHECK(has(in_app, "deployment"));
  CHECK(has(in_app, "service"));
  CHECK_FALSE(has(in_app, "nodes"));

  // Names and catalog entries.
  auto subnets = complete(base + "\ncluster c2 in |\n", "|");
  CHECK(has(subnets, "vnet.aks"));
  CHECK(has(subnets, "vnet.AzureFirewallSubnet"));
  auto tags = complete(base + "\nfirewall fw <\n  application a2 priority 300 <\n    allow x https:443 * -> tag |\n  >\n>\n", "|");
  CHECK(has(tags, "AzureKubernetesService"));
  auto dests = complete(base + "\nfirewall fw <\n  network n2 priority 300 <\n    allow x tcp * -> |\n  >\n>\n", "|");
  CHECK(has(dests, "AzureCloud"));
  CHECK(has(dests, "Storage"));
  auto regional = complete(base + "\nfirewall fw <\n  network n2 priority 300 <\n    allow x tcp * -> AzureCloud.|\n  >\n>\n", "|");
  CHECK(has(regional, "AzureCloud.${location}"));
  CHECK(has(regional, "AzureCloud.westeurope"));
  auto protocols = complete(base + "\nfirewall fw <\n  network n2 priority 300 <\n    allow x |\n  >\n>\n", "|");
  CHECK(has(protocols, "tcp"));
  CHECK(has(protocols, "udp"));
  auto params = complete(base + "\nidentity id \"${|\"\n", "|");
  CHECK(has(params, "prefix"));
  CHECK(has(params, "location"));
  auto regions = complete(base + "\nparam where: region = |\n", "|");
  CHECK(has(regions, "swedencentral"));
  auto clusters = complete(base + "\napp a2 on |\n", "|");
  CHECK(has(clusters, "aks"));
  auto services = complete(base + "\nfirewall fw < dnat 8080 -> service |\n", "|");
  CHECK(has(services, "\"store-front\""));
  auto hops = complete(base + "\nroute_table rt2 <\n  route r 10.0.0.0/8 -> |\n>\n", "|");
  CHECK(has(hops, "fw"));
  CHECK(has(hops, "internet"));
  auto values = complete(base + "\ncluster aks <\n  outbound |\n>\n", "|");
  CHECK(has(values, "user_defined_routing"));
  auto modules = complete(base + "\nimport |\n", "|");
  CHECK(has(modules, "aks"));
  // Nothing in a comment.
  CHECK(complete(base + "\n// vn|\n", "|").empty());

  // The edit replaces the word being typed.
  const std::string t = base + "\nfirewall fw <\n  dns_pr\n>\n";
  s.replace_all(uri, 3, t);
  const auto at = pos_of(t, "dns_pr\n", 0, 6);
  const auto result = s.at("textDocument/completion", uri, at);
  bool edit = false;
  for (const auto& item : result["items"])
    if (item["label"] == "dns_proxy") {
      edit = true;
      CHECK(item["textEdit"]["range"]["start"]["character"] == 2);
      CHECK(item["textEdit"]["range"]["end"]["character"] == 8);
      CHECK(item["textEdit"]["newText"] == "dns_proxy");
    }
  CHECK(edit);
}
