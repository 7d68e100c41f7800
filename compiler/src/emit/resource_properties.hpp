// The bodies of the resources that the ARM template and the Bicep file declare alike: public IPs, NAT gateways,
// route tables, virtual networks, IP groups, firewalls (with their rule collections), clusters and peerings. ARM JSON and
// Bicep are two spellings of one resource body: the same keys, in the same order, nested the same way; only
// a value is spelled differently (`"x"` or `'x'`, `"[resourceId(...)]"` or `symbol.id`). The walk is written
// here once so that the two templates cannot drift apart; each emitter supplies only how a value is spelled.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lower/ir.hpp"

namespace egress::emit {

/// The resource bodies, for an emitter `Target` that derives from ResourceProperties<Target> (and befriends
/// it) and provides:
///   writer()                           its writer: begin_object/end_object/begin_array/end_array, key(k)
///   put_literal(std::string_view s)    a string the deployment reads as exactly `s`
///   put_text(const ir::Text&)          a name that may hold parameters
///   put_number(std::int64_t), put_bool(bool)
///   put_address(const ir::Address&)    a literal address or a public IP's address
///   put_id(ir::Index)                  the resource id of a resource
///   put_subnet_id(const ir::SubnetRef&)
///   put_runtime_property(ir::Index, std::string_view p)   property `p` of a resource, known once it is deployed
///   id_key(ir::Index)                  a key that is a resource's id (userAssignedIdentities)
/// Each put_ function writes one value, id_key one key; the Bicep emitter also records the resources they
/// refer to, for dependsOn. The calls are resolved at compile time and nothing is built in between, so the
/// walk streams into the writer as the emitters did on their own (100,000 rules cost only their bytes).
template <class Target>
class ResourceProperties {
 protected:
  void public_ip(const ir::PublicIp& p) {
    if (!p.sku.empty()) {
      w().key("sku").begin_object();
      literal_field("name", p.sku);
      w().end_object();
    }
    if (!p.zones.empty()) literals("zones", p.zones);  // a top-level property of the resource, beside sku
    w().key("properties").begin_object();
    if (!p.allocation.empty()) literal_field("publicIPAllocationMethod", p.allocation);
    w().end_object();
  }

  void route_table(const ir::RouteTable& rt) {
    w().key("properties").begin_object();
    w().key("disableBgpRoutePropagation");
    self().put_bool(rt.disable_bgp_route_propagation);
    w().key("routes").begin_array();
    for (const auto& route : rt.routes) {
      w().begin_object();
      text_field("name", route.name);
      w().key("properties").begin_object();
      w().key("addressPrefix");
      self().put_address(route.prefix);
      literal_field("nextHopType", route.next_hop_type);
      if (!route.next_hop_ip.empty()) literal_field("nextHopIpAddress", route.next_hop_ip);
      w().end_object();
      w().end_object();
    }
    w().end_array();
    w().end_object();
  }

  // A subnet delegated to a service (the API server subnet of API Server VNet Integration), named after it.
  void subnet_delegation(const ir::Subnet& s) {
    if (s.delegation.empty()) return;
    w().key("delegations").begin_array().begin_object();
    literal_field("name", "delegation");
    w().key("properties").begin_object();
    literal_field("serviceName", s.delegation);
    w().end_object();
    w().end_object().end_array();
  }

  // Custom DNS servers, which every NIC of the VNet gets from DHCP (`az network vnet create --dns-servers`).
  void vnet_dns_servers(const ir::VirtualNetwork& v) {
    if (v.dns_servers.empty()) return;
    w().key("dhcpOptions").begin_object();
    literals("dnsServers", v.dns_servers);
    w().end_object();
  }

  // API Server VNet Integration: the API server's internal load balancer in a delegated subnet of the nodes' VNet.
  void api_server_vnet_integration(const ir::ManagedCluster& c) {
    if (!c.api_server_subnet) return;
    bool_field("enableVnetIntegration", true);
    w().key("subnetId");
    self().put_subnet_id(*c.api_server_subnet);
  }

