// The network-model checks of model/checks.hpp: naming rules, FQDN syntax, the shadowing index (and that it
// stays linear), and the checks run on small programs, including shapes the diagnostics files do not show.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <memory>
#include <set>

#include "../../bench/many_rules.hpp"
#include "api/stdlib.hpp"
#include "lower/lower.hpp"
#include "model/check.hpp"
#include "model/checks.hpp"
#include "parse/parse.hpp"
#include "sema/elaborate.hpp"
#include "test_support.hpp"

using namespace egress;
using egress::model::NameRule;
using egress::testing::grows_linearly;
using egress::testing::steps;

namespace {

/// A program parsed and elaborated with the azure prelude, load-balancer IPs allocated: what model::check sees.
struct Elaborated {
  SourceManager sources;
  std::vector<std::unique_ptr<syntax::File>> files;
  sema::Catalog catalog;
  sema::Program program;
  Diagnostics diags;
};

std::unique_ptr<Elaborated> elaborate(const std::string& text) {
  auto e = std::make_unique<Elaborated>();
  const auto main = e->sources.add("test.egress", text);
  const auto prelude = e->sources.add("<stdlib>/azure.egress", stdlib_modules().at("azure"));
  e->files.push_back(std::make_unique<syntax::File>(parse::parse(e->sources, main, e->diags)));
  e->files.push_back(std::make_unique<syntax::File>(parse::parse(e->sources, prelude, e->diags)));
  std::vector<const syntax::File*> raw;
  for (const auto& f : e->files) raw.push_back(f.get());
  e->program = sema::elaborate(raw, e->sources, e->catalog, e->diags);
  lower::allocate_load_balancer_ips(e->program, e->diags);
  return e;
}

std::vector<std::string> ids(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags.all()) out.emplace_back(info(d.code).id);
  return out;
}

std::size_t count(const std::vector<std::string>& list, std::string_view id) {
  return static_cast<std::size_t>(std::count(list.begin(), list.end(), id));
}

/// The checks of this area (not routing, flows or capacity) on `text`, which must elaborate cleanly.
void run_checks(const Elaborated& e, Diagnostics& diags) {
  egress::model::check_addresses(e.program, diags);
  egress::model::check_names(e.program, diags);
  egress::model::check_rules(e.program, e.catalog, diags);
  egress::model::check_firewall_skus(e.program, diags);
  egress::model::check_dnat(e.program, diags);
  egress::model::check_limits(e.program, diags);
  egress::model::check_clusters(e.program, diags);
}

std::vector<std::string> check_ids(const std::string& text) {
  auto e = elaborate(text);
  std::string rendered;
  for (const auto& d : e->diags.all()) rendered += render(d, e->sources);
  INFO(rendered);
  REQUIRE_FALSE(e->diags.has_errors());
  Diagnostics diags;
  run_checks(*e, diags);
  return ids(diags);
}

/// The shared base of the diagnostics files, inlined (elaborate() follows no imports).
const std::string kBase =
    testing::slurp(testing::source_dir() + "/tests/diagnostics/common/checks-base.egress").value_or("") + "\n";

// ---------------------------------------------------------------------------------------------- rule builders

sema::Endpoint ep(const std::string& text) {
  sema::Endpoint e;
  e.text = text;
  if (text == "*") {
    e.kind = sema::Endpoint::Kind::any;
  } else if (auto c = sema::parse_cidr(text)) {
    e.kind = sema::Endpoint::Kind::cidr;
    e.cidr = *c;
  } else if (text.rfind("tag ", 0) == 0) {
    e.kind = sema::Endpoint::Kind::fqdn_tag;
    e.text = text.substr(4);
  } else if (text.find('.') != std::string::npos && text.front() >= 'a' && text.front() <= 'z') {
    e.kind = sema::Endpoint::Kind::fqdn;
  } else if (text.front() == '*') {
    e.kind = sema::Endpoint::Kind::fqdn;
  } else {
    e.kind = sema::Endpoint::Kind::service_tag;
  }
  e.set_pattern(sema::Text::literal(e.text));
  return e;
}

