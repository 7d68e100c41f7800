// What the language server says about keywords: which statements each block takes (for completion), the
// values a setting takes, and a short doc for hover. Mirrors the forms in sema/decl_*.cpp.
#pragma once
#include <string_view>
#include <vector>

namespace egress::lsp {

struct KeywordInfo {
  std::string_view word;
  std::string_view form;  // "firewall NAME [\"azure-name\"] in VNET.AzureFirewallSubnet [< ... >]"
  std::string_view doc;   // one or two sentences
};

/// The statements allowed in a block whose statement is `block_head` ("" for the top level). `grand` is the
/// head around that (a `network` block inside a firewall holds rules, a top-level one is unknown).
std::vector<KeywordInfo> statements_in(std::string_view block_head);

/// A statement keyword or another keyword (`in`, `priority`, `tag` ...) as used inside `block_head`'s block;
/// null if the word is no keyword there.
const KeywordInfo* keyword_info(std::string_view word, std::string_view block_head);

/// The values a setting takes (`sku` in a firewall: basic standard premium); empty if it takes none of a list.
std::vector<std::string_view> setting_values(std::string_view head, std::string_view block_head);

}  // namespace egress::lsp
