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
  const Severity severity = info(code).severity;
  ++counter(severity);
  if (list_.size() >= kMaxKept) {
    scratch_ = Diagnostic{code, severity, span, {}, {}, {}, {}};
    return scratch_;
  }
  list_.push_back(Diagnostic{code, severity, span, std::move(message), {}, std::move(hint), {}});
  list_.back().notes = context();
  return list_.back();
}

void Diagnostics::promote_warnings() {
  for (auto& d : list_) d.severity = Severity::error;
  errors_ += warnings_;
  warnings_ = 0;
}

void Diagnostics::append(const Diagnostics& other) {
  errors_ += other.errors_;
  warnings_ += other.warnings_;
  const auto room = kMaxKept > list_.size() ? kMaxKept - list_.size() : 0;
  const auto n = std::min(room, other.list_.size());
  list_.insert(list_.end(), other.list_.begin(), other.list_.begin() + static_cast<std::ptrdiff_t>(n));
}

void Diagnostics::sort_and_dedupe() {
  auto key = [](const Diagnostic& d) {
    return std::tuple(d.span.file, d.span.offset, static_cast<int>(d.code), std::string_view(d.message));
  };
  std::stable_sort(list_.begin(), list_.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
  const auto last = std::unique(list_.begin(), list_.end(),
                                [&](const auto& a, const auto& b) { return key(a) == key(b) && a.span == b.span; });
  for (auto it = last; it != list_.end(); ++it) --counter(it->severity);
  list_.erase(last, list_.end());
}

}  // namespace egress