sema::NetworkRule net(std::vector<sema::Protocol> protocols, std::vector<std::string> sources,
                      std::vector<std::string> destinations, std::vector<std::pair<int, int>> ports) {
  sema::NetworkRule r;
  r.protocols = std::move(protocols);
  for (const auto& s : sources) r.sources.push_back(ep(s));
  for (const auto& d : destinations) r.destinations.push_back(ep(d));
  for (auto [a, b] : ports) r.ports.push_back({static_cast<std::uint16_t>(a), static_cast<std::uint16_t>(b), {}});
  return r;
}

sema::ApplicationRule app(std::vector<std::pair<sema::AppProtocol::Kind, int>> protocols,
                          std::vector<std::string> targets) {
  sema::ApplicationRule r;
  for (auto [k, p] : protocols) r.protocols.push_back({k, static_cast<std::uint16_t>(p), {}});
  r.sources.push_back(ep("*"));
  for (const auto& t : targets) r.targets.push_back(ep(t));
  return r;
}

sema::RuleCollection network_collection(std::vector<sema::NetworkRule> rules) {
  sema::RuleCollection c;
  c.kind = sema::CollectionKind::network;
  c.network_rules = std::move(rules);
  for (std::size_t i = 0; i < c.network_rules.size(); ++i) c.network_rules[i].name = "r" + std::to_string(i);
  return c;
}

using P = sema::Protocol;
using A = sema::AppProtocol::Kind;

}  // namespace

// ---------------------------------------------------------------------------------------------- names

TEST_CASE("Azure naming rules per resource type", "[checks][names]") {
  using egress::model::name_problem;
  // Microsoft.Network children: 1-80, start alphanumeric, end alphanumeric or underscore.
  CHECK(name_problem(NameRule::network_child, "aks-egress-fw").empty());
  CHECK(name_problem(NameRule::network_child, "AzureFirewallSubnet").empty());
  CHECK(name_problem(NameRule::network_child, "a_b.c-d_").empty());
  CHECK_FALSE(name_problem(NameRule::network_child, "-fw").empty());
  CHECK_FALSE(name_problem(NameRule::network_child, "fw.").empty());
  CHECK_FALSE(name_problem(NameRule::network_child, "fw-").empty());
  CHECK_FALSE(name_problem(NameRule::network_child, std::string(81, 'a')).empty());
  CHECK(name_problem(NameRule::network_child, std::string(80, 'a')).empty());
  CHECK_FALSE(name_problem(NameRule::network_child, "").empty());
  // VNets: 2-64.
  CHECK_FALSE(name_problem(NameRule::virtual_network, "v").empty());
  CHECK(name_problem(NameRule::virtual_network, "vn").empty());
  CHECK_FALSE(name_problem(NameRule::virtual_network, std::string(65, 'v')).empty());
  // Resource groups: parentheses allowed, no trailing period.
  CHECK(name_problem(NameRule::resource_group, "rg(prod)").empty());
  CHECK_FALSE(name_problem(NameRule::resource_group, "rg.").empty());
  CHECK_FALSE(name_problem(NameRule::resource_group, std::string(91, 'r')).empty());
  // Identities: 3-128, start with a letter or digit.
  CHECK(name_problem(NameRule::identity, "myIdentity").empty());
  CHECK_FALSE(name_problem(NameRule::identity, "id").empty());
  CHECK_FALSE(name_problem(NameRule::identity, "_id").empty());
  CHECK_FALSE(name_problem(NameRule::identity, "my.identity").empty());
  // Clusters double as the DNS prefix: 1-54, letters, digits and hyphens.
  CHECK(name_problem(NameRule::cluster, "aks-egress").empty());
  CHECK_FALSE(name_problem(NameRule::cluster, "aks_egress").empty());
  CHECK_FALSE(name_problem(NameRule::cluster, std::string(55, 'a')).empty());
  CHECK_FALSE(name_problem(NameRule::cluster, "aks-").empty());
}

TEST_CASE("names never carry shell, YAML or JSON metacharacters", "[checks][names]") {
  using egress::model::name_problem;
  for (const char* bad : {"a;b", "a b", "a$b", "a`b", "a'b", "a\"b", "a\\b", "a\nb", "a|b", "a&b", "a>b", "a<b",
                          "a#b", "a{b", "a:b", "a*b", "a\x01" "b", "a/b", "a%b", "a=b"}) {
    INFO("name " << bad);
    for (auto rule : {NameRule::resource_group, NameRule::virtual_network, NameRule::network_child, NameRule::identity,
                      NameRule::cluster, NameRule::k8s_label, NameRule::k8s_service, NameRule::k8s_subdomain,
                      NameRule::k8s_config_key, NameRule::k8s_port_name, NameRule::k8s_env_name})
      CHECK_FALSE(name_problem(rule, bad).empty());
  }
  // Control bytes are named, never echoed raw.
  CHECK(name_problem(NameRule::network_child, "a\nb").find("\\x0a") != std::string::npos);
}

