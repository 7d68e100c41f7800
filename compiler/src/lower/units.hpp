// Deployment units of a program of several resource groups: which resources each ARM nested deployment and
// each Bicep module holds, and which units each waits for (ir::Unit explains the stages).
#pragma once
#include "lower/ir.hpp"

namespace egress::lower {

/// Fills d.units from the resources' groups and dependencies; leaves them empty for a single group.
void plan_units(ir::Deployment& d);

}  // namespace egress::lower
