// The constraint sweep of issue 10 (E0360-E0367, model/check_constraints.cpp): each documented constraint fires
// where Azure or AKS would refuse the design, and stays silent on the valid neighbours of that design (Azure CNI
// clusters sharing a subnet or a route table, node-subnet CNI with an unused pod CIDR, the limits exactly met).
#include <catch2/catch.hpp>

#include <regex>
#include <string>
#include <vector>

#include "egress/compiler.hpp"
#include "sema/azure_facts.hpp"
#include "support/compilation.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;

namespace {

const std::string kBase =
    slurp(source_dir() + "/tests/diagnostics/common/checks-base.egress").value_or("") + "\n";

std::unique_ptr<Compilation> build(const std::string& text) {
  return compile_program("tests/unit/constraints.egress", text);
}

/// A second cluster `kube` in a subnet `kube` (10.42.8.0/22) of the base's VNet, with SETTINGS.
std::string cluster(const std::string& settings, const std::string& subnet_block = "") {
  return kBase + "vnet vnet < subnet kube \"kube-subnet\" 10.42.8.0/22" + subnet_block + " >\n" +
         "identity kubeid \"kube-identity\"\n" + "cluster kube \"kube\" in vnet.kube < " + settings + " >\n";
}

const std::string kKubenet = "network_plugin kubenet; outbound user_defined_routing; identity user kubeid";
const std::string kKubeTable = " < route_table kubert >";
const std::string kKubeRoutes = "route_table kubert \"kube-rt\" < route default \"kube-default\" 0.0.0.0/0 -> fw >\n";

}  // namespace

TEST_CASE("E0360: VNet address spaces Azure refuses", "[constraints]") {
  for (const char* space : {"224.1.0.0/16", "127.0.0.0/16", "169.254.0.0/16", "168.63.129.0/24", "0.0.0.0/1",
                            "128.0.0.0/1", "255.255.255.255/32"}) {
    auto o = build(kBase + "vnet spoke \"spoke\" " + space + "\n");
    INFO(space << "\n" << o->rendered);
    CHECK(o->count("E0360") == 1);
  }
  // RFC 1918, the shared space 100.64.0.0/10 and public ranges are accepted.
  for (const char* space : {"10.50.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "20.0.0.0/16",
                            "168.63.128.0/24"}) {
    auto o = build(kBase + "vnet spoke \"spoke\" " + space + "\n");
    INFO(space << "\n" << o->rendered);
    CHECK(o->count("E0360") == 0);
  }
}

TEST_CASE("E0361: ranges AKS reserves, in the service CIDR, the pod CIDR and the cluster's VNet", "[constraints]") {
  CHECK(build(cluster("network_plugin azure overlay; service_cidr 172.31.0.0/16; dns_service_ip 172.31.0.10"))
            ->count("E0361") == 1);
  CHECK(build(cluster("network_plugin azure overlay; pod_cidr 192.0.2.0/24; nodes 1"))->count("E0361") == 1);
  CHECK(build(cluster(kKubenet + "; pod_cidr 172.30.0.0/16", kKubeTable) + kKubeRoutes)->count("E0361") == 1);
  // A pod CIDR that Azure CNI (node subnet) never uses is not a problem.
  CHECK(build(cluster("network_plugin azure; pod_cidr 172.30.0.0/16"))->count("E0361") == 0);
  // The cluster's VNet: 172.30.0.0/16 is a private range Azure takes, but AKS does not.
  const std::string vnet172 = R"(vnet other "other" 172.30.0.0/16 < subnet k "k-subnet" 172.30.1.0/24 >
cluster k "k" in other.k < network_plugin azure overlay >
)";
  auto in_vnet = build(kBase + vnet172);
  INFO(in_vnet->rendered);
  CHECK(in_vnet->count("E0361") == 1);
  CHECK(in_vnet->count("E0360") == 0);
  // A VNet with that range but no cluster is fine.
  CHECK(build(kBase + "vnet other \"other\" 172.30.0.0/16\n")->count("E0361") == 0);
  // The defaults (10.0.0.0/16, 10.244.0.0/16) are clear of them.
  CHECK(build(cluster("network_plugin azure overlay"))->count("E0361") == 0);
}