TEST_CASE("Kubernetes naming rules", "[checks][names]") {
  using egress::model::name_problem;
  CHECK(name_problem(NameRule::k8s_label, "store-front").empty());
  CHECK_FALSE(name_problem(NameRule::k8s_label, "Store").empty());
  CHECK_FALSE(name_problem(NameRule::k8s_label, std::string(64, 'a')).empty());
  CHECK_FALSE(name_problem(NameRule::k8s_label, "a.b").empty());
  CHECK(name_problem(NameRule::k8s_service, "store-front").empty());
  CHECK_FALSE(name_problem(NameRule::k8s_service, "1store").empty());  // RFC 1035: starts with a letter
  CHECK(name_problem(NameRule::k8s_subdomain, "rabbitmq-enabled-plugins").empty());
  CHECK(name_problem(NameRule::k8s_subdomain, "a.b-c.d").empty());
  CHECK_FALSE(name_problem(NameRule::k8s_subdomain, "a..b").empty());
  CHECK_FALSE(name_problem(NameRule::k8s_subdomain, "a.-b").empty());
  CHECK(name_problem(NameRule::k8s_config_key, "enabled_plugins").empty());
  CHECK(name_problem(NameRule::k8s_config_key, ".env").empty());
  CHECK_FALSE(name_problem(NameRule::k8s_config_key, "..").empty());
  CHECK(name_problem(NameRule::k8s_port_name, "amqp").empty());
  CHECK(name_problem(NameRule::k8s_port_name, "port-80").empty());
  CHECK_FALSE(name_problem(NameRule::k8s_port_name, "8080").empty());         // needs a letter
  CHECK_FALSE(name_problem(NameRule::k8s_port_name, "a--b").empty());
  CHECK_FALSE(name_problem(NameRule::k8s_port_name, "management-https").empty());  // 15 characters at most
  CHECK(name_problem(NameRule::k8s_env_name, "ORDER_QUEUE_HOSTNAME").empty());
  CHECK_FALSE(name_problem(NameRule::k8s_env_name, "1VAR").empty());
}

TEST_CASE("FQDN and wildcard syntax", "[checks][fqdn]") {
  using egress::model::fqdn_problem;
  for (const char* good : {"ntp.ubuntu.com", "mcr-0001.mcr-msedge.net", "localhost", "ghcr.io", "a.b.c.d.e"})
    CHECK(fqdn_problem(good, false).empty());
  for (const char* good : {"*.hcp.eastus.azmk8s.io", "*", "*.example.com", "store.example.com"})
    CHECK(fqdn_problem(good, true).empty());
  for (const char* bad : {"", ".example.com", "example.com.", "a..b", "-a.com", "a-.com", "a_b.com", "a b.com",
                          "exa$mple.com"})
    CHECK_FALSE(fqdn_problem(bad, true).empty());
  for (const char* bad : {"*.example.com", "*", "a*.example.com"}) CHECK_FALSE(fqdn_problem(bad, false).empty());
  for (const char* bad : {"www.*.com", "a*.example.com", "**.example.com", "*.*.example.com"})
    CHECK_FALSE(fqdn_problem(bad, true).empty());
  CHECK_FALSE(fqdn_problem(std::string(64, 'a') + ".com", false).empty());
  CHECK(fqdn_problem(std::string(63, 'a') + ".com", false).empty());
  std::string long_name;
  while (long_name.size() < 260) long_name += "abcdefghi.";
  long_name += "com";
  CHECK_FALSE(fqdn_problem(long_name, false).empty());
}

