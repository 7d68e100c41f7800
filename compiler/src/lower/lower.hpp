// Lowering: the checked program becomes the target-neutral IR, resources in creation order.
#pragma once
#include "egress/diagnostic.hpp"
#include "lower/ir.hpp"
#include "sema/program.hpp"

namespace egress::lower {

/// Gives every internal load-balancer Service without an `ip` a static address in its cluster's subnet,
/// counted down from the subnet's last usable address and above the addresses the cluster takes for nodes
/// (and, with Azure CNI, pods). Reports E0118 when the subnet has no room left.
void allocate_load_balancer_ips(sema::Program& program, Diagnostics& diags);

/// Builds the IR. Reports E0114 when resources depend on each other in a cycle.
ir::Deployment lower(const sema::Program& program, Diagnostics& diags);

/// Reports what lower() reports (E0114) without building the IR: for check(), which writes no output. Much
/// cheaper than lower() for a program with many rules (docs/performance.md).
void check_creation_order(const sema::Program& program, Diagnostics& diags);

}  // namespace egress::lower
