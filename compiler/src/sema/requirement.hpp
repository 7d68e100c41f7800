// The stdlib's data about what clusters and image pulls need: requirement rows with their conditions,
// registry hosts and FQDN-tag coverage, and the one function that decides which rows apply to a cluster.
#pragma once
#include <string_view>

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
/// Does the row apply to the cluster? Every `when` word must hold. The only place that decides it.
[[nodiscard]] bool requirement_applies(const RequiredFlow& f, const Cluster& c);

}  // namespace egress::sema
