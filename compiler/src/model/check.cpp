// Entry point of the network checks (the checks themselves live beside this file, one area per file).
#include "model/check.hpp"

#include "model/checks.hpp"
#include "model/flows.hpp"
#include "model/model_gaps.hpp"
#include "model/network.hpp"
#include "model/routes.hpp"

namespace egress::model {

void check(const sema::Program& program, const sema::Catalog& catalog, Diagnostics& diags) {
  // Addresses, names, rules, SKUs, DNAT, clusters (checks.hpp).
  check_addresses(program, diags);
  check_names(program, diags);
  check_rules(program, catalog, diags);
  check_firewall_skus(program, diags);
  check_firewall_deployment(program, catalog, diags);
  check_idps(program, diags);
  check_dnat(program, diags);
  check_limits(program, diags);
  check_clusters(program, diags);
  check_pools(program, catalog, diags);
  check_constraints(program, diags);
  check_sweep_limits(program, diags);
  check_dns_servers(program, diags);
  check_api_server_subnets(program, diags);
  // Routing, egress flows and SNAT capacity, on the network graph built once (network.hpp).
  const Network network(program, catalog);
  check_routes(network, diags);
  check_flows(network, diags);
  check_capacity(network, diags);
  check_nat_gateways(network, diags);
  check_peerings(network, diags);
  check_model_gaps(network, diags);
}

}  // namespace egress::model
