// Diagnostics are data: a stable code, a primary span, a message, notes on related spans, a hint, fix-its.
#pragma once
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "egress/source.hpp"

namespace egress {

enum class Severity { error, warning };

/// Every code the compiler can report; declared once in compiler/src/diag/codes.def. Never reuse a number.
enum class Code : unsigned short {
#define EGRESS_DIAG(id, severity, slug, title) id,
#include "../../src/diag/codes.def"
#undef EGRESS_DIAG
};

struct CodeInfo {
  Code code;
  std::string_view id;     // "E0101"
  Severity severity;       // the default severity (--strict turns warnings into errors)
  std::string_view slug;   // "unknown-statement": file names of tests and doc anchors
  std::string_view title;  // one line for the catalogue
};

[[nodiscard]] const CodeInfo& info(Code code);
[[nodiscard]] std::span<const CodeInfo> all_codes();

struct Note {
  Span span;
  std::string message;
  friend bool operator==(const Note&, const Note&) = default;
};

/// Replace the text of `span` with `replacement` (an insertion when span.length == 0).
struct FixIt {
  Span span;
  std::string replacement;
};

struct Diagnostic {
  Code code{};
  Severity severity = Severity::error;
  Span span;
  std::string message;
  std::vector<Note> notes;
  std::string hint;
  std::vector<FixIt> fixits;
};

/// Collects diagnostics from every phase; phases never throw on user errors.
/// Keeps the first kMaxKept diagnostics and only counts the rest: a 100 MB file of nonsense would otherwise
/// hold millions of them (gigabytes) and print them all. The counts stay exact, so has_errors() never lies.
class Diagnostics {
 public:
  static constexpr std::size_t kMaxKept = 1000;

  /// Adds a diagnostic with the code's default severity and returns it, so callers can add notes:
  /// `diags.report(Code::E0101, span, "...").notes.push_back(...)`. Past kMaxKept the returned diagnostic
  /// is a scratch one that is counted, then dropped.
  Diagnostic& report(Code code, Span span, std::string message, std::string hint = {});

  [[nodiscard]] bool has_errors() const { return errors_ > 0; }
  [[nodiscard]] std::size_t error_count() const { return errors_; }
  [[nodiscard]] std::size_t warning_count() const { return warnings_; }
  /// How many were counted but not kept (all() holds the others).
  [[nodiscard]] std::size_t dropped() const { return errors_ + warnings_ - list_.size(); }
  [[nodiscard]] const std::vector<Diagnostic>& all() const { return list_; }

  /// Turns every warning into an error (--strict).
  void promote_warnings();
  /// Sorts by file, offset and code, and drops exact duplicates (same code, span and message).
  void sort_and_dedupe();
  void append(const Diagnostics& other);

  /// Context notes: while one is open, every diagnostic reported gets it as a note, innermost first. Used
  /// where one piece of source is checked once per place it is used (a rule set's body, once per `use`):
  /// the note says which use an error comes from. Close each with pop_context(), or use ContextScope.
  void push_context(Note note) { context_.push_back(std::move(note)); }
  void pop_context() { context_.pop_back(); }
  /// The open context notes, innermost first (what report() appends).
  [[nodiscard]] std::vector<Note> context() const { return {context_.rbegin(), context_.rend()}; }

 private:
  std::size_t& counter(Severity s) { return s == Severity::error ? errors_ : warnings_; }

  std::vector<Diagnostic> list_;
  Diagnostic scratch_;  // what report() returns once kMaxKept are kept
  std::size_t errors_ = 0, warnings_ = 0;
  std::vector<Note> context_;  // outermost first
};

/// Opens a context note for the lifetime of the scope (Diagnostics::push_context).
class ContextScope {
 public:
  ContextScope(Diagnostics& diags, Note note) : diags_(diags) { diags_.push_context(std::move(note)); }
  ~ContextScope() { diags_.pop_context(); }
  ContextScope(const ContextScope&) = delete;
  ContextScope& operator=(const ContextScope&) = delete;

 private:
  Diagnostics& diags_;
};

/// Opens saved context notes again (innermost first, as Diagnostics::context() gives them) for the scope:
/// a later phase that reports on something made inside a context (a collection placed by a `use`).
class ContextNotes {
 public:
  ContextNotes(Diagnostics& diags, const std::vector<Note>& innermost_first) : diags_(diags), n_(innermost_first.size()) {
    for (auto it = innermost_first.rbegin(); it != innermost_first.rend(); ++it) diags_.push_context(*it);
  }
  ~ContextNotes() {
    for (std::size_t i = 0; i < n_; ++i) diags_.pop_context();
  }
  ContextNotes(const ContextNotes&) = delete;
  ContextNotes& operator=(const ContextNotes&) = delete;

 private:
  Diagnostics& diags_;
  std::size_t n_;
};

/// Renders `file:line:col: error[E0101]: message`, the source line with a caret, notes and the hint.
/// With `colour`, the labels and the caret carry ANSI colours (the CLI asks for it on a terminal only).
[[nodiscard]] std::string render(const Diagnostic& d, const SourceManager& sources, bool colour = false);

// Diagnostics for machines (compiler/src/diag/formats.cpp; `egressc --diagnostics-format`, docs/cli.md).

/// `file:line:col: error: message [E0101]`, then a `note:` line per note and one for the hint: the shape
/// editors' problem matchers and compilation buffers read.
[[nodiscard]] std::string render_gcc(const Diagnostic& d, const SourceManager& sources);

/// A JSON array with one object per diagnostic: code, severity, message, span (file, byte offset and length,
/// 1-based line and byte column of start and end), notes, hint and fix-its.
[[nodiscard]] std::string diagnostics_json(const std::vector<Diagnostic>& diags, const SourceManager& sources);

/// A SARIF 2.1.0 log of one run of egressc: every code as a rule (id, name, short description, help URI into
/// docs/diagnostics.md), every diagnostic as a result with its location, notes as related locations and
/// fix-its as fixes. `tool_version` is egressc's.
[[nodiscard]] std::string diagnostics_sarif(const std::vector<Diagnostic>& diags, const SourceManager& sources,
                                            std::string_view tool_version);

}  // namespace egress
