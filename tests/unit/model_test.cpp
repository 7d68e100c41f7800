// The network model: effective routes (system routes, user routes, longest prefix match), the walk of a flow
// through a firewall's rules, the flows every cluster must make, `explain` and the DOT picture.
#include <catch2/catch.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <memory>
#include <set>
#include <stdexcept>

#include "api/analyse.hpp"
#include "model/check.hpp"
#include "model/explain.hpp"
#include "model/flows.hpp"
#include "model/network.hpp"
#include "model/routes.hpp"
#include "support/analysed.hpp"
#include "support/flows.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;
using model::Hop;

namespace {

/// A program compiled up to the checks, with its network model.
std::unique_ptr<Analysed> load_text(const std::string& text, const std::string& path = "tests/unit/model.egress") {
  return analyse_text(path, text, Expect::usable);
}

std::unique_ptr<Analysed> load_article() {
  return load_text(slurp(source_dir() + "/examples/aks-egress/main.egress").value(), "examples/aks-egress/main.egress");
}

std::uint32_t ip(std::string_view text) { return sema::parse_ip(text).value(); }

// The article's network, for variations: a VNet, the firewall and its rules; routes and clusters are added.
const std::string kBase = R"(import aks
param location: region = eastus
group rg "m-rg" in location
vnet vnet "m-vnet" 10.42.0.0/16 <
  subnet AzureFirewallSubnet 10.42.2.0/24
>
public_ip fwpip "m-fwpip"
firewall fw "m-fw" in vnet.AzureFirewallSubnet <
  dns_proxy on
  frontend fwpip "m-fwconfig"
  network aksfwnr priority 100 <
    allow apiudp udp * -> AzureCloud.${location} : 1194
    allow apitcp tcp * -> AzureCloud.${location} : 9000
    allow time   udp * -> "ntp.ubuntu.com" : 123
  >
  application aksfwar priority 100 <
    allow fqdn http:80, https:443 * -> tag AzureKubernetesService
  >
>
)";

model::Flow network_flow(model::Flow::Target target, std::string host, sema::Protocol p, std::uint16_t port) {
  model::Flow f;
  f.target = target;
  f.host = std::move(host);
  f.protocol = p;
  f.port = port;
  f.app = p == sema::Protocol::tcp ? model::Flow::App::any : model::Flow::App::none;
  return f;
}

}  // namespace

// ---------------------------------------------------------------------------------------------- routes

TEST_CASE("effective routes: Azure's system routes for a subnet without a route table", "[model][routes]") {
  auto m = load_text(kBase + R"(
vnet hub "m-hub" 10.60.0.0/16 < peer vnet >
)");
  const auto& r = m->network->routes(m->subnet("vnet.AzureFirewallSubnet"));
  CHECK(r.table == nullptr);
  std::vector<std::string> seen;
  for (const auto& e : r.routes) seen.push_back(e.prefix_text() + " " + e.next_hop_text() + (e.active ? "" : " (invalid)"));
  // The VNet, its peer (declared from the other side), the Internet, and the private ranges to None.
  CHECK(seen == std::vector<std::string>{"10.42.0.0/16 VnetLocal (VNet vnet)", "10.60.0.0/16 VNetPeering (VNet hub)",
                                         "0.0.0.0/0 Internet", "10.0.0.0/8 None", "172.16.0.0/12 None", "192.168.0.0/16 None",
                                         "100.64.0.0/10 None"});
  CHECK(r.for_address(ip("10.42.200.1"))->hop == Hop::vnet_local);
  CHECK(r.for_address(ip("10.60.1.1"))->hop == Hop::vnet_peering);
  CHECK(r.for_address(ip("10.61.0.1"))->hop == Hop::none);       // private, in no VNet: dropped
  CHECK(r.for_address(ip("172.20.0.1"))->hop == Hop::none);
  CHECK(r.for_address(ip("8.8.8.8"))->hop == Hop::internet);
  CHECK(r.choose(model::Destination::named("mcr.microsoft.com"))->hop == Hop::internet);
}

