// The syntax tree: plain data with a span on every node. egress has one statement shape,
//   statement := head item* [ '<' statement* '>' ]
// so the grammar stays small and every tool (formatter, highlighter, language server) can walk any file.
// What a statement means is decided by sema/elaborate.cpp, never here.
//
// How it is stored. Every node is a small value that owns nothing (views and numbers only, so copying a
// Statement or an Item is cheap):
// - texts (`Item::text`, `Part::text`) are views of the source text, which the SourceManager keeps, unmoved,
//   for as long as it lives (egress/source.hpp); only a string with escapes has its unescaped parts kept
//   in the File (`File::storage`);
// - a statement's items, a block's statements and an item's parts are std::spans of runs kept in the File's
//   arenas (syntax/arena.hpp), one contiguous run per statement, block or item.
// So a File must not outlive the SourceManager it was parsed from, and its nodes must not outlive the File.
// A rule line of a large firewall costs one Statement (120 bytes) and one Item (48 bytes) per token, with no
// heap allocation of its own (docs/performance.md, "syntax").
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "egress/source.hpp"
#include "syntax/arena.hpp"

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
  std::string_view text;  // unescaped literal, or the parameter name
  Span span;
  bool interpolation = false;
};

struct Item {
  std::string_view text;  // the token as written (for strings: without the quotes, still escaped)
  Span span;
  int prefix = -1;        // words only: `fwpip/32` has prefix 32; -1 when absent
  ItemKind kind = ItemKind::word;

  /// Strings: the unescaped literal pieces and the interpolations, in order (none for `""`). Words: the
  /// same, but only for a word that holds `${...}`; a plain word has none, its text is all there is.
  [[nodiscard]] std::span<const Part> parts() const { return {parts_, part_count_}; }
  void set_parts(std::span<const Part> parts) {
    parts_ = parts.data();
    part_count_ = static_cast<std::uint32_t>(parts.size());
  }

  [[nodiscard]] bool is(ItemKind k) const { return kind == k; }
  /// True when this is a word written exactly as `w` (keywords are words).
  [[nodiscard]] bool is_word(std::string_view w) const { return kind == ItemKind::word && text == w; }
  [[nodiscard]] bool has_interpolation() const {
    for (const auto& p : parts()) if (p.interpolation) return true;
    return false;
  }

  /// An item made by a later phase rather than read (sema/param_shape.cpp). `text` must outlive the item:
  /// a literal, or a view of the source.
  static Item token(ItemKind kind, std::string_view text, Span span) {
    Item it;
    it.kind = kind;
    it.text = text;
    it.span = span;
    return it;
  }

 private:
  // Count and pointer rather than a std::span member, and in this order: the count fills the gap after
  // `kind`, so an Item is 48 bytes, not 56 (items are most of the tree; the static_assert below keeps it so).
  std::uint32_t part_count_ = 0;
  const Part* parts_ = nullptr;
};

struct Statement;

struct Block {
  Span open;   // the '<'
  Span close;  // the '>'
  std::span<const Statement> statements;
};

struct Statement {
  Span span;  // from the head to the end of the last item or the closing '>'
  bool has_block = false;
  Item head;  // always a word
  std::span<const Item> items;
  Block block;
};

// On 64-bit targets; see the top of this file for what they cost per rule line.
static_assert(sizeof(void*) != 8 || (sizeof(Item) == 48 && sizeof(Statement) == 120), "a field order padded the tree");

struct Comment {
  Span span;         // from `//` to the end of the line
  bool own_line;     // true when nothing but white space precedes it on its line
};

/// Where a File's runs live (see the top of this file). Only the parser and sema/param_shape.cpp add to it.
struct Storage {
  Arena<Statement> statements;
  Arena<Item> items;
  Arena<Part> parts;
  Arena<char> unescaped;  // the literal parts of strings with escapes
};

/// One parsed file. Move-only: its statements point into its own storage.
struct File {
  std::uint32_t file = 0;
  std::span<const Statement> statements;
  std::vector<Comment> comments;  // in source order; the formatter re-attaches them
  Storage storage;
};

/// Writes the tree in an indented, stable text form (`egressc --dump=ast`).
std::string dump(const File& file, const SourceManager& sources);

}  // namespace egress::syntax