  void virtual_network(const ir::VirtualNetwork& v) {
    w().key("properties").begin_object();
    w().key("addressSpace").begin_object();
    literals("addressPrefixes", v.address_prefixes);
    w().end_object();
    vnet_dns_servers(v);
    w().key("subnets").begin_array();
    for (const auto& s : v.subnets) {
      w().begin_object();
      text_field("name", s.name);
      w().key("properties").begin_object();
      literal_field("addressPrefix", s.prefix);
      if (s.route_table) id_object("routeTable", *s.route_table);
      if (s.nat_gateway) id_object("natGateway", *s.nat_gateway);
      subnet_delegation(s);
      w().end_object();
      w().end_object();
    }
    w().end_array();
    w().end_object();
  }

  void nat_gateway(const ir::NatGateway& g) {
    w().key("sku").begin_object();
    literal_field("name", "Standard");
    w().end_object();
    w().key("properties").begin_object();
    number_field("idleTimeoutInMinutes", g.idle_timeout_minutes);
    w().key("publicIpAddresses").begin_array();
    for (auto pip : g.public_ips) {
      w().begin_object();
      w().key("id");
      self().put_id(pip);
      w().end_object();
    }
    w().end_array();
    w().end_object();
  }

  void ip_group(const ir::IpGroup& g) {
    w().key("properties").begin_object();
    literals("ipAddresses", g.addresses);
    w().end_object();
  }

  void firewall_policy(const ir::FirewallPolicy& p) {
    if (p.identity) {  // TLS inspection reads the CA certificate from Key Vault with this identity
      w().key("identity").begin_object();
      literal_field("type", "UserAssigned");
      w().key("userAssignedIdentities").begin_object();
      self().id_key(*p.identity);
      w().begin_object().end_object();
      w().end_object();
      w().end_object();
    }
    w().key("properties").begin_object();
    if (p.base) id_object("basePolicy", *p.base);
    w().key("sku").begin_object();
    literal_field("tier", p.sku_tier);
    w().end_object();
    literal_field("threatIntelMode", p.threat_intel_mode);
    if (!p.threat_intel_allow_ips.empty() || !p.threat_intel_allow_fqdns.empty()) {
      w().key("threatIntelWhitelist").begin_object();
      if (!p.threat_intel_allow_ips.empty()) literals("ipAddresses", p.threat_intel_allow_ips);
      if (!p.threat_intel_allow_fqdns.empty()) literals("fqdns", p.threat_intel_allow_fqdns);
      w().end_object();
    }
    w().key("dnsSettings").begin_object();
    if (!p.dns_servers.empty()) literals("servers", p.dns_servers);
    bool_field("enableProxy", p.dns_proxy);
    w().end_object();
    if (!p.idps_mode.empty()) {
      w().key("intrusionDetection").begin_object();
      literal_field("mode", p.idps_mode);
      if (!p.idps_signatures.empty() || !p.idps_bypass.empty() || !p.idps_private_ranges.empty()) {
        w().key("configuration").begin_object();
        if (!p.idps_signatures.empty()) {
          w().key("signatureOverrides").begin_array();
          for (const auto& sig : p.idps_signatures) {
            w().begin_object();
            literal_field("id", sig.id);
            literal_field("mode", sig.mode);
            w().end_object();
          }
          w().end_array();
        }
        if (!p.idps_bypass.empty()) {
          w().key("bypassTrafficSettings").begin_array();
          for (const auto& b : p.idps_bypass) idps_bypass(b);
          w().end_array();
        }
        if (!p.idps_private_ranges.empty()) literals("privateRanges", p.idps_private_ranges);
        w().end_object();
      }
      w().end_object();
    }
    if (p.tls_secret_id) {
      w().key("transportSecurity").begin_object();
      w().key("certificateAuthority").begin_object();
      text_field("keyVaultSecretId", *p.tls_secret_id);
      text_field("name", p.tls_certificate_name);
      w().end_object();
      w().end_object();
    }
    w().end_object();
  }

