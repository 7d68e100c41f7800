// The language server's view of names: hover, definition, references and highlights, document symbols;
// on the article and on names the article does not use. Driven in process by Session
// (support/lsp_session.hpp).
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "support/lsp_session.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::lsp;
using namespace egress::testing;

TEST_CASE("lsp: hover", "[lsp]") {
  Session s;
  s.initialize();
  const std::string text = article();
  s.open(kArticleUri, text);

  const auto subnet = s.hover_text(kArticleUri, pos_of(text, "subnet aks", 0, 8));
  CHECK(subnet.find("**subnet** `vnet.aks`") != std::string::npos);
  CHECK(subnet.find("`aks-subnet`") != std::string::npos);
  CHECK(subnet.find("`10.42.1.0/24`: 256 addresses") != std::string::npos);
  CHECK(subnet.find("251 usable") != std::string::npos);
  CHECK(subnet.find("Effective routes") != std::string::npos);
  CHECK(subnet.find("VirtualAppliance 10.42.2.4 (firewall fw)") != std::string::npos);
  // The same from a reference.
  CHECK(s.hover_text(kArticleUri, pos_of(text, "in vnet.aks", 0, 4)) == subnet);

  const auto fw = s.hover_text(kArticleUri, pos_of(text, "firewall fw \"", 0, 9));
  CHECK(fw.find("**firewall** `fw`") != std::string::npos);
  CHECK(fw.find("`aks-egress-fw`") != std::string::npos);
  CHECK(fw.find("10.42.2.4") != std::string::npos);
  CHECK(fw.find("Reopened 1 time") != std::string::npos);

  const auto rule = s.hover_text(kArticleUri, pos_of(text, "allow apiudp", 0, 7));
  CHECK(rule.find("Allows UDP from any source to service tag `AzureCloud.eastus` on port 1194.") != std::string::npos);
  const auto app_rule = s.hover_text(kArticleUri, pos_of(text, "allow fqdn"));
  CHECK(app_rule.find("Allows HTTP:80 and HTTPS:443 from any source to FQDN tag `AzureKubernetesService`.") != std::string::npos);
  const auto ghcr = s.hover_text(kArticleUri, pos_of(text, "allow ghcr", 0, 7));
  CHECK(ghcr.find("to `ghcr.io` and `pkg-containers.githubusercontent.com` on port 443") != std::string::npos);
  const auto dnat = s.hover_text(kArticleUri, pos_of(text, "< dnat 80", 0, 3));
  CHECK(dnat.find("Forwards TCP to port 80 of public IP `fwpip`") != std::string::npos);
  CHECK(dnat.find("service `store-front`") != std::string::npos);

  const auto param = s.hover_text(kArticleUri, pos_of(text, "${prefix}-fw\"", 0, 3));
  CHECK(param.find("**param** `prefix`") != std::string::npos);
  CHECK(param.find("`aks-egress`") != std::string::npos);

  CHECK(s.hover_text(kArticleUri, pos_of(text, "public_ip fwpip", 0, 11)).find("SKU Standard, static") != std::string::npos);
  CHECK(s.hover_text(kArticleUri, pos_of(text, "route_table fwrt \"", 0, 13)).find("Associated with `vnet.aks`") != std::string::npos);
  CHECK(s.hover_text(kArticleUri, pos_of(text, "cluster aks", 0, 9)).find("user_defined_routing") != std::string::npos);
  CHECK(s.hover_text(kArticleUri, pos_of(text, "service \"store-front\"", 0, 10)).find("internal LoadBalancer") != std::string::npos);
  CHECK(s.hover_text(kArticleUri, pos_of(text, "network aksfwnr", 0, 9)).find("priority 100") != std::string::npos);

  // Keywords, tags, regions and modules.
  CHECK(s.hover_text(kArticleUri, pos_of(text, "dns_proxy on")).find("dns_proxy on|off") != std::string::npos);
  CHECK(s.hover_text(kArticleUri, pos_of(text, "priority 100")).find("priority N") != std::string::npos);
  CHECK(s.hover_text(kArticleUri, pos_of(text, "AzureCloud", 0, 2)).find("**service tag**") != std::string::npos);
  CHECK(s.hover_text(kArticleUri, pos_of(text, "tag AzureKubernetesService", 0, 6)).find("**FQDN tag**") != std::string::npos);
  CHECK(s.hover_text(kArticleUri, pos_of(text, "= eastus", 0, 3)).find("**Azure region** `eastus`") != std::string::npos);
  CHECK(s.hover_text(kArticleUri, pos_of(text, "import aks", 0, 8)).find("What an AKS cluster must reach") != std::string::npos);
  // Nothing at all on white space or in a comment.
  CHECK(s.hover_text(kArticleUri, pos_of(text, "// One VNet", 0, 5)).empty());
}