TEST_CASE("effective routes: a VNet spanning a private range turns its None route into VnetLocal", "[model][routes]") {
  auto m = load_text(kBase + R"(
vnet big "m-big" 192.168.0.0/16 < subnet s 192.168.1.0/24 >
)");
  const auto& r = m->network->routes(m->subnet("big.s"));
  for (const auto& e : r.routes) CHECK_FALSE((e.prefix_text() == "192.168.0.0/16" && e.hop == Hop::none));
  CHECK(r.for_address(ip("192.168.7.7"))->hop == Hop::vnet_local);
}

TEST_CASE("effective routes: user routes override system routes, the longest prefix wins", "[model][routes]") {
  auto m = load_text(kBase + R"(
vnet vnet < subnet aks "aks-subnet" 10.42.1.0/24 < route_table fwrt > >
route_table fwrt "m-fwrt" <
  route fwrn 0.0.0.0/0 -> fw
  route fwinternet fwpip/32 -> internet
  route spokes 10.0.0.0/8 -> fw
  route inspect 10.42.3.0/24 -> 10.42.2.4
  route blackhole 203.0.113.0/24 -> none
>
cluster aks "m-aks" in vnet.aks < outbound user_defined_routing >
)");
  const auto& r = m->network->routes(m->subnet("vnet.aks"));
  REQUIRE(r.table != nullptr);
  // The system 0.0.0.0/0 and 10.0.0.0/8 are replaced (Azure shows them as Invalid), and the user route for
  // 0.0.0.0/0 removes the None routes of the other reserved ranges ("Virtual network traffic routing", "Routing
  // example").
  int invalid = 0;
  for (const auto& e : r.routes)
    if (!e.active) {
      ++invalid;
      CHECK(!e.user);
      CHECK((e.prefix_text() == "0.0.0.0/0" || e.hop == Hop::none));
    }
  CHECK(invalid == 5);
  CHECK(r.for_address(ip("172.20.0.1")) == r.default_route());  // no None route left: to the firewall

  const auto* def = r.default_route();
  REQUIRE(def != nullptr);
  CHECK(def->user);
  CHECK(def->hop == Hop::virtual_appliance);
  REQUIRE(def->firewall != nullptr);
  CHECK(def->firewall->symbol == "fw");
  CHECK(*def->next_hop_ip == ip("10.42.2.4"));  // the firewall's private IP, derived

  CHECK(r.for_address(ip("8.8.8.8")) == def);
  CHECK(r.for_address(ip("10.42.1.9"))->hop == Hop::vnet_local);             // /16 system beats /8 user
  CHECK(r.for_address(ip("10.50.0.1"))->route->symbol == "spokes");          // /8: the user route beats None
  CHECK(r.for_address(ip("10.42.3.7"))->route->symbol == "inspect");         // /24 beats the VNet's /16
  CHECK(r.for_address(ip("10.42.3.7"))->firewall != nullptr);                // an address that is the firewall's
  CHECK(r.for_address(ip("203.0.113.9"))->hop == Hop::none);
  CHECK(r.choose(model::Destination::named("AzureCloud.eastus")) == def);     // names take the default route
  const auto* pip = r.choose(model::Destination::of(&m->program().public_ips.front()));
  REQUIRE(pip != nullptr);
  CHECK(pip->route->symbol == "fwinternet");
  CHECK(pip->hop == Hop::internet);
  CHECK(pip->prefix_text() == "fwpip/32");
  CHECK(pip->origin_text() == "user route `fwinternet` of route table `fwrt`");
}

TEST_CASE("effective routes: a user route for the VNet's own prefix overrides VnetLocal", "[model][routes]") {
  auto m = load_text(kBase + R"(
vnet vnet < subnet aks "aks-subnet" 10.42.1.0/24 < route_table fwrt > >
route_table fwrt "m-fwrt" <
  route fwrn 0.0.0.0/0 -> fw
  route east-west 10.42.0.0/16 -> fw
>
cluster aks "m-aks" in vnet.aks < outbound user_defined_routing >
)");
  const auto& r = m->network->routes(m->subnet("vnet.aks"));
  CHECK(r.for_address(ip("10.42.5.5"))->route->symbol == "east-west");
  CHECK(r.for_address(ip("10.42.5.5"))->hop == Hop::virtual_appliance);
}