TEST_CASE("E0362: the service CIDR and the pod CIDR overlap only matters where pods use the pod CIDR", "[constraints]") {
  const std::string overlap = "service_cidr 10.100.0.0/16; dns_service_ip 10.100.0.10; pod_cidr 10.100.0.0/14";
  CHECK(build(cluster("network_plugin azure overlay; " + overlap))->count("E0362") == 1);
  CHECK(build(cluster(kKubenet + "; " + overlap, kKubeTable) + kKubeRoutes)->count("E0362") == 1);
  CHECK(build(cluster("network_plugin azure; " + overlap))->count("E0362") == 0);
  // Against the default pod CIDR 10.244.0.0/16.
  CHECK(build(cluster("network_plugin azure overlay; service_cidr 10.244.0.0/16; dns_service_ip 10.244.0.10"))
            ->count("E0362") == 1);
  CHECK(build(cluster("network_plugin azure overlay; service_cidr 10.100.0.0/16; dns_service_ip 10.100.0.10"))
            ->count("E0362") == 0);
}

TEST_CASE("E0363: a /24 of the pod CIDR per node, the surge node included", "[constraints]") {
  CHECK(facts::aks::kPodCidrPerNodeLength == 24);
  // The default 10.244.0.0/16 holds 256 blocks: 255 nodes and the surge node fit, 256 do not.
  CHECK(build(cluster("network_plugin azure overlay; nodes 255"))->count("E0363") == 0);
  auto over = build(cluster("network_plugin azure overlay; nodes 256"));
  INFO(over->rendered);
  CHECK(over->count("E0363") == 1);
  CHECK(over->rendered.find("use a /15 or larger pod CIDR (`pod_cidr 10.244.0.0/15`)") != std::string::npos);
  // A /25 holds no /24 at all.
  CHECK(build(cluster("network_plugin azure overlay; nodes 1; pod_cidr 10.244.0.0/25"))->count("E0363") == 1);
  // Azure CNI on the node subnet does not use the pod CIDR.
  CHECK(build(cluster("network_plugin azure; nodes 4; pod_cidr 10.244.0.0/25"))->count("E0363") == 0);
  // kubenet at its 400 nodes needs a /15.
  CHECK(build(cluster(kKubenet + "; nodes 399", kKubeTable) + kKubeRoutes)->count("E0363") == 1);
  CHECK(build(cluster(kKubenet + "; nodes 399; pod_cidr 10.244.0.0/15", kKubeTable) + kKubeRoutes)
            ->count("E0363") == 0);
}

