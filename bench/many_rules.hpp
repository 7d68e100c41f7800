// The benchmark's program, shared with the tests that check its figures stay linear
// (tests/unit/checks_test.cpp): the article's network and `rules` network rules, each to its own address
// and port, in collections of 1,000.
#pragma once
#include <cstddef>
#include <string>

namespace egress::bench {

/// The article's network with `rules` extra network rules in collections of 1000.
inline std::string many_rules(std::size_t rules) {
  std::string s = R"(param location: region = eastus
param prefix: string = "bench"
group rg "${prefix}-rg" in location
vnet vnet "${prefix}-vnet" 10.42.0.0/16 <
  subnet aks 10.42.1.0/24 < route_table fwrt >
  subnet AzureFirewallSubnet 10.42.2.0/24
>
public_ip fwpip < sku standard >
route_table fwrt < route fwrn 0.0.0.0/0 -> fw >
firewall fw in vnet.AzureFirewallSubnet <
  dns_proxy on
  frontend fwpip
)";
  s.reserve(rules * 80);
  for (std::size_t c = 0; c * 1000 < rules; ++c) {
    s += "  network c" + std::to_string(c) + " priority " + std::to_string(200 + c) + " <\n";
    for (std::size_t r = c * 1000; r < rules && r < (c + 1) * 1000; ++r) {
      const auto n = static_cast<unsigned>(r);
      s += "    allow r" + std::to_string(r) + " tcp 10.42.1.0/24 -> 10." + std::to_string(100 + n / 65536 % 100) + "." +
           std::to_string(n / 256 % 256) + "." + std::to_string(n % 256) + " : " + std::to_string(1 + n % 60000) + "\n";
    }
    s += "  >\n";
  }
  s += "  application aksfwar priority 100 < allow fqdn http:80, https:443 * -> tag AzureKubernetesService >\n>\n";
  s += "cluster aks in vnet.aks < outbound user_defined_routing >\n";
  return s;
}

}  // namespace egress::bench