  // One IDPS bypass rule: addresses and IP groups on each side, as a network rule has them.
  void idps_bypass(const ir::FirewallPolicy::Bypass& b) {
    w().begin_object();
    literal_field("name", b.name);
    literal_field("protocol", b.protocol);
    sources(b.sources, b.source_ip_groups);
    if (!b.destinations.empty() || b.destination_ip_groups.empty()) addresses("destinationAddresses", b.destinations);
    ids("destinationIpGroups", b.destination_ip_groups);
    literals("destinationPorts", b.destination_ports);
    w().end_object();
  }

  // The collections of a policy's group, in the order written. The rule bodies are the classic ones with the
  // policy's spelling: `ruleType`, `ipProtocols` for network and NAT rules, the action per collection.
  void rule_collection_group(const ir::RuleCollectionGroup& g) {
    w().key("properties").begin_object();
    number_field("priority", g.priority);
    w().key("ruleCollections").begin_array();
    for (const auto& c : g.collections) {
      switch (c.kind) {
        case ir::PolicyCollection::Kind::network:
          policy_collection(c.network, "FirewallPolicyFilterRuleCollection", [&](const ir::NetworkRule& r) {
            literal_field("ruleType", "NetworkRule");
            literals("ipProtocols", r.protocols);
            sources(r.sources, r.source_ip_groups);
            if (!r.destination_addresses.empty()) addresses("destinationAddresses", r.destination_addresses);
            ids("destinationIpGroups", r.destination_ip_groups);
            if (!r.destination_fqdns.empty()) literals("destinationFqdns", r.destination_fqdns);
            literals("destinationPorts", r.destination_ports);
          });
          break;
        case ir::PolicyCollection::Kind::application:
          policy_collection(c.application, "FirewallPolicyFilterRuleCollection", [&](const ir::ApplicationRule& r) {
            literal_field("ruleType", "ApplicationRule");
            application_protocols(r);
            sources(r.sources, r.source_ip_groups);
            if (!r.target_fqdns.empty()) literals("targetFqdns", r.target_fqdns);
            if (!r.fqdn_tags.empty()) literals("fqdnTags", r.fqdn_tags);
            if (!r.target_urls.empty()) texts("targetUrls", r.target_urls);
            if (!r.web_categories.empty()) texts("webCategories", r.web_categories);
            if (r.terminate_tls) bool_field("terminateTLS", true);
            if (!r.http_headers.empty()) {
              w().key("httpHeadersToInsert").begin_array();
              for (const auto& h : r.http_headers) {
                w().begin_object();
                text_field("headerName", h.name);
                text_field("headerValue", h.value);
                w().end_object();
              }
              w().end_array();
            }
          });
          break;
        case ir::PolicyCollection::Kind::nat:
          policy_collection(c.nat, "FirewallPolicyNatRuleCollection", [&](const ir::NatRule& r) {
            literal_field("ruleType", "NatRule");
            literals("ipProtocols", r.protocols);
            sources(r.sources, r.source_ip_groups);
            w().key("destinationAddresses").begin_array();
            self().put_address(r.destination);
            w().end_array();
            w().key("destinationPorts").begin_array();
            self().put_literal(r.destination_port);
            w().end_array();
            literal_field("translatedAddress", r.translated_address);
            literal_field("translatedPort", r.translated_port);
          });
          break;
      }
    }
    w().end_array();
    w().end_object();
  }

