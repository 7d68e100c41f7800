// Peering as Azure has it and routing across a hub (issue 12, parts 2 and 3), on a hub with the firewall and two
// spokes peered with the hub only (tests/golden/hub-peering/main.egress, and variants of it): both sides of each
// peering with their settings in every target, the effective routes of a spoke (non-transitive peering; a user
// route for 0.0.0.0/0 removes the None routes of the private ranges), egress and spoke-to-spoke traffic through
// the hub firewall, `explain` across the peerings, and the checks E0420-E0426 and W0310 on variants.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "api/analyse.hpp"
#include "lsp/text.hpp"
#include "model/explain.hpp"
#include "model/network.hpp"
#include "sema/peering.hpp"
#include "support/analysed.hpp"
#include "support/compilation.hpp"
#include "support/lsp_session.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;
using model::Hop;

namespace {

const std::string kGolden = "tests/golden/hub-peering/main.egress";

std::string hub_spoke() { return slurp(source_dir() + "/" + kGolden).value(); }

/// `text` with `from` (found exactly once) replaced by `to`.
std::string edit(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  return text.replace(at, from.size(), to);
}

std::unique_ptr<Analysed> load(const std::string& text) { return analyse_text(kGolden, text, Expect::usable); }

std::uint32_t ip(std::string_view text) { return sema::parse_ip(text).value(); }

}  // namespace

TEST_CASE("peering: both sides of each peering, written or defaulted", "[peering]") {
  auto m = load(hub_spoke());
  CHECK_FALSE(m->has("E0424"));
  const auto& ps = m->network->peerings();
  REQUIRE(ps.size() == 2);
  // hub writes `peer spoke1 < gateway_transit allow >` first; spoke1 writes its own side.
  CHECK(ps[0].first.vnet->symbol == "hub");
  CHECK(ps[0].first.settings.gateway_transit);
  CHECK(ps[0].second.written);
  CHECK(ps[0].second.settings.use_remote_gateways);
  // The hub's side toward spoke2 is written without settings: the defaults.
  const auto* hub_to_spoke2 = m->network->peering(m->vnet("hub"), m->vnet("spoke2"));
  REQUIRE(hub_to_spoke2 != nullptr);
  CHECK(hub_to_spoke2->settings.virtual_network_access);
  CHECK(hub_to_spoke2->settings.forwarded_traffic);
  CHECK_FALSE(hub_to_spoke2->settings.gateway_transit);
  CHECK_FALSE(hub_to_spoke2->settings.use_remote_gateways);
  // Peering is not transitive: the spokes are not peered with each other.
  CHECK(m->network->peering(m->vnet("spoke1"), m->vnet("spoke2")) == nullptr);
}

TEST_CASE("peering: a side written on one VNet only gets the defaults on the other", "[peering]") {
  auto m = load(edit(hub_spoke(), "  peer hub < virtual_network_access allow; forwarded_traffic allow >\n", ""));
  const auto* side = m->network->peering(m->vnet("spoke2"), m->vnet("hub"));
  REQUIRE(side != nullptr);
  CHECK_FALSE(side->written);
  CHECK(side->settings.virtual_network_access);
  CHECK(side->settings.forwarded_traffic);
  CHECK_FALSE(side->settings.gateway_transit);
  CHECK_FALSE(side->settings.use_remote_gateways);
}

