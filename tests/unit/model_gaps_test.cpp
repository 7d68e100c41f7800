// Checks that public designs showed missing (model/check_model_gaps.cpp, model/name_routes.cpp): the route names
// take when routes split the public address space, and E0253, E0254, W0213, W0214, W0215 on the neighbours of the
// designs that showed them.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "egress/compiler.hpp"
#include "sema/azure_facts.hpp"
#include "support/compilation.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;

namespace {

const std::string kNet = slurp(source_dir() + "/tests/diagnostics/common/model-net.egress").value_or("") + "\n";

// Named as if beside the diagnostics tests' common files, so that `import "model-rules.egress"` finds them.
std::unique_ptr<Compilation> build(const std::string& text) {
  return compile_program("tests/diagnostics/common/model_gaps.egress", text);
}

/// The article's VNet and firewall with no rules at all, a cluster subnet with ROUTES, and a cluster with OUTBOUND.
std::string routed(const std::string& routes, const std::string& outbound = "load_balancer") {
  return kNet + "vnet vnet < subnet aks \"aks-subnet\" 10.42.1.0/24 < route_table rt > >\n" +
         "route_table rt \"gaps-rt\" < " + routes + " >\n" +
         "cluster aks \"gaps-aks\" in vnet.aks < nodes 3; network_plugin azure; outbound " + outbound + " >\n";
}

}  // namespace

TEST_CASE("names take a split default route that covers every public address", "[model][gaps]") {
  // The firewall allows nothing. Before, names took the system route for 0.0.0.0/0 (to the Internet) beside
  // 0.0.0.0/1 and 128.0.0.0/1, so every AKS requirement was "bypassed" and nothing was reported.
  auto split = build(routed("route lower \"lower\" 0.0.0.0/1 -> fw; route upper \"upper\" 128.0.0.0/1 -> fw"));
  INFO(split->rendered);
  CHECK(split->count("E0246") > 0);
  CHECK(split->count("W0213") == 0);
  // The same firewall behind a plain default route reports the same requirement errors.
  auto plain = build(routed("route default \"default\" 0.0.0.0/0 -> fw"));
  CHECK(split->count("E0246") == plain->count("E0246"));
}

TEST_CASE("a split that leaves part of the public space on the Internet route", "[model][gaps]") {
  // Azure/AKS-Construction: only 0.0.0.0/1 to the firewall. Names are checked against the firewall (a name may
  // resolve into its half), and W0213 names the half that bypasses it.
  auto half = build(routed("route lower \"lower\" 0.0.0.0/1 -> fw"));
  INFO(half->rendered);
  CHECK(half->count("E0246") > 0);
  CHECK(half->count("W0213") == 1);
  CHECK(half->rendered.find("leaves 128.0.0.0/1 on the system route to the Internet") != std::string::npos);
  // A split that sends nothing to a firewall keeps the old answer: no firewall, nothing checked, no W0213.
  auto none = build(routed("route lower \"lower\" 0.0.0.0/1 -> internet"));
  CHECK(none->count("E0246") == 0);
  CHECK(none->count("W0213") == 0);
  // One partner's range through the firewall is not a split default route: names keep the Internet route.
  auto partner = build(routed("route partner \"partner\" 203.0.113.0/24 -> fw"));
  CHECK(partner->count("E0246") == 0);
  CHECK(partner->count("W0213") == 0);
  // Private prefixes do not split the public space: 10.0.0.0/8 to the Internet beside 0.0.0.0/0 to the firewall.
  auto priv = build(routed("route default \"default\" 0.0.0.0/0 -> fw; route onprem \"onprem\" 10.0.0.0/8 -> none"));
  CHECK(priv->count("W0213") == 0);
}

TEST_CASE("W0214: network rules that allow a protocol everywhere", "[model][gaps]") {
  const auto base = routed("route default \"default\" 0.0.0.0/0 -> fw", "user_defined_routing") +
                    "import \"model-rules.egress\"\n";
  auto rule = [&](const std::string& r) { return build(base + "firewall fw < network extra priority 400 < " + r + " > >\n"); };
  CHECK(rule("allow all tcp * -> * : *")->count("W0214") == 1);
  CHECK(rule("allow all udp 0.0.0.0/0 -> 0.0.0.0/0 : 1-65535")->count("W0214") == 1);
  CHECK(rule("allow all tcp, udp 10.42.1.0/24 -> * : *")->count("W0214") == 1);  // the cluster's own subnet
  CHECK(rule("allow all tcp vnet.aks -> * : *")->count("W0214") == 1);
  // Restricted destinations, ports or sources, ICMP only, and W0204's case: no W0214.
  CHECK(rule("allow some tcp * -> AzureCloud : *")->count("W0214") == 0);
  CHECK(rule("allow some tcp * -> 203.0.113.0/24 : *")->count("W0214") == 0);
  CHECK(rule("allow some tcp * -> * : 443")->count("W0214") == 0);
  CHECK(rule("allow some tcp 10.42.200.0/24 -> * : *")->count("W0214") == 0);
  CHECK(rule("allow ping icmp * -> *")->count("W0214") == 0);
  auto every = rule("allow every any * -> * : *");
  CHECK(every->count("W0204") == 1);
  CHECK(every->count("W0214") == 0);
  // A deny collection that blocks everything is a lockdown, not a hole.
  CHECK(build(base + "firewall fw < network block priority 400 < deny all tcp * -> * : * > >\n")->count("W0214") == 0);
}

