// What the compiler knows about Azure that changes over time: regions, service tags, FQDN tags and the
// flows an AKS cluster needs. It is filled from stdlib/*.egress, never hard-coded in C++.
#pragma once
#include <cstdint>
#include <map>
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
  /// A destination the cluster gives, written `cluster.WORD` (e.g. `cluster.dns_servers`): the addresses
  /// requirement_destinations() in sema/requirement.cpp returns for the cluster. Empty for other rows.
  std::string cluster_endpoint;
  std::uint16_t port = 0;
  std::string why;                         // what breaks without it
  Span span;
  /// `when WORD...`: the row applies only to a cluster that has every one of these (requirement_applies()
  /// in sema/requirement.cpp decides): private, public, monitoring, keyvault_secrets, azure_policy, defender.
  std::vector<std::string> when;
  /// `recommended`: a blocked flow is a warning (W0230), not an error.
  bool recommended = false;
  /// `unless TAG : PORT`: not needed when the cluster reaches the service tag on TCP PORT instead.
  std::string unless_tag;
  std::uint16_t unless_port = 0;
};

struct Requirement {
  std::string name;   // "aks"
  std::string title;
  std::vector<RequiredFlow> flows;
  Span span;
};

/// The hosts a pull from one registry contacts (stdlib/registries.egress). `name` is the registry as an image
/// names it ("docker.io"), or `*.suffix` for a family of registries (`*.azurecr.io`), whose hosts may then use
/// `${registry}` (the registry as the image names it), `${name}` (its first label) and `${location}`.
struct RegistryHosts {
  std::string name;
  std::vector<std::string> aliases;  // other spellings images use: "index.docker.io"
  struct Host {
    std::string pattern;
    std::vector<std::string> alternatives;  // `or "..."`: any one of them instead of `pattern`
    std::string why;
    Span span;
  };
  std::vector<Host> hosts;
  Span span;
};

struct Catalog {
  std::set<std::string, std::less<>> regions;
  std::set<std::string, std::less<>> zonal_regions;  // `regions zonal ...`: those of regions with availability zones
  std::set<std::string, std::less<>> service_tags;  // usable in Azure Firewall rules, without a region suffix
  std::set<std::string, std::less<>> regional_service_tags;  // those of service_tags that take `.region`
  std::set<std::string, std::less<>> firewall_unsupported_tags;  // service tags Azure Firewall does not take
  std::set<std::string, std::less<>> fqdn_tags;
  std::set<std::string, std::less<>> policy_only_fqdn_tags;  // those of fqdn_tags only a Firewall Policy takes
  std::vector<Requirement> requirements;            // from imported modules such as stdlib/aks.egress
  std::vector<RegistryHosts> registries;            // from the prelude, stdlib/registries.egress
  /// `fqdn_tag_covers TAG "fqdn"...` (prelude): lower-case tag -> the FQDNs (may hold ${location}) it covers.
  std::map<std::string, std::vector<Text>, std::less<>> tag_covers;

  [[nodiscard]] bool known_region(std::string_view r) const { return regions.find(r) != regions.end(); }
  [[nodiscard]] bool has_zones(std::string_view r) const { return zonal_regions.find(r) != zonal_regions.end(); }
  [[nodiscard]] bool regional(std::string_view tag) const {
    return regional_service_tags.find(tag) != regional_service_tags.end();
  }
};

}  // namespace egress::sema