TEST_CASE("did-you-mean picks the closest name, ignoring case", "[checks][names]") {
  const std::set<std::string, std::less<>> tags = {"AzureCloud", "AzureKubernetesService", "Storage", "Sql"};
  CHECK(egress::model::closest_name("AzureClod", tags) == "AzureCloud");
  CHECK(egress::model::closest_name("azurecloud", tags) == "AzureCloud");
  CHECK(egress::model::closest_name("AzureKubernetesServices", tags) == "AzureKubernetesService");
  CHECK(egress::model::closest_name("Completely", tags).empty());
}

// ---------------------------------------------------------------------------------------------- shadowing

TEST_CASE("a rule covered by one earlier rule is shadowed", "[checks][shadow]") {
  auto col = network_collection({
      net({P::tcp}, {"10.42.0.0/16"}, {"10.60.0.0/16"}, {{1, 1024}}),
      net({P::tcp}, {"10.42.1.0/24"}, {"10.60.1.0/24"}, {{443, 443}}),  // inside rule 0
      net({P::tcp}, {"10.42.1.0/24"}, {"10.60.1.0/24"}, {{8080, 8080}}),  // port outside
      net({P::udp}, {"10.42.1.0/24"}, {"10.60.1.0/24"}, {{53, 53}}),  // protocol outside
      net({P::tcp}, {"10.43.1.0/24"}, {"10.60.1.0/24"}, {{443, 443}}),  // source outside
  });
  auto s = egress::model::shadowed_rules(col);
  REQUIRE(s.size() == 1);
  CHECK(s[0].rule == 1);
  CHECK(s[0].by == std::vector<std::size_t>{0});
}

TEST_CASE("wildcards, `any`, regional service tags and parent FQDN wildcards cover", "[checks][shadow]") {
  auto col = network_collection({
      net({P::any}, {"*"}, {"AzureCloud"}, {{443, 443}}),
      net({P::tcp}, {"10.42.1.0/24"}, {"AzureCloud.eastus"}, {{443, 443}}),  // any protocol, * source, global tag
      net({P::tcp}, {"*"}, {"AzureCloud.eastus"}, {{9000, 9000}}),
      net({P::tcp, P::udp}, {"*"}, {"*"}, {{1, 65535}}),
      net({P::udp}, {"*"}, {"ntp.ubuntu.com"}, {{123, 123}}),  // after `* -> *`
  });
  auto s = egress::model::shadowed_rules(col);
  REQUIRE(s.size() == 2);
  CHECK(s[0].rule == 1);
  CHECK(s[1].rule == 4);
  CHECK(s[1].by == std::vector<std::size_t>{3});

  sema::RuleCollection apps;
  apps.kind = sema::CollectionKind::application;
  apps.application_rules = {app({{A::https, 443}}, {"*.example.com"}), app({{A::https, 443}}, {"a.b.example.com"}),
                            app({{A::http, 80}}, {"a.b.example.com"}), app({{A::https, 443}}, {"example.com"})};
  auto t = egress::model::shadowed_rules(apps);
  REQUIRE(t.size() == 1);  // the wildcard covers subdomains at any depth, not the apex, and not HTTP
  CHECK(t[0].rule == 1);
}

TEST_CASE("several earlier rules together can shadow a rule, each is named", "[checks][shadow]") {
  auto col = network_collection({
      net({P::tcp}, {"*"}, {"10.60.0.0/16"}, {{1, 1000}}),
      net({P::tcp}, {"10.42.0.0/16"}, {"10.60.0.0/16"}, {{1001, 2000}}),
      net({P::tcp}, {"10.42.1.0/24"}, {"10.60.1.0/24"}, {{500, 1500}}),
      net({P::tcp}, {"10.42.1.0/24"}, {"10.60.1.0/24"}, {{500, 2500}}),  // 2001-2500 uncovered
  });
  auto s = egress::model::shadowed_rules(col);
  REQUIRE(s.size() == 1);
  CHECK(s[0].rule == 2);
  CHECK(s[0].by == std::vector<std::size_t>{0, 1});
}

TEST_CASE("a rule is shadowed only when all its sources and destinations are covered", "[checks][shadow]") {
  auto col = network_collection({
      net({P::tcp}, {"10.42.1.0/24"}, {"10.60.0.0/16"}, {{443, 443}}),
      net({P::tcp}, {"10.42.1.0/24", "10.42.2.0/24"}, {"10.60.1.0/24"}, {{443, 443}}),
      net({P::tcp}, {"10.42.1.0/24"}, {"10.60.1.0/24", "10.61.0.1"}, {{443, 443}}),
      net({P::tcp}, {"10.42.1.7"}, {"10.60.1.0/24"}, {{443, 443}}),
  });
  auto s = egress::model::shadowed_rules(col);
  REQUIRE(s.size() == 1);
  CHECK(s[0].rule == 3);
}

