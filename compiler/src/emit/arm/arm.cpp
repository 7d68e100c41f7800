// The ARM emitter: one resource-group deploymentTemplate (schema 2019-04-01) from the IR, streamed as
// text through json::Writer. Resources keep the IR's creation order; every IR dependency becomes a
// `dependsOn` entry; ids go through resourceId(), a public IP's address through reference(). Role
// assignments are extension resources (`scope`, a guid() name); peerings are child resources declared at
// the top level ("<vnet>/<peering>").
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include "emit/api_versions.hpp"
#include "emit/arm/expression.hpp"
#include "emit/emit.hpp"
#include "emit/json_writer.hpp"

namespace egress::emit {

namespace {

using namespace arm_detail;

constexpr std::string_view schema_url = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
// The one agent pool the cluster is created with; `az aks create` names it the same way.
constexpr std::string_view system_pool_name = "nodepool1";

class ArmEmitter {
 public:
  ArmEmitter(const ir::Deployment& d, const EmitOptions& o, std::string& out)
      : d_(d), o_(o), w_(out), ids_(d.resources.size()), addresses_(d.resources.size()) {}

  void run() {
    w_.begin_object();
    w_.field("$schema", schema_url);
    w_.field("contentVersion", "1.0.0.0");
    metadata();
    parameters();
    w_.key("resources").begin_array();
    for (ir::Index i = 0; i < d_.resources.size(); ++i) resource(i);
    w_.end_array();
    w_.end_object();
  }

 private:
  // ---- values

  // A string ARM must read literally.
  void lit(std::string_view s) {
    if (needs_escape(s))
      w_.string(escape_literal(s));
    else
      w_.string(s);
  }
  void lit(std::string_view key, std::string_view s) {
    w_.key(key);
    lit(s);
  }
  void expr(const std::string& e) { w_.string("[" + e + "]"); }
  void expr(std::string_view key, const std::string& e) {
    w_.key(key);
    expr(e);
  }
  void text(const ir::Text& t) {
    if (t.is_literal() && t.parts.size() == 1)
      lit(t.parts.front().text);  // the common case, without a copy
    else
      w_.string(text_value(t));
  }
  void text(std::string_view key, const ir::Text& t) {
    w_.key(key);
    text(t);
  }
  void strings(std::string_view key, const std::vector<std::string>& v) {
    w_.key(key).begin_array();
    for (const auto& s : v) lit(s);
    w_.end_array();
  }

  // The id of resource `i`, built once: resourceId() for a top-level resource, with the parent's name for a
  // peering, extensionResourceId() on the scope's id for a role assignment.
  const std::string& id(ir::Index i) {
    if (!ids_[i].empty()) return ids_[i];
    const auto& r = d_.resources[i];
    switch (r.kind) {
      case ir::Kind::role_assignment: {
        const auto& ra = r.as<ir::RoleAssignment>();
        ids_[i] = "extensionResourceId(" + id(ra.scope) + ", " + string_literal(api::role_assignment.type) + ", " +
                  role_assignment_name(ra) + ")";
        break;
      }
      case ir::Kind::vnet_peering:
        ids_[i] = child_resource_id(api::vnet_peering, d_.resources[r.as<ir::VnetPeering>().vnet].name, r.name);
        break;
      default: ids_[i] = resource_id(api::of(r.kind), r.name);
    }
    return ids_[i];
  }

  // A role assignment's name: a GUID derived from what makes it unique, the scope, the principal and the
  // role. Every input is known when the deployment starts (ARM allows no reference() in a name), so the
  // principal stands by its resource id rather than its principal id; the same inputs always give the same
  // name, so a redeployment updates the assignment in place instead of failing with RoleAssignmentExists.
  std::string role_assignment_name(const ir::RoleAssignment& ra) {
    return "guid(" + id(ra.scope) + ", " + id(ra.principal) + ", " + role_definition_id(ra.role_definition) + ")";
  }

  // The object id of a role assignment's principal: a cluster's system-assigned identity (only in the full
  // resource), or a user-assigned identity's principalId.
  std::string principal_id(ir::Index principal) {
    const auto& p = d_.resources[principal];
    if (p.kind == ir::Kind::managed_cluster) return reference_full(api::managed_cluster, p.name) + ".identity.principalId";
    return reference(api::of(p.kind), p.name) + ".principalId";
  }
  void id_object(std::string_view key, ir::Index i) {
    w_.key(key).begin_object();
    expr("id", id(i));
    w_.end_object();
  }

