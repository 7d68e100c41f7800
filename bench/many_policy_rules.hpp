// The benchmark's Firewall Policy program, shared with the tests that count its work (tests/unit/
// policy_perf_test.cpp): the article's network, a base policy and a child policy holding `rules` rules in
// rule collection groups of 200 (100 groups for 20,000 rules), IP groups, and two firewalls using the child.
// Everything scales with `rules`, so that twice the rules is twice the program.
#pragma once
#include <cstddef>
#include <string>

namespace egress::bench {

/// Rules per rule collection group: 100 network rules, then 100 application rules.
inline constexpr std::size_t kPolicyRulesPerGroup = 200;

/// The rule collection groups that hold `rules` rules.
inline std::size_t policy_groups(std::size_t rules) { return (rules + kPolicyRulesPerGroup - 1) / kPolicyRulesPerGroup; }

/// The program: the article's network and a second firewall's VNet; one IP group per rule collection group
/// (a /32 each) besides `nodes` (the cluster's subnet); the base policy `platform` with the AKS required
/// rules (stdlib) and the first tenth of the groups; the child `apps` (DNS proxy on: some network rules
/// name FQDNs) with the rest; two firewalls using `apps`. Every rule has its own destination and port, so
/// nothing is shadowed. Network rule r: TCP when r is even else UDP; the source is `nodes`, an IP group or
/// the subnet's prefix in turn; the destination a public address in 198.18.0.0/15 (the benchmarking range:
/// Azure drops traffic to 10/8 outside the VNet with a system route, so such rules would never be reached),
/// every 10th an IP group and every 10th (offset 5) an FQDN. Application rule r: HTTPS to its own FQDN, every 5th HTTP and HTTPS to a wildcard and a name.
inline std::string policy_rules(std::size_t rules) {
  const std::size_t groups = policy_groups(rules);
  const std::size_t base_groups = groups / 10;  // the base policy's share
  std::string s = R"(import aks
param location: region = eastus
param prefix: string = "bench"
group rg "${prefix}-rg" in location
vnet vnet "${prefix}-vnet" 10.42.0.0/16 <
  subnet aks 10.42.1.0/24 < route_table fwrt >
  subnet AzureFirewallSubnet 10.42.2.0/24
>
vnet hub2 "${prefix}-hub2" 10.43.0.0/16 < subnet AzureFirewallSubnet 10.43.2.0/24 >
public_ip fwpip < sku standard >
public_ip fwpip2 < sku standard >
route_table fwrt < route fwrn 0.0.0.0/0 -> fw >
ip_group nodes vnet.aks
)";
  s.reserve(rules * 90 + 4096);
  for (std::size_t g = 0; g < groups; ++g)
    s += "ip_group ipg" + std::to_string(g) + " 10.60." + std::to_string(g / 250) + "." + std::to_string(g % 250 + 1) + "\n";
  const auto source = [](std::size_t r) -> std::string {
    switch (r % 3) {
      case 0: return "nodes";
      case 1: return "ipg" + std::to_string(r / kPolicyRulesPerGroup);
      default: return "10.42.1.0/24";
    }
  };
  const auto group = [&](std::size_t g) {
    s += "  rule_group g" + std::to_string(g) + " priority " + std::to_string(1000 + g) + " <\n";
    s += "    network n" + std::to_string(g) + " priority 100 <\n";
    const std::size_t first = g * kPolicyRulesPerGroup;
    for (std::size_t r = first; r < rules && r < first + kPolicyRulesPerGroup / 2; ++r) {
      const auto n = static_cast<unsigned>(r);
      std::string destination;
      if (r % 10 == 0)
        destination = "ipg" + std::to_string((g + 1) % groups);
      else if (r % 10 == 5)
        destination = "\"n" + std::to_string(r) + ".fqdn.example.net\"";
      else
        destination = "198." + std::to_string(18 + n / 65536 % 2) + "." + std::to_string(n / 256 % 256) + "." + std::to_string(n % 256);
      s += "      allow r" + std::to_string(r) + (r % 2 == 0 ? " tcp " : " udp ") + source(r) + " -> " + destination + " : " +
           std::to_string(1 + n % 60000) + "\n";
    }
    s += "    >\n    application a" + std::to_string(g) + " priority 200 <\n";
    for (std::size_t r = first + kPolicyRulesPerGroup / 2; r < rules && r < first + kPolicyRulesPerGroup; ++r) {
      const auto id = std::to_string(r);
      if (r % 5 == 0)
        s += "      allow r" + id + " http:80, https:443 " + source(r) + " -> \"*.w" + id + ".example.org\", \"x" + id + ".example.org\"\n";
      else
        s += "      allow r" + id + " https:443 " + source(r) + " -> \"a" + id + ".example.com\"\n";
    }
    s += "    >\n  >\n";
  };
  s += "firewall_policy platform \"${prefix}-platform\" <\n  rule_group aks priority 200 <\n    use aks_required aks\n    use aks_recommended aks priority 300\n  >\n";
  for (std::size_t g = 0; g < base_groups; ++g) group(g);
  s += ">\nfirewall_policy apps \"${prefix}-apps\" <\n  base platform\n  dns_proxy on\n";
  for (std::size_t g = base_groups; g < groups; ++g) group(g);
  s += R"(>
firewall fw in vnet.AzureFirewallSubnet <
  policy apps
  frontend fwpip
>
firewall fw2 in hub2.AzureFirewallSubnet <
  policy apps
  frontend fwpip2
>
cluster aks in vnet.aks < outbound user_defined_routing >
)";
  return s;
}

}  // namespace egress::bench