namespace {

sema::RuleCollection many(std::size_t n, const std::function<sema::NetworkRule(std::size_t)>& make) {
  std::vector<sema::NetworkRule> rules;
  rules.reserve(n);
  for (std::size_t i = 0; i < n; ++i) rules.push_back(make(i));
  return network_collection(std::move(rules));
}

std::string address(std::size_t n) {
  return "10." + std::to_string(100 + n / 65536 % 100) + "." + std::to_string(n / 256 % 256) + "." +
         std::to_string(n % 256);
}

}  // namespace

// The shapes that once made the index slow, each at 50,000 and 100,000 rules: the work must grow linearly.
TEST_CASE("the shadowing index stays linear on 100,000 rules", "[checks][shadow][slow]") {
  // Distinct destinations (the benchmark's shape): nothing is shadowed.
  const auto distinct = [](std::size_t n) {
    return many(n, [](std::size_t i) {
      return net({P::tcp}, {"10.42.1.0/24"}, {address(i)}, {{static_cast<int>(1 + i % 60000), static_cast<int>(1 + i % 60000)}});
    });
  };
  // One destination, a different port each: one atom whose port map grows to 100,000 pieces.
  const auto ports = [](std::size_t n) {
    return many(n, [](std::size_t i) {
      const int p = static_cast<int>(1 + (i * 2) % 65534);
      return net({P::tcp}, {"*"}, {"10.60.0.1"}, {{p, p}});
    });
  };
  // Everything after a first `* -> *` rule is shadowed by it.
  const auto open = [](std::size_t n) {
    return many(n, [](std::size_t i) {
      if (i == 0) return net({P::any}, {"*"}, {"*"}, {{1, 65535}});
      return net({P::tcp}, {address(i) + "/32"}, {address(i * 7) + "/32"}, {{443, 443}});
    });
  };
  // Wide rules over many narrow ones (each query meets many pieces; bounded per query).
  const auto wide = [](std::size_t n) {
    return many(n, [](std::size_t i) {
      if (i % 2 == 0) {
        const int p = static_cast<int>(1 + i % 60000);
        return net({P::tcp}, {"*"}, {"10.60.0.1"}, {{p, p}});
      }
      return net({P::tcp}, {"*"}, {"10.60.0.1"}, {{1, 60000}});
    });
  };
  // Each shape at 50,000, 75,000 and 100,000 rules: the second 25,000 rules may cost at most 1.2 times the
  // first (quadratic work gives 1.4, n log n 1.03). Equal steps rather than the ratio of n and 2n, because
  // the ports shape changes regime at 32,767 rules (from adding pieces to finding rules covered): its work is
  // linear with a negative intercept, and the n-to-2n ratio of such a line passes 2.2 without anything being
  // worse than linear.
  constexpr std::size_t sizes[3] = {50000, 75000, 100000};
  std::vector<egress::model::Shadowed> s;
  std::uint64_t work[4][3] = {};
  const std::function<sema::RuleCollection(std::size_t)> shapes[4] = {distinct, ports, open, wide};
  for (int shape = 0; shape < 4; ++shape)
    for (int k = 0; k < 3; ++k) {
      const auto n = sizes[k];
      const auto rules = shapes[shape](n);
      work[shape][k] = steps([&] { s = egress::model::shadowed_rules(rules); });
      if (shape == 0) CHECK(s.empty());
      if (shape == 1) CHECK(s.size() == n - 32767);  // ports repeat after 32,767 rules
      if (shape == 2) CHECK(s.size() == n - 1);
    }
  for (int shape = 0; shape < 4; ++shape) {
    INFO("shape " << shape << ": " << work[shape][0] << ", " << work[shape][1] << " and " << work[shape][2]
                  << " steps for 50,000, 75,000 and 100,000 rules");
    const auto first = work[shape][1] - work[shape][0], second = work[shape][2] - work[shape][1];
    CHECK(work[shape][0] < work[shape][1]);
    CHECK(work[shape][1] < work[shape][2]);
    CHECK(static_cast<double>(second) <= 1.2 * static_cast<double>(first));
  }
}