  // `reference(<public IP>, '<version>').ipAddress`, built once per public IP.
  const std::string& ip_address(ir::Index pip) {
    if (addresses_[pip].empty()) addresses_[pip] = reference(api::public_ip, d_.resources[pip].name) + ".ipAddress";
    return addresses_[pip];
  }
  void address(const ir::Address& a) {
    if (a.kind == ir::Address::Kind::literal) return text(a.literal);
    if (a.prefix < 0) return expr(ip_address(a.public_ip));
    expr("concat(" + ip_address(a.public_ip) + ", " + string_literal("/" + std::to_string(a.prefix)) + ")");
  }
  void addresses(std::string_view key, const std::vector<ir::Address>& v) {
    w_.key(key).begin_array();
    for (const auto& a : v) address(a);
    w_.end_array();
  }

  std::string subnet(const ir::SubnetRef& s) {
    const auto& vnet = d_.resources[s.vnet];
    return subnet_id(vnet.name, vnet.as<ir::VirtualNetwork>().subnets[s.subnet].name);
  }

  // ---- the template

  void metadata() {
    w_.key("metadata").begin_object();
    w_.key("_generator").begin_object();
    w_.field("name", "egressc");
    if (!o_.version.empty()) lit("version", o_.version);
    w_.end_object();
    std::string banner = "Generated by egressc";
    if (!o_.version.empty()) banner += " " + o_.version;
    banner += ". Do not edit: change the .egress source and build again.";
    lit("description", banner);
    w_.end_object();
  }

  void parameters() {
    w_.key("parameters").begin_object();
    for (const auto& p : d_.params) {
      w_.key(p.name).begin_object();
      switch (p.type) {
        case ir::ParamType::string:
        case ir::ParamType::region: w_.field("type", "string"); break;
        case ir::ParamType::integer: w_.field("type", "int"); break;
        case ir::ParamType::boolean: w_.field("type", "bool"); break;
      }
      default_value(p);
      if (p.type == ir::ParamType::region) {
        w_.key("metadata").begin_object();
        w_.field("description", "The Azure region of every resource.");
        w_.end_object();
      }
      w_.end_object();
    }
    w_.end_object();
  }

  void default_value(const ir::Param& p) {
    if (!p.default_value) {
      if (p.type == ir::ParamType::region) expr("defaultValue", "resourceGroup().location");
      return;
    }
    const std::string& v = *p.default_value;
    w_.key("defaultValue");
    if (p.type == ir::ParamType::integer) {
      std::int64_t n = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec == std::errc() && end == v.data() + v.size()) return void(w_.number(n));
    } else if (p.type == ir::ParamType::boolean && (v == "true" || v == "false")) {
      return void(w_.boolean(v == "true"));
    }
    lit(v);
  }

  void resource(ir::Index i) {
    const auto& r = d_.resources[i];
    const auto& type = api::of(r.kind);
    w_.begin_object();
    w_.field("type", type.type);
    w_.field("apiVersion", type.version);
    switch (r.kind) {
      case ir::Kind::role_assignment: expr("name", role_assignment_name(r.as<ir::RoleAssignment>())); break;
      case ir::Kind::vnet_peering: text("name", child_name(d_.resources[r.as<ir::VnetPeering>().vnet].name, r.name)); break;
      default: text("name", r.name);
    }
    if (api::has_location(r.kind)) text("location", d_.location);
    switch (r.kind) {
      case ir::Kind::public_ip: public_ip(r.as<ir::PublicIp>()); break;
      case ir::Kind::identity: break;  // nothing but a name and a location
      case ir::Kind::route_table: route_table(r.as<ir::RouteTable>()); break;
      case ir::Kind::virtual_network: virtual_network(r.as<ir::VirtualNetwork>()); break;
      case ir::Kind::firewall: firewall(r.as<ir::Firewall>()); break;
      case ir::Kind::managed_cluster: managed_cluster(r.as<ir::ManagedCluster>()); break;
      case ir::Kind::role_assignment: role_assignment(r.as<ir::RoleAssignment>()); break;
      case ir::Kind::vnet_peering: vnet_peering(r.as<ir::VnetPeering>()); break;
    }
    if (!r.depends_on.empty()) {
      w_.key("dependsOn").begin_array();
      for (auto dep : r.depends_on) expr(id(dep));
      w_.end_array();
    }
    w_.end_object();
  }

  void public_ip(const ir::PublicIp& p) {
    if (!p.sku.empty()) {
      w_.key("sku").begin_object();
      lit("name", p.sku);
      w_.end_object();
    }
    w_.key("properties").begin_object();
    if (!p.allocation.empty()) lit("publicIPAllocationMethod", p.allocation);
    w_.end_object();
  }

