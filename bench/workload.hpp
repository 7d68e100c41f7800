// Workload W(N) of issue 14, in the three forms the whole-process benchmark needs: the egress program, the
// same rules as JSON data, and the jsonnet template that turns that data into the ARM resource of the
// firewall (the peer egressc is compared with). bench/gen_workload writes them; bench/process_bench
// --workload times egressc and jsonnet on them.
//
// W(N): the article's topology (examples/aks-egress without its apps: group, VNet, the two subnets, the
// firewall's public IP and route table, the firewall with its application collection, the cluster) plus N
// network rules in the one firewall. Rule i is named r<i>, TCP when i is even else UDP, source 10.42.1.0/24,
// destination 198.18.<(i/256)%256>.<i%256>/32, port 1024 + i % 60000, allow; collections of 100 rules named
// w<k>, priorities 100, 101, ... The article's own network collection (priority 100) is left out: its
// priority is the first one W(N) uses, and its FQDN rules would make the peer's template a second program.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace egress::bench {

inline constexpr std::size_t kWorkloadRulesPerCollection = 100;

/// Rule i of W(N), the parts both forms print.
struct WorkloadRule {
  std::string name, protocol, destination;
  unsigned port = 0;
};

inline WorkloadRule workload_rule(std::size_t i) {
  return {"r" + std::to_string(i), i % 2 == 0 ? "tcp" : "udp",
          "198.18." + std::to_string(i / 256 % 256) + "." + std::to_string(i % 256) + "/32",
          static_cast<unsigned>(1024 + i % 60000)};
}

inline constexpr std::string_view kWorkloadSource = "10.42.1.0/24";

/// W(n) as an .egress program.
inline std::string workload_egress(std::size_t n) {
  std::string s = R"(// W()" + std::to_string(n) + R"() of issue 14, written by bench/gen_workload: the article's topology and )" +
                  std::to_string(n) + R"( network rules.
param location: region = eastus
param prefix: string = "aks-egress"

group rg "${prefix}-rg" in location

vnet vnet "${prefix}-vnet" 10.42.0.0/16 <
  subnet aks "aks-subnet" 10.42.1.0/24 < route_table fwrt >
  subnet AzureFirewallSubnet 10.42.2.0/24
>

public_ip fwpip "${prefix}-fwpublicip" < sku standard >

firewall fw "${prefix}-fw" in vnet.AzureFirewallSubnet <
  dns_proxy on
  frontend fwpip "${prefix}-fwconfig"
  application aksfwar priority 100 <
    allow fqdn http:80, https:443 * -> tag AzureKubernetesService
  >
)";
  s.reserve(s.size() + n * 64);
  for (std::size_t c = 0; c * kWorkloadRulesPerCollection < n; ++c) {
    s += "  network w" + std::to_string(c) + " priority " + std::to_string(100 + c) + " <\n";
    for (std::size_t i = c * kWorkloadRulesPerCollection; i < n && i < (c + 1) * kWorkloadRulesPerCollection; ++i) {
      const auto r = workload_rule(i);
      s += "    allow " + r.name + " " + r.protocol + " " + std::string(kWorkloadSource) + " -> " + r.destination +
           " : " + std::to_string(r.port) + "\n";
    }
    s += "  >\n";
  }
  s += R"(>

route_table fwrt "${prefix}-fwrt" <
  route fwrn "${prefix}-fwrn" 0.0.0.0/0 -> fw
  route fwinternet "${prefix}-fwinternet" fwpip/32 -> internet
>

cluster aks prefix in vnet.aks <
  nodes 3
  network_plugin azure
  outbound user_defined_routing
  api_server_authorized fwpip
  identity system
  ssh generate
>
)";
  return s;
}