// ---------------------------------------------------------------------------------------------- on programs

TEST_CASE("the article earns none of the network-model diagnostics", "[checks][article]") {
  const auto text = testing::slurp(testing::source_dir() + "/examples/aks-egress/main.egress");
  REQUIRE(text.has_value());
  auto e = elaborate(*text);  // `import aks` is not followed: its flows are checked elsewhere
  REQUIRE_FALSE(e->diags.has_errors());
  Diagnostics diags;
  run_checks(*e, diags);
  std::string rendered;
  for (const auto& d : diags.all()) rendered += render(d, e->sources);
  CHECK(rendered.empty());
}

TEST_CASE("service tags and FQDN tags where Azure takes none are bad values", "[checks][rules]") {
  const auto codes = check_ids(kBase + R"(
firewall fw <
  network web priority 200 < allow a tcp AzureCloud -> 10.60.0.0/16 : 443 >
  application apps priority 200 < allow b https:443 * -> AzureKubernetesService, 10.0.0.0/8, vnet.aks >
>
)");
  CHECK(count(codes, "E0106") == 4);
}

TEST_CASE("a DNAT to a ClusterIP service is reported at the rule", "[checks][dnat]") {
  // (Through the whole pipeline the network graph must also cope with it; here only check_dnat runs.)
  auto e = elaborate(R"(
group rg "rg" in eastus
vnet vnet "vnet" 10.42.0.0/16 < subnet aks "aks" 10.42.1.0/24; subnet AzureFirewallSubnet 10.42.2.0/24 >
public_ip fwpip "fwpip"
firewall fw "fw" in vnet.AzureFirewallSubnet < frontend fwpip "cfg"; dnat 80 -> service "web" >
cluster aks "aks" in vnet.aks
app store on aks < service "web" port 80 -> 8080 >
)");
  REQUIRE_FALSE(e->diags.has_errors());
  Diagnostics diags;
  egress::model::check_dnat(e->program, diags);  // the whole pipeline would also build the network graph
  REQUIRE(ids(diags) == std::vector<std::string>{"E0237"});
  CHECK(diags.all()[0].notes.size() == 2);
}

TEST_CASE("the DNS service IP may not be the service CIDR's first address", "[checks][cluster]") {
  const auto codes = check_ids(kBase + R"(
vnet vnet < subnet batch "batch-subnet" 10.42.4.0/24 < route_table fwrt > >
cluster batch "batch" in vnet.batch < nodes 1; outbound user_defined_routing; service_cidr 10.100.0.0/16; dns_service_ip 10.100.0.0 >
)");
  CHECK(count(codes, "E0250") == 1);
  // A service CIDR without a DNS IP: the default 10.0.0.10 lies outside it.
  const auto defaulted = check_ids(kBase + R"(
vnet vnet < subnet batch "batch-subnet" 10.42.4.0/24 < route_table fwrt > >
cluster batch "batch" in vnet.batch < nodes 1; outbound user_defined_routing; service_cidr 10.100.0.0/16 >
)");
  CHECK(count(defaulted, "E0250") == 1);
}

TEST_CASE("FQDNs in network rules need the DNS proxy once per firewall, with a fix-it", "[checks][rules]") {
  auto e = elaborate(R"(
group rg "rg" in eastus
vnet vnet "vnet" 10.42.0.0/16 < subnet AzureFirewallSubnet 10.42.2.0/24 >
public_ip fwpip "fwpip"
firewall fw "fw" in vnet.AzureFirewallSubnet <
  frontend fwpip "cfg"
  network n priority 100 < allow a udp * -> "ntp.ubuntu.com" : 123; allow b tcp * -> "ghcr.io" : 443 >
>
)");
  REQUIRE_FALSE(e->diags.has_errors());
  Diagnostics diags;
  egress::model::check_rules(e->program, e->catalog, diags);
  REQUIRE(ids(diags) == std::vector<std::string>{"E0228"});
  const auto& d = diags.all()[0];
  REQUIRE(d.fixits.size() == 1);
  CHECK(d.fixits[0].span.length == 0);
  CHECK(d.fixits[0].replacement.rfind("dns_proxy on", 0) == 0);
  CHECK(e->sources.slice(Span{d.fixits[0].span.file, d.fixits[0].span.offset, 8}) == "frontend");
}