  void route_table(const ir::RouteTable& rt) {
    w_.key("properties").begin_object();
    w_.field_bool("disableBgpRoutePropagation", rt.disable_bgp_route_propagation);
    w_.key("routes").begin_array();
    for (const auto& route : rt.routes) {
      w_.begin_object();
      text("name", route.name);
      w_.key("properties").begin_object();
      w_.key("addressPrefix");
      address(route.prefix);
      lit("nextHopType", route.next_hop_type);
      if (!route.next_hop_ip.empty()) lit("nextHopIpAddress", route.next_hop_ip);
      w_.end_object();
      w_.end_object();
    }
    w_.end_array();
    w_.end_object();
  }

  void virtual_network(const ir::VirtualNetwork& v) {
    w_.key("properties").begin_object();
    w_.key("addressSpace").begin_object();
    strings("addressPrefixes", v.address_prefixes);
    w_.end_object();
    w_.key("subnets").begin_array();
    for (const auto& s : v.subnets) {
      w_.begin_object();
      text("name", s.name);
      w_.key("properties").begin_object();
      lit("addressPrefix", s.prefix);
      if (s.route_table) id_object("routeTable", *s.route_table);
      w_.end_object();
      w_.end_object();
    }
    w_.end_array();
    w_.end_object();
  }

  template <class Rule, class Body>
  void collections(std::string_view key, const std::vector<ir::Collection<Rule>>& cs, Body body) {
    if (cs.empty()) return;
    w_.key(key).begin_array();
    for (const auto& c : cs) {
      w_.begin_object();
      lit("name", c.name);
      w_.key("properties").begin_object();
      w_.field_number("priority", c.priority);
      w_.key("action").begin_object();
      lit("type", c.action);
      w_.end_object();
      w_.key("rules").begin_array();
      for (const auto& rule : c.rules) {
        w_.begin_object();
        lit("name", rule.name);
        body(rule);
        w_.end_object();
      }
      w_.end_array();
      w_.end_object();
      w_.end_object();
    }
    w_.end_array();
  }

  void firewall(const ir::Firewall& fw) {
    w_.key("properties").begin_object();
    w_.key("sku").begin_object();
    w_.field("name", "AZFW_VNet");
    if (!fw.sku_tier.empty()) lit("tier", fw.sku_tier);
    w_.end_object();
    if (!fw.threat_intel_mode.empty()) lit("threatIntelMode", fw.threat_intel_mode);
    if (fw.dns_proxy) {
      w_.key("additionalProperties").begin_object();
      w_.field("Network.DNS.EnableProxy", "true");
      w_.end_object();
    }
    w_.key("ipConfigurations").begin_array();
    for (const auto& c : fw.ip_configurations) {
      w_.begin_object();
      text("name", c.name);
      w_.key("properties").begin_object();
      if (c.subnet) {
        w_.key("subnet").begin_object();
        expr("id", subnet(*c.subnet));
        w_.end_object();
      }
      id_object("publicIPAddress", c.public_ip);
      w_.end_object();
      w_.end_object();
    }
    w_.end_array();
    collections("networkRuleCollections", fw.network_collections, [&](const ir::NetworkRule& r) {
      strings("protocols", r.protocols);
      addresses("sourceAddresses", r.sources);
      if (!r.destination_addresses.empty()) addresses("destinationAddresses", r.destination_addresses);
      if (!r.destination_fqdns.empty()) strings("destinationFqdns", r.destination_fqdns);
      strings("destinationPorts", r.destination_ports);
    });
    collections("applicationRuleCollections", fw.application_collections, [&](const ir::ApplicationRule& r) {
      w_.key("protocols").begin_array();
      for (const auto& p : r.protocols) {
        w_.begin_object();
        lit("protocolType", p.type);
        w_.field_number("port", p.port);
        w_.end_object();
      }
      w_.end_array();
      addresses("sourceAddresses", r.sources);
      if (!r.target_fqdns.empty()) strings("targetFqdns", r.target_fqdns);
      if (!r.fqdn_tags.empty()) strings("fqdnTags", r.fqdn_tags);
    });
    collections("natRuleCollections", fw.nat_collections, [&](const ir::NatRule& r) {
      strings("protocols", r.protocols);
      addresses("sourceAddresses", r.sources);
      w_.key("destinationAddresses").begin_array();
      address(r.destination);
      w_.end_array();
      w_.key("destinationPorts").begin_array();
      lit(r.destination_port);
      w_.end_array();
      lit("translatedAddress", r.translated_address);
      lit("translatedPort", r.translated_port);
    });
    w_.end_object();
  }

