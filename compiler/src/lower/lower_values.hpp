// Conversions of one checked declaration into its IR value that need nothing of the lowering but the
// position of other resources (a Resolver): the cluster and the Kubernetes objects of an app. The lowering
// itself (lower.cpp) gathers the resources, their dependencies and their order.
#pragma once
#include <functional>
#include <string>

#include "lower/ir.hpp"
#include "sema/program.hpp"

namespace egress::lower {

/// The IR position of a declaration that is a resource (Lowering::at in lower.cpp).
using Resolver = std::function<ir::Index(const void* decl)>;

ir::Text text(const sema::Text& t);
std::string protocol_name(sema::Protocol p);
/// A subnet as its VNet's resource and its position among the VNet's subnets.
ir::SubnetRef subnet_ref(const sema::Subnet& s, const Resolver& at);

ir::ManagedCluster lower_cluster(const sema::Cluster& c, const Resolver& at);
ir::KubeApp lower_app(const sema::App& app, const Resolver& at);

}  // namespace egress::lower