TEST_CASE("missing firewall IPs are appended to the authorized ranges by a fix-it", "[checks][cluster]") {
  auto e = elaborate(R"(
group rg "rg" in eastus
vnet vnet "vnet" 10.42.0.0/16 < subnet aks "aks" 10.42.1.0/24 < route_table rt >; subnet AzureFirewallSubnet 10.42.2.0/24 >
public_ip a "a"
public_ip b "b"
firewall fw "fw" in vnet.AzureFirewallSubnet < frontend a "ca"; frontend b "cb" >
route_table rt "rt" < route d "d" 0.0.0.0/0 -> fw >
cluster aks "aks" in vnet.aks < outbound user_defined_routing; api_server_authorized a >
)");
  REQUIRE_FALSE(e->diags.has_errors());
  Diagnostics diags;
  egress::model::check_clusters(e->program, diags);
  REQUIRE(ids(diags) == std::vector<std::string>{"E0242"});
  const auto& d = diags.all()[0];
  REQUIRE(d.fixits.size() == 1);
  CHECK(d.fixits[0].replacement == ", b");
  CHECK(e->sources.slice(Span{d.fixits[0].span.file, d.fixits[0].span.offset - 1, 1}) == "a");
}

TEST_CASE("names with parameters are checked with their defaults, and skipped without", "[checks][names]") {
  const auto with_default = check_ids(kBase + R"(
param bad: string = "bad name"
public_ip extra bad
)");
  CHECK(count(with_default, "E0224") == 1);
  const auto without = check_ids(kBase + R"(
param later: string
public_ip extra "pip-${later}"
)");
  CHECK(count(without, "E0224") == 0);
}

TEST_CASE("the checks of this area stay linear on a program of 100,000 rules", "[checks][slow]") {
  std::uint64_t work[2] = {};
  for (int half = 0; half < 2; ++half) {
    auto e = elaborate(egress::bench::many_rules(half == 0 ? 50000 : 100000));  // the benchmark's program
    REQUIRE_FALSE(e->diags.has_errors());
    Diagnostics diags;
    work[half] = steps([&] { run_checks(*e, diags); });
    if (half == 0) continue;
    // 100,000 distinct destinations are more source/destination pairs than Azure Firewall takes: one W0212.
    REQUIRE(ids(diags) == std::vector<std::string>{"W0212"});
    CHECK(diags.all()[0].message.find("rule `r20000` brings the count") != std::string::npos);
  }
  INFO(work[0] << " steps for 50,000 rules, " << work[1] << " for 100,000");
  CHECK(grows_linearly(work[0], work[1]));
}

TEST_CASE("an FQDN tag that is also a service tag gets a fix-it dropping `tag`", "[checks][rules]") {
  auto e = elaborate(kBase + R"(
firewall fw < network backup priority 200 < allow b tcp * -> tag AzureBackup : 443 > >
)");
  REQUIRE_FALSE(e->diags.has_errors());
  Diagnostics diags;
  egress::model::check_rules(e->program, e->catalog, diags);
  REQUIRE(ids(diags) == std::vector<std::string>{"E0230"});
  const auto& d = diags.all()[0];
  CHECK(e->sources.slice(d.span) == "tag AzureBackup");
  REQUIRE(d.fixits.size() == 1);
  CHECK(d.fixits[0].replacement == "AzureBackup");
}

TEST_CASE("service and FQDN tags in another case are reported with Azure's spelling", "[checks][rules]") {
  auto e = elaborate(kBase + R"(
firewall fw <
  network n priority 200 < allow a tcp * -> azurecloud.eastus : 443 >
  application a priority 200 < allow b https:443 * -> tag azurekubernetesservice >
>
)");
  REQUIRE_FALSE(e->diags.has_errors());
  Diagnostics diags;
  egress::model::check_rules(e->program, e->catalog, diags);
  REQUIRE(ids(diags) == std::vector<std::string>{"E0231", "E0232"});
  CHECK(diags.all()[0].message.find("spelled `AzureCloud.eastus`") != std::string::npos);
  CHECK(diags.all()[0].fixits.at(0).replacement == "AzureCloud.eastus");
  CHECK(diags.all()[1].message.find("spelled `AzureKubernetesService`") != std::string::npos);
}