TEST_CASE("routing checks report each pitfall once, at the offending route", "[model][routes]") {
  auto m = load_text(kBase + R"(
vnet vnet < subnet aks "aks-subnet" 10.42.1.0/24 < route_table fwrt > >
route_table fwrt "m-fwrt" <
  route fwrn 0.0.0.0/0 -> fw
  route a 10.50.0.0/16 -> fw
  route b 10.50.0.0/17 -> fw
  route c 10.50.128.0/18 -> fw
  route d 10.50.192.0/18 -> fw
  route e 10.50.0.0/16 -> none
>
route_table spare "m-spare" < route x 0.0.0.0/0 -> fw >
cluster aks "m-aks" in vnet.aks < outbound user_defined_routing >
)");
  const auto codes = m->codes();
  CHECK(std::count(codes.begin(), codes.end(), "W0201") == 1);  // a, covered by b + c + d
  CHECK(std::count(codes.begin(), codes.end(), "E0218") == 1);  // e duplicates a
  CHECK(std::count(codes.begin(), codes.end(), "W0202") == 1);  // spare
  for (const auto& d : m->analysis->diagnostics.all()) {
    if (d.code != Code::W0201 && d.code != Code::E0218 && d.code != Code::W0202) continue;
    CHECK_FALSE(d.notes.empty());
    CHECK_FALSE(d.hint.empty());
  }
}

TEST_CASE("every routing, flow and capacity diagnostic has a span, notes and a hint", "[model][diagnostics]") {
  const std::set<std::string> mine = {"E0212", "E0213", "E0215", "E0216", "E0217", "E0218", "E0219", "W0201",
                                      "W0202", "E0246", "E0247", "E0248", "W0206", "W0207"};
  std::size_t seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() + "/tests/diagnostics")) {
    const auto name = entry.path().filename().string();
    if (name.size() < 5 || mine.count(name.substr(0, 5)) == 0 || name.find(".egress") == std::string::npos) continue;
    auto c = compile_file("tests/diagnostics/" + name, false);
    for (const auto& d : c.result.diagnostics.all()) {
      if (mine.count(std::string(info(d.code).id)) == 0) continue;
      INFO(name << ": " << d.message);
      ++seen;
      CHECK(d.span.length > 0);
      CHECK_FALSE(d.notes.empty());
      CHECK_FALSE(d.hint.empty());
      for (const auto& n : d.notes) CHECK(n.span.length > 0);
    }
  }
  CHECK(seen >= mine.size());
}

// ----------------------------------------------------------------------------------------------- flows

TEST_CASE("FQDN patterns and image registries", "[model][flows]") {
  CHECK(model::fqdn_covers("*", "anything.example.com"));
  CHECK(model::fqdn_covers("MCR.microsoft.com", "mcr.MICROSOFT.com"));
  CHECK(model::fqdn_covers("*.microsoft.com", "mcr.microsoft.com"));
  CHECK(model::fqdn_covers("*.microsoft.com", "a.data.mcr.microsoft.com"));
  CHECK_FALSE(model::fqdn_covers("*.microsoft.com", "microsoft.com"));
  CHECK_FALSE(model::fqdn_covers("*.microsoft.com", "notmicrosoft.com"));
  CHECK(model::fqdn_covers("*.data.mcr.microsoft.com", "*.data.mcr.microsoft.com"));
  CHECK(model::fqdn_covers("*.mcr.microsoft.com", "*.data.mcr.microsoft.com"));
  CHECK_FALSE(model::fqdn_covers("*.data.mcr.microsoft.com", "*.mcr.microsoft.com"));
  CHECK_FALSE(model::fqdn_covers("mcr.microsoft.com", "*.mcr.microsoft.com"));

  using R = std::pair<std::string, std::uint16_t>;
  CHECK(model::image_registry("busybox:1.36") == R{"docker.io", 443});
  CHECK(model::image_registry("library/busybox") == R{"docker.io", 443});
  CHECK(model::image_registry("bitnami/redis:7") == R{"docker.io", 443});
  CHECK(model::image_registry("ghcr.io/azure-samples/aks-store-demo/store-front:latest") == R{"ghcr.io", 443});
  CHECK(model::image_registry("mcr.microsoft.com/mirror/docker/library/rabbitmq:3.10") == R{"mcr.microsoft.com", 443});
  CHECK(model::image_registry("myreg.example.com:5000/team/app:1") == R{"myreg.example.com", 5000});
  CHECK(model::image_registry("localhost:5000/app") == R{"localhost", 5000});
  CHECK(model::image_registry("busybox@sha256:0123") == R{"docker.io", 443});
}