TEST_CASE("W0215: outbound load_balancer behind a firewall route", "[model][gaps]") {
  auto lb = build(routed("route default \"default\" 0.0.0.0/0 -> fw"));
  CHECK(lb->count("W0215") == 1);
  CHECK(build(routed("route default \"default\" 0.0.0.0/0 -> fw", "user_defined_routing"))->count("W0215") == 0);
  // No route to a firewall: the load balancer is the way out, nothing asymmetric.
  CHECK(build(routed("route partner \"partner\" 203.0.113.0/24 -> internet"))->count("W0215") == 0);
  // The half split of AKS-Construction: replies to clients in 0.0.0.0/1 go to the firewall.
  CHECK(build(routed("route lower \"lower\" 0.0.0.0/1 -> fw"))->count("W0215") == 1);
}

TEST_CASE("E0253: the Kubernetes version floor", "[model][gaps]") {
  using facts::kubernetes::below_aks_floor;
  CHECK(below_aks_floor({1, 17}));
  CHECK(below_aks_floor({1, 29}));
  CHECK_FALSE(below_aks_floor({1, 30}));
  CHECK_FALSE(below_aks_floor({1, 35}));
  CHECK_FALSE(below_aks_floor({2, 0}));
  const auto base = routed("route default \"default\" 0.0.0.0/0 -> fw", "user_defined_routing");
  auto with = [&](const std::string& extra) { return build(base + extra); };
  CHECK(with("cluster aks < kubernetes_version \"1.20.9\" >\n")->count("E0253") == 1);
  CHECK(with("cluster aks < kubernetes_version \"1.29\" >\n")->count("E0253") == 1);
  CHECK(with("cluster aks < kubernetes_version \"1.30\" >\n")->count("E0253") == 0);  // LTS until Jul 2026: kept
  CHECK(with("cluster aks < kubernetes_version \"1.31.2\" >\n")->count("E0253") == 0);
  // A parameter without a default is only known at deploy time.
  CHECK(with("param k8s: string\ncluster aks < kubernetes_version \"${k8s}\" >\n")->count("E0253") == 0);
  CHECK(with("param k8s: string = \"1.21.1\"\ncluster aks < kubernetes_version \"${k8s}\" >\n")->count("E0253") == 1);
}

TEST_CASE("E0254: a kubenet cluster's subnets share one route table", "[model][gaps]") {
  const std::string net = kNet + "identity kubeid \"kube-identity\"\n" +
                          "route_table a \"a-rt\" < route d \"a-d\" 0.0.0.0/0 -> fw >\n" +
                          "route_table b \"b-rt\" < route d \"b-d\" 0.0.0.0/0 -> fw >\n";
  auto cluster = [&](const std::string& plugin, const std::string& tables) {
    return build(net + "vnet vnet < " + tables + " >\n" + "cluster kube \"kube\" in vnet.kube < network_plugin " + plugin +
                 "; outbound user_defined_routing; identity user kubeid; pool system < mode system; nodes 2 >; "
                 "pool apps < nodes 2; subnet vnet.apps > >\n");
  };
  const std::string two = "subnet kube \"kube\" 10.42.8.0/24 < route_table a >; subnet apps \"apps\" 10.42.9.0/24 < route_table b >";
  const std::string one = "subnet kube \"kube\" 10.42.8.0/24 < route_table a >; subnet apps \"apps\" 10.42.9.0/24 < route_table a >";
  const std::string bare = "subnet kube \"kube\" 10.42.8.0/24 < route_table a >; subnet apps \"apps\" 10.42.9.0/24";
  CHECK(cluster("kubenet", two)->count("E0254") == 1);
  CHECK(cluster("kubenet", bare)->count("E0254") == 1);
  CHECK(cluster("kubenet", one)->count("E0254") == 0);
  CHECK(cluster("azure", two)->count("E0254") == 0);  // Azure CNI: each subnet routes on its own
}

TEST_CASE("E0253 on the public designs' own versions", "[model][gaps][designs]") {
  // tests/designs leave these versions out (APPROX) so that the designs still build; as the designs pin them,
  // AKS would refuse each cluster.
  for (const auto& [design, version] : std::vector<std::pair<std::string, std::string>>{
           {"caf-aks-104-private", "1.17.11"}, {"aks-construction", "1.20.9"}, {"private-aks-terraform", "1.21.1"},
           {"caf-aks-secure-baseline", "1.19.6"}, {"aks-baseline-multi-region", "1.29"}}) {
    const auto path = "tests/designs/" + design + "/main.egress";
    auto text = slurp(source_dir() + "/" + path).value_or("");
    const std::string marker = "// APPROX: the design pins kubernetes_version \"" + version + "\"";
    const auto at = text.find(marker);
    INFO(design);
    REQUIRE(at != std::string::npos);
    text.replace(at, marker.size(), "kubernetes_version \"" + version + "\" // APPROX");
    const auto out = compile_program(path, text);
    INFO(out->rendered);
    CHECK(out->count("E0253") == 1);  // the first cluster's (aks-baseline-multi-region's second keeps its marker)
  }
}
