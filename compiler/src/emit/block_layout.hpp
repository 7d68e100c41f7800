// The layout the JSON and Bicep writers share: one member or item per line, two spaces of indentation per
// level, `{}` and `[]` for an empty object or array. The two differ only in the comma JSON puts between
// members and in how a key or a value is spelled, which each writer does itself.
#pragma once
#include <algorithm>
#include <cassert>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "emit/stream.hpp"

namespace egress::emit {

/// The open objects and arrays of a writer streaming into one string (or a Stream), and where the next key or value goes.
/// `Writer` derives from BlockLayout<Writer> and writes keys and values; opening and closing are done here.
template <class Writer>
class BlockLayout {
 public:
  Writer& begin_object() { return open('{', true); }
  Writer& end_object() { return close('}', true); }
  Writer& begin_array() { return open('[', false); }
  Writer& end_array() { return close(']', false); }

  /// Nesting depth: 0 once the top-level value is closed.
  [[nodiscard]] std::size_t depth() const { return stack_.size(); }

 protected:
  BlockLayout(std::string& out, bool commas) : out_(out), commas_(commas) {}
  /// Writing into a Stream: after each closed object the stream may hand its text on (Stream::spill_if_full()).
  BlockLayout(Stream& out, bool commas) : out_(out.text), stream_(&out), commas_(commas) {}

  /// Before a value: nothing after a key or at the top level, else a line of its own in the array.
  void before_value() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (stack_.empty()) return;  // the top-level value
    assert(!stack_.back().object && "a value inside an object needs a key");
    next_line();
  }

  /// Before a key: a line of its own in the object. The writer then writes the key and calls end_key().
  void begin_key() {
    assert(!stack_.empty() && stack_.back().object && !after_key_);
    next_line();
  }
  void end_key() {
    out_ += ": ";
    after_key_ = true;
  }

  std::string& out_;

 private:
  Writer& open(char bracket, bool object) {
    before_value();
    out_ += bracket;
    stack_.push_back({object, true});
    return static_cast<Writer&>(*this);
  }

  Writer& close(char bracket, bool object) {
    assert(!stack_.empty() && stack_.back().object == object && !after_key_);
    (void)object;
    const bool empty = stack_.back().empty;
    stack_.pop_back();
    if (!empty) newline_indent(stack_.size());
    out_ += bracket;
    if (stream_ != nullptr && object) stream_->spill_if_full();
    return static_cast<Writer&>(*this);
  }

  struct Frame {
    bool object = false;
    bool empty = true;
  };

  // A comma (JSON, after a sibling), a line break and the indentation, appended together: this runs once per
  // member and item, a few million times for a template of 100,000 rules.
  void next_line() {
    Frame& f = stack_.back();
    const bool comma = !f.empty && commas_;
    f.empty = false;
    break_line(stack_.size(), comma);
  }

  void newline_indent(std::size_t depth) { break_line(depth, false); }

  void break_line(std::size_t depth, bool comma) {
    // ",\n" and then spaces: the part from `comma ? 0 : 1` is what a line break at depth <= 30 needs.
    static constexpr std::string_view lead = ",\n                                                            ";
    std::size_t n = depth * 2;
    const std::size_t first = std::min(n, lead.size() - 2);
    out_.append(lead.data() + (comma ? 0 : 1), first + (comma ? 2 : 1));
    for (n -= first; n > 0;) {  // deeper than the spaces above: rare
      const std::size_t k = std::min(n, lead.size() - 2);
      out_.append(lead.data() + 2, k);
      n -= k;
    }
  }

  Stream* const stream_ = nullptr;
  const bool commas_;
  std::vector<Frame> stack_;
  bool after_key_ = false;
};

}  // namespace egress::emit
