// The code registry and the Diagnostics collector.
#include <algorithm>
#include <array>
#include <tuple>

#include "egress/diagnostic.hpp"

namespace egress {
namespace {

constexpr Severity error = Severity::error;
constexpr Severity warning = Severity::warning;

constexpr std::array kCodes = {
#define EGRESS_DIAG(id, severity, slug, title) CodeInfo{Code::id, #id, severity, slug, title},
#include "codes.def"
#undef EGRESS_DIAG
};

}  // namespace

const CodeInfo& info(Code code) { return kCodes[static_cast<std::size_t>(code)]; }
std::span<const CodeInfo> all_codes() { return kCodes; }

Diagnostic& Diagnostics::report(Code code, Span span, std::string message, std::string hint) {
  list_.push_back(Diagnostic{code, info(code).severity, span, std::move(message), {}, std::move(hint), {}});
  return list_.back();
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

std::size_t Diagnostics::error_count() const {
  return static_cast<std::size_t>(
      std::count_if(list_.begin(), list_.end(), [](const auto& d) { return d.severity == Severity::error; }));
}

std::size_t Diagnostics::warning_count() const { return list_.size() - error_count(); }

void Diagnostics::promote_warnings() {
  for (auto& d : list_) d.severity = Severity::error;
}

void Diagnostics::append(const Diagnostics& other) {
  list_.insert(list_.end(), other.list_.begin(), other.list_.end());
}

void Diagnostics::sort_and_dedupe() {
  auto key = [](const Diagnostic& d) {
    return std::tuple(d.span.file, d.span.offset, static_cast<int>(d.code), std::string_view(d.message));
  };
  std::stable_sort(list_.begin(), list_.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
  list_.erase(std::unique(list_.begin(), list_.end(),
                          [&](const auto& a, const auto& b) { return key(a) == key(b) && a.span == b.span; }),
              list_.end());
}

}  // namespace egress
