// NAT gateways: the SNAT estimate (W0206) and `explain` with a NAT gateway on AzureFirewallSubnet, the
// examples/nat-gateway design with and without it, the outputs of the four targets, and E0283 once the cluster's
// subnet has its NAT gateway. The diagnostics E0340-E0344, W0250, W0251 have their files in tests/diagnostics;
// the example's goldens are checked by golden_test.cpp and its validators by examples_validators_test.cpp.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>

#include "api/analyse.hpp"
#include "lower/ir.hpp"
#include "lower/lower.hpp"
#include "model/explain.hpp"
#include "model/network.hpp"
#include "support/analysed.hpp"
#include "support/deployment.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;

namespace {

const std::string kExample = "examples/nat-gateway/main.egress";

std::unique_ptr<Analysed> analyse(const std::string& text) {
  return analyse_text("tests/unit/nat.egress", text, Expect::usable);
}

std::string example() { return slurp(source_dir() + "/" + kExample).value(); }

/// `text` with `from` replaced by `to` (which must be there).
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

/// The example without its NAT gateway: the firewall's subnet without the association, the gateway and its IPs
/// gone, and the cluster authorizing the firewall's frontend, whence its traffic then leaves (E0242). Everything
/// else, the 50 nodes behind one frontend included, stays.
std::string without_nat_gateway() {
  auto t = replaced(example(), "< nat_gateway natgw >", "");
  t = replaced(t, "api_server_authorized natpip1, natpip2", "api_server_authorized fwpip");
  const auto from = t.find("public_ip natpip1");
  const auto to = t.find("// The firewall still needs");
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  return t.erase(from, to - from);
}

std::string output(const Result& r, std::string_view filename) {
  for (const auto& o : r.outputs)
    if (o.filename == filename) return o.content;
  FAIL("no output " << filename);
  return {};
}

}  // namespace

TEST_CASE("nat gateway: the example's 50 nodes fit the NAT gateway's ports, not the firewall's frontend",
          "[nat][capacity]") {
  auto with = analyse(example());
  INFO(with->rendered);
  CHECK(with->count("W0206") == 0);
  CHECK_FALSE(with->analysis->diagnostics.has_errors());

  // The same design without the NAT gateway: 50 x 1,024 = 51,200 > 1 x 2,496 x 2 = 4,992.
  auto without = analyse(without_nat_gateway());
  INFO(without->rendered);
  REQUIRE(without->count("W0206") == 1);
  const auto* d = without->find("W0206");
  CHECK_THAT(d->message, Catch::Contains("1 frontend IP x 2,496 ports x 2 instances = 4,992 ports"));
  CHECK_THAT(d->message, Catch::Contains("50 x 1,024 = 51,200"));
  CHECK_THAT(d->hint, Catch::Contains("at least 11 frontend IPs"));
}

TEST_CASE("nat gateway: W0206 counts 64,512 ports per NAT gateway IP and asks for more IPs", "[nat][capacity]") {
  // 130 nodes need 133,120 ports; 2 IPs give 129,024, 3 give 193,536.
  auto a = analyse(replaced(example(), "nodes 50", "nodes 130"));
  INFO(a->rendered);
  REQUIRE(a->count("W0206") == 1);
  const auto* d = a->find("W0206");
  CHECK_THAT(d->message, Catch::Contains("leaves through NAT gateway `natgw`"));
  CHECK_THAT(d->message, Catch::Contains("2 public IPs x 64,512 ports = 129,024 ports"));
  CHECK_THAT(d->message, Catch::Contains("130 x 1,024 = 133,120"));
  CHECK_THAT(d->hint, Catch::Contains("give NAT gateway `natgw` at least 3 public IPs"));

  // 126 nodes need 129,024 ports: exactly what 2 IPs give, so no warning at the boundary.
  auto edge = analyse(replaced(example(), "nodes 50", "nodes 126"));
  CHECK(edge->count("W0206") == 0);
}

TEST_CASE("nat gateway: a NAT gateway on the firewall's subnet silences W0207 in production", "[nat][capacity]") {
  auto with = analyse("profile production\n" + example());
  CHECK(with->count("W0207") == 0);
  auto without = analyse("profile production\n" + without_nat_gateway());
  CHECK(without->count("W0207") == 1);
}

TEST_CASE("nat gateway: explain says the firewall's traffic leaves through the NAT gateway's IPs", "[nat][explain]") {
  auto a = analyse(example());
  const auto e = model::explain(*a->network, "aks", *model::parse_explain_target("mcr.microsoft.com:443/https"));
  INFO(e.text);
  CHECK(e.result == model::Explanation::Result::allowed);
  CHECK_THAT(e.text, Catch::Contains("firewall `fw` (10.42.2.4, subnet vnet.AzureFirewallSubnet)"));
  CHECK_THAT(e.text, Catch::Contains("leaves for the Internet through NAT gateway `natgw` on the firewall's subnet "
                                     "vnet.AzureFirewallSubnet"));
  CHECK_THAT(e.text, Catch::Contains("SNAT to the NAT gateway's public IPs `natpip1`, `natpip2`"));
  CHECK_THAT(e.text, !Catch::Contains("from the firewall's public IP"));

  auto b = analyse(without_nat_gateway());
  const auto f = model::explain(*b->network, "aks", *model::parse_explain_target("mcr.microsoft.com:443/https"));
  CHECK_THAT(f.text, Catch::Contains("leaves for the Internet from the firewall's public IP fwpip (SNAT)"));
  CHECK_THAT(f.text, !Catch::Contains("NAT gateway"));
}