TEST_CASE("E0364, E0365: kubenet clusters share neither a subnet nor a route table", "[constraints]") {
  const std::string two_subnets = R"(vnet vnet <
  subnet k1 "k1-subnet" 10.42.8.0/24 < route_table T1 >
  subnet k2 "k2-subnet" 10.42.9.0/24 < route_table T2 >
>
route_table rt1 "rt1" < route d1 "d1" 0.0.0.0/0 -> fw >
route_table rt2 "rt2" < route d2 "d2" 0.0.0.0/0 -> fw >
identity kubeid "kube-identity"
cluster blue "blue" in vnet.k1 < P1; outbound user_defined_routing; identity user kubeid >
cluster green "green" in vnet.S2 < P2; outbound user_defined_routing; identity user kubeid; pod_cidr 10.245.0.0/16 >
)";
  const auto program = [&](const std::string& t1, const std::string& t2, const std::string& s2, const std::string& p1,
                           const std::string& p2) {
    std::string text = two_subnets;
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"T1", t1}, {"T2", t2}, {"S2", s2}, {"P1", p1}, {"P2", p2}})
      text.replace(text.find(from), from.size(), to);
    return build(kBase + text);
  };
  const std::string kubenet = "network_plugin kubenet", cni = "network_plugin azure";
  // Own subnets and route tables: fine for any plugins.
  auto own = program("rt1", "rt2", "k2", kubenet, kubenet);
  INFO(own->rendered);
  CHECK(own->count("E0364") == 0);
  CHECK(own->count("E0365") == 0);
  CHECK(own->result.ok());
  // One subnet: E0364 when either cluster is kubenet, not for two Azure CNI clusters.
  CHECK(program("rt1", "rt2", "k1", kubenet, kubenet)->count("E0364") == 1);
  CHECK(program("rt1", "rt2", "k1", cni, kubenet)->count("E0364") == 1);
  CHECK(program("rt1", "rt2", "k1", cni, cni)->count("E0364") == 0);
  // One route table over two subnets: E0365 when either is kubenet, not for two Azure CNI clusters (the
  // article's shared route to the firewall).
  CHECK(program("rt1", "rt1", "k2", kubenet, kubenet)->count("E0365") == 1);
  CHECK(program("rt1", "rt1", "k2", kubenet, cni)->count("E0365") == 1);
  CHECK(program("rt1", "rt1", "k2", cni, cni)->count("E0365") == 0);
  // One subnet is reported once, as E0364.
  CHECK(program("rt1", "rt2", "k1", kubenet, kubenet)->count("E0365") == 0);
}

TEST_CASE("E0366: 400 routes per route table, the kubenet clusters' node routes included", "[constraints]") {
  CHECK(facts::network::kMaxRoutesPerTable == 400);
  const auto routes = [](int n) {
    std::string t = "route_table big \"big\" <\n";
    for (int i = 0; i < n; ++i)
      t += "  route r" + std::to_string(i) + " \"r" + std::to_string(i) + "\" 10." + std::to_string(100 + i / 256) +
           "." + std::to_string(i % 256) + ".0/24 -> none\n";
    return t + ">\nvnet vnet < subnet big \"big-subnet\" 10.42.12.0/24 < route_table big > >\n";
  };
  CHECK(build(kBase + routes(400))->count("E0366") == 0);
  CHECK(build(kBase + routes(401))->count("E0366") == 1);
  // 399 nodes and the default route fill the table; 400 nodes overflow it (E0262 only above 400).
  const std::string pods = "; pod_cidr 10.244.0.0/15";
  auto full = build(cluster(kKubenet + "; nodes 399" + pods, kKubeTable) + kKubeRoutes);
  INFO(full->rendered);
  CHECK(full->count("E0366") == 0);
  CHECK(full->result.ok());
  auto over = build(cluster(kKubenet + "; nodes 400" + pods, kKubeTable) + kKubeRoutes);
  CHECK(over->count("E0366") == 1);
  CHECK(over->count("E0262") == 0);
  auto far = build(cluster(kKubenet + "; nodes 401" + pods, kKubeTable) + kKubeRoutes);
  CHECK(far->count("E0262") == 1);
  CHECK(far->count("E0366") == 0);
  // Azure CNI adds no routes.
  CHECK(build(cluster("network_plugin azure overlay; nodes 1000; pod_cidr 10.240.0.0/12", kKubeTable) + kKubeRoutes)
            ->count("E0366") == 0);
}

TEST_CASE("E0367: 500 peerings per VNet, counted from both sides", "[constraints]") {
  const auto spokes = [](int n, bool from_hub) {
    std::string t;
    for (int i = 0; i < n; ++i)
      t += "vnet s" + std::to_string(i) + " \"s" + std::to_string(i) + "\" 10." + std::to_string(60 + i / 256) + "." +
           std::to_string(i % 256) + ".0/24" + (from_hub && i % 2 == 0 ? "" : " < peer vnet >") + "\n";
    if (from_hub)
      for (int i = 0; i < n; i += 2) t += "vnet vnet < peer s" + std::to_string(i) + " >\n";
    return t;
  };
  CHECK(build(kBase + spokes(500, false))->count("E0367") == 0);
  CHECK(build(kBase + spokes(501, false))->count("E0367") == 1);
  CHECK(build(kBase + spokes(501, true))->count("E0367") == 1);
  CHECK(build(kBase + spokes(500, true))->count("E0367") == 0);
}

