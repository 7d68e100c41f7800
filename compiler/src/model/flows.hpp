// Egress verification: the flows every cluster must make (the catalog's requirements, and the registries
// of its apps' images) walked from the cluster's subnet through its effective route to the firewall, and
// through the firewall's rules in Azure's order: network rule collections by priority, then application
// rule collections by priority, then the default deny. Rule evaluation: firewall_rules.cpp; the flows and
// their checks: check_flows.cpp.
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/ascii.hpp"  // ascii_lower: Azure compares FQDNs and tag names without case
#include "egress/diagnostic.hpp"
#include "model/routes.hpp"
#include "sema/catalog.hpp"
#include "sema/program.hpp"

namespace egress::model {

class Network;

/// "TCP", "UDP", "ICMP", "any protocol": how messages and hovers name a network rule's protocol.
[[nodiscard]] std::string protocol_name(sema::Protocol p);
[[nodiscard]] std::string_view app_protocol_name(sema::AppProtocol::Kind k);
/// A requirement's destination with `${location}` replaced by `region`; `fallback` when it has no parts.
[[nodiscard]] std::string with_region(const sema::Text& pattern, const std::string& fallback, const std::string& region);

/// One connection: where to, which protocol and port, and which application rules may match it.
struct Flow {
  enum class Target { fqdn, service_tag, address, public_ip } target = Target::fqdn;
  /// Which application-rule protocols the connection can match: none (UDP, or plain TCP the firewall
  /// cannot read), one kind, or any kind on the same port (`explain ... /tcp`).
  enum class App { none, http, https, mssql, any } app = App::none;
  std::string host;  // as shown: "mcr.microsoft.com", "AzureCloud.eastus", "10.1.2.3", "fwpip"
  std::uint32_t address = 0;
  const sema::PublicIp* public_ip = nullptr;
  sema::Protocol protocol = sema::Protocol::tcp;
  std::uint16_t port = 0;

  [[nodiscard]] Destination destination() const;
  /// "UDP AzureCloud.eastus:1194", "HTTPS mcr.microsoft.com:443".
  [[nodiscard]] std::string text() const;
};

/// A rule that names the destination but does not match for another reason (port, protocol, source).
struct NearMiss {
  Span span;
  std::string message;
};

struct Verdict {
  enum class Result { allowed, denied, no_match } result = Result::no_match;
  const sema::RuleCollection* collection = nullptr;
  const sema::NetworkRule* network_rule = nullptr;
  const sema::ApplicationRule* application_rule = nullptr;
  std::string how;                    // why the rule matches: "tag AzureKubernetesService covers mcr.microsoft.com"
  std::vector<NearMiss> near_misses;  // only when nothing matched; at most a few
  [[nodiscard]] bool allowed() const { return result == Result::allowed; }
  [[nodiscard]] Span rule_span() const;
  [[nodiscard]] const std::string& rule_name() const;
};

/// A firewall's rules in Azure's processing order, indexed by destination so that evaluating a flow costs
/// the rules that could match it, never all of them.
class FirewallRules {
 public:
  FirewallRules(const sema::Firewall& fw, const sema::Catalog& catalog, const std::string& region);

  [[nodiscard]] const sema::Firewall& firewall() const { return fw_; }
  /// Network rules first (first match in priority order wins, allow or deny), then application rules.
  [[nodiscard]] Verdict evaluate(const Flow& flow, const sema::Cidr& source) const;
  /// The DNAT rule that translates traffic from the Internet to `pip`:`port`, or null.
  [[nodiscard]] const sema::DnatRule* dnat(const sema::PublicIp* pip, sema::Protocol protocol, std::uint16_t port,
                                           const sema::RuleCollection** collection) const;
  /// Does the FQDN tag cover `host`? Known from the requirement the tag stands for (AzureKubernetesService: aks).
  [[nodiscard]] bool tag_covers(std::string_view tag, std::string_view host) const;
  /// The (lower-case) FQDN tag that stands for `requirement` and covers `host`, or "".
  [[nodiscard]] std::string_view tag_for(std::string_view requirement, std::string_view host) const;
  [[nodiscard]] std::size_t network_rule_count() const { return net_.size(); }
  [[nodiscard]] std::size_t application_rule_count() const { return app_.size(); }

 private:
  struct NetRef {
    const sema::RuleCollection* collection;
    const sema::NetworkRule* rule;
  };
  struct AppRef {
    const sema::RuleCollection* collection;
    const sema::ApplicationRule* rule;
  };
  using Bucket = std::vector<std::uint32_t>;  // positions in net_ or app_, ascending
  using Positions = std::span<const std::uint32_t>;