  void firewall(const ir::Firewall& fw) {
    if (!fw.zones.empty()) literals("zones", fw.zones);  // top-level, beside properties
    w().key("properties").begin_object();
    w().key("sku").begin_object();
    literal_field("name", "AZFW_VNet");
    if (!fw.sku_tier.empty()) literal_field("tier", fw.sku_tier);
    w().end_object();
    if (!fw.threat_intel_mode.empty()) literal_field("threatIntelMode", fw.threat_intel_mode);
    if (fw.policy) id_object("firewallPolicy", *fw.policy);
    if (fw.dns_proxy) {
      w().key("additionalProperties").begin_object();
      literal_field("Network.DNS.EnableProxy", "true");
      w().end_object();
    }
    w().key("ipConfigurations").begin_array();
    for (const auto& c : fw.ip_configurations) ip_configuration(c);
    w().end_array();
    if (fw.management) {
      w().key("managementIpConfiguration");
      ip_configuration(*fw.management);
    }
    collections("networkRuleCollections", fw.network_collections, [&](const ir::NetworkRule& r) {
      literals("protocols", r.protocols);
      sources(r.sources, r.source_ip_groups);
      if (!r.destination_addresses.empty()) addresses("destinationAddresses", r.destination_addresses);
      ids("destinationIpGroups", r.destination_ip_groups);
      if (!r.destination_fqdns.empty()) literals("destinationFqdns", r.destination_fqdns);
      literals("destinationPorts", r.destination_ports);
    });
    collections("applicationRuleCollections", fw.application_collections, [&](const ir::ApplicationRule& r) {
      application_protocols(r);
      sources(r.sources, r.source_ip_groups);
      if (!r.target_fqdns.empty()) literals("targetFqdns", r.target_fqdns);
      if (!r.fqdn_tags.empty()) literals("fqdnTags", r.fqdn_tags);
    });
    collections("natRuleCollections", fw.nat_collections, [&](const ir::NatRule& r) {
      literals("protocols", r.protocols);
      sources(r.sources, r.source_ip_groups);
      w().key("destinationAddresses").begin_array();
      self().put_address(r.destination);
      w().end_array();
      w().key("destinationPorts").begin_array();
      self().put_literal(r.destination_port);
      w().end_array();
      literal_field("translatedAddress", r.translated_address);
      literal_field("translatedPort", r.translated_port);
    });
    w().end_object();
  }

  void managed_cluster(const ir::ManagedCluster& c) {
    w().key("identity").begin_object();
    if (c.control_plane_identity) {
      literal_field("type", "UserAssigned");
      w().key("userAssignedIdentities").begin_object();
      self().id_key(*c.control_plane_identity);
      w().begin_object().end_object();
      w().end_object();
    } else {
      literal_field("type", "SystemAssigned");
    }
    w().end_object();

    w().key("properties").begin_object();
    if (!is_empty(c.kubernetes_version)) text_field("kubernetesVersion", c.kubernetes_version);
    text_field("dnsPrefix", c.dns_prefix);
    w().key("agentPoolProfiles").begin_array();
    for (const auto& pool : c.pools) agent_pool(pool);
    w().end_array();

    w().key("networkProfile").begin_object();
    if (!c.network_plugin.empty()) literal_field("networkPlugin", c.network_plugin);
    if (!c.network_plugin_mode.empty()) literal_field("networkPluginMode", c.network_plugin_mode);
    if (!c.outbound_type.empty()) literal_field("outboundType", c.outbound_type);
    if (!c.service_cidr.empty()) literal_field("serviceCidr", c.service_cidr);
    if (!c.dns_service_ip.empty()) literal_field("dnsServiceIP", c.dns_service_ip);
    if (!c.pod_cidr.empty()) literal_field("podCidr", c.pod_cidr);
    w().end_object();

    if (!c.authorized_ranges.empty() || c.private_cluster || c.api_server_subnet) {
      w().key("apiServerAccessProfile").begin_object();
      if (!c.authorized_ranges.empty()) addresses("authorizedIPRanges", c.authorized_ranges);
      if (c.private_cluster) bool_field("enablePrivateCluster", true);
      api_server_vnet_integration(c);
      w().end_object();
    }

    // Add-ons, by their addonProfiles keys (what `az aks create --enable-addons` sets).
    if (c.monitoring || c.keyvault_secrets || c.azure_policy) {
      w().key("addonProfiles").begin_object();
      if (c.keyvault_secrets) {
        w().key("azureKeyvaultSecretsProvider").begin_object();
        bool_field("enabled", true);
        w().end_object();
      }
      if (c.azure_policy) {
        w().key("azurepolicy").begin_object();
        bool_field("enabled", true);
        w().end_object();
      }
      if (c.monitoring) {
        w().key("omsagent").begin_object();
        bool_field("enabled", true);
        w().key("config").begin_object();
        text_field("logAnalyticsWorkspaceResourceID", c.monitoring_workspace);
        w().end_object();
        w().end_object();
      }
      w().end_object();
    }

    security_profile(c);

    if (c.kubelet_identity) {
      w().key("identityProfile").begin_object();
      w().key("kubeletidentity").begin_object();
      w().key("resourceId");
      self().put_id(*c.kubelet_identity);
      w().key("clientId");
      self().put_runtime_property(*c.kubelet_identity, "clientId");
      w().key("objectId");
      self().put_runtime_property(*c.kubelet_identity, "principalId");
      w().end_object();
      w().end_object();
    }
    w().end_object();
  }

