// The language server and rule sets: `use NAME` goes to the set's declaration, the set's hover says what it
// takes and how often it is used, rule sets are document symbols with their collections, and completion
// offers `rule_set`, `use` and, after `use`, the rule sets. Driven in process by Session (support/lsp_session.hpp).
#include <catch2/catch.hpp>

#include <string>

#include "lsp/text.hpp"
#include "support/lsp_session.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::lsp;
using namespace egress::testing;

namespace {

const std::string kText = R"(group rg "rg" in eastus
vnet vnet "v" 10.42.0.0/16 <
  subnet aks "aks-subnet" 10.42.1.0/24
  subnet AzureFirewallSubnet 10.42.2.0/24
>
rule_set web SRC <
  network web priority 200 < allow out tcp SRC -> 10.50.0.0/16 : 443 >
>
firewall fw "fw" in vnet.AzureFirewallSubnet <
  use web vnet.aks
>
)";

}  // namespace

TEST_CASE("lsp: rule sets: definition, hover, symbols", "[lsp][rule-sets]") {
  Session s;
  s.initialize();
  const std::string uri = "file:///tmp/rule-sets.egress";
  s.open(uri, kText);
  auto def_line = [&](const std::string& needle, int delta) {
    return line_of(s.at("textDocument/definition", uri, pos_of(kText, needle, 0, delta)));
  };
  CHECK(def_line("use web", 5) == 5);        // the rule set
  CHECK(def_line("web vnet.aks", 5) == 2);   // an argument that is a subnet

  const auto hover = s.hover_text(uri, pos_of(kText, "rule_set web", 0, 10));
  CHECK(hover.find("Rule set of `SRC`") != std::string::npos);
  CHECK(hover.find("Used 1 time") != std::string::npos);
  CHECK(s.hover_text(uri, pos_of(kText, "use web", 0, 1)).find("use RULE_SET") != std::string::npos);

  const auto symbols = s.request("textDocument/documentSymbol", {{"textDocument", {{"uri", uri}}}})["result"];
  REQUIRE(symbols.size() == 4);
  CHECK(symbols[2]["name"] == "web");
  REQUIRE(symbols[2]["children"].size() == 1);
  CHECK(symbols[2]["children"][0]["name"] == "web");
  REQUIRE(symbols[3]["children"].size() == 1);
  CHECK(symbols[3]["children"][0]["name"] == "web");  // the firewall's `use web`
}

TEST_CASE("lsp: rule sets: completion", "[lsp][rule-sets]") {
  Session s;
  s.initialize();
  const std::string uri = "file:///tmp/rule-sets.egress";
  s.open(uri, kText);
  auto complete = [&](const std::string& text, const std::string& marker) {
    const auto at = text.find(marker);
    REQUIRE(at != std::string::npos);
    std::string t = text;
    t.erase(at, marker.size());
    s.replace_all(uri, 2, t);
    return labels(s.at("textDocument/completion", uri, LineIndex(t).position(static_cast<std::uint32_t>(at))));
  };
  CHECK(has(complete(kText + "|", "|"), "rule_set"));
  CHECK(has(complete(kText + "firewall fw <\n  |\n>\n", "|"), "use"));
  CHECK(has(complete(kText + "firewall fw <\n  use |\n>\n", "|"), "web"));
  CHECK(has(complete(kText + "firewall fw <\n  use web |\n>\n", "|"), "vnet.aks"));
}