TEST_CASE("lsp: definition and references", "[lsp]") {
  Session s;
  s.initialize();
  const std::string text = article();
  s.open(kArticleUri, text);
  auto def = [&](const std::string& needle, int delta, int nth = 0) {
    return s.at("textDocument/definition", kArticleUri, pos_of(text, needle, nth, delta));
  };
  // vnet.subnet, route tables, public IPs (also with a prefix length), firewalls (reopened too), clusters,
  // params (in strings too), services named in a DNAT, configs and services inside an app.
  CHECK(line_of(def("in vnet.aks", 5)) == line_of_text(text, "subnet aks"));
  CHECK(line_of(def("in vnet.AzureFirewallSubnet", 5)) == line_of_text(text, "subnet AzureFirewallSubnet"));
  CHECK(line_of(def("route_table fwrt >", 13)) == line_of_text(text, "route_table fwrt \""));
  CHECK(line_of(def("frontend fwpip", 10)) == line_of_text(text, "public_ip fwpip"));
  CHECK(line_of(def("fwpip/32", 1)) == line_of_text(text, "public_ip fwpip"));
  CHECK(line_of(def("api_server_authorized fwpip", 23)) == line_of_text(text, "public_ip fwpip"));
  CHECK(line_of(def("-> fw\n", 3)) == line_of_text(text, "firewall fw \""));
  CHECK(line_of(def("firewall fw <", 9)) == line_of_text(text, "firewall fw \""));
  CHECK(line_of(def("store on aks", 10)) == line_of_text(text, "cluster aks"));
  CHECK(line_of(def("${prefix}-rg", 4)) == line_of_text(text, "param prefix"));
  CHECK(line_of(def("in location", 4)) == line_of_text(text, "param location"));
  CHECK(line_of(def("cluster aks prefix", 13)) == line_of_text(text, "param prefix"));
  CHECK(line_of(def("AzureCloud.${location}", 15)) == line_of_text(text, "param location"));
  CHECK(line_of(def("service \"store-front\" >", 10)) == line_of_text(text, "service \"store-front\" internal"));
  CHECK(line_of(def("mount rabbitmq-enabled-plugins", 8)) == line_of_text(text, "config rabbitmq-enabled-plugins"));
  CHECK(line_of(def("wait_for rabbitmq", 10)) == line_of_text(text, "service rabbitmq port"));
  // The exact range of the declared name.
  const auto d = def("in vnet.aks", 5);
  CHECK(d["uri"] == kArticleUri);
  CHECK(d["range"]["start"]["character"] == 9);
  CHECK(d["range"]["end"]["character"] == 12);
  // On a declaration: itself. On nothing: null.
  CHECK(line_of(def("cluster aks", 9)) == line_of_text(text, "cluster aks"));
  CHECK(def("// One VNet", 4).is_null());

  auto refs = [&](const std::string& needle, int delta, bool decl = true) {
    return s.at("textDocument/references", kArticleUri, pos_of(text, needle, 0, delta),
                {{"context", {{"includeDeclaration", decl}}}});
  };
  CHECK(refs("param prefix", 7).size() == 10);  // the declaration and 9 uses
  CHECK(refs("param prefix", 7, false).size() == 9);
  CHECK(refs("firewall fw \"", 9).size() == 3);  // declared, the route's next hop, the reopened block
  CHECK(refs("public_ip fwpip", 11).size() == 4);
  CHECK(refs("service \"store-front\" internal", 10).size() == 2);

  const auto hl = s.at("textDocument/documentHighlight", kArticleUri, pos_of(text, "firewall fw \"", 0, 9));
  REQUIRE(hl.size() == 3);
  CHECK(hl[0]["kind"] == 3);
}