/// The rules of W(n) as JSON data, the input of kWorkloadJsonnet:
/// {"collections": [{"name": "w0", "priority": 100, "rules": [{"name": "r0", "protocol": "tcp",
/// "source": "10.42.1.0/24", "destination": "198.18.0.0/32", "port": 1024}, ...]}, ...]}
inline std::string workload_json(std::size_t n) {
  std::string s = "{\"collections\": [";
  s.reserve(n * 112);
  for (std::size_t c = 0; c * kWorkloadRulesPerCollection < n; ++c) {
    s += (c ? ",\n" : "\n") + std::string("{\"name\": \"w") + std::to_string(c) +
         "\", \"priority\": " + std::to_string(100 + c) + ", \"rules\": [";
    for (std::size_t i = c * kWorkloadRulesPerCollection; i < n && i < (c + 1) * kWorkloadRulesPerCollection; ++i) {
      const auto r = workload_rule(i);
      s += (i % kWorkloadRulesPerCollection ? ",\n" : "\n") + std::string("  {\"name\": \"") + r.name +
           "\", \"protocol\": \"" + r.protocol + "\", \"source\": \"" + std::string(kWorkloadSource) +
           "\", \"destination\": \"" + r.destination + "\", \"port\": " + std::to_string(r.port) + "}";
    }
    s += "]}";
  }
  s += "]}\n";
  return s;
}

/// The peer: a jsonnet function of the rules (`jsonnet --tla-code-file workload=RULES.json firewall.jsonnet`)
/// giving the firewall's resource exactly as egressc's ARM template has it. It does the work egressc does for
/// these rules: protocol names in capitals, a /32 destination as a bare address, the port as a string.
inline constexpr std::string_view kWorkloadJsonnet = R"(// The ARM resource of W(N)'s firewall from its rules as JSON data: the peer egressc is timed against
// (bench/process_bench --workload). Written by bench/gen_workload; see bench/workload.hpp.
function(workload)
  local prefixed(format) = "[format('" + format + "', parameters('prefix'))]";
  local host(address) =
    local n = std.length(address);
    if n > 3 && std.substr(address, n - 3, 3) == '/32' then std.substr(address, 0, n - 3) else address;
  local rule(r) = {
    name: r.name,
    protocols: [std.asciiUpper(r.protocol)],
    sourceAddresses: [r.source],
    destinationAddresses: [host(r.destination)],
    destinationPorts: [std.toString(r.port)],
  };
  {
    type: 'Microsoft.Network/azureFirewalls',
    apiVersion: '2025-07-01',
    name: prefixed('{0}-fw'),
    location: "[parameters('location')]",
    properties: {
      sku: { name: 'AZFW_VNet', tier: 'Standard' },
      threatIntelMode: 'Alert',
      additionalProperties: { 'Network.DNS.EnableProxy': 'true' },
      ipConfigurations: [{
        name: prefixed('{0}-fwconfig'),
        properties: {
          subnet: { id: "[resourceId('Microsoft.Network/virtualNetworks/subnets', format('{0}-vnet', parameters('prefix')), 'AzureFirewallSubnet')]" },
          publicIPAddress: { id: "[resourceId('Microsoft.Network/publicIPAddresses', format('{0}-fwpublicip', parameters('prefix')))]" },
        },
      }],
      networkRuleCollections: [
        { name: c.name, properties: { priority: c.priority, action: { type: 'Allow' }, rules: [rule(r) for r in c.rules] } }
        for c in workload.collections
      ],
      applicationRuleCollections: [{
        name: 'aksfwar',
        properties: {
          priority: 100,
          action: { type: 'Allow' },
          rules: [{
            name: 'fqdn',
            protocols: [{ protocolType: 'Http', port: 80 }, { protocolType: 'Https', port: 443 }],
            sourceAddresses: ['*'],
            fqdnTags: ['AzureKubernetesService'],
          }],
        },
      }],
    },
    dependsOn: [
      "[resourceId('Microsoft.Network/publicIPAddresses', format('{0}-fwpublicip', parameters('prefix')))]",
      "[resourceId('Microsoft.Network/virtualNetworks', format('{0}-vnet', parameters('prefix')))]",
    ],
  }
)";

}  // namespace egress::bench
