// The ARM emitter: one resource-group deploymentTemplate (schema 2019-04-01) from the IR, streamed as
// text through json::Writer. Resources keep the IR's creation order; every IR dependency becomes a
// `dependsOn` entry; ids go through resourceId(), a public IP's address through reference(). Role
// assignments are extension resources (`scope`, a guid() name); peerings are child resources declared at
// the top level ("<vnet>/<peering>"). The bodies shared with Bicep are walked in resource_properties.hpp;
// this file says how ARM spells each value. A program of several resource groups becomes a subscription-scope
// template with a nested deployment per unit (run_subscription()).
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include "emit/rule_count.hpp"
#include "emit/api_versions.hpp"
#include "emit/arm/expression.hpp"
#include "emit/emit.hpp"
#include "emit/json_writer.hpp"
#include "emit/resource_properties.hpp"

namespace egress::emit {

namespace {

using namespace arm_detail;

constexpr std::string_view schema_url = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
// Several resource groups: a subscription-scope template ("Deploy resources to subscription" with ARM templates,
// learn.microsoft.com/azure/azure-resource-manager/templates/deploy-to-subscription; checked 2026-12-06).
constexpr std::string_view subscription_schema_url =
    "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#";

class ArmEmitter : ResourceProperties<ArmEmitter> {
 public:
  ArmEmitter(const ir::Deployment& d, const EmitOptions& o, Stream& out)
      : d_(d), o_(o), w_(out), ids_(d.resources.size()), addresses_(d.resources.size()) {}

  void run() {
    if (d_.several_groups()) return run_subscription();
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

  // Resource i alone in a resource-group template of its group (arm_resource_template()): the same walk as run()'s,
  // so the same members, without the dependsOn.
  void run_one(ir::Index i) {
    alone_ = true;
    current_group_ = d_.resources[i].group;
    w_.begin_object();
    w_.field("$schema", schema_url);
    w_.field("contentVersion", "1.0.0.0");
    metadata();
    parameters();
    w_.key("resources").begin_array();
    resource(i);
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
    if (t.parts.empty())  // ir::Address::plain()
      lit(t.value);
    else if (t.is_literal() && t.parts.size() == 1)
      lit(t.parts.front().text);  // the common case, without a copy
    else
      w_.string(text_value(t));
  }
  void text(std::string_view key, const ir::Text& t) {
    w_.key(key);
    text(t);
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
        ids_[i] = child_resource_id(api::vnet_peering, d_.resources[r.as<ir::VnetPeering>().vnet].name, r.name, elsewhere(i));
        break;
      case ir::Kind::rule_collection_group:
        ids_[i] = child_resource_id(api::rule_collection_group, d_.resources[r.as<ir::RuleCollectionGroup>().policy].name,
                                    r.name, elsewhere(i));
        break;
      default: ids_[i] = resource_id(api::of(r.kind), r.name, elsewhere(i));
    }
    return ids_[i];
  }

  // The name of resource i's group when it lives in another group than the nested template being written
  // (resource IDs then name the subscription and the group); null otherwise, and always for a single group.
  const ir::Text* elsewhere(ir::Index i) const {
    const auto& r = d_.resources[i];
    return d_.several_groups() && r.group != current_group_ ? &d_.groups[r.group].name : nullptr;
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
    if (p.kind == ir::Kind::managed_cluster)
      return reference_full(api::managed_cluster, p.name, elsewhere(principal)) + ".identity.principalId";
    return runtime_property(principal, "principalId");
  }

  // `reference(<resource>, '<version>').<property>`: what the resource's provider sets once it is deployed.
  std::string runtime_property(ir::Index i, std::string_view property) {
    const auto& r = d_.resources[i];
    return reference(api::of(r.kind), r.name, elsewhere(i)) + "." + std::string(property);
  }

  // `reference(<public IP>, '<version>').ipAddress`, built once per public IP.
  const std::string& ip_address(ir::Index pip) {
    if (addresses_[pip].empty()) addresses_[pip] = runtime_property(pip, "ipAddress");
    return addresses_[pip];
  }

  std::string subnet(const ir::SubnetRef& s) {
    const auto& vnet = d_.resources[s.vnet];
    return subnet_id(vnet.name, vnet.as<ir::VirtualNetwork>().subnets[s.subnet].name, elsewhere(s.vnet));
  }

  // ---- the values ResourceProperties writes