  /// Rule positions by lower-case name (FQDN, tag, wildcard suffix): an open-addressing table over string
  /// views with every bucket a contiguous run of one array, built in two linear passes, with no allocation
  /// per name: 100,000 FQDNs index in a few milliseconds.
  class NameIndex {
   public:
    void add(std::string_view key, std::uint32_t position);
    void finish();
    [[nodiscard]] Positions find(std::string_view key) const;

   private:
    struct Slot {
      std::string_view key;
      std::size_t hash = 0;
      std::uint32_t begin = 0, end = 0;
      bool used = false;
    };
    [[nodiscard]] std::size_t slot_of(std::string_view key, std::size_t hash) const;
    std::vector<std::pair<std::string_view, std::uint32_t>> pending_;
    std::vector<Slot> slots_;
    std::vector<std::uint32_t> positions_;
  };

  /// A lower-case view of `text`: the text itself when it has no capital, else a copy kept in owned_.
  std::string_view key(const std::string& text);

  void scan_network(Positions bucket, const Flow& flow, const sema::Cidr& source, std::uint32_t& best,
                    std::vector<NearMiss>* misses) const;
  void scan_application(Positions bucket, const Flow& flow, const sema::Cidr& source, std::uint32_t& best,
                        std::vector<NearMiss>* misses) const;
  [[nodiscard]] std::string network_how(const NetRef& ref, const Flow& flow) const;
  [[nodiscard]] std::string application_how(const AppRef& ref, const Flow& flow) const;

  const sema::Firewall& fw_;
  std::vector<NetRef> net_;
  std::vector<AppRef> app_;
  std::vector<const sema::DnatRule*> dnat_;
  std::vector<const sema::RuleCollection*> dnat_collection_;
  std::deque<std::string> owned_;  // lower-cased names whose original has capitals (stable addresses)
  Bucket net_any_, net_public_, net_address_;
  NameIndex net_fqdn_, net_tag_;
  std::map<const sema::PublicIp*, Bucket> net_pip_;
  Bucket app_any_;
  NameIndex app_fqdn_, app_wildcard_;
  std::map<std::string, Bucket, std::less<>> app_tag_;  // a handful of FQDN tags, iterated in order
  std::map<std::string, std::vector<std::string>, std::less<>> tag_patterns_;  // lower-case tag -> FQDNs
};

enum class FlowOutcome {
  allowed,     // passes the firewall, a rule allows it
  blocked,     // reaches the firewall, no rule allows it (or a deny rule matches)
  bypass,      // leaves for the Internet without passing any firewall
  dropped,     // a route drops it (next hop None, or a firewall it cannot reach)
  unverified,  // goes to an appliance or gateway the compiler does not model
};
[[nodiscard]] std::string_view outcome_name(FlowOutcome o);

/// An image a workload pulls, and where it was written.
struct ImageUse {
  std::string image;
  std::string owner;  // "deployment order-service (app store)"
  Span span;
};

/// One flow of one cluster, walked through the model.
struct ClusterFlow {
  const sema::Cluster* cluster = nullptr;
  const sema::Subnet* from = nullptr;  // the node subnet the flow leaves: a pool's own, or the cluster's (null: that)
  const sema::Requirement* requirement = nullptr;  // required flows
  const sema::RequiredFlow* required = nullptr;
  std::string registry;          // image flows: the registry ("docker.io"); every host of it is a flow
  std::vector<ImageUse> images;  // image flows: the images pulled from `registry`
  Flow flow;
  const EffectiveRoute* route = nullptr;
  const sema::Firewall* firewall = nullptr;
  Verdict verdict;
  FlowOutcome outcome = FlowOutcome::unverified;
};

/// Every required flow and image-registry flow of every cluster, in program order, from each subnet its node
/// pools use (node_subnets).
[[nodiscard]] std::vector<ClusterFlow> cluster_flows(const Network& network);
/// The subnets a cluster's node pools put nodes in, in pool order, each once.
[[nodiscard]] std::vector<const sema::Subnet*> node_subnets(const sema::Cluster& c);

/// The registry of an image: the part before the first `/` when it holds a `.` or `:` (or is localhost),
/// else Docker Hub ("docker.io"). Returns host and port (443 unless the registry names one).
[[nodiscard]] std::pair<std::string, std::uint16_t> image_registry(std::string_view image);

/// Does an FQDN pattern (`*`, `*.example.com` or a name) cover `host` (a name, or itself a `*.` pattern)?
[[nodiscard]] bool fqdn_covers(std::string_view pattern, std::string_view host);

/// W0231: a cluster's flow to a custom DNS server of its VNet that a route drops (check_cluster_dns.cpp).
void report_unreachable_dns(const ClusterFlow& cf, Diagnostics& diags);

/// Flow checks: E0246 E0247 E0248, W0231.
void check_flows(const Network& network, Diagnostics& diags);

}  // namespace egress::model