  // One agentPoolProfiles[] entry. The implicit pool writes exactly the fields it always did; an explicit pool adds
  // what it declares (property names: the ARM schema of managedClusters 2026-05-01, ManagedClusterAgentPoolProfile).
  void agent_pool(const ir::AgentPool& p) {
    w().begin_object();
    literal_field("name", p.name);
    count_field("count", p.count);
    if (p.autoscale) {
      bool_field("enableAutoScaling", true);
      count_field("minCount", p.min_count);
      count_field("maxCount", p.max_count);
    }
    // vmSize is optional in agentPoolProfiles (the ARM schema requires only `name`): without it AKS picks the
    // size, as `az aks create` does without --node-vm-size.
    if (!is_empty(p.vm_size)) text_field("vmSize", p.vm_size);
    number_field("maxPods", p.max_pods);
    literal_field("mode", p.mode);
    literal_field("osType", p.os_type);
    if (!p.os_sku.empty()) literal_field("osSKU", p.os_sku);
    if (!p.zones.empty()) literals("availabilityZones", p.zones);
    if (!p.labels.empty()) {
      w().key("nodeLabels").begin_object();
      for (const auto& [k, v] : p.labels) literal_field(k, v);
      w().end_object();
    }
    if (!p.taints.empty()) literals("nodeTaints", p.taints);
    w().key("vnetSubnetID");
    self().put_subnet_id(p.subnet);
    w().end_object();
  }

  // securityProfile: Microsoft Defender for Containers (what `az aks create --enable-defender --defender-config`
  // sets). The workspace is required when Defender is on (sema/cluster_features.cpp).
  void security_profile(const ir::ManagedCluster& c) {
    if (!c.defender) return;
    w().key("securityProfile").begin_object();
    w().key("defender").begin_object();
    text_field("logAnalyticsWorkspaceResourceId", c.defender_workspace);
    w().key("securityMonitoring").begin_object();
    bool_field("enabled", true);
    w().end_object();
    w().end_object();
    w().end_object();
  }

  // The properties of one direction of a peering (where the peering itself is declared differs), with that side's
  // settings (sema/peering.hpp). allowGatewayTransit is written only when on: Azure's default is off.
  void peering_properties(const ir::VnetPeering& p) {
    w().key("properties").begin_object();
    id_object("remoteVirtualNetwork", p.remote_vnet);
    bool_field("allowVirtualNetworkAccess", p.allow_virtual_network_access);
    bool_field("allowForwardedTraffic", p.allow_forwarded_traffic);
    if (p.allow_gateway_transit) bool_field("allowGatewayTransit", true);
    bool_field("useRemoteGateways", p.use_remote_gateways);
    w().end_object();
  }

  // `key: {id: <resource id>}`, the way a property refers to another resource.
  void id_object(std::string_view key, ir::Index i) {
    w().key(key).begin_object();
    w().key("id");
    self().put_id(i);
    w().end_object();
  }

 private:
  // True when `t` writes nothing: no parameter and no literal text (an unset Kubernetes version).
  static bool is_empty(const ir::Text& t) {
    if (t.parts.empty()) return t.value.empty();
    for (const auto& p : t.parts)
      if (p.param || !p.text.empty()) return false;
    return true;
  }

  Target& self() { return static_cast<Target&>(*this); }
  auto& w() { return self().writer(); }

