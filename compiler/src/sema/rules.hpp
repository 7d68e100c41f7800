// The rules of the checked program (sema/program.hpp): network, application and DNAT rules, their sources and
// destinations (Endpoint), and the collections that hold them. Large rule sets hold hundreds of thousands of these,
// which is why some of them are laid out with care for their size.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "egress/diagnostic.hpp"
#include "egress/source.hpp"
#include "sema/address.hpp"
#include "sema/text.hpp"

namespace egress::sema {

struct Subnet;
struct PublicIp;

enum class Protocol { tcp, udp, icmp, any };

struct PortRange {
  std::uint16_t first = 0;
  std::uint16_t last = 0;
  Span span;
};

struct Cluster;
struct Firewall;
struct FirewallPolicy;
struct Identity;
struct Service;
struct IpGroup;
struct RuleCollectionGroup;

/// One source or destination of a rule. Large rule sets hold hundreds of thousands of these (two vectors of
/// them per rule), so the rarely needed pattern is kept out of line: 112 bytes instead of 168.
struct Endpoint {
  enum class Kind : std::uint8_t { any, cidr, fqdn, service_tag, fqdn_tag, subnet, public_ip, ip_group };
  Kind kind = Kind::any;
  Cidr cidr;                            // cidr (a single IP is a /32)
  std::string text;                     // fqdn, service_tag, fqdn_tag (after interpolation)
  // fqdn and service_tag: the text with its `${...}` holes (service tags may hold ${location}); null for the
  // other kinds. Shared by the endpoint's copies (rule sets copy endpoints), which never change it.
  std::shared_ptr<const Text> pattern_text;
  const Subnet* subnet = nullptr;       // subnet
  const PublicIp* public_ip = nullptr;  // public_ip
  const IpGroup* ip_group = nullptr;    // ip_group: the model reads its members, the outputs its resource
  Span span;

  /// The pattern of an fqdn or service_tag; an empty Text for the other kinds.
  [[nodiscard]] const Text& pattern() const {
    static const Text none;
    return pattern_text ? *pattern_text : none;
  }
  /// Sets the pattern and `text`, its value.
  void set_pattern(Text t) {
    text = t.value;
    pattern_text = std::make_shared<const Text>(std::move(t));
  }
};

/// `ip_group NAME ["azure-name"] ADDRESS|VNET.SUBNET, ...`: a Microsoft.Network/ipGroups resource. Rules
/// name it as a source (network, application, DNAT) or a destination (network); the network model matches
/// its members, as if the rule listed them.
struct IpGroup {
  std::string symbol;
  Text name;
  std::vector<Endpoint> members;  // Kind::cidr or Kind::subnet, as written
  Span span;
};

struct NetworkRule {
  std::string name;
  std::vector<Protocol> protocols;
  std::vector<Endpoint> sources;
  std::vector<Endpoint> destinations;
  std::vector<PortRange> ports;
  Span span;
};

struct AppProtocol {
  enum class Kind { http, https, mssql } kind = Kind::https;
  std::uint16_t port = 443;
  Span span;
};

/// `header "NAME" "VALUE"` after an application rule's targets: an HTTP header the firewall inserts into the
/// requests the rule allows (httpHeadersToInsert; Firewall Policy only).
struct HttpHeader {
  Text name;
  Text value;
  Span span;
};

struct ApplicationRule {
  std::string name;
  std::vector<AppProtocol> protocols;
  std::vector<Endpoint> sources;
  std::vector<Endpoint> targets;  // fqdn (wildcards allowed) or fqdn_tag
  Span span;
  // Firewall Policy only (sema/policy_checks.cpp reports them in classic rules): `-> category "NAME"`
  // (webCategories), `-> url "HOST/PATH"` (targetUrls), `terminate_tls` (terminateTLS), `header "N" "V"`
  // (httpHeadersToInsert).
  std::vector<Text> web_categories;
  std::vector<Text> target_urls;
  bool terminate_tls = false;
  Span terminate_tls_span;
  std::vector<HttpHeader> headers;
  Span policy_feature_span;  // the first of these, where an error about them points
};

struct DnatRule {
  std::string name;                  // given, or derived from the target: "store-front-80"
  Protocol protocol = Protocol::tcp;
  std::vector<Endpoint> sources;     // default: any
  const PublicIp* destination = nullptr;  // default: the firewall's first frontend
  bool destination_given = false;         // `to PUBLIC_IP` was written (a policy's DNAT rules need it)
  std::uint16_t port = 0;
  Span port_span;
  // Translated address: a Service of an app (its internal load balancer IP) or a literal address.
  std::string service_name;
  Service* service = nullptr;
  std::optional<Ip> translated_ip;
  std::uint16_t translated_port = 0;  // default: the service's port of the same number, else `port`
  Span span;
};

enum class CollectionKind { network, application, nat };
enum class Action { allow, deny };

struct RuleCollection {
  CollectionKind kind = CollectionKind::network;
  std::string name;
  int priority = 0;
  Action action = Action::allow;
  std::vector<NetworkRule> network_rules;
  std::vector<ApplicationRule> application_rules;
  std::vector<DnatRule> dnat_rules;
  bool implicit = false;  // the collection that holds `dnat` lines written directly in a firewall
  Span span;
  // Policy firewalls: the rule collection group the collection comes from (null for classic rules). Azure
  // processes groups by priority, then the collections of a group by theirs (model/firewall_rules.cpp).
  const RuleCollectionGroup* group = nullptr;
  // Policy firewalls: the policy whose group it is, and how far up the `base` chain that policy is from the
  // firewall's own (its oldest ancestor has the lowest level): inherited collections are processed first.
  const FirewallPolicy* policy = nullptr;
  int inheritance_level = 0;
  // Collections placed by `use RULE_SET`: "in rule set `X`, used here" at each use, innermost first. Checks
  // that report on the collection add them, since its span is in the rule set's body, shared by every use.
  std::vector<Note> origin;
  // Collections placed by `use REQUIREMENT_SET CLUSTER`: the cluster they allow (null otherwise). A second use
  // of the same set for another cluster in one firewall or rule group names every such collection after its
  // cluster (sema/decl_rule_set.cpp), so two clusters behind one firewall can each take the AKS rows.
  const Cluster* for_cluster = nullptr;
};

}  // namespace egress::sema
