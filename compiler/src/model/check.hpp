// The network checks: every pitfall of the article found before anything is deployed. Never emits.
#pragma once
#include "egress/diagnostic.hpp"
#include "sema/catalog.hpp"
#include "sema/program.hpp"

namespace egress::model {

/// Runs every check on a program that elaborated without errors (load-balancer IPs already allocated).
void check(const sema::Program& program, const sema::Catalog& catalog, Diagnostics& diags);

/// What the az script cannot express though ARM and Bicep can (check_targets.cpp: E0437). Run only when the az
/// target is built: the design is valid, and the other targets deploy it.
void check_az_target(const sema::Program& program, Diagnostics& diags);

}  // namespace egress::model
