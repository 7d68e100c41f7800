// The base protocol: JSON-RPC messages framed by `Content-Length: N\r\n\r\n` headers on a byte stream.
#pragma once
#include <cstddef>
#include <istream>
#include <ostream>
#include <string>

namespace egress::lsp {

/// Messages larger than this are read and dropped (a document of 64 MiB is far beyond any real program).
inline constexpr std::size_t kMaxMessageBytes = std::size_t{64} << 20;

struct Incoming {
  enum class Status { message, eof, bad_header, too_large } status = Status::eof;
  std::string body;
  std::string error;  // for bad_header and too_large
};

/// Reads the next message. Headers other than Content-Length (Content-Type) are ignored; a header block
/// without a usable Content-Length is skipped and reported as bad_header, so the caller can go on reading.
Incoming read_message(std::istream& in);

/// Writes one framed message and flushes.
void write_message(std::ostream& out, const std::string& body);

}  // namespace egress::lsp