TEST_CASE("peering: the settings of each side in ARM, Bicep and the az script", "[peering]") {
  const auto built = compile_program(kGolden, hub_spoke());
  REQUIRE(built->result.ok());
  const auto arm = built->output(".json");
  const auto bicep = built->output(".bicep");
  const auto sh = built->output(".sh");
  // Four directions; gateway transit only on the hub's side toward spoke1, remote gateways only on spoke1's.
  for (const auto* name : {"hub-to-spoke1", "spoke1-to-hub", "hub-to-spoke2", "spoke2-to-hub"}) {
    CHECK_THAT(arm, Catch::Contains(std::string("/") + name + "'"));
    CHECK_THAT(bicep, Catch::Contains(std::string("name: '") + name + "'"));
  }
  auto count = [](const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
    return n;
  };
  CHECK(count(arm, "\"allowGatewayTransit\": true") == 1);
  CHECK(count(arm, "\"useRemoteGateways\": true") == 1);
  CHECK(count(arm, "\"useRemoteGateways\": false") == 3);
  CHECK(count(bicep, "allowGatewayTransit: true") == 1);
  CHECK(count(sh, "--allow-gateway-transit") == 1);
  CHECK(count(sh, "--use-remote-gateways") == 1);
  CHECK(count(sh, "az network vnet peering create") == 4);
  // spoke1 uses the hub's gateway: its side is created after the hub's, which offers it; every peering of a
  // cluster's VNet is created before the cluster, whose nodes reach their firewall through it.
  const auto hub_side = sh.find("--vnet-name \"$HUB_NAME\" --remote-vnet \"$SPOKE1_NAME\"");
  const auto spoke_side = sh.find("--vnet-name \"$SPOKE1_NAME\" --remote-vnet \"$HUB_NAME\"");
  REQUIRE(hub_side != std::string::npos);
  REQUIRE(spoke_side != std::string::npos);
  CHECK(hub_side < spoke_side);
  const auto aks1 = sh.find("az aks create --resource-group \"$RG\" --name \"$AKS1_NAME\"");
  REQUIRE(aks1 != std::string::npos);
  CHECK(spoke_side < aks1);
}

TEST_CASE("peering: a spoke's effective routes, non-transitive peering and the hub firewall", "[peering][routes]") {
  auto m = load(hub_spoke());
  const auto& r = m->network->routes(m->subnet("spoke1.aks"));
  // spoke1 sees the hub through its peering, never spoke2 (not peered with it).
  CHECK(r.for_address(ip("10.10.1.4"))->hop == Hop::vnet_peering);
  // The user route for 0.0.0.0/0 removes the None routes of the private ranges: spoke2's addresses and any other
  // private address go to the firewall.
  for (const auto& e : r.routes)
    if (e.hop == Hop::none) CHECK_FALSE(e.active);
  const auto* to_spoke2 = r.for_address(ip("10.12.1.10"));
  REQUIRE(to_spoke2 != nullptr);
  CHECK(to_spoke2->hop == Hop::virtual_appliance);
  REQUIRE(to_spoke2->firewall != nullptr);
  CHECK(to_spoke2->firewall->symbol == "fw");
  CHECK(r.for_address(ip("192.168.1.1"))->hop == Hop::virtual_appliance);
  // Without a user route for 0.0.0.0/0 (the hub's firewall subnet), Azure's None routes stand.
  const auto& hub = m->network->routes(m->subnet("hub.AzureFirewallSubnet"));
  CHECK(hub.for_address(ip("192.168.1.1"))->hop == Hop::none);
  CHECK(hub.for_address(ip("10.12.1.10"))->hop == Hop::vnet_peering);
  // The clusters' egress goes through the hub firewall, across the peering.
  for (const auto& c : m->program().clusters) {
    const auto e = m->network->egress(c);
    CHECK(e.through_firewall());
    CHECK(e.firewall->subnet->vnet->symbol == "hub");
  }
}

