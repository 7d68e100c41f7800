// Elaboration of AKS clusters.
#include <fmt/format.h>

#include "sema/azure_facts.hpp"
#include "sema/cluster_features.hpp"
#include "sema/context.hpp"

namespace egress::sema {

using syntax::Item;
using syntax::ItemKind;

static void authorized_ranges(Context& cx, Cluster& c, const syntax::Statement& s) {
  Args a(cx, s, "api_server_authorized PUBLIC_IP|CIDR[, ...]");
  c.authorized_span = s.span;
  do {
    const Item* it = a.peek();
    if (a.at(ItemKind::address)) {
      if (auto cidr = a.cidr()) c.authorized.push_back({cidr, nullptr, it->span});
    } else if (auto n = a.name("a public IP or a CIDR prefix")) {
      c.authorized.push_back({std::nullopt, nullptr, it->span});
      const std::size_t index = c.authorized.size() - 1;
      cx.fixups.push_back([&cx, &c, index, name = *n, span = it->span] {
        c.authorized[index].public_ip =
            cx.resolve_as<PublicIp>(name, SymbolKind::public_ip, span, "an authorized range");
      });
    }
  } while (a.ok() && a.accept(ItemKind::comma));
  a.finish();
}

// `addon monitoring workspace "RESOURCE-ID" | addon keyvault_secrets | addon azure_policy`: the AKS add-ons
// whose outbound flows stdlib/aks.egress lists (rows `when monitoring` etc.).
static void addon(Context& cx, Cluster& c, const syntax::Statement& s) {
  Args a(cx, s, "addon monitoring workspace \"LOG-ANALYTICS-WORKSPACE-ID\" | addon keyvault_secrets | addon azure_policy");
  if (c.addons_span.length == 0) c.addons_span = s.span;
  const auto which = a.choice({"monitoring", "keyvault_secrets", "azure_policy"}, "add-on");
  if (which && *which == 0) {
    c.monitoring = true;
    // The Container Insights agent sends to a Log Analytics workspace; ARM and Bicep must name it.
    if (a.expect_word("workspace"))
      if (auto t = a.text("the Log Analytics workspace's resource ID")) c.monitoring_workspace = *t;
  } else if (which && *which == 1) {
    c.keyvault_secrets = true;
  } else if (which) {
    c.azure_policy = true;
  }
  a.finish();
}

// `api_server_subnet VNET.SUBNET`: API Server VNet Integration. The subnet is resolved once every VNet is
// declared; model/check_api_server.cpp checks what Azure requires of it.
static void api_server_subnet(Context& cx, Cluster& c, const syntax::Statement& s) {
  Args a(cx, s, "api_server_subnet VNET.SUBNET");
  c.api_server_subnet_span = s.span;
  const Item* sub = a.peek();
  if (sub != nullptr && sub->kind == ItemKind::word) {
    a.next();
    cx.fixups.push_back([&cx, &c, name = sub->text, span = sub->span] {
      c.api_server_subnet = cx.resolve_as<Subnet>(name, SymbolKind::subnet, span, "the API server's subnet");
    });
  } else {
    a.fail(sub, "the API server's subnet, as VNET.SUBNET");
  }
  a.finish();
}

static void identity(Context& cx, Cluster& c, const syntax::Statement& s) {
  Args a(cx, s, "identity system | identity user IDENTITY [kubelet IDENTITY]");
  c.identity_span = s.span;
  auto kind = a.choice({"system", "user"}, "identity kind");
  if (kind && *kind == 1) {
    c.system_identity = false;
    const Item* it = a.peek();
    if (auto n = a.name("the control plane's identity")) {
      cx.fixups.push_back([&cx, &c, name = *n, span = it->span] {
        c.control_plane_identity = cx.resolve_as<Identity>(name, SymbolKind::identity, span, "the control plane identity");
      });
    }
    if (a.accept_word("kubelet")) {
      const Item* k = a.peek();
      if (auto n = a.name("the kubelet's identity")) {
        cx.fixups.push_back([&cx, &c, name = *n, span = k->span] {
          c.kubelet_identity = cx.resolve_as<Identity>(name, SymbolKind::identity, span, "the kubelet identity");
        });
      }
    }
  } else if (kind) {
    c.system_identity = true;
  }
  a.finish();
}

void declare_cluster(Context& cx, const syntax::Statement& s, Cluster* existing) {
  Cluster* c = existing;
  if (c == nullptr) {
    Args a(cx, s, "cluster NAME [\"azure-name\"] in VNET.SUBNET [< ... >]");
    auto name = a.name("the cluster's name");
    if (!name) return;
    c = &cx.program.clusters.emplace_back();
    c->symbol = *name;
    c->span = s.span;
    c->name = a.optional_azure_name().value_or(Text::literal(*name, s.head.span));
    if (a.expect_word("in")) {
      const Item* sub = a.peek();
      if (sub != nullptr && sub->kind == ItemKind::word) {
        a.next();
        c->subnet_span = sub->span;
        cx.fixups.push_back([&cx, c, name = sub->text, span = sub->span] {
          c->subnet = cx.resolve_as<Subnet>(name, SymbolKind::subnet, span, "the cluster's subnet");
        });
      } else {
        a.fail(sub, "the cluster's subnet, as VNET.SUBNET");
      }
    }
    a.finish();
    cx.declare(*name, SymbolKind::cluster, c, s.span);
  }
  std::map<std::string, Span, std::less<>> seen;
  for (const auto& inner : s.block.statements) {
    const auto& head = inner.head.text;
    if (head == "pool") {  // a block of its own, and repeatable
      declare_pool(cx, *c, inner);
      continue;
    }
    cx.no_block(inner);
    if (head != "api_server_authorized" && head != "addon" && !cx.first_setting(seen, inner)) continue;
    if (head == "nodes") {
      Args a(cx, inner, "nodes N");
      c->nodes_span = inner.span;
      if (auto n = count_value(cx, a, 1, facts::aks::kMaxNodesPerPool, "nodes", "the node count (AKS takes at most 1,000 per node pool)")) {
        c->node_count = n->value;
        c->node_count_param = n->param;
      }
      a.finish();
    } else if (head == "vm_size") {
      Args a(cx, inner, "vm_size \"Standard_DS2_v2\"");
      c->vm_size_span = inner.span;
      if (auto t = a.text("a VM size")) c->vm_size = *t;
      a.finish();
    } else if (head == "max_pods") {
      Args a(cx, inner, "max_pods N");
      c->max_pods_span = inner.span;
      if (auto n = a.number(facts::aks::kMinMaxPods, facts::aks::kMaxMaxPods, "max pods per node")) {
        c->max_pods = static_cast<int>(*n);
        c->max_pods_given = true;
      }
      a.finish();
    } else if (head == "network_plugin") {
      Args a(cx, inner, "network_plugin azure [overlay] | kubenet");
      if (auto p = a.choice({"azure", "kubenet"}, "network plugin")) {
        c->plugin = static_cast<NetworkPlugin>(*p);
        if (*p == 0 && a.accept_word("overlay")) c->overlay = true;
      }
      a.finish();
    } else if (head == "outbound") {
      Args a(cx, inner, "outbound load_balancer|user_defined_routing|managed_nat_gateway|user_assigned_nat_gateway");
      c->outbound_span = inner.span;
      if (auto o = a.choice({"load_balancer", "user_defined_routing", "managed_nat_gateway", "user_assigned_nat_gateway"},
                            "outbound type"))
        c->outbound = static_cast<OutboundType>(*o);
      a.finish();
    } else if (head == "api_server_authorized") {
      authorized_ranges(cx, *c, inner);
    } else if (head == "private") {
      Args a(cx, inner, "private");
      c->private_cluster = true;
      c->private_span = inner.span;
      a.finish();
    } else if (head == "identity") {
      identity(cx, *c, inner);
    } else if (head == "api_server_subnet") {
      api_server_subnet(cx, *c, inner);
    } else if (head == "addon") {
      addon(cx, *c, inner);
    } else if (head == "ssh") {
      Args a(cx, inner, "ssh generate");
      a.expect_word("generate");
      c->generate_ssh_keys = true;
      a.finish();
    } else if (head == "service_cidr") {
      Args a(cx, inner, "service_cidr CIDR");
      c->service_cidr = a.cidr();
      a.finish();
    } else if (head == "dns_service_ip") {
      Args a(cx, inner, "dns_service_ip IP");
      c->dns_service_ip = a.ip();
      a.finish();
    } else if (head == "pod_cidr") {
      Args a(cx, inner, "pod_cidr CIDR");
      c->pod_cidr = a.cidr();
      a.finish();
    } else if (head == "kubernetes_version") {
      Args a(cx, inner, "kubernetes_version \"1.34\"");
      if (auto t = a.text("a Kubernetes version")) {
        if (t->is_literal() && !facts::kubernetes::parse_version(t->value))
          cx.diags.report(Code::E0106, t->span.length != 0 ? t->span : inner.span,
                          fmt::format("\"{}\" is not a Kubernetes version: AKS takes MAJOR.MINOR or MAJOR.MINOR.PATCH",
                                      t->value),
                          "write the version like \"1.34\" or \"1.34.2\"");
        else
          c->kubernetes_version = *t;
      }
      a.finish();
    } else if (is_cluster_feature(head)) {
      cluster_feature(cx, *c, inner);
    } else {
      cx.unknown_statement(inner, "in a cluster",
                           {"pool", "nodes", "vm_size", "max_pods", "network_plugin", "outbound", "api_server_authorized",
                            "private", "identity", "addon", "ssh", "service_cidr", "dns_service_ip", "pod_cidr",
                            "kubernetes_version", "defender", "api_server_subnet"});
    }
  }
  if (!c->max_pods_given) c->max_pods = facts::aks::default_max_pods(c->plugin, c->overlay);
}

}  // namespace egress::sema
