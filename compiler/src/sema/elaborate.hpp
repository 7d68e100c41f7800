// Elaboration: turns parsed statements into the typed, resolved Program. One entry point.
#pragma once
#include <vector>

#include "egress/diagnostic.hpp"
#include "sema/catalog.hpp"
#include "sema/program.hpp"
#include "syntax/ast.hpp"

namespace egress::sema {

/// Builds the program from `files` (the main file first, then every imported module). Reports every
/// malformed statement, unknown or duplicate name and wrong-kind reference; never stops at the first.
/// Data statements of the stdlib (regions, service_tags, fqdn_tags, requirement) fill `catalog`.
/// `env`: the `env` whose parameter values the program is checked with; empty: every parameter's default.
Program elaborate(const std::vector<const syntax::File*>& files, const SourceManager& sources, Catalog& catalog,
                  Diagnostics& diags, std::string_view env = {});

}  // namespace egress::sema