  void literal_field(std::string_view key, std::string_view s) {
    w().key(key);
    self().put_literal(s);
  }
  void text_field(std::string_view key, const ir::Text& t) {
    w().key(key);
    self().put_text(t);
  }
  void number_field(std::string_view key, std::int64_t n) {
    w().key(key);
    self().put_number(n);
  }
  void count_field(std::string_view key, const ir::Count& c) {
    w().key(key);
    self().put_count(c);
  }
  void bool_field(std::string_view key, bool b) {
    w().key(key);
    self().put_bool(b);
  }
  void texts(std::string_view key, const std::vector<ir::Text>& v) {
    w().key(key).begin_array();
    for (const auto& t : v) self().put_text(t);
    w().end_array();
  }
  void literals(std::string_view key, const std::vector<std::string>& v) {
    w().key(key).begin_array();
    for (const auto& s : v) self().put_literal(s);
    w().end_array();
  }
  void addresses(std::string_view key, const std::vector<ir::Address>& v) {
    w().key(key).begin_array();
    for (const auto& a : v) self().put_address(a);
    w().end_array();
  }

  /// A rule's sources: its addresses (left out when IP groups are its only sources), then its IP groups.
  void sources(const std::vector<ir::Address>& addrs, const std::vector<ir::Index>& groups) {
    if (!addrs.empty() || groups.empty()) addresses("sourceAddresses", addrs);
    ids("sourceIpGroups", groups);
  }

  /// The resource ids of IP groups; nothing when there are none (rules without groups stay as they were).
  void ids(std::string_view key, const std::vector<ir::Index>& v) {
    if (v.empty()) return;
    w().key(key).begin_array();
    for (auto i : v) self().put_id(i);
    w().end_array();
  }

  void application_protocols(const ir::ApplicationRule& r) {
    w().key("protocols").begin_array();
    for (const auto& p : r.protocols) {
      w().begin_object();
      literal_field("protocolType", p.type);
      number_field("port", p.port);
      w().end_object();
    }
    w().end_array();
  }

  // A collection of a policy's rule collection group: its type, then the classic collection's fields flat.
  template <class Rule, class Body>
  void policy_collection(const ir::Collection<Rule>& c, std::string_view type, Body body) {
    w().begin_object();
    literal_field("ruleCollectionType", type);
    literal_field("name", c.name);
    number_field("priority", c.priority);
    w().key("action").begin_object();
    literal_field("type", c.action == "Dnat" ? "DNAT" : c.action);
    w().end_object();
    rules(c.rules, body);
    w().end_object();
  }

  // A collection's rules: each its name, then what `body` writes.
  template <class Rule, class Body>
  void rules(const std::vector<Rule>& rs, Body body) {
    w().key("rules").begin_array();
    for (const auto& rule : rs) {
      w().begin_object();
      literal_field("name", rule.name);
      body(rule);
      w().end_object();
    }
    w().end_array();
  }

  // One IP configuration of a firewall: its name, the subnet (the first data configuration's and the management
  // one's) and the public IP.
  void ip_configuration(const ir::IpConfiguration& c) {
    w().begin_object();
    text_field("name", c.name);
    w().key("properties").begin_object();
    if (c.subnet) {
      w().key("subnet").begin_object();
      w().key("id");
      self().put_subnet_id(*c.subnet);
      w().end_object();
    }
    id_object("publicIPAddress", c.public_ip);
    w().end_object();
    w().end_object();
  }

  // A firewall's collections of one kind: `body` writes what a rule holds besides its name.
  template <class Rule, class Body>
  void collections(std::string_view key, const std::vector<ir::Collection<Rule>>& cs, Body body) {
    if (cs.empty()) return;
    w().key(key).begin_array();
    for (const auto& c : cs) {
      w().begin_object();
      literal_field("name", c.name);
      w().key("properties").begin_object();
      number_field("priority", c.priority);
      w().key("action").begin_object();
      literal_field("type", c.action);
      w().end_object();
      rules(c.rules, body);
      w().end_object();
      w().end_object();
    }
    w().end_array();
  }
};

}  // namespace egress::emit
