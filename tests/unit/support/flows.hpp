// Flows for the network model's walk (model/flows.hpp), as the tests of rules and routes write them.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "model/flows.hpp"
#include "sema/address.hpp"

namespace egress::testing {

/// HTTPS to the FQDN `host`.
inline model::Flow https(std::string host, std::uint16_t port = 443) {
  model::Flow f;
  f.target = model::Flow::Target::fqdn;
  f.host = std::move(host);
  f.port = port;
  f.app = model::Flow::App::https;
  return f;
}

/// TCP to the IP address `address` (which must parse).
inline model::Flow tcp_to(std::string_view address, std::uint16_t port) {
  model::Flow f;
  f.target = model::Flow::Target::address;
  f.host = std::string(address);
  f.address = sema::parse_ip(address).value();
  f.protocol = sema::Protocol::tcp;
  f.port = port;
  f.app = model::Flow::App::any;
  return f;
}

}  // namespace egress::testing