TEST_CASE("peering: explain crosses the peerings, hop by hop", "[peering][explain]") {
  auto m = load(hub_spoke());
  using R = model::Explanation::Result;
  // Spoke to spoke: spoke1's default route to the firewall, across spoke1-to-hub; the firewall's rule; its own
  // subnet's route across hub-to-spoke2 (forwarded traffic, which spoke2's side allows).
  auto e = m->explain("aks1", "10.12.1.10:443/tcp");
  INFO(e.text);
  CHECK(e.result == R::allowed);
  CHECK_THAT(e.text, Catch::Contains("crosses peering `spoke1-to-hub` from VNet `spoke1` into VNet `hub`\n"));
  CHECK_THAT(e.text, Catch::Contains("rule `spoke1to2`"));
  CHECK_THAT(e.text, Catch::Contains("crosses peering `hub-to-spoke2` from VNet `hub` into VNet `spoke2` (forwarded traffic)"));
  CHECK_THAT(e.text, Catch::Contains("delivered inside subnet spoke2.aks"));
  // The other way, spoke2's route for spoke1's prefix; the firewall has no rule for it.
  e = m->explain("aks2", "10.11.1.10:443/tcp");
  CHECK(e.result == R::dropped);
  CHECK_THAT(e.text, Catch::Contains("user route `tospoke1` of route table `spoke2rt`"));
  CHECK_THAT(e.text, Catch::Contains("default deny"));
  // Egress: across the peering to the firewall, out to the Internet.
  e = m->explain("aks1", "mcr.microsoft.com:443/https");
  CHECK(e.result == R::allowed);
  CHECK_THAT(e.text, Catch::Contains("crosses peering `spoke1-to-hub`"));
  CHECK_THAT(e.text, Catch::Contains("leaves for the Internet from the firewall's public IP fwpip"));
}

TEST_CASE("peering: forwarded traffic denied on a spoke's side (E0424), and explain agrees", "[peering][explain]") {
  auto m = load(edit(hub_spoke(), "forwarded_traffic allow >", "forwarded_traffic deny >"));
  CHECK(m->has("E0424"));
  using R = model::Explanation::Result;
  auto e = m->explain("aks1", "10.12.1.10:443/tcp");
  CHECK(e.result == R::dropped);
  CHECK_THAT(e.text, Catch::Contains("VNet `spoke2`'s side (`spoke2-to-hub`) denies forwarded traffic"));
  // The replies of spoke2's own egress are not what the setting stops (the AKS baseline denies forwarded traffic
  // on its spoke's side and sends its egress through the hub firewall): allowed.
  CHECK(m->explain("aks2", "mcr.microsoft.com:443/https").result == R::allowed);
  // Without the firewall rule that lets spoke1 into spoke2, nothing is forwarded into spoke2: no E0424.
  auto quiet = load(edit(edit(hub_spoke(), "forwarded_traffic allow >", "forwarded_traffic deny >"),
                         "    allow spoke1to2 tcp spoke1.aks -> spoke2.aks : 443\n", "    allow spoke1to2 tcp spoke1.aks -> 8.8.8.8 : 443\n"));
  CHECK_FALSE(quiet->has("E0424"));
}

TEST_CASE("peering: access blocked on the spoke's side (E0425) stops its traffic at the peering", "[peering][explain]") {
  auto m = load(edit(hub_spoke(), "virtual_network_access allow;", "virtual_network_access deny;"));
  CHECK(m->has("E0425"));
  const auto e = m->explain("aks2", "mcr.microsoft.com:443/https");
  CHECK(e.result == model::Explanation::Result::dropped);
  CHECK_THAT(e.text, Catch::Contains("blocks access to `hub`"));
}

TEST_CASE("peering: spoke-to-spoke replies that do not come back through the firewall (E0426)", "[peering]") {
  // spoke1 without a route table: spoke2's route for 10.11.0.0/16 goes to the firewall, spoke1's replies meet the
  // None route of 10.0.0.0/8 (no cluster in spoke1 here, so nothing else needs its route table).
  auto text = edit(hub_spoke(), "subnet aks \"aks-subnet\" 10.11.1.0/24 < route_table spoke1rt >",
                   "subnet aks \"aks-subnet\" 10.11.1.0/24");
  text = edit(text, "cluster aks1 \"${prefix}-aks1\" in spoke1.aks <", "cluster aks1 \"${prefix}-aks1\" in spoke2.aks <");
  // Without a rule that lets spoke2 reach spoke1, the firewall drops that traffic anyway: no reply to lose.
  CHECK_FALSE(load(text)->has("E0426"));
  // Once the firewall allows spoke2's nodes to reach spoke1, their replies are lost.
  text = edit(text, "    allow spoke1to2 tcp spoke1.aks -> spoke2.aks : 443\n",
              "    allow spoke1to2 tcp spoke1.aks -> spoke2.aks : 443\n    allow spoke2to1 tcp spoke2.aks -> spoke1.aks : 443\n");
  auto m = load(text);
  CHECK(m->has("E0426"));
  // With spoke1's route table back, no E0426: its 0.0.0.0/0 route takes spoke2's addresses to the same firewall.
  CHECK_FALSE(load(hub_spoke())->has("E0426"));
}