TEST_CASE("lsp: names beyond the article", "[lsp]") {
  Session s;
  s.initialize();
  const std::string uri = "file:///tmp/names.egress";
  const std::string text = R"(param location: region = eastus
group rg "rg" in location
identity cp "cp-id"
identity kl "kl-id"
vnet hub "hub" 10.50.0.0/16 < subnet AzureFirewallSubnet 10.50.1.0/26; peer spoke >
vnet spoke "spoke" 10.60.0.0/16
vnet spoke < subnet nodes 10.60.1.0/24 < route_table rt > >
public_ip pip "pip"
public_ip pip2 "pip2"
firewall fw "fw" in hub.AzureFirewallSubnet <
  frontend pip
  frontend pip2
  network spokes priority 200 <
    allow web tcp spoke.nodes -> pip2 : 443
  >
  nat pub priority 300 <
    dnat web tcp to pip2 8080 -> service "web" : 80
  >
>
route_table rt "rt" < route out 0.0.0.0/0 -> fw >
cluster k "k" in spoke.nodes <
  identity user cp kubelet kl
  outbound user_defined_routing
>
app a on k < service web internal port 80 >
)";
  s.open(uri, text);
  auto def_line = [&](const std::string& needle, int delta, int nth = 0) {
    return line_of(s.at("textDocument/definition", uri, pos_of(text, needle, nth, delta)));
  };
  auto refs = [&](const std::string& needle, int delta, int nth = 0) {
    return s.at("textDocument/references", uri, pos_of(text, needle, nth, delta), {{"context", {{"includeDeclaration", true}}}}).size();
  };
  CHECK(def_line("user cp", 5) == 2);
  CHECK(def_line("kubelet kl", 8) == 3);
  CHECK(refs("identity cp", 9) == 2);
  CHECK(def_line("peer spoke", 5) == 5);
  CHECK(def_line("vnet spoke <", 5) == 5);  // a reopened vnet
  CHECK(refs("vnet spoke \"", 5) == 3);
  CHECK(def_line("spoke.nodes ->", 3) == 6);  // a subnet declared in the reopened block, as a rule source
  CHECK(def_line("in spoke.nodes", 5) == 6);
  CHECK(def_line("-> pip2", 4) == 8);
  CHECK(def_line("to pip2", 4) == 8);
  CHECK(refs("public_ip pip2", 11) == 4);
  CHECK(def_line("service \"web\"", 10) == 24);
  CHECK(def_line("route_table rt >", 13) == 19);
  CHECK(def_line("in location", 4) == 0);
  // The subnet's effective routes include the peered VNet and the user route to the firewall.
  const auto hover = s.hover_text(uri, pos_of(text, "subnet nodes", 0, 8));
  CHECK(hover.find("(VNet hub)") != std::string::npos);  // the peered VNet
  CHECK(hover.find("VirtualAppliance 10.50.1.4 (firewall fw)") != std::string::npos);
  CHECK(hover.find("`10.60.1.0/24`: 256 addresses") != std::string::npos);
  // A DNAT rule in a nat collection, and a network rule to a public IP.
  CHECK(s.hover_text(uri, pos_of(text, "dnat web", 0, 5)).find("Forwards TCP to port 8080 of public IP `pip2`") != std::string::npos);
  CHECK(s.hover_text(uri, pos_of(text, "allow web", 0, 7)).find("from subnet `spoke.nodes` (10.60.1.0/24) to public IP `pip2`") != std::string::npos);
  CHECK(s.hover_text(uri, pos_of(text, "identity cp", 0, 9)).find("`cp-id`") != std::string::npos);
}

TEST_CASE("lsp: document symbols", "[lsp]") {
  Session s;
  s.initialize();
  const std::string text = article();
  s.open(kArticleUri, text);
  const auto symbols = s.request("textDocument/documentSymbol", {{"textDocument", {{"uri", kArticleUri}}}})["result"];
  std::vector<std::string> top;
  for (const auto& sym : symbols) top.push_back(sym["name"].get<std::string>());
  CHECK(top == std::vector<std::string>{"aks", "location", "prefix", "rg", "vnet", "fwpip", "fw", "fwrt", "aks", "store", "fw"});
  const auto& vnet = symbols[4];
  REQUIRE(vnet["children"].size() == 2);
  CHECK(vnet["children"][0]["name"] == "aks");
  CHECK(vnet["children"][1]["name"] == "AzureFirewallSubnet");
  const auto& fw = symbols[6];
  REQUIRE(fw["children"].size() == 2);
  CHECK(fw["children"][0]["name"] == "aksfwnr");
  CHECK(fw["children"][0]["children"].size() == 6);
  CHECK(fw["children"][0]["children"][2]["name"] == "time");
  CHECK(fw["children"][1]["children"][0]["name"] == "fqdn");
  const auto& app = symbols[9];
  CHECK(app["children"].size() == 9);  // a config, four workloads, four services
  CHECK(symbols[10]["detail"] == "firewall (reopened)");
  CHECK(symbols[10]["children"][0]["name"] == "store-front-80");
  // Every selectionRange lies inside its range.
  std::function<void(const json&)> inside = [&](const json& sym) {
    const auto& r = sym["range"];
    const auto& sel = sym["selectionRange"];
    auto le = [](const json& a, const json& b) {
      return a["line"] < b["line"] || (a["line"] == b["line"] && a["character"] <= b["character"]);
    };
    CHECK(le(r["start"], sel["start"]));
    CHECK(le(sel["end"], r["end"]));
    CHECK_FALSE(sym["name"].get<std::string>().empty());
    if (sym.contains("children"))
      for (const auto& c : sym["children"]) inside(c);
  };
  for (const auto& sym : symbols) inside(sym);
}