TEST_CASE("a flow through the firewall: network rules, then application rules, then the default deny", "[model][flows]") {
  auto m = load_text(kBase + R"(
vnet vnet < subnet aks "aks-subnet" 10.42.1.0/24 < route_table fwrt > >
route_table fwrt "m-fwrt" < route fwrn 0.0.0.0/0 -> fw >
cluster aks "m-aks" in vnet.aks < outbound user_defined_routing >
firewall fw <
  network blocked priority 150 <
    deny nosmtp tcp * -> * : 25
  >
  network web priority 200 <
    allow github tcp 10.42.1.0/24 -> "github.com" : 443
    allow half tcp 10.42.1.0/25 -> "example.org" : 443
    allow dns udp * -> 1.1.1.1 : 53
  >
  application apps priority 200 <
    allow ms https:443 * -> "*.microsoft.com"
    allow plain http:80 * -> "example.com"
  >
>
)");
  const auto& fw = m->program().firewalls.front();
  const auto& rules = m->network->rules(fw);
  const auto src = m->subnet("vnet.aks").prefix;
  using R = model::Verdict::Result;

  auto v = rules.evaluate(network_flow(model::Flow::Target::service_tag, "AzureCloud.eastus", sema::Protocol::udp, 1194), src);
  CHECK(v.result == R::allowed);
  CHECK(v.rule_name() == "apiudp");
  CHECK(v.how == "service tag AzureCloud.eastus, UDP port 1194");

  // Near misses, in Azure's order: rules that name the tag, but for another port or protocol.
  v = rules.evaluate(network_flow(model::Flow::Target::service_tag, "AzureCloud.eastus", sema::Protocol::udp, 9000), src);
  CHECK(v.result == R::no_match);
  REQUIRE(v.near_misses.size() == 2);
  CHECK(v.near_misses[0].message == "network rule `apiudp` of `aksfwnr` names AzureCloud.eastus but on port 1194, not 9000");
  CHECK(v.near_misses[1].message == "network rule `apitcp` of `aksfwnr` names AzureCloud.eastus but for TCP, not UDP");

  // A deny collection with a lower priority number is processed first.
  v = rules.evaluate(network_flow(model::Flow::Target::fqdn, "smtp.example.com", sema::Protocol::tcp, 25), src);
  CHECK(v.result == R::denied);
  CHECK(v.collection->name == "blocked");

  // Network rules come before application rules: github.com matches the network rule.
  v = rules.evaluate(https("github.com"), src);
  CHECK(v.allowed());
  CHECK(v.network_rule != nullptr);

  // A source covering only half the subnet does not match, and says why.
  v = rules.evaluate(https("example.org"), src);
  CHECK(v.result == R::no_match);
  REQUIRE_FALSE(v.near_misses.empty());
  CHECK_THAT(v.near_misses.front().message, Catch::Contains("do not cover all of 10.42.1.0/24"));

  // The FQDN tag covers the AKS endpoints (${location} as any known region: the tag is not regional, and a
  // cluster in another region's group may egress here); wildcards cover names.
  v = rules.evaluate(https("xyz.hcp.eastus.azmk8s.io"), src);
  CHECK(v.allowed());
  CHECK(v.how == "FQDN tag AzureKubernetesService covers xyz.hcp.eastus.azmk8s.io, port 443");
  CHECK(rules.evaluate(https("xyz.hcp.westus.azmk8s.io"), src).allowed());
  CHECK_FALSE(rules.evaluate(https("xyz.hcp.nowhere.azmk8s.io"), src).allowed());
  v = rules.evaluate(https("graph.microsoft.com"), src);
  CHECK(v.allowed());
  CHECK(v.application_rule->name == "ms");
  // http:80 only: HTTPS on 443 does not match.
  CHECK_FALSE(rules.evaluate(https("example.com"), src).allowed());
  auto http = https("example.com", 80);
  http.app = model::Flow::App::http;
  CHECK(rules.evaluate(http, src).allowed());

  // Addresses: network rules only; UDP never matches application rules.
  model::Flow dns = network_flow(model::Flow::Target::address, "1.1.1.1", sema::Protocol::udp, 53);
  dns.address = ip("1.1.1.1");
  CHECK(rules.evaluate(dns, src).allowed());
  dns.address = ip("8.8.8.8");
  dns.host = "8.8.8.8";
  CHECK(rules.evaluate(dns, src).result == R::no_match);
}

