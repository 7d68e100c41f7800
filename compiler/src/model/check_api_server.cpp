// E0287-E0289, W0232: what API Server VNet Integration (`api_server_subnet VNET.SUBNET` in a cluster) requires of
// its subnet. The subnet's delegation to Microsoft.ContainerService/managedClusters is emitted by lowering, so it
// cannot be missing.
//
// Source: "API Server VNet Integration in Azure Kubernetes Service (AKS)", learn.microsoft.com/azure/aks/
// api-server-vnet-integration (checked 2026-12-07):
//   intro: the API server endpoint is projected "directly into a delegated subnet in the VNet where AKS is
//     deployed" (E0288);
//   "Create a private AKS cluster with API Server VNet Integration using bring-your-own VNet": "You can't use the
//     subnet for any other workloads, but you can use it for multiple AKS clusters located in the same virtual
//     network" (E0289); "The minimum supported API server subnet size is a /28" (E0287); "An AKS cluster reserves
//     at least 9 IPs in the subnet address space. Running out of IP addresses may prevent API server scaling and
//     cause an API server outage" (W0232).
#include <fmt/format.h>

#include <map>
#include <vector>

#include "model/checks.hpp"

namespace egress::model {

using namespace egress::sema;

namespace {

constexpr int kMinApiServerPrefix = 28;           // "/28"
constexpr std::uint64_t kAddressesPerCluster = 9;  // "reserves at least 9 IPs"
constexpr std::uint64_t kReservedPerSubnet = 5;    // Azure's own, in every subnet

std::string vnet_of(const Subnet& s) { return s.vnet != nullptr ? s.vnet->symbol : "?"; }

// What else lives in the subnet: nodes of a cluster, a firewall, an internal load balancer.
void shared_subnet(const Program& program, const Cluster& c, const Subnet& api, Diagnostics& diags) {
  std::vector<Note> others;
  for (const auto& o : program.clusters)
    if (o.subnet == &api) others.push_back({o.span, fmt::format("cluster `{}` runs its nodes there", o.symbol)});
  for (const auto& fw : program.firewalls)
    if (fw.subnet == &api || fw.management_subnet() == &api)
      others.push_back({fw.span, fmt::format("firewall `{}` is placed there", fw.symbol)});
  for (const auto& app : program.apps)
    for (const auto& svc : app.services)
      if (svc.lb_subnet == &api)
        others.push_back({svc.lb_subnet_span.length != 0 ? svc.lb_subnet_span : svc.span,
                          fmt::format("the internal load balancer of service `{}` is placed there", svc.name)});
  if (others.empty()) return;
  auto& d = diags.report(
      Code::E0289, c.api_server_subnet_span,
      fmt::format("cluster `{}` puts its API server in subnet `{}`, which also holds other resources: the API server "
                  "subnet is delegated to AKS and \"can't be used for any other workloads\", so Azure rejects the "
                  "deployment",
                  c.symbol, api.symbol),
      "give the API server a subnet of its own (a /28 is enough); several clusters of the VNet may share it");
  for (auto& n : others) d.notes.push_back(std::move(n));
}

}  // namespace

void check_api_server_subnets(const Program& program, Diagnostics& diags) {
  std::map<const Subnet*, std::vector<const Cluster*>> users;  // program order within each subnet
  for (const auto& c : program.clusters) {
    if (c.api_server_subnet == nullptr) continue;
    const Subnet& api = *c.api_server_subnet;
    users[&api].push_back(&c);
    // E0287
    if (api.prefix.length > kMinApiServerPrefix) {
      auto& d = diags.report(
          Code::E0287, c.api_server_subnet_span,
          fmt::format("cluster `{}`'s API server subnet `{}` is a /{}: AKS supports API server subnets of /28 or "
                      "larger and rejects the cluster",
                      c.symbol, api.symbol, api.prefix.length),
          fmt::format("make subnet `{}` a /28 or larger", api.symbol));
      d.notes.push_back({api.span, fmt::format("subnet `{}` is declared here", api.symbol)});
    }
    // E0288
    if (c.subnet != nullptr && c.subnet->vnet != api.vnet) {
      auto& d = diags.report(
          Code::E0288, c.api_server_subnet_span,
          fmt::format("cluster `{}`'s API server subnet `{}` is in VNet `{}`, but its nodes run in VNet `{}`: AKS "
                      "projects the API server into a delegated subnet of the nodes' VNet and rejects the cluster",
                      c.symbol, api.symbol, vnet_of(api), vnet_of(*c.subnet)),
          fmt::format("add a /28 subnet for the API server to VNet `{}`", vnet_of(*c.subnet)));
      d.notes.push_back({c.subnet_span.length != 0 ? c.subnet_span : c.span, "the cluster's node subnet"});
    }
    // E0289
    shared_subnet(program, c, api, diags);
  }
  // W0232: each cluster takes at least 9 addresses of the shared subnet.
  for (const auto& [api, clusters] : users) {
    if (api->prefix.length > kMinApiServerPrefix) continue;  // E0287 says it already
    const std::uint64_t usable = api->prefix.size() > kReservedPerSubnet ? api->prefix.size() - kReservedPerSubnet : 0;
    const std::uint64_t needed = kAddressesPerCluster * clusters.size();
    if (needed <= usable) continue;
    const Cluster& last = *clusters.back();
    auto& d = diags.report(
        Code::W0232, last.api_server_subnet_span,
        fmt::format("{} cluster{} put {} API server in subnet `{}`, a /{} with {} usable addresses; each cluster "
                    "reserves at least 9, {} in all: AKS may be unable to scale the API servers, which can cause an "
                    "API server outage",
                    clusters.size(), clusters.size() == 1 ? "" : "s", clusters.size() == 1 ? "its" : "their",
                    api->symbol, api->prefix.length, usable, needed),
        "make the API server subnet larger, or give some clusters a subnet of their own");
    for (const auto* c : clusters)
      if (c != &last) d.notes.push_back({c->api_server_subnet_span, fmt::format("cluster `{}` uses it as well", c->symbol)});
  }
}

}  // namespace egress::model