// ---------------------------------------------------------------------------------------------- limits

namespace {

/// The diagnostics base with one collection of `count` network rules; rule i goes from 10.42.1.0/24 to
/// `destination(i)` on port 443.
std::string with_rules(std::size_t count, const std::function<std::string(std::size_t)>& destination) {
  std::string text = kBase + "firewall fw < network bulk priority 300 <\n";
  for (std::size_t i = 0; i < count; ++i)
    text += "  allow r" + std::to_string(i) + " tcp 10.42.1.0/24 -> " + destination(i) + " : 443\n";
  return text + "> >\n";
}

std::string host(std::size_t i) { return "192.0." + std::to_string(i / 256) + "." + std::to_string(i % 256); }

}  // namespace

TEST_CASE("W0212 sums the published count over the network rules of a firewall", "[checks][limits]") {
  // "Azure Firewall limits": protocols x sources x destinations x ceil(destination ports / 14) per rule. The base's
  // three network rules count 1 each.
  const auto w0212 = [](const std::vector<std::string>& found) { return std::count(found.begin(), found.end(), "W0212"); };
  SECTION("3 + 19,997 rules of one combination each: 20,000, no warning") {
    CHECK(w0212(check_ids(with_rules(19997, host))) == 0);
  }
  SECTION("20,001: one warning, at the rule that passes the limit") {
    auto e = elaborate(with_rules(19998, host));
    REQUIRE_FALSE(e->diags.has_errors());
    Diagnostics diags;
    egress::model::check_limits(e->program, diags);
    REQUIRE(ids(diags) == std::vector<std::string>{"W0212"});
    CHECK(diags.all()[0].message.find("rule `r19997` brings the count of combinations to 20,001, past 20,000") !=
          std::string::npos);
  }
  SECTION("the same pair in 20,000 rules counts once per rule, as the formula is per rule") {
    // check_limits alone: the 19,999 W0203 (shadowed rules) of the full checks would crowd the output.
    auto e = elaborate(with_rules(20000, [](std::size_t) { return std::string("192.0.2.1"); }));
    REQUIRE_FALSE(e->diags.has_errors());
    Diagnostics diags;
    egress::model::check_limits(e->program, diags);
    CHECK(ids(diags) == std::vector<std::string>{"W0212"});
  }
}

namespace {

/// The base with one rule: `protocols` from 10.42.1.0/24 to `destinations` hosts on `ports`.
std::string one_wide_rule(const std::string& protocols, std::size_t destinations, const std::string& ports) {
  std::string list;
  for (std::size_t i = 0; i < destinations; ++i) list += (i == 0 ? "" : ", ") + host(i);
  return kBase + "firewall fw < network wide priority 300 <\n  allow w " + protocols + " 10.42.1.0/24 -> " + list +
         " : " + ports + "\n> >\n";
}

}  // namespace

TEST_CASE("W0212 counts protocols and destination ports in groups of 14, as the limits page does", "[checks][limits]") {
  const auto w0212 = [](const std::vector<std::string>& found) { return std::count(found.begin(), found.end(), "W0212"); };
  const std::string fifteen_ports = "80, 443, 8000, 8001, 8002, 8003, 8004, 8005, 8006, 8007, 8008, 8009, 8010, 8011, 8012";
  // 15 ports make 2 groups: 9,998 destinations x 2 = 19,996, + 3 = 19,999.
  CHECK(w0212(check_ids(one_wide_rule("tcp", 9998, fifteen_ports))) == 0);
  // 9,999 x 2 = 19,998, + 3 = 20,001: counted as pairs (the old rule) it was only 9,999.
  CHECK(w0212(check_ids(one_wide_rule("tcp", 9999, fifteen_ports))) == 1);
  // 14 ports are one group.
  CHECK(w0212(check_ids(one_wide_rule("tcp", 9999, "80, 443, 8000, 8001, 8002, 8003, 8004, 8005, 8006, 8007, 8008, "
                                                    "8009, 8010, 8011"))) == 0);
  // Two protocols double the count.
  CHECK(w0212(check_ids(one_wide_rule("tcp, udp", 9998, "53"))) == 0);
  CHECK(w0212(check_ids(one_wide_rule("tcp, udp", 9999, "53"))) == 1);
}