TEST_CASE("the article's cluster reaches every flow AKS and its images need", "[model][flows]") {
  auto m = load_article();
  // Only W0230: the article does not open the Ubuntu update hosts AKS recommends.
  CHECK(m->codes() == std::vector<std::string>{"W0230"});
  const auto flows = model::cluster_flows(*m->network);
  std::size_t required = 0, images = 0, recommended = 0;
  for (const auto& f : flows) {
    INFO(f.flow.text());
    REQUIRE(f.firewall != nullptr);
    CHECK(f.firewall->symbol == "fw");
    if (f.required != nullptr && f.required->recommended) {
      ++recommended;
      continue;
    }
    CHECK(f.outcome == model::FlowOutcome::allowed);
    (f.required != nullptr ? required : images) += 1;
  }
  CHECK(required == 11);  // the rows of stdlib/aks.egress a public cluster needs
  CHECK(recommended == 4);
  // mcr.microsoft.com (+ its data endpoints), ghcr.io (+ pkg-containers), Docker Hub for busybox (3 hosts).
  CHECK(images == 7);
}

TEST_CASE("private clusters need no tunnel to AzureCloud", "[model][flows]") {
  auto m = load_text(kBase + R"(
vnet vnet < subnet aks "aks-subnet" 10.42.1.0/24 < route_table fwrt > >
route_table fwrt "m-fwrt" < route fwrn 0.0.0.0/0 -> fw >
cluster aks "m-aks" in vnet.aks < outbound user_defined_routing
  private >
)");
  for (const auto& f : model::cluster_flows(*m->network)) CHECK(f.flow.host != "AzureCloud.eastus");
}

TEST_CASE("blocked flows: one error per missing rule, the FQDN-tag endpoints grouped into one", "[model][flows]") {
  auto m = load_text(R"(import aks
param location: region = eastus
group rg "m-rg" in location
vnet vnet "m-vnet" 10.42.0.0/16 <
  subnet aks "aks-subnet" 10.42.1.0/24 < route_table fwrt >
  subnet AzureFirewallSubnet 10.42.2.0/24
>
public_ip fwpip "m-fwpip"
firewall fw "m-fw" in vnet.AzureFirewallSubnet <
  dns_proxy on
  frontend fwpip "m-fwconfig"
  application only priority 100 < allow mcr https:443 * -> "mcr.microsoft.com" >
>
route_table fwrt "m-fwrt" < route fwrn 0.0.0.0/0 -> fw >
cluster aks "m-aks" in vnet.aks < outbound user_defined_routing >
app web on aks < deployment api image "ghcr.io/acme/api:1" < port 80 > >
)");
  const auto codes = m->codes();
  // 2 network flows + 8 application flows (mcr.microsoft.com is allowed, so they are not grouped); no NTP.
  CHECK(std::count(codes.begin(), codes.end(), "E0246") == 10);
  CHECK(std::count(codes.begin(), codes.end(), "E0248") == 1);  // one per registry: ghcr.io and its CDN host
  for (const auto& d : m->analysis->diagnostics.all())
    if (d.code == Code::E0248) CHECK_THAT(d.message, Catch::Contains("ghcr.io:443, pkg-containers.githubusercontent.com:443"));
}

TEST_CASE("E0247: a firewall the cluster's VNet cannot reach", "[model][flows]") {
  auto m = load_text(kBase + R"(
vnet spoke "m-spoke" 10.50.0.0/16 < subnet aks "aks-subnet" 10.50.1.0/24 < route_table fwrt > >
route_table fwrt "m-fwrt" < route fwrn 0.0.0.0/0 -> fw >
cluster aks "m-aks" in spoke.aks < outbound user_defined_routing >
)");
  const auto codes = m->codes();
  CHECK(std::count(codes.begin(), codes.end(), "E0247") == 1);
  CHECK(std::count(codes.begin(), codes.end(), "E0246") == 0);  // nothing reaches the firewall to be judged
  auto peered = load_text(kBase + R"(
vnet spoke "m-spoke" 10.50.0.0/16 < subnet aks "aks-subnet" 10.50.1.0/24 < route_table fwrt >
  peer vnet >
route_table fwrt "m-fwrt" < route fwrn 0.0.0.0/0 -> fw >
cluster aks "m-aks" in spoke.aks < outbound user_defined_routing >
)");
  CHECK(peered->codes() == std::vector<std::string>{"W0230"});  // kBase opens no Ubuntu update host
}