  friend class ResourceProperties<ArmEmitter>;
  json::Writer& writer() { return w_; }
  void put_literal(std::string_view s) { lit(s); }
  void put_text(const ir::Text& t) { text(t); }
  void put_number(std::int64_t n) { w_.number(n); }
  void put_bool(bool b) { w_.boolean(b); }
  void put_count(const ir::Count& c) {
    if (c.param.empty()) w_.number(c.value);
    else expr("parameters(" + string_literal(c.param) + ")");
  }
  void put_address(const ir::Address& a) {
    if (a.kind == ir::Address::Kind::literal) return text(a.literal);
    if (a.prefix < 0) return expr(ip_address(a.public_ip));
    expr("concat(" + ip_address(a.public_ip) + ", " + string_literal("/" + std::to_string(a.prefix)) + ")");
  }
  void put_id(ir::Index i) { expr(id(i)); }
  void put_subnet_id(const ir::SubnetRef& s) { expr(subnet(s)); }
  void put_runtime_property(ir::Index i, std::string_view property) { expr(runtime_property(i, property)); }
  void id_key(ir::Index i) { w_.key("[" + id(i) + "]"); }

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
      // A subscription-scope template has no resource group to take a region from: the deployment's location.
      if (p.type == ir::ParamType::region)
        expr("defaultValue", d_.several_groups() && !alone_ ? "deployment().location" : "resourceGroup().location");
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
      case ir::Kind::rule_collection_group:
        text("name", child_name(d_.resources[r.as<ir::RuleCollectionGroup>().policy].name, r.name));
        break;
      default: text("name", r.name);
    }
    if (api::has_location(r.kind)) text("location", d_.location_of(r));
    switch (r.kind) {
      case ir::Kind::public_ip: public_ip(r.as<ir::PublicIp>()); break;
      case ir::Kind::identity: break;  // nothing but a name and a location
      case ir::Kind::route_table: route_table(r.as<ir::RouteTable>()); break;
      case ir::Kind::virtual_network: virtual_network(r.as<ir::VirtualNetwork>()); break;
      case ir::Kind::ip_group: ip_group(r.as<ir::IpGroup>()); break;
      case ir::Kind::nat_gateway: nat_gateway(r.as<ir::NatGateway>()); break;
      case ir::Kind::firewall_policy: firewall_policy(r.as<ir::FirewallPolicy>()); break;
      case ir::Kind::rule_collection_group: rule_collection_group(r.as<ir::RuleCollectionGroup>()); break;
      case ir::Kind::firewall: firewall(r.as<ir::Firewall>()); break;
      case ir::Kind::managed_cluster: managed_cluster(r.as<ir::ManagedCluster>()); break;
      case ir::Kind::role_assignment: role_assignment(r.as<ir::RoleAssignment>()); break;
      // One direction of a peering, declared at the top level with its parent's name in its own.
      case ir::Kind::vnet_peering: peering_properties(r.as<ir::VnetPeering>()); break;
    }
    // In a nested template, only what the same template deploys: the units wait for each other (run_subscription).
    // A resource deployed alone waits in the az script instead.
    bool any = false;
    for (auto dep : r.depends_on) {
      if (alone_ || (d_.several_groups() && unit_of_[dep] != unit_of_[i])) continue;
      if (!any) w_.key("dependsOn").begin_array();
      any = true;
      expr(id(dep));
    }
    if (any) w_.end_array();
    w_.end_object();
  }

  // ---- several resource groups

  // A subscription-scope template: each group as a Microsoft.Resources/resourceGroups resource, then each unit of
  // the IR (ir::Unit) as a nested deployment into its group. A nested template evaluates its expressions in its
  // own scope ("inner"), so resourceId() and reference() there mean its group, and the parameters are passed in.
  // The units wait for their group and for the units they depend on; each resource's dependsOn names only what its
  // own template deploys.
  void run_subscription() {
    unit_of_.assign(d_.resources.size(), 0);
    for (std::size_t u = 0; u < d_.units.size(); ++u)
      for (auto i : d_.units[u].resources) unit_of_[i] = u;
    w_.begin_object();
    w_.field("$schema", subscription_schema_url);
    w_.field("contentVersion", "1.0.0.0");
    metadata();
    parameters();
    w_.key("resources").begin_array();
    for (const auto& g : d_.groups) {
      w_.begin_object();
      w_.field("type", api::resource_group.type);
      w_.field("apiVersion", api::resource_group.version);
      text("name", g.name);
      text("location", g.location);
      w_.end_object();
    }
    for (const auto& u : d_.units) unit(u);
    w_.end_array();
    w_.end_object();
  }

