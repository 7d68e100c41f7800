// Content-Length framing, tolerant of junk: a bad header block is skipped, an oversized body is drained.
#include "base/ascii.hpp"
#include "lsp/transport.hpp"

#include <vector>

namespace egress::lsp {

namespace {

constexpr std::size_t kMaxHeaderLine = 8192;

/// Reads one header line without its "\r\n" (a bare "\n" is accepted too); false at EOF.
bool read_line(std::istream& in, std::string& line, bool& too_long) {
  line.clear();
  too_long = false;
  int c;
  bool any = false;
  while ((c = in.get()) != std::char_traits<char>::eof()) {
    any = true;
    if (c == '\n') {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return true;
    }
    if (line.size() < kMaxHeaderLine) line.push_back(static_cast<char>(c));
    else too_long = true;
  }
  return any;
}

bool iequals_prefix(const std::string& s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (ascii_lower(s[i]) != prefix[i]) return false;
  return true;
}

}  // namespace

Incoming read_message(std::istream& in) {
  Incoming result;
  std::string line;
  bool too_long = false;
  bool have_length = false, bad = false, any_header = false;
  std::size_t length = 0;
  for (;;) {
    if (!read_line(in, line, too_long)) {
      result.status = Incoming::Status::eof;
      return result;
    }
    if (line.empty() && !too_long) {
      if (!any_header) continue;  // stray blank lines between messages
      break;
    }
    any_header = true;
    if (too_long) bad = true;
    constexpr std::string_view key = "content-length:";
    if (iequals_prefix(line, key)) {
      std::size_t i = key.size();
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      std::size_t value = 0;
      bool digits = false;
      for (; i < line.size() && line[i] >= '0' && line[i] <= '9'; ++i) {
        digits = true;
        if (value > (std::size_t{1} << 40)) { bad = true; break; }
        value = value * 10 + static_cast<std::size_t>(line[i] - '0');
      }
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      if (!digits || i != line.size()) bad = true;
      else {
        have_length = true;
        length = value;
      }
    }
  }
  if (bad || !have_length) {
    result.status = Incoming::Status::bad_header;
    result.error = "a message header without a valid Content-Length";
    return result;
  }
  if (length > kMaxMessageBytes) {
    std::vector<char> sink(1 << 16);
    std::size_t left = length;
    while (left > 0 && in) {
      const auto n = std::min(left, sink.size());
      in.read(sink.data(), static_cast<std::streamsize>(n));
      left -= static_cast<std::size_t>(in.gcount());
      if (in.gcount() == 0) break;
    }
    result.status = Incoming::Status::too_large;
    result.error = "a message of " + std::to_string(length) + " bytes is too large";
    return result;
  }
  result.body.resize(length);
  in.read(result.body.data(), static_cast<std::streamsize>(length));
  if (static_cast<std::size_t>(in.gcount()) != length) {
    result.status = Incoming::Status::eof;
    result.body.clear();
    return result;
  }
  result.status = Incoming::Status::message;
  return result;
}

void write_message(std::ostream& out, const std::string& body) {
  out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out.flush();
}

}  // namespace egress::lsp
