// Diagnostics for machines: the gcc one-line shape, JSON, and SARIF 2.1.0 (declared in egress/diagnostic.hpp).
// Text from the user (names in messages) may be any bytes: JSON is written with invalid UTF-8 replaced, never
// an exception.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/ascii.hpp"
#include "egress/diagnostic.hpp"

namespace egress {
namespace {

using json = nlohmann::ordered_json;

std::string_view severity_name(Severity s) { return s == Severity::error ? "error" : "warning"; }

bool has_file(const SourceManager& sources, const Span& span) { return span.file < sources.size(); }

std::string dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

// ---- gcc

void gcc_line(std::string& out, const SourceManager& sources, const Span& span, std::string_view label,
              std::string_view message) {
  if (!has_file(sources, span)) {
    out += fmt::format("egressc: {}: {}\n", label, message);
    return;
  }
  const auto lc = sources.line_col(span.file, span.offset);
  out += fmt::format("{}:{}:{}: {}: {}\n", sources.path(span.file), lc.line, lc.column, label, message);
}

// ---- JSON

json position(const SourceManager& sources, std::uint32_t file, std::uint32_t offset) {
  const auto lc = sources.line_col(file, offset);
  return {{"line", lc.line}, {"column", lc.column}};
}

json span_json(const SourceManager& sources, const Span& span) {
  if (!has_file(sources, span)) return nullptr;
  return {{"file", sources.path(span.file)},
          {"offset", span.offset},
          {"length", span.length},
          {"start", position(sources, span.file, span.offset)},
          {"end", position(sources, span.file, span.end())}};
}

// ---- SARIF

// Where docs/diagnostics.md is published; each code's section has the anchor "e0101-unknown-statement".
constexpr std::string_view kDocs = "https://github.com/egress-lang/egress/blob/main/docs/diagnostics.md";

std::string anchor(const CodeInfo& c) {
  return ascii_lower(fmt::format("{}-{}", c.id, c.slug));
}

/// A path as a URI reference: relative paths stay relative (code scanning resolves them against the
/// checkout), absolute ones become file: URIs; every byte outside the unreserved set and '/' is escaped
/// (`<stdlib>/aks.egress` -> `%3Cstdlib%3E/aks.egress`).
std::string uri(std::string_view path) {
  std::string out = !path.empty() && path.front() == '/' ? "file://" : "";
  for (const unsigned char c : path) {
    const bool plain = std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    out += plain ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
  }
  return out;
}

/// SARIF counts columns in Unicode code points here (run.columnKind): the bytes before `offset` on its line
/// that start a UTF-8 sequence.
std::uint32_t code_point_column(const SourceManager& sources, std::uint32_t file, std::uint32_t offset) {
  const auto lc = sources.line_col(file, offset);
  const auto line = sources.line_text(file, offset);
  std::uint32_t column = 1;
  for (std::size_t i = 0; i + 1 < lc.column && i < line.size(); ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++column;
  return column;
}

json region(const SourceManager& sources, const Span& span) {
  const auto end = sources.line_col(span.file, span.end());
  return {{"startLine", sources.line_col(span.file, span.offset).line},
          {"startColumn", code_point_column(sources, span.file, span.offset)},
          {"endLine", end.line},
          {"endColumn", code_point_column(sources, span.file, span.end())}};
}

json physical_location(const SourceManager& sources, const Span& span) {
  return {{"artifactLocation", {{"uri", uri(sources.path(span.file))}}}, {"region", region(sources, span)}};
}

}  // namespace

std::string render_gcc(const Diagnostic& d, const SourceManager& sources) {
  std::string out;
  gcc_line(out, sources, d.span, severity_name(d.severity), fmt::format("{} [{}]", d.message, info(d.code).id));
  for (const auto& n : d.notes) gcc_line(out, sources, n.span, "note", n.message);
  if (!d.hint.empty()) gcc_line(out, sources, d.span, "note", "hint: " + d.hint);
  return out;
}

std::string diagnostics_json(const std::vector<Diagnostic>& diags, const SourceManager& sources) {
  json all = json::array();
  for (const auto& d : diags) {
    const auto& c = info(d.code);
    json notes = json::array(), fixits = json::array();
    for (const auto& n : d.notes) notes.push_back({{"message", n.message}, {"span", span_json(sources, n.span)}});
    for (const auto& f : d.fixits) fixits.push_back({{"span", span_json(sources, f.span)}, {"replacement", f.replacement}});
    all.push_back({{"code", c.id},
                   {"name", c.slug},
                   {"severity", severity_name(d.severity)},
                   {"message", d.message},
                   {"span", span_json(sources, d.span)},
                   {"notes", std::move(notes)},
                   {"hint", d.hint.empty() ? json(nullptr) : json(d.hint)},
                   {"fixits", std::move(fixits)}});
  }
  return dump(all) + "\n";
}

std::string diagnostics_sarif(const std::vector<Diagnostic>& diags, const SourceManager& sources,
                              std::string_view tool_version) {
  json rules = json::array();
  for (const auto& c : all_codes())
    rules.push_back({{"id", c.id},
                     {"name", c.slug},
                     {"shortDescription", {{"text", c.title}}},
                     {"helpUri", fmt::format("{}#{}", kDocs, anchor(c))},
                     {"defaultConfiguration", {{"level", severity_name(c.severity)}}}});
  json results = json::array();
  for (const auto& d : diags) {
    const auto& c = info(d.code);
    json result = {{"ruleId", c.id},
                   {"ruleIndex", static_cast<std::size_t>(&c - all_codes().data())},
                   {"level", severity_name(d.severity)},
                   {"message", {{"text", d.hint.empty() ? d.message : d.message + " (hint: " + d.hint + ")"}}}};
    if (has_file(sources, d.span)) result["locations"] = json::array({{{"physicalLocation", physical_location(sources, d.span)}}});
    json related = json::array();
    for (const auto& n : d.notes)
      if (has_file(sources, n.span))
        related.push_back({{"id", related.size()},
                           {"physicalLocation", physical_location(sources, n.span)},
                           {"message", {{"text", n.message}}}});
    if (!related.empty()) result["relatedLocations"] = std::move(related);
    json changes = json::array();
    for (const auto& f : d.fixits)
      if (has_file(sources, f.span))
        changes.push_back({{"artifactLocation", {{"uri", uri(sources.path(f.span.file))}}},
                           {"replacements", json::array({{{"deletedRegion", region(sources, f.span)},
                                                          {"insertedContent", {{"text", f.replacement}}}}})}});
    if (!changes.empty())
      result["fixes"] = json::array({{{"description", {{"text", d.hint.empty() ? std::string("apply the fix") : d.hint}}},
                                      {"artifactChanges", std::move(changes)}}});
    results.push_back(std::move(result));
  }
  const json log = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", json::array({{{"tool", {{"driver", {{"name", "egressc"},
                                                    {"version", tool_version},
                                                    {"informationUri", "https://github.com/egress-lang/egress"},
                                                    {"rules", std::move(rules)}}}}},
                              {"columnKind", "unicodeCodePoints"},
                              {"results", std::move(results)}}})}};
  return dump(log) + "\n";
}

}  // namespace egress
