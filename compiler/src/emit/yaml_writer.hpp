// A tiny block-style YAML writer for generated Kubernetes manifests. The emitter builds a tree of nodes and
// the writer prints it; every user string goes through one function that picks a style that reads back as
// exactly that string: plain only when nothing in any YAML 1.1/1.2 reader could retype or split it, a
// literal block for clean multi-line text, else JSON-style double quotes.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace egress::emit::yaml {

class Node {
 public:
  enum class Kind { scalar, map, seq };

  /// A string from the user: always reads back as that exact string.
  static Node str(std::string s);
  /// An integer.
  static Node num(long long n);
  /// true / false.
  static Node boolean(bool b);
  static Node map();
  static Node seq();

  /// Map: adds `key: value` (a key already present keeps its place and takes the new value).
  Node& set(std::string key, Node value);
  /// Seq: appends an item.
  Node& push(Node item);

  [[nodiscard]] Kind kind() const { return kind_; }
  [[nodiscard]] bool empty() const { return kind_ == Kind::map ? entries_.empty() : items_.empty(); }

 private:
  friend class Printer;
  Kind kind_ = Kind::scalar;
  bool quoted_ = false;  // scalar: a user string (true) or a trusted token such as 42 or true (false)
  std::string text_;
  std::vector<std::pair<std::string, Node>> entries_;
  std::vector<Node> items_;
};

/// The documents, `---` before each, after `#` comment lines. `\n` line ends and a final newline.
std::string write_stream(const std::vector<std::string>& comment_lines, const std::vector<Node>& docs);

/// A one-line scalar for `s` (plain or double-quoted), as a key or a flow value would be written.
std::string inline_scalar(std::string_view s);

/// Whether `s` can be written as a plain scalar and read back as the same string by YAML 1.1 and 1.2 readers.
bool plain_ok(std::string_view s);

/// Text for a `#` comment: control characters and line breaks become spaces.
std::string comment_text(std::string_view s);

}  // namespace egress::emit::yaml
