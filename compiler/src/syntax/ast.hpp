// The syntax tree: plain data with a span on every node. egress has one statement shape,
//   statement := head item* [ '<' statement* '>' ]
// so the grammar stays small and every tool (formatter, highlighter, language server) can walk any file.
// What a statement means is decided by sema/elaborate.cpp, never here.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "egress/source.hpp"

namespace egress::syntax {

enum class ItemKind : std::uint8_t {
  word,        // fw, vnet.aks, AzureCloud.${location}, store-front, fwpip/32 (see Item::prefix)
  string,      // "aks-${prefix}-rg" (parts hold the unescaped text and interpolations)
  number,      // 443
  port_range,  // 8000-8080 (text holds "8000-8080")
  address,     // 10.42.0.0/16 or 10.42.2.4 (text holds it as written)
  arrow,       // ->
  colon,       // :
  comma,       // ,
  star,        // *
  equals,      // =
};

/// A piece of a string or word: literal text, or `${name}` (an interpolation of a parameter).
struct Part {
  bool interpolation = false;
  std::string text;  // unescaped literal, or the parameter name
  Span span;
};

struct Item {
  ItemKind kind = ItemKind::word;
  Span span;
  std::string text;         // the token as written (for strings: without the quotes, still escaped)
  std::vector<Part> parts;  // strings and words: literal and interpolated pieces in order
  int prefix = -1;          // words only: `fwpip/32` has prefix 32; -1 when absent

  [[nodiscard]] bool is(ItemKind k) const { return kind == k; }
  /// True when this is a word written exactly as `w` (keywords are words).
  [[nodiscard]] bool is_word(std::string_view w) const { return kind == ItemKind::word && text == w; }
  [[nodiscard]] bool has_interpolation() const {
    for (const auto& p : parts) if (p.interpolation) return true;
    return false;
  }
};

struct Statement;

struct Block {
  Span open;   // the '<'
  Span close;  // the '>'
  std::vector<Statement> statements;
};

struct Statement {
  Span span;  // from the head to the end of the last item or the closing '>'
  Item head;  // always a word
  std::vector<Item> items;
  bool has_block = false;
  Block block;
};

struct Comment {
  Span span;         // from `//` to the end of the line
  bool own_line;     // true when nothing but white space precedes it on its line
};

struct File {
  std::uint32_t file = 0;
  std::vector<Statement> statements;
  std::vector<Comment> comments;  // in source order; the formatter re-attaches them
};

/// Writes the tree in an indented, stable text form (`egressc --dump=ast`).
std::string dump(const File& file, const SourceManager& sources);

}  // namespace egress::syntax
