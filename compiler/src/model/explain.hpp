// `egressc explain`: one flow traced through the model like a traceroute: the effective route chosen at each
// subnet (prefix, next hop), then the firewall collection and rule that allow it, DNAT it, or its default deny.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/network.hpp"

namespace egress::model {

/// `--to HOST:PORT/PROTO`: PROTO is tcp, udp, icmp, http or https.
struct ExplainTarget {
  std::string host;
  std::uint16_t port = 0;
  std::string proto;
};

/// Parses "mcr.microsoft.com:443/https"; nullopt when malformed (a usage error).
[[nodiscard]] std::optional<ExplainTarget> parse_explain_target(std::string_view to);

struct Explanation {
  enum class Result { allowed, dropped, error } result = Result::error;
  std::string text;  // the trace, one step per numbered line; for errors, the message
};

/// Traces the flow from `from` (a subnet as VNET.SUBNET, a cluster's name, or `internet`) to `to`.
[[nodiscard]] Explanation explain(const Network& network, std::string_view from, const ExplainTarget& to);

}  // namespace egress::model
