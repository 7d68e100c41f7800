// SourceManager: line tables are built once per file so that printing a position is a binary search.
#include "egress/source.hpp"

#include <algorithm>

namespace egress {

Span Span::to(const Span& other) const {
  const auto begin = std::min(offset, other.offset);
  const auto finish = std::max(end(), other.end());
  return Span{file, begin, finish - begin};
}

std::uint32_t SourceManager::add(std::string path, std::string text) {
  File f{std::move(path), std::move(text), {0}};
  // memchr, not a byte loop: the language server adds the whole document on every keystroke.
  const std::string_view t = f.text;
  for (auto at = t.find('\n'); at != std::string_view::npos; at = t.find('\n', at + 1))
    f.line_starts.push_back(static_cast<std::uint32_t>(at + 1));
  files_.push_back(std::move(f));
  return static_cast<std::uint32_t>(files_.size() - 1);
}

LineCol SourceManager::line_col(std::uint32_t file, std::uint32_t offset) const {
  const auto& starts = files_.at(file).line_starts;
  auto it = std::upper_bound(starts.begin(), starts.end(), offset);
  const auto line = static_cast<std::uint32_t>(it - starts.begin());  // >= 1
  return LineCol{line, offset - starts[line - 1] + 1};
}

std::string_view SourceManager::line_text(std::uint32_t file, std::uint32_t offset) const {
  const auto& f = files_.at(file);
  const auto lc = line_col(file, offset);
  const std::uint32_t begin = f.line_starts[lc.line - 1];
  std::uint32_t end = lc.line < f.line_starts.size() ? f.line_starts[lc.line] - 1
                                                     : static_cast<std::uint32_t>(f.text.size());
  if (end > begin && f.text[end - 1] == '\r') --end;
  return std::string_view(f.text).substr(begin, end - begin);
}

std::string_view SourceManager::slice(const Span& span) const {
  const auto text = std::string_view(files_.at(span.file).text);
  if (span.offset >= text.size()) return {};
  return text.substr(span.offset, span.length);
}

}  // namespace egress
