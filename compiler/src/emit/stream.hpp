// Where an emitter's text goes: a string that can be handed on in pieces while it is written, so that a template
// of 1,000,000 rules (440 MB) never exists whole in memory; the process writes it to its file a chunk at a time.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace egress::emit {

/// Receives an emitter's text in pieces, in order (egress::compile() passes them on to the caller's OutputSink).
class TextSink {
 public:
  virtual void append(std::string_view text) = 0;

 protected:
  ~TextSink() = default;
};

/// An emitter's output. Writers append to `text`; with a sink, spill_if_full() — which the JSON and Bicep writers
/// call after closing each object, a point where nothing written later refers back to the text before it — hands
/// the text on once it has grown past `chunk` bytes and starts it again. Without a sink `text` ends up holding the
/// whole output, as the emitters' string-returning forms give it.
class Stream {
 public:
  /// 1 MiB: large enough that a chunk is one write() of no measurable overhead, small enough to stay in the caches.
  static constexpr std::size_t kChunk = std::size_t{1} << 20;

  explicit Stream(TextSink* sink = nullptr, std::size_t chunk = kChunk) : sink_(sink), chunk_(chunk) {
    if (sink_ != nullptr) text.reserve(chunk_ + chunk_ / 4);  // one allocation: an object rarely overshoots a quarter
  }

  std::string text;

  void spill_if_full() {
    if (sink_ != nullptr && text.size() >= chunk_) spill();
  }
  /// The end of the output: with a sink, whatever is left goes to it.
  void finish() {
    if (sink_ != nullptr && !text.empty()) spill();
  }
  [[nodiscard]] bool streaming() const { return sink_ != nullptr; }

 private:
  void spill() {
    sink_->append(text);
    text.clear();
  }

  TextSink* sink_;
  std::size_t chunk_;
};

}  // namespace egress::emit