TEST_CASE("peering: gateway settings (E0420-E0423, W0310)", "[peering]") {
  // The hub offers no gateway: spoke1's use of it is refused.
  CHECK(load(edit(hub_spoke(), "peer spoke1 < gateway_transit allow >", "peer spoke1"))->has("E0421"));
  // Gateway transit from a VNet without GatewaySubnet.
  CHECK(load(edit(hub_spoke(), "  subnet GatewaySubnet 10.10.2.0/27\n", ""))->has("E0420"));
  // Both on one side.
  CHECK(load(edit(hub_spoke(), "peer spoke1 < gateway_transit allow >", "peer spoke1 < gateway_transit allow; use_remote_gateways >"))
            ->has("E0422"));
  // A spoke with a GatewaySubnet of its own.
  CHECK(load(edit(hub_spoke(), "  subnet aks \"aks-subnet\" 10.11.1.0/24 < route_table spoke1rt >\n",
                  "  subnet aks \"aks-subnet\" 10.11.1.0/24 < route_table spoke1rt >\n  subnet GatewaySubnet 10.11.2.0/27\n"))
            ->has("W0310"));
  const auto golden = load(hub_spoke());
  for (const auto* code : {"E0420", "E0421", "E0422", "E0423", "E0424", "E0425", "E0426", "W0310"}) CHECK_FALSE(golden->has(code));
}

TEST_CASE("peering: a VNet peered with itself, or twice with the same VNet", "[peering]") {
  auto codes = [](const std::string& text) {
    const auto built = compile_program(kGolden, text);
    std::vector<std::string> out;
    for (const auto& d : built->result.diagnostics.all()) out.emplace_back(info(d.code).id);
    return out;
  };
  auto has = [](const std::vector<std::string>& v, const char* code) { return std::find(v.begin(), v.end(), code) != v.end(); };
  CHECK(has(codes(edit(hub_spoke(), "  peer spoke2\n", "  peer spoke2\n  peer hub\n")), "E0106"));
  CHECK(has(codes(edit(hub_spoke(), "  peer spoke2\n", "  peer spoke2\n  peer spoke2 < forwarded_traffic deny >\n")), "E0108"));
  for (const auto& code : codes(hub_spoke())) CHECK(code[0] == 'W');
}

TEST_CASE("peering: the language server's hover on a VNet and on the settings", "[peering][lsp]") {
  Session s;
  s.initialize();
  const std::string uri = "file:///tmp/hub-peering.egress";
  const std::string text = hub_spoke();
  s.open(uri, text);
  const auto hub = s.hover_text(uri, pos_of(text, "vnet hub \"", 0, 6));
  INFO(hub);
  CHECK(hub.find("Peered with `spoke1` and `spoke2`") != std::string::npos);
  CHECK(hub.find("toward `spoke1`: gateway transit allowed") != std::string::npos);
  CHECK(hub.find("toward `spoke2`") == std::string::npos);  // the defaults: nothing to say
  const auto spoke1 = s.hover_text(uri, pos_of(text, "vnet spoke1 \"", 0, 6));
  CHECK(spoke1.find("toward `hub`: uses remote gateways") != std::string::npos);
  CHECK(s.hover_text(uri, pos_of(text, "< use_remote_gateways >", 0, 5)).find("useRemoteGateways") != std::string::npos);
  CHECK(s.hover_text(uri, pos_of(text, "< gateway_transit allow", 0, 5)).find("GatewaySubnet") != std::string::npos);
}