TEST_CASE("nat gateway: explain from a subnet with its own NAT gateway, and no firewall on the way", "[nat][explain]") {
  auto a = analyse(example() + R"(
vnet vnet < subnet tools "tools-subnet" 10.42.3.0/24 < nat_gateway natgw > >
)");
  INFO(a->rendered);
  const auto e = model::explain(*a->network, "vnet.tools", *model::parse_explain_target("example.com:443/https"));
  INFO(e.text);
  CHECK(e.result == model::Explanation::Result::allowed);
  CHECK_THAT(e.text, Catch::Contains("leaves for the Internet through NAT gateway `natgw` on subnet vnet.tools"));
  CHECK_THAT(e.text, Catch::Contains("SNAT to the NAT gateway's public IPs `natpip1`, `natpip2` (64,512 ports each)"));
}

TEST_CASE("nat gateway: the IR creates the NAT gateway after its IPs and before the VNet that uses it", "[nat][lower]") {
  auto a = analyse(example());
  Diagnostics diags;
  const auto d = lower::lower(a->analysis->program, diags);
  REQUIRE_FALSE(diags.has_errors());
  auto index_of = [&](ir::Kind k, std::string_view name) { return testing::index_of(d, k, name); };
  auto depends = [&](std::size_t r, std::size_t on) { return testing::depends(d, r, on); };
  const auto ng = index_of(ir::Kind::nat_gateway, "aks-natgw-natgw");
  const auto pip1 = index_of(ir::Kind::public_ip, "aks-natgw-natpip1");
  const auto pip2 = index_of(ir::Kind::public_ip, "aks-natgw-natpip2");
  const auto vnet = index_of(ir::Kind::virtual_network, "aks-natgw-vnet");
  CHECK(depends(ng, pip1));
  CHECK(depends(ng, pip2));
  CHECK(depends(vnet, ng));
  const auto& body = d.resources[ng].as<ir::NatGateway>();
  CHECK(body.idle_timeout_minutes == 10);
  CHECK(body.public_ips == std::vector<ir::Index>{pip1, pip2});
  const auto& subnets = d.resources[vnet].as<ir::VirtualNetwork>().subnets;
  REQUIRE(subnets.size() == 2);
  CHECK_FALSE(subnets[0].nat_gateway.has_value());
  CHECK(subnets[1].nat_gateway == ng);
}

TEST_CASE("nat gateway: the four outputs declare it and associate it with the firewall's subnet", "[nat][emit]") {
  auto c = compile_file(kExample);
  INFO(c.rendered);
  REQUIRE(c.result.ok());
  const auto arm = output(c.result, "main.json");
  CHECK_THAT(arm, Catch::Contains("\"type\": \"Microsoft.Network/natGateways\""));
  CHECK_THAT(arm, Catch::Contains("\"idleTimeoutInMinutes\": 10"));
  CHECK_THAT(arm, Catch::Contains("\"natGateway\": {"));
  const auto bicep = output(c.result, "main.bicep");
  CHECK_THAT(bicep, Catch::Contains("resource natgw 'Microsoft.Network/natGateways@2025-07-01' = {"));
  CHECK_THAT(bicep, Catch::Contains("natGateway: {\n"));
  CHECK_THAT(bicep, Catch::Contains("id: natgw.id"));
  const auto sh = output(c.result, "main.sh");
  CHECK_THAT(sh, Catch::Contains("az network nat gateway create"));
  CHECK_THAT(sh, Catch::Contains("--public-ip-addresses \"$NATPIP1_NAME\" \"$NATPIP2_NAME\""));
  CHECK_THAT(sh, Catch::Contains("--idle-timeout 10"));
  CHECK_THAT(sh, Catch::Contains("--nat-gateway \"$NATGW_NAME\""));
  // The association comes after the NAT gateway exists and before the firewall is created in the subnet.
  const auto create = sh.find("az network nat gateway create");
  const auto associate = sh.find("--nat-gateway");
  const auto firewall = sh.find("az network firewall create");
  CHECK(create < associate);
  CHECK(associate < firewall);
}

TEST_CASE("nat gateway: a user-assigned NAT gateway cluster deploys once its subnet has one (E0283)", "[nat][cluster]") {
  const std::string base = R"(
import "../diagnostics/common/checks-base.egress"
cluster aks2 "checks-aks2" in vnet.aks2 < outbound user_assigned_nat_gateway >
)";
  auto missing = analyse(base + "vnet vnet < subnet aks2 \"aks2-subnet\" 10.42.7.0/24 >\n");
  CHECK(missing->count("E0283") == 1);
  auto attached = analyse(base + R"(
public_ip natpip "checks-natpip"
nat_gateway natgw "checks-natgw" < public_ip natpip >
vnet vnet < subnet aks2 "aks2-subnet" 10.42.7.0/24 < nat_gateway natgw > >
)");
  INFO(attached->rendered);
  CHECK(attached->count("E0283") == 0);
  CHECK_FALSE(attached->analysis->diagnostics.has_errors());
  Diagnostics diags;
  const auto d = lower::lower(attached->analysis->program, diags);
  bool found = false;
  for (const auto& r : d.resources)
    if (r.kind == ir::Kind::managed_cluster && r.name.value == "checks-aks2") {
      found = true;
      CHECK(r.as<ir::ManagedCluster>().outbound_type == "userAssignedNATGateway");
    }
  CHECK(found);
}
