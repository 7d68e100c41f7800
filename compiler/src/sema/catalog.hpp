// What the compiler knows about Azure that changes over time: regions, service tags, FQDN tags and the
// flows an AKS cluster needs. It is filled from stdlib/*.egress, never hard-coded in C++.
#pragma once
#include <set>
#include <string>
#include <vector>

#include "egress/source.hpp"
#include "sema/program.hpp"

namespace egress::sema {

/// One flow a cluster must be able to make, e.g. udp AzureCloud.${location}:1194.
struct RequiredFlow {
  enum class Kind { network, application } kind = Kind::network;
  Protocol protocol = Protocol::tcp;       // network flows
  AppProtocol::Kind app_protocol = AppProtocol::Kind::https;  // application flows
  Endpoint destination;                    // fqdn (wildcards allowed), service_tag (may hold ${location})
  std::uint16_t port = 0;
  std::string why;                         // what breaks without it
  Span span;
};

struct Requirement {
  std::string name;   // "aks"
  std::string title;
  std::vector<RequiredFlow> flows;
  Span span;
};

struct Catalog {
  std::set<std::string, std::less<>> regions;
  std::set<std::string, std::less<>> service_tags;  // usable in Azure Firewall rules, without a region suffix
  std::set<std::string, std::less<>> regional_service_tags;  // those of service_tags that take `.region`
  std::set<std::string, std::less<>> firewall_unsupported_tags;  // service tags Azure Firewall does not take
  std::set<std::string, std::less<>> fqdn_tags;
  std::set<std::string, std::less<>> policy_only_fqdn_tags;  // those of fqdn_tags only a Firewall Policy takes
  std::vector<Requirement> requirements;            // from imported modules such as stdlib/aks.egress

  [[nodiscard]] bool known_region(std::string_view r) const { return regions.find(r) != regions.end(); }
  [[nodiscard]] bool regional(std::string_view tag) const {
    return regional_service_tags.find(tag) != regional_service_tags.end();
  }
};

}  // namespace egress::sema
