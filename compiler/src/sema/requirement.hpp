// The stdlib's data about what clusters and image pulls need: requirement rows with their conditions,
// registry hosts and FQDN-tag coverage, and the one function that decides which rows apply to a cluster.
#pragma once
#include <string_view>
#include <vector>

#include "sema/catalog.hpp"
#include "sema/program.hpp"
#include "syntax/ast.hpp"

namespace egress::sema {

struct Context;

/// `requirement NAME "title" < network|application ... ["why"] [recommended] [when COND...] [unless TAG : PORT] >`
void declare_requirement(Context& cx, const syntax::Statement& s);
/// `registry "name" [alias "other"...] < pull "host" [or "host"...] "why" ... >`
void declare_registry(Context& cx, const syntax::Statement& s);
/// `fqdn_tag_covers TAG "fqdn", ...`
void declare_tag_coverage(Context& cx, const syntax::Statement& s);

/// The words a `when` condition may test, each a fact about a cluster.
[[nodiscard]] bool known_condition(std::string_view word);
/// Does the row apply to the cluster (to its nodes in subnet `from`, when given)? Every `when` word must hold.
/// The only place that decides it.
[[nodiscard]] bool requirement_applies(const RequiredFlow& f, const Cluster& c, const Subnet* from = nullptr);
/// Is `word` a condition about how the cluster is built (public, private, custom_dns), not an optional feature?
/// A row selected only by such conditions is needed to provision the cluster.
[[nodiscard]] bool provisioning_condition(std::string_view word);
/// The addresses a `cluster.WORD` row (RequiredFlow::cluster_endpoint) stands for in cluster `c`, e.g. the
/// custom DNS servers of its VNet; empty for other rows. The only place that decides it.
[[nodiscard]] std::vector<Ip> requirement_destinations(const RequiredFlow& f, const Cluster& c);

}  // namespace egress::sema
