// sema::Text: a string of the program that may hold `${param}` holes, and its value with the parameters' defaults.
#pragma once
#include <string>
#include <vector>

#include "egress/source.hpp"

namespace egress::sema {

/// Text that may hold `${param}` holes. `value` is the text with every parameter at its default,
/// which is what the checks reason about; emitters keep the holes (ARM format(), Bicep '${}', bash "${}").
struct Text {
  struct Part {
    bool param = false;
    std::string text;  // literal text, or the parameter's name
  };
  std::vector<Part> parts;
  std::string value;
  Span span;
  // False when a hole names a parameter without a default (or no parameter): `value` then holds `${p}`, and
  // what the outputs get is only known at deploy time, so value checks skip it.
  bool known = true;

  [[nodiscard]] bool is_literal() const {
    for (const auto& p : parts) if (p.param) return false;
    return true;
  }
  static Text literal(std::string s, Span span = {}) { return Text{{Part{false, s}}, s, span}; }
};

}  // namespace egress::sema