// ----------------------------------------------------------------------------------------------- explain

TEST_CASE("explain: the article's egress to MCR, route by route and rule by rule", "[model][explain]") {
  auto m = load_article();
  const auto e = model::explain(*m->network, "aks", *model::parse_explain_target("mcr.microsoft.com:443/https"));
  CHECK(e.result == model::Explanation::Result::allowed);
  CHECK(e.text ==
        "explain: aks -> mcr.microsoft.com:443/https\n"
        "1. cluster `aks` in subnet vnet.aks (10.42.1.0/24), route table `fwrt`\n"
        "   route 0.0.0.0/0 -> VirtualAppliance 10.42.2.4 (firewall fw)  [user route `fwrn` of route table `fwrt`; longest "
        "matching prefix of 3 effective routes]\n"
        "   mcr.microsoft.com resolves to public addresses the compiler cannot know: they take the route for 0.0.0.0/0\n"
        "2. firewall `fw` (10.42.2.4, subnet vnet.AzureFirewallSubnet)\n"
        "   DNAT rules: apply only to traffic arriving on the firewall's public IPs\n"
        "   network rules: no match among 6 rules\n"
        "   application rules: allowed by collection `aksfwar` (priority 100), rule `fqdn`: FQDN tag AzureKubernetesService "
        "covers mcr.microsoft.com, port 443\n"
        "3. leaves for the Internet from the firewall's public IP fwpip (SNAT)\n"
        "result: allowed\n");
}

TEST_CASE("explain: drops, addresses inside the VNet, and the DNAT path in", "[model][explain]") {
  auto m = load_article();
  auto run = [&](std::string_view from, std::string_view to) {
    const auto t = model::parse_explain_target(to);
    REQUIRE(t.has_value());
    return model::explain(*m->network, from, *t);
  };
  using R = model::Explanation::Result;
  auto e = run("vnet.aks", "example.com:443/tcp");
  CHECK(e.result == R::dropped);
  CHECK_THAT(e.text, Catch::Contains("the firewall's default deny drops it"));
  // From the firewall's subnet (no route table) a private address in no VNet meets Azure's None route; from the
  // cluster's, whose route table has a user route for 0.0.0.0/0, it goes to the firewall, which denies it.
  e = run("vnet.AzureFirewallSubnet", "10.50.0.1:80/tcp");
  CHECK(e.result == R::dropped);
  CHECK_THAT(e.text, Catch::Contains("route 10.0.0.0/8 -> None  [system route"));
  e = run("aks", "10.50.0.1:80/tcp");
  CHECK(e.result == R::dropped);
  CHECK_THAT(e.text, Catch::Contains("the firewall's default deny drops it"));
  e = run("aks", "10.42.2.4:53/udp");
  CHECK(e.result == R::allowed);
  CHECK_THAT(e.text, Catch::Contains("delivered to firewall `fw` on its private IP 10.42.2.4"));
  e = run("internet", "fwpip:80/tcp");
  CHECK(e.result == R::allowed);
  CHECK_THAT(e.text, Catch::Contains("translated by collection `dnat` (priority 100), rule `store-front-80`: -> 10.42.1.254:80"));
  CHECK_THAT(e.text, Catch::Contains("delivered to the internal load balancer of service `store-front`"));
  e = run("internet", "fwpip:22/tcp");
  CHECK(e.result == R::dropped);
  e = run("aks", "fwpip:80/tcp");  // the article's fwinternet route: out to the Internet and back in by DNAT
  CHECK(e.result == R::allowed);
  CHECK_THAT(e.text, Catch::Contains("route fwpip/32 -> Internet"));
  e = run("nowhere", "fwpip:80/tcp");
  CHECK(e.result == R::error);
  CHECK_THAT(e.text, Catch::Contains("known: aks, vnet.aks, vnet.AzureFirewallSubnet"));

  CHECK_FALSE(model::parse_explain_target("mcr.microsoft.com:443").has_value());
  CHECK_FALSE(model::parse_explain_target("mcr.microsoft.com:0/tcp").has_value());
  CHECK_FALSE(model::parse_explain_target("mcr.microsoft.com:443/sctp").has_value());
  CHECK_FALSE(model::parse_explain_target(":443/tcp").has_value());
}