  // An extension resource on its scope. principalType spares ARM the directory lookup that fails while a
  // new identity's service principal is still replicating (PrincipalNotFound).
  void role_assignment(const ir::RoleAssignment& ra) {
    lit("comments", ra.role);
    expr("scope", id(ra.scope));
    w_.key("properties").begin_object();
    expr("roleDefinitionId", role_definition_id(ra.role_definition));
    expr("principalId", principal_id(ra.principal));
    w_.field("principalType", "ServicePrincipal");
    w_.end_object();
  }

  // One direction of a peering, declared at the top level with its parent's name in its own.
  void vnet_peering(const ir::VnetPeering& p) {
    w_.key("properties").begin_object();
    w_.key("remoteVirtualNetwork").begin_object();
    expr("id", id(p.remote_vnet));
    w_.end_object();
    w_.field_bool("allowVirtualNetworkAccess", true);
    w_.field_bool("allowForwardedTraffic", true);  // what the peer's firewall route forwards must pass
    w_.field_bool("useRemoteGateways", false);
    w_.end_object();
  }

  void managed_cluster(const ir::ManagedCluster& c) {
    w_.key("identity").begin_object();
    if (c.control_plane_identity) {
      w_.field("type", "UserAssigned");
      w_.key("userAssignedIdentities").begin_object();
      w_.key("[" + id(*c.control_plane_identity) + "]").begin_object().end_object();
      w_.end_object();
    } else {
      w_.field("type", "SystemAssigned");
    }
    w_.end_object();

    w_.key("properties").begin_object();
    if (!literal_text(c.kubernetes_version).empty() || !c.kubernetes_version.is_literal())
      text("kubernetesVersion", c.kubernetes_version);
    text("dnsPrefix", c.dns_prefix);
    w_.key("agentPoolProfiles").begin_array().begin_object();
    w_.field("name", system_pool_name);
    w_.field_number("count", c.node_count);
    text("vmSize", c.vm_size);
    w_.field_number("maxPods", c.max_pods);
    w_.field("mode", "System");
    w_.field("osType", "Linux");
    expr("vnetSubnetID", subnet(c.subnet));
    w_.end_object().end_array();

    w_.key("networkProfile").begin_object();
    if (!c.network_plugin.empty()) lit("networkPlugin", c.network_plugin);
    if (!c.network_plugin_mode.empty()) lit("networkPluginMode", c.network_plugin_mode);
    if (!c.outbound_type.empty()) lit("outboundType", c.outbound_type);
    if (!c.service_cidr.empty()) lit("serviceCidr", c.service_cidr);
    if (!c.dns_service_ip.empty()) lit("dnsServiceIP", c.dns_service_ip);
    if (!c.pod_cidr.empty()) lit("podCidr", c.pod_cidr);
    w_.end_object();

    if (!c.authorized_ranges.empty() || c.private_cluster) {
      w_.key("apiServerAccessProfile").begin_object();
      if (!c.authorized_ranges.empty()) addresses("authorizedIPRanges", c.authorized_ranges);
      if (c.private_cluster) w_.field_bool("enablePrivateCluster", true);
      w_.end_object();
    }

    if (c.kubelet_identity) {
      const auto& name = d_.resources[*c.kubelet_identity].name;
      const std::string ref = reference(api::identity, name);
      w_.key("identityProfile").begin_object();
      w_.key("kubeletidentity").begin_object();
      expr("resourceId", id(*c.kubelet_identity));
      expr("clientId", ref + ".clientId");
      expr("objectId", ref + ".principalId");
      w_.end_object();
      w_.end_object();
    }
    w_.end_object();
  }

  const ir::Deployment& d_;
  const EmitOptions& o_;
  json::Writer w_;
  std::vector<std::string> ids_;
  std::vector<std::string> addresses_;
};

// Roughly the template's size, so that the output string is allocated once even for 100,000 rules.
std::size_t estimated_size(const ir::Deployment& d) {
  std::size_t rules = 0;
  for (const auto& r : d.resources) {
    if (r.kind != ir::Kind::firewall) continue;
    const auto& fw = r.as<ir::Firewall>();
    for (const auto& c : fw.network_collections) rules += c.rules.size();
    for (const auto& c : fw.application_collections) rules += c.rules.size();
    for (const auto& c : fw.nat_collections) rules += c.rules.size();
  }
  return 16384 + rules * 512;
}

}  // namespace

std::string arm(const ir::Deployment& d, const EmitOptions& o) {
  std::string out;
  out.reserve(estimated_size(d));
  ArmEmitter(d, o, out).run();
  out += '\n';
  return out;
}

}  // namespace egress::emit
