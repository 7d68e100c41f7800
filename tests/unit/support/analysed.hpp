// A program analysed in process (parse, elaboration, model checks), for the unit tests that look at its
// diagnostics and its network model. One helper, so that every such test reads its programs the same way:
// imports resolved against the source tree, diagnostics rendered into `rendered` for failure messages.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/analyse.hpp"
#include "model/explain.hpp"
#include "model/network.hpp"

namespace egress::testing {

struct Analysed {
  SourceManager sources;
  std::unique_ptr<api::Analysis> analysis;
  std::unique_ptr<model::Network> network;  // built only for Expect::usable
  std::string rendered;                     // every diagnostic, rendered as egressc prints it

  /// The codes of the diagnostics, in the order reported ("E0246", ...).
  [[nodiscard]] std::vector<std::string> codes() const;
  [[nodiscard]] std::size_t count(std::string_view code) const;
  [[nodiscard]] bool has(std::string_view code) const { return find(code) != nullptr; }
  /// The first diagnostic with `code`, or null.
  [[nodiscard]] const Diagnostic* find(std::string_view code) const;
  /// The first diagnostic with `code`; throws when there is none (the test then fails with the message).
  [[nodiscard]] const Diagnostic& first(std::string_view code) const;
  [[nodiscard]] bool has_errors() const { return analysis->diagnostics.has_errors(); }
  [[nodiscard]] const sema::Program& program() const { return analysis->program; }
  // The declarations by name; each throws when there is none (the test then fails with the message).
  [[nodiscard]] const sema::Firewall& firewall(std::string_view symbol) const;
  [[nodiscard]] const sema::Vnet& vnet(std::string_view symbol) const;
  [[nodiscard]] const sema::Subnet& subnet(std::string_view path) const;  // "vnet.aks"
  [[nodiscard]] const sema::Cluster& cluster(std::string_view symbol) const;
  /// `egressc explain FROM TO` on the network model (Expect::usable); TO must parse ("host:443/https").
  [[nodiscard]] model::Explanation explain(std::string_view from, std::string_view to) const;
  /// The source text a span covers.
  [[nodiscard]] std::string text(Span span) const { return std::string(sources.slice(span)); }
};

enum class Expect {
  usable,    // the program must analyse to a usable program (REQUIREd); its network model is built
  anything,  // errors allowed (a diagnostics case): no network model
};

/// Analyses `text` as if it were the file `name` (a path relative to the source tree, for messages).
std::unique_ptr<Analysed> analyse_text(const std::string& name, const std::string& text, Expect expect);

}  // namespace egress::testing