TEST_CASE("E0368: one Azure Firewall per VNet", "[constraints]") {
  CHECK(facts::firewall::kMaxFirewallsPerVnet == 1);
  const std::string second = "public_ip p2 \"p2\"\nfirewall fw2 \"fw2\" in VNET.AzureFirewallSubnet < frontend p2 >\n";
  auto same = build(kBase + std::regex_replace(second, std::regex("VNET"), "vnet"));
  INFO(same->rendered);
  CHECK(same->count("E0368") == 1);
  auto own = build(kBase + "vnet edge \"edge\" 10.43.0.0/16 < subnet AzureFirewallSubnet 10.43.2.0/26 >\n" +
                   std::regex_replace(second, std::regex("VNET"), "edge"));
  INFO(own->rendered);
  CHECK(own->count("E0368") == 0);
  CHECK(own->result.ok());
}

TEST_CASE("E0369: 90 rule collection groups per policy, 50 firewalls per policy", "[constraints]") {
  const std::string policy_base =
      slurp(source_dir() + "/tests/diagnostics/common/policy-base.egress").value_or("") + "\n";
  const auto groups = [&](int n) {
    std::string t = policy_base + "firewall_policy base <\n";
    for (int i = 0; i < n; ++i)
      t += "  rule_group g" + std::to_string(i) + " priority " + std::to_string(300 + i) + " < network c" +
           std::to_string(i) + " priority 100 < deny d tcp nodes -> 192.168.0.1 : 443 > >\n";
    return build(t + ">\n");
  };
  auto at_limit = groups(89);  // with the base's own group: 90
  INFO(at_limit->rendered);
  CHECK(at_limit->count("E0369") == 0);
  CHECK(groups(90)->count("E0369") == 1);
  // 51 firewalls on one policy, each in a VNet of its own.
  const auto firewalls = [&](int n) {
    std::string t = policy_base;
    for (int i = 0; i < n; ++i) {
      const auto k = std::to_string(i);
      t += "vnet h" + k + " \"h" + k + "\" 10.1" + std::to_string(i / 100) + "." + std::to_string(i % 100) +
           ".0/24 < subnet AzureFirewallSubnet 10.1" + std::to_string(i / 100) + "." + std::to_string(i % 100) +
           ".0/26 >\npublic_ip q" + k + " \"q" + k + "\"\nfirewall f" + k + " \"f" + k + "\" in h" + k +
           ".AzureFirewallSubnet < policy base; frontend q" + k + " >\n";
    }
    return build(t);
  };
  auto fifty = firewalls(49);  // and the base's `fw`
  INFO(fifty->rendered);
  CHECK(fifty->count("E0369") == 0);
  CHECK(firewalls(50)->count("E0369") == 1);
}

