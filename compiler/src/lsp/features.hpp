// The requests of the language server, each a function of one Analysis: the JSON shapes of LSP 3.17.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "lsp/analysis.hpp"
#include "lsp/text.hpp"

namespace egress::lsp {

using json = nlohmann::json;

/// Where diagnostic codes are documented. A code's entry is the heading `## E0228 fqdn-needs-dns-proxy` of
/// docs/diagnostics.md, so its link is `<kDiagnosticsDocs>#e0228-fqdn-needs-dns-proxy` (GitHub's anchor).
inline constexpr std::string_view kDiagnosticsDocs = "https://github.com/egress-lang/egress/blob/main/docs/diagnostics.md";
std::string code_href(const CodeInfo& code);

json to_json(const Position& p);
json to_json(const Range& r);
Position position_from_json(const json& j);  // missing or malformed fields read as 0

/// textDocument/publishDiagnostics params for the analysed document.
json publish_diagnostics(const Analysis& a, std::optional<int> version);
/// The LSP Diagnostic objects of the main document (also what code actions are matched against).
json diagnostics(const Analysis& a);

json hover(const Analysis& a, std::uint32_t offset);
json definition(const Analysis& a, std::uint32_t offset);
json references(const Analysis& a, std::uint32_t offset, bool include_declaration);
json document_highlight(const Analysis& a, std::uint32_t offset);
json document_symbols(const Analysis& a);
json completion(const Analysis& a, std::uint32_t offset);
/// Whole-document formatting: one edit, [] when already formatted, null when the file has syntax errors.
json formatting(const Analysis& a);
/// Quick fixes from the fix-its of the diagnostics that touch `range`.
json code_actions(const Analysis& a, const Range& range, const json& context);

/// Why a rename cannot be done (the server answers the request with this message).
struct RenameError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
/// The range and text of the name at `offset` that a rename would change; null where there is none.
json prepare_rename(const Analysis& a, std::uint32_t offset);
/// The WorkspaceEdit renaming the name at `offset` everywhere it is declared and used (lsp/rename.cpp).
json rename(const Analysis& a, std::uint32_t offset, const std::string& new_name);
/// Semantic tokens (lsp/decorations.cpp): the legend the server announces, and the main document's tokens.
json semantic_tokens_legend();
json semantic_tokens(const Analysis& a);
/// Inlay hints in `range`: the values the compiler derives (a firewall's private IP, a route's next hop to it,
/// an internal load balancer's IP after its service and its DNATs, a subnet's usable addresses).
json inlay_hints(const Analysis& a, const Range& range);
/// workspace/symbol: the declarations of the analysed documents whose name contains `query` (any case),
/// each once, as SymbolInformation.
json workspace_symbols(const std::vector<const Analysis*>& analyses, const std::string& query);

}  // namespace egress::lsp