// ------------------------------------------------------------------------------------------------- DOT

TEST_CASE("graph: the article as DOT, deterministic, flows coloured by outcome", "[model][graph]") {
  auto a = load_article();
  auto b = load_article();
  a->network->add_flows(model::cluster_flows(*a->network));
  b->network->add_flows(model::cluster_flows(*b->network));
  const auto dot = model::to_dot(*a->network);
  CHECK(dot == model::to_dot(*b->network));
  CHECK(dot.rfind("digraph egress {\n", 0) == 0);
  CHECK_THAT(dot, Catch::Contains("subgraph \"cluster_vnet:vnet\" {"));
  CHECK_THAT(dot, Catch::Contains("subgraph \"cluster_subnet:vnet.aks\" {"));
  CHECK_THAT(dot, Catch::Contains("\"rt:fwrt\" -> \"fw:fw\" [label=\"0.0.0.0/0\""));
  CHECK_THAT(dot, Catch::Contains("\"rt:fwrt\" -> \"internet\" [label=\"fwpip/32\""));
  CHECK_THAT(dot, Catch::Contains("\"pip:fwpip\" -> \"lb:store/store-front\" [label=\"DNAT TCP 80 -> 10.42.1.254:80\""));
  CHECK_THAT(dot, Catch::Contains("\"fw:fw\" -> \"tag:AzureCloud.eastus\" [label=\"UDP 1194, TCP 9000\", color=\"#2e7d32\""));
  // Nothing the article needs is blocked: red only for the Ubuntu update hosts AKS recommends (W0230).
  for (std::size_t at = dot.find("#c62828"); at != std::string::npos; at = dot.find("#c62828", at + 1)) {
    const auto line_start = dot.rfind('\n', at);
    CHECK_THAT(dot.substr(line_start, at - line_start), Catch::Contains("ubuntu.com"));
  }

  // The graph itself holds one vertex per destination (the picture groups them).
  CHECK(a->network->find("fqdn:mcr.microsoft.com").has_value());
  CHECK(a->network->find("tag:AzureCloud.eastus").has_value());
  CHECK(a->network->find("subnet:vnet.aks").has_value());

  auto blocked = load_text(kBase + R"(
vnet vnet < subnet aks "aks-subnet" 10.42.1.0/24 < route_table fwrt > >
route_table fwrt "m-fwrt" < route fwrn 0.0.0.0/0 -> fw >
cluster aks "m-aks" in vnet.aks < outbound user_defined_routing >
app web on aks < deployment api image "quay.io/acme/api:1" < port 80 > >
)");
  blocked->network->add_flows(model::cluster_flows(*blocked->network));
  // quay.io and its CDN hosts, blocked: drawn red (grouped with other blocked HTTPS destinations).
  const auto blocked_dot = model::to_dot(*blocked->network);
  CHECK_THAT(blocked_dot, Catch::Contains("cdn01.quay.io"));
  CHECK_THAT(blocked_dot, Catch::Contains("[label=\"HTTPS 443\", color=\"#c62828\""));
}

// ----------------------------------------------------------------------------------------- performance