TEST_CASE("E0370: Azure CNI Overlay needs subnet, VNet and resource group names of at most 63 characters",
          "[constraints]") {
  const auto with_subnet_name = [](std::size_t length, const std::string& plugin) {
    return build(kBase + "vnet vnet < subnet kube \"" + std::string(length, 'k') + "\" 10.42.8.0/24 >\n" +
                 "cluster kube \"kube\" in vnet.kube < " + plugin + " >\n");
  };
  CHECK(with_subnet_name(63, "network_plugin azure overlay")->count("E0370") == 0);
  CHECK(with_subnet_name(64, "network_plugin azure overlay")->count("E0370") == 1);
  // Only Overlay labels nodes with them.
  CHECK(with_subnet_name(64, "network_plugin azure")->count("E0370") == 0);
  // The resource group's name, through a parameter's default.
  std::string text = std::regex_replace(kBase, std::regex("group rg \"checks-rg\""), "group rg \"${rgname}\"");
  text = "param rgname: string = \"" + std::string(64, 'r') + "\"\n" + text +
         "vnet vnet < subnet kube \"kube-subnet\" 10.42.8.0/24 >\ncluster kube \"kube\" in vnet.kube < network_plugin "
         "azure overlay >\n";
  auto long_group = build(text);
  INFO(long_group->rendered);
  CHECK(long_group->count("E0370") == 1);
}

TEST_CASE("W0260: pod CIDRs outside RFC 1918 and RFC 6598 are out of Microsoft's support scope", "[constraints]") {
  for (const char* pods : {"20.0.0.0/16", "11.0.0.0/16", "100.128.0.0/16"})
    CHECK(build(cluster(std::string("network_plugin azure overlay; pod_cidr ") + pods))->count("W0260") == 1);
  for (const char* pods : {"10.244.0.0/16", "172.20.0.0/16", "192.168.0.0/16", "100.64.0.0/16"})
    CHECK(build(cluster(std::string("network_plugin azure overlay; pod_cidr ") + pods))->count("W0260") == 0);
  // Azure CNI (node subnet) does not use the pod CIDR; and a warning is not an error.
  CHECK(build(cluster("network_plugin azure; pod_cidr 20.0.0.0/16"))->count("W0260") == 0);
  CHECK(build(cluster("network_plugin azure overlay; pod_cidr 20.0.0.0/16"))->result.ok());
}

TEST_CASE("E0371: 250 public IPs and 200 IP groups per firewall", "[constraints]") {
  CHECK(facts::firewall::kMaxPublicIps == 250);
  CHECK(facts::firewall::kMaxIpGroups == 200);
  const auto groups = [](int n) {
    std::string t = kBase;
    for (int i = 0; i < n; ++i)
      t += "ip_group g" + std::to_string(i) + " \"g" + std::to_string(i) + "\" 192.168." + std::to_string(i) + ".0/24\n";
    t += "firewall fw < network many priority 300 <\n";
    for (int i = 0; i < n; ++i) t += "  deny d" + std::to_string(i) + " tcp g" + std::to_string(i) + " -> 10.9.9.9 : 443\n";
    return build(t + "> >\n");
  };
  auto two_hundred = groups(200);
  INFO(two_hundred->rendered);
  CHECK(two_hundred->count("E0371") == 0);
  CHECK(groups(201)->count("E0371") == 1);
}

TEST_CASE("two clusters sharing a user-assigned identity and a VNet get one role assignment, not two", "[constraints]") {
  // The E0364/E0365 corrected programs: two kubenet clusters, one identity. Two assignments with the same
  // guid() name were a duplicate resource in the ARM template (found by the equivalence test on those programs).
  const auto text = slurp(source_dir() + "/tests/diagnostics/E0365-kubenet-route-table-shared.ok.egress").value_or("");
  REQUIRE_FALSE(text.empty());
  std::string program = std::regex_replace(text, std::regex("import \"common/checks-base.egress\""), "");
  auto o = build(kBase + program);
  INFO(o->rendered);
  REQUIRE(o->result.ok());
  std::string arm;
  for (const auto& out : o->result.outputs)
    if (out.target == Target::arm) arm = out.content;
  std::size_t assignments = 0;
  for (auto at = arm.find("\"type\": \"Microsoft.Authorization/roleAssignments\""); at != std::string::npos;
       at = arm.find("\"type\": \"Microsoft.Authorization/roleAssignments\"", at + 1))
    ++assignments;
  // The base cluster's (system identity) and one for kube-identity on the VNet, shared by blue and green.
  CHECK(assignments == 2);
}