  std::string group_id(const ir::Group& g) {
    return "subscriptionResourceId(" + string_literal(api::resource_group.type) + ", " + text_expression(g.name) + ")";
  }

  void unit(const ir::Unit& u) {
    const auto& g = d_.groups[u.group];
    w_.begin_object();
    w_.field("type", api::deployment.type);
    w_.field("apiVersion", api::deployment.version);
    lit("name", u.name);
    text("resourceGroup", g.name);
    w_.key("dependsOn").begin_array();
    expr(group_id(g));
    for (auto dep : u.depends_on) {
      const auto& other = d_.units[dep];
      expr("resourceId(subscription().subscriptionId, " + text_expression(d_.groups[other.group].name) + ", " +
           string_literal(api::deployment.type) + ", " + string_literal(other.name) + ")");
    }
    w_.end_array();
    w_.key("properties").begin_object();
    w_.key("expressionEvaluationOptions").begin_object();
    w_.field("scope", "Inner");  // the schema's spelling (ARM ignores case)
    w_.end_object();
    w_.field("mode", "Incremental");
    w_.key("parameters").begin_object();
    for (const auto& p : d_.params) {
      w_.key(p.name).begin_object();
      expr("value", parameter(p.name));
      w_.end_object();
    }
    w_.end_object();
    w_.key("template").begin_object();
    w_.field("$schema", schema_url);
    w_.field("contentVersion", "1.0.0.0");
    w_.key("parameters").begin_object();
    for (const auto& p : d_.params) {
      w_.key(p.name).begin_object();
      w_.field("type", p.type == ir::ParamType::integer ? "int" : p.type == ir::ParamType::boolean ? "bool" : "string");
      w_.end_object();
    }
    w_.end_object();
    // Ids and addresses are spelled relative to the template's group: start afresh for each unit.
    current_group_ = u.group;
    ids_.assign(d_.resources.size(), {});
    addresses_.assign(d_.resources.size(), {});
    w_.key("resources").begin_array();
    for (auto i : u.resources) resource(i);
    w_.end_array();
    w_.end_object();
    w_.end_object();
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

  const ir::Deployment& d_;
  const EmitOptions& o_;
  json::Writer w_;
  std::vector<std::string> ids_;
  std::vector<std::string> addresses_;
  std::size_t current_group_ = 0;        // several groups: the group of the nested template being written
  bool alone_ = false;                   // one resource, without dependsOn (run_one())
  std::vector<std::size_t> unit_of_;     // several groups: each resource's unit
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

// The template size of one resource: a firewall's rules are most of it.
std::size_t estimated_size(const ir::Resource& r) {
  const std::size_t rules = rule_count(r);
  return 4096 + rules * 512;
}

// Each target's walk into a stream, then its two forms: the whole text, or a chunk at a time to a sink.
void write_resource_template(const ir::Deployment& d, const EmitOptions& o, ir::Index i, Stream& out) {
  ArmEmitter(d, o, out).run_one(i);
  out.text += '\n';
  out.finish();
}

void write_arm(const ir::Deployment& d, const EmitOptions& o, Stream& out) {
  ArmEmitter(d, o, out).run();
  out.text += '\n';
  out.finish();
}

}  // namespace

std::string arm_resource_template(const ir::Deployment& d, const EmitOptions& o, ir::Index i) {
  Stream out;
  out.text.reserve(estimated_size(d.resources[i]));
  write_resource_template(d, o, i, out);
  return std::move(out.text);
}

void arm_resource_template(const ir::Deployment& d, const EmitOptions& o, ir::Index i, TextSink& sink) {
  Stream out(&sink, o.chunk);
  write_resource_template(d, o, i, out);
}

std::string arm(const ir::Deployment& d, const EmitOptions& o) {
  Stream out;
  out.text.reserve(estimated_size(d));
  write_arm(d, o, out);
  return std::move(out.text);
}

void arm(const ir::Deployment& d, const EmitOptions& o, TextSink& sink) {
  Stream out(&sink, o.chunk);
  write_arm(d, o, out);
}

}  // namespace egress::emit