namespace {

/// The article's network with `n` extra network rules to distinct FQDNs and `n / 10` application rules, a
/// cluster with an app, and `import aks`: every required flow is walked through all of them.
std::string many_rules(std::size_t n) {
  std::string s = kBase + R"(
vnet vnet < subnet aks "aks-subnet" 10.42.1.0/24 < route_table fwrt > >
route_table fwrt "m-fwrt" < route fwrn 0.0.0.0/0 -> fw
  route fwinternet fwpip/32 -> internet >
cluster aks "m-aks" in vnet.aks < outbound user_defined_routing >
app web on aks < deployment api image "mcr.microsoft.com/acme/api:1" < port 80 > >
)";
  for (std::size_t c = 0; c * 1000 < n; ++c) {
    s += "firewall fw < network c" + std::to_string(c) + " priority " + std::to_string(200 + c) + " <\n";
    for (std::size_t r = c * 1000; r < n && r < (c + 1) * 1000; ++r)
      s += "  allow r" + std::to_string(r) + " tcp * -> \"host-" + std::to_string(r) + ".example.com\" : " +
           std::to_string(1 + r % 60000) + "\n";
    s += "> >\n";
  }
  s += "firewall fw < application bulk priority 300 <\n";
  for (std::size_t r = 0; r < n / 10; ++r) s += "  allow a" + std::to_string(r) + " https:443 * -> \"*.svc-" + std::to_string(r) + ".example.net\"\n";
  s += "> >\n";
  return s;
}

}  // namespace

// The figures (times) are in bench/; here the work is counted, which is exact on any machine.
TEST_CASE("the model's checks are linear in the number of rules", "[model][perf]") {
  auto article = load_article();
  const auto article_steps = steps([&] {
    Diagnostics d;
    model::check(article->program(), article->analysis->catalog, d);
  });
  CHECK(article_steps > 0);
  std::uint64_t network[2] = {}, all[2] = {};
  for (int half = 0; half < 2; ++half) {
    auto big = load_text(many_rules(half == 0 ? 50000 : 100000));
    // Distinct destinations: more source/destination pairs than Azure Firewall takes, nothing else.
    CHECK(big->codes() == std::vector<std::string>{"W0230", "W0212"});
    network[half] = steps([&] {
      Diagnostics d;
      const model::Network net(big->program(), big->analysis->catalog);
      model::check_routes(net, d);
      model::check_flows(net, d);
      model::check_capacity(net, d);
    });
    all[half] = steps([&] {
      Diagnostics d;
      model::check(big->program(), big->analysis->catalog, d);
    });
  }
  INFO("network model, routes, flows and capacity: " << network[0] << " steps for 55,000 rules, " << network[1]
                                                     << " for 110,000; all of model::check: " << all[0] << ", " << all[1]);
  CHECK(grows_linearly(network[0], network[1]));
  CHECK(grows_linearly(all[0], all[1]));
}

// ------------------------------------------------------------------------------------------------- CLI

namespace {

int egressc(const std::string& args, const std::string& out = "/dev/null") {
  const std::string cmd = std::string(egress::testing::egress_binary()) + " " + args + " >" + out + " 2>/dev/null";
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("egressc explain and graph: exit codes and output", "[model][cli]") {
  const std::string article = source_dir() + "/examples/aks-egress/main.egress";
  CHECK(egressc("explain " + article + " --from aks --to mcr.microsoft.com:443/https") == 0);
  CHECK(egressc("explain " + article + " --from=vnet.aks --to=example.com:443/tcp") == 1);  // dropped
  CHECK(egressc("explain " + article + " --from internet --to fwpip:80/tcp") == 0);
  CHECK(egressc("explain " + article + " --from nowhere --to fwpip:80/tcp") == 2);  // no such endpoint
  CHECK(egressc("explain " + article + " --from aks") == 2);
  CHECK(egressc("explain " + article + " --from aks --to mcr.microsoft.com") == 2);
  CHECK(egressc("explain --from aks --to mcr.microsoft.com:443/tcp") == 2);
  CHECK(egressc("explain " + source_dir() + "/missing.egress --from aks --to a.b:1/tcp") == 1);

  const auto dir = std::filesystem::temp_directory_path() / ("egress-model-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto a = (dir / "a.dot").string(), b = (dir / "b.dot").string();
  CHECK(egressc("graph " + article + " -o " + a) == 0);
  CHECK(egressc("graph " + article, b) == 0);  // standard output
  const auto first = slurp(a), second = slurp(b);
  REQUIRE(first.has_value());
  REQUIRE(second.has_value());
  CHECK(*first == *second);
  CHECK(first->rfind("digraph egress {", 0) == 0);
  CHECK(egressc("graph") == 2);
  CHECK(egressc("graph " + article + " --nope") == 2);
  std::filesystem::remove_all(dir);
}
