// Elaboration of the stdlib's requirement, registry and FQDN-tag data, and the rule for which requirement
// rows apply to a cluster.
#include "sema/requirement.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "sema/context.hpp"

namespace egress::sema {

using syntax::ItemKind;
using syntax::Statement;

namespace {

// The custom DNS servers of the cluster's VNet (`dns_servers` in its vnet block): what its nodes resolve with.
const std::vector<Ip>& vnet_dns_servers(const Cluster& c) {
  static const std::vector<Ip> none;
  return c.subnet != nullptr && c.subnet->vnet != nullptr ? c.subnet->vnet->dns_servers : none;
}

// The custom DNS servers the nodes must reach through the network: all but 168.63.129.16, Azure's own DNS virtual
// server, "a virtual public IP address that is used to facilitate a communication channel to Azure platform
// resources" ("What is IP address 168.63.129.16?", learn.microsoft.com/azure/virtual-network/
// what-is-ip-address-168-63-129-16, checked 2026-12-06), which the model's routes do not describe.
std::vector<Ip> dns_server_flows(const Cluster& c) {
  constexpr std::uint32_t kAzurePlatformDns = (168u << 24) | (63u << 16) | (129u << 8) | 16u;
  std::vector<Ip> out;
  for (const auto& ip : vnet_dns_servers(c))
    if (ip.value != kAzurePlatformDns) out.push_back(ip);
  return out;
}

// Destinations a row may take from the cluster, written `cluster.WORD`: each the addresses of one setting.
struct ClusterEndpoint {
  std::string_view word;
  std::vector<Ip> (*addresses)(const Cluster&);
};
constexpr std::array<ClusterEndpoint, 1> kClusterEndpoints = {{
    {"cluster.dns_servers", dns_server_flows},
}};

// Conditions about how the cluster is built rather than an optional feature: a row that only they select is
// needed to provision the cluster (the E0246 message says so).
constexpr std::array<std::string_view, 4> kProvisioningConditions = {"private", "public", "api_over_internet",
                                                                      "custom_dns"};

// Condition words and what they test. A condition names a cluster setting that is also emitted (ARM/Bicep
// and `az aks create`), so a row and the deployment cannot disagree.
struct Condition {
  std::string_view word;
  // `from`: the node subnet a flow leaves (model/flows.cpp walks each), or null for the cluster as a whole. Only
  // the pool conditions look at it: a Windows or GPU pool's rows apply to the subnet that pool's nodes are in.
  bool (*holds)(const Cluster&, const Subnet* from);
};
// A GPU pool: one whose VM size is of Azure's N-series, the GPU-accelerated families (NC, ND, NG, NV: "Sizes for
// virtual machines in Azure", learn.microsoft.com/azure/virtual-machines/sizes, "GPU accelerated", checked
// 2026-12-07), written `Standard_N...`. A size given as a parameter is not known at compile time: not GPU.
bool has_gpu_pool(const Cluster& c, const Subnet* from) {
  for (const auto& p : c.pools) {
    if (from != nullptr && c.pool_subnet(p) != from) continue;
    const auto& v = p.vm_size.value;
    if (!p.vm_size.is_literal() || v.size() < 10) continue;
    std::string lower;
    for (char ch : v.substr(0, 10)) lower += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    if (lower == "standard_n") return true;
  }
  return false;
}

bool has_windows_pool(const Cluster& c, const Subnet* from) {
  for (const auto& p : c.pools)
    if (p.os == PoolOs::windows && (from == nullptr || c.pool_subnet(p) == from)) return true;
  return false;
}

constexpr std::array<Condition, 10> kConditions = {{
    {"private", [](const Cluster& c, const Subnet*) { return c.private_cluster; }},
    {"public", [](const Cluster& c, const Subnet*) { return !c.private_cluster; }},
    // Nodes reach the API server over the Internet: neither private nor API Server VNet Integration, where "the
    // agent nodes always communicate directly with the private IP address of the API server internal load
    // balancer (ILB) IP without using DNS" ("API Server VNet Integration", learn.microsoft.com/azure/aks/
    // api-server-vnet-integration, "API server connectivity", checked 2026-12-06).
    {"api_over_internet", [](const Cluster& c, const Subnet*) { return !c.private_cluster && c.api_server_subnet == nullptr; }},
    {"custom_dns", [](const Cluster& c, const Subnet*) { return !vnet_dns_servers(c).empty(); }},
    {"monitoring", [](const Cluster& c, const Subnet*) { return c.monitoring; }},
    {"keyvault_secrets", [](const Cluster& c, const Subnet*) { return c.keyvault_secrets; }},
    {"azure_policy", [](const Cluster& c, const Subnet*) { return c.azure_policy; }},
    {"defender", [](const Cluster& c, const Subnet*) { return c.defender; }},  // `defender workspace "ID"` (cluster_features.cpp)
    // Node pools (sema/decl_pool.cpp): `os windows` in a pool; a pool of an N-series (GPU) VM size.
    {"windows", has_windows_pool},
    {"gpu", has_gpu_pool},
}};

std::string text_of(const syntax::Item& item) {
  std::string out;
  for (const auto& part : item.parts()) out += part.interpolation ? "${" + std::string(part.text) + "}" : std::string(part.text);
  return item.parts().empty() ? std::string(item.text) : out;
}

Text pattern_of(const syntax::Item& item) {
  Text t;
  t.span = item.span;
  for (const auto& part : item.parts()) t.parts.push_back({part.interpolation, std::string(part.text)});
  if (item.parts().empty()) t.parts.push_back({false, std::string(item.text)});
  t.value = text_of(item);
  return t;
}

// The row's modifiers after its `"why"`: `recommended`, `when WORD...`, `unless TAG : PORT`.
void row_modifiers(Context& cx, Args& b, RequiredFlow& f) {
  while (b.ok() && !b.done()) {
    if (b.accept_word("recommended")) {
      f.recommended = true;
    } else if (b.accept_word("when")) {
      bool any = false;
      while (b.ok() && b.at(ItemKind::word) && !b.at_word("unless") && !b.at_word("recommended")) {
        const auto* w = b.next();
        if (!known_condition(w->text)) {
          std::string words;
          for (const auto& c : kConditions) words += (words.empty() ? "" : ", ") + std::string(c.word);
          cx.diags.report(Code::E0281, w->span, fmt::format("`{}` is not a condition a requirement row can test", w->text),
                          fmt::format("conditions: {}", words));
        } else {
          f.when.push_back(std::string(w->text));
        }
        any = true;
      }
      if (!any) b.fail(b.peek(), "a condition after `when`");
    } else if (b.accept_word("unless")) {
      const auto* tag = b.expect(ItemKind::word, "a service tag");
      if (tag != nullptr) f.unless_tag = tag->text;
      b.expect(ItemKind::colon, "`:` and the port");
      if (auto p = b.number(1, 65535, "the port")) f.unless_port = static_cast<std::uint16_t>(*p);
    } else {
      b.fail(b.peek(), "`recommended`, `when CONDITION...` or `unless TAG : PORT`");
    }
  }
}

}  // namespace

bool known_condition(std::string_view word) {
  for (const auto& c : kConditions)
    if (c.word == word) return true;
  return false;
}

bool requirement_applies(const RequiredFlow& f, const Cluster& c, const Subnet* from) {
  for (const auto& w : f.when) {
    bool holds = false;
    for (const auto& cond : kConditions)
      if (cond.word == w) holds = cond.holds(c, from);
    if (!holds) return false;
  }
  return true;
}

bool provisioning_condition(std::string_view word) {
  return std::find(kProvisioningConditions.begin(), kProvisioningConditions.end(), word) != kProvisioningConditions.end();
}

std::vector<Ip> requirement_destinations(const RequiredFlow& f, const Cluster& c) {
  for (const auto& e : kClusterEndpoints)
    if (e.word == f.cluster_endpoint) return e.addresses(c);
  return {};
}

void declare_requirement(Context& cx, const Statement& s) {
  Args a(cx, s, "requirement NAME \"title\" < network|application PROTOCOL DESTINATION : PORT \"why\" ... >");
  Requirement req;
  req.span = s.span;
  req.name = a.name("the requirement's name").value_or("");
  if (const auto* t = a.expect(ItemKind::string, "a title, as a string")) req.title = t->text;
  a.finish();
  for (const auto& inner : s.block.statements) {
    cx.no_block(inner);
    if (inner.head.text != "network" && inner.head.text != "application") {
      cx.unknown_statement(inner, "in a requirement", {"network", "application"});
      continue;
    }
    Args b(cx, inner,
           "network tcp|udp DESTINATION : PORT \"why\" | application http|https \"fqdn\" : PORT \"why\", then "
           "[recommended] [when CONDITION...] [unless TAG : PORT]");
    RequiredFlow f;
    f.span = inner.span;
    bool bad = false;  // reported already: the row is not kept
    if (inner.head.text == "network") {
      f.kind = RequiredFlow::Kind::network;
      if (auto p = b.choice({"tcp", "udp", "icmp", "any"}, "protocol")) f.protocol = static_cast<Protocol>(*p);
    } else {
      f.kind = RequiredFlow::Kind::application;
      if (auto p = b.choice({"http", "https", "mssql"}, "protocol")) f.app_protocol = static_cast<AppProtocol::Kind>(*p);
    }
    const auto* d = b.next();
    if (d == nullptr || (d->kind != ItemKind::string && d->kind != ItemKind::word)) {
      b.fail(d, "a destination: \"fqdn\" or a service tag");
      continue;
    }
    // `${location}` here is the cluster's region, filled in per cluster by the checks.
    f.destination.kind = d->kind == ItemKind::string ? Endpoint::Kind::fqdn : Endpoint::Kind::service_tag;
    if (d->kind == ItemKind::word && d->text.rfind("cluster.", 0) == 0) {
      // `cluster.WORD`: addresses the cluster gives (requirement_destinations), only in network rows.
      const bool known = std::any_of(kClusterEndpoints.begin(), kClusterEndpoints.end(),
                                     [&](const ClusterEndpoint& e) { return e.word == d->text; });
      if (!known || f.kind != RequiredFlow::Kind::network) {
        std::string words;
        for (const auto& e : kClusterEndpoints) words += (words.empty() ? "" : ", ") + std::string(e.word);
        cx.diags.report(Code::E0285, d->span,
                        !known ? fmt::format("`{}` is not an address a cluster gives to a requirement row", d->text)
                               : fmt::format("`{}` is a list of addresses: only a `network` row can name it", d->text),
                        fmt::format("destinations a cluster gives: {}", words));
        bad = true;
      }
      f.cluster_endpoint = d->text;
      f.destination.kind = Endpoint::Kind::cidr;
    }
    f.destination.span = d->span;
    f.destination.pattern_text = std::make_shared<const Text>(pattern_of(*d));
    f.destination.text = text_of(*d);
    b.expect(ItemKind::colon, "`:` and the port");
    if (auto p = b.number(1, 65535, "the port")) f.port = static_cast<std::uint16_t>(*p);
    if (const auto* why = b.expect(ItemKind::string, "why the flow is needed, as a string")) {
      for (const auto& part : why->parts()) f.why += part.text;
    }
    row_modifiers(cx, b, f);
    b.finish();
    if (b.ok() && !bad) req.flows.push_back(std::move(f));
  }
  cx.catalog.requirements.push_back(std::move(req));
}

void declare_registry(Context& cx, const Statement& s) {
  Args a(cx, s, "registry \"name\" [alias \"other\"...] < pull \"host\" [or \"host\"...] \"why\" ... >");
  RegistryHosts reg;
  reg.span = s.span;
  if (const auto* n = a.expect(ItemKind::string, "the registry, as images name it")) reg.name = text_of(*n);
  while (a.ok() && a.accept_word("alias"))
    if (const auto* n = a.expect(ItemKind::string, "another name of the registry")) reg.aliases.push_back(text_of(*n));
  a.finish();
  for (const auto& inner : s.block.statements) {
    cx.no_block(inner);
    if (inner.head.text != "pull") {
      cx.unknown_statement(inner, "in a registry", {"pull"});
      continue;
    }
    Args b(cx, inner, "pull \"host\" [or \"host\"...] \"why\"");
    RegistryHosts::Host h;
    h.span = inner.span;
    if (const auto* host = b.expect(ItemKind::string, "a host the pull contacts")) h.pattern = text_of(*host);
    while (b.ok() && b.accept_word("or"))
      if (const auto* alt = b.expect(ItemKind::string, "another host that serves instead")) h.alternatives.push_back(text_of(*alt));
    if (const auto* why = b.expect(ItemKind::string, "why the pull contacts it, as a string"))
      for (const auto& part : why->parts()) h.why += part.text;
    b.finish();
    if (b.ok()) reg.hosts.push_back(std::move(h));
  }
  if (a.ok()) cx.catalog.registries.push_back(std::move(reg));
}

void declare_tag_coverage(Context& cx, const Statement& s) {
  Args a(cx, s, "fqdn_tag_covers TAG \"fqdn\"[, \"fqdn\"...]");
  auto tag = a.name("an FQDN tag");
  std::vector<Text> fqdns;
  do {
    if (const auto* f = a.expect(ItemKind::string, "an FQDN the tag covers")) fqdns.push_back(pattern_of(*f));
  } while (a.ok() && a.accept(ItemKind::comma));
  a.finish();
  if (!tag || !a.ok()) return;
  std::string key;
  for (char c : *tag) key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  auto& list = cx.catalog.tag_covers[key];
  list.insert(list.end(), fqdns.begin(), fqdns.end());
}

}  // namespace egress::sema
