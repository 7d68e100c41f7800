// E0234-E0239, W0208: DNAT rules. The destination is one of the firewall's own public IPs; the translated
// address is an internal load balancer (or a literal address) in a VNet the firewall reaches; the protocol is
// TCP or UDP; and the platform's limit on external destinations holds.
//
// Sources (verified against the current docs):
//   Azure Firewall limits, https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#azure-firewall-limits
//     "Maximum DNAT rules (Maximum external destinations): 250 maximum [number of firewall public IP addresses +
//     unique destinations (destination address, port, and protocol)]" (so TCP and UDP count as two). Checked
//     2026-12-07.
//   DNAT rules, https://learn.microsoft.com/azure/firewall/tutorial-firewall-dnat: destination is a firewall public
//     IP; protocols TCP and UDP; the translated address and port reach a private IP.
//   The article: "The translated address must be the IP address of the internal load balancer. The translated
//     port must be the exposed port for your Kubernetes service."
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "model/checks.hpp"

namespace egress::model {

using namespace egress::sema;

namespace {

constexpr std::size_t kMaxExternalDestinations = 250;

// Remote management ports that should never face the whole Internet: SSH, RDP, WinRM (HTTP, HTTPS).
constexpr std::array<std::uint16_t, 4> kManagementPorts = {22, 3389, 5985, 5986};

std::string_view management_port_name(std::uint16_t port) {
  switch (port) {
    case 22: return "SSH";
    case 3389: return "RDP";
    case 5985: return "WinRM over HTTP";
    case 5986: return "WinRM over HTTPS";
  }
  return "";
}

void dnat_rule(const Program& program, const Firewall& fw, const DnatRule& r, Diagnostics& diags) {
  // E0236
  if (r.protocol == Protocol::icmp) {
    diags.report(Code::E0236, r.span,
                 fmt::format("DNAT rule `{}` translates ICMP: Azure Firewall translates only TCP and UDP, and rejects "
                             "the rule",
                             r.name),
                 "write `dnat tcp ...` or `dnat udp ...` (`any` means both)");
  }
  // E0234
  const bool own = std::any_of(fw.frontends.begin(), fw.frontends.end(),
                               [&](const Frontend& f) { return f.public_ip != nullptr && f.public_ip == r.destination; });
  if (r.destination != nullptr && !own) {  // no destination: no frontend at all, E0107 reports the firewall
    auto& d = diags.report(Code::E0234, r.span,
                           fmt::format("DNAT rule `{}` listens on public IP `{}`, which is not a frontend of firewall "
                                       "`{}`: traffic to it never reaches the firewall, and Azure rejects the rule",
                                       r.name, r.destination->symbol, fw.symbol),
                           fmt::format("add `frontend {}` to the firewall, or write `to` one of its frontends",
                                       r.destination->symbol));
    d.notes.push_back({r.destination->span, fmt::format("public IP `{}` is declared here", r.destination->symbol)});
    d.notes.push_back({fw.span, fmt::format("firewall `{}` is declared here", fw.symbol)});
  }
  const Vnet* fw_vnet = fw.subnet != nullptr ? fw.subnet->vnet : nullptr;
  // E0235: a literal translated address must be in the firewall's VNet or a VNet peered with it.
  if (r.translated_ip && r.service == nullptr && fw_vnet != nullptr) {
    const Vnet* home = nullptr;
    for (const auto& v : program.vnets)
      for (const auto& space : v.address_space)
        if (space.contains(r.translated_ip->value) && home == nullptr) home = &v;
    if (home == nullptr || !vnets_connected(fw_vnet, home)) {
      auto& d = diags.report(
          Code::E0235, r.translated_ip->span.length != 0 ? r.translated_ip->span : r.span,
          home == nullptr
              ? fmt::format("DNAT rule `{}` translates to {}, which is in no VNet of the program: the firewall "
                            "cannot deliver the traffic",
                            r.name, r.translated_ip->str())
              : fmt::format("DNAT rule `{}` translates to {} in VNet `{}`, which is not peered with the firewall's VNet "
                            "`{}`: the firewall cannot deliver the traffic",
                            r.name, r.translated_ip->str(), home->symbol, fw_vnet->symbol),
          home == nullptr ? "translate to an address inside the firewall's VNet or a VNet peered with it"
                          : fmt::format("peer the VNets (`peer {}` in VNet `{}`)", home->symbol, fw_vnet->symbol));
      d.notes.push_back({fw_vnet->span, fmt::format("the firewall's VNet `{}`", fw_vnet->symbol)});
      if (home != nullptr) d.notes.push_back({home->span, fmt::format("VNet `{}` holds the address", home->symbol)});
    }
  }
  if (r.service != nullptr) {
    const Service& svc = *r.service;
    const Cluster* cluster = svc.app != nullptr ? svc.app->cluster : nullptr;
    // E0237
    if (svc.exposure != Service::Exposure::internal) {
      auto& d = diags.report(
          Code::E0237, r.span,
          fmt::format("DNAT rule `{}` targets service \"{}\", which is {}: the firewall needs an internal load "
                      "balancer's private IP to translate to{}",
                      r.name, svc.name, svc.exposure == Service::Exposure::public_ ? "a public load balancer" : "ClusterIP only",
                      svc.exposure == Service::Exposure::public_
                          ? ", and a public load balancer behind a firewall UDR breaks by asymmetric routing"
                          : ""),
          fmt::format("declare it `service \"{}\" internal port ...`", svc.name));
      d.notes.push_back({svc.exposure_span.length != 0 ? svc.exposure_span : svc.span,
                         fmt::format("service \"{}\" is declared here", svc.name)});
      if (cluster != nullptr) d.notes.push_back({cluster->span, fmt::format("on cluster `{}`", cluster->symbol)});
    } else if (cluster != nullptr && cluster->subnet != nullptr && fw_vnet != nullptr &&
               !vnets_connected(fw_vnet, cluster->subnet->vnet)) {
      auto& d = diags.report(
          Code::E0237, r.span,
          fmt::format("DNAT rule `{}` targets service \"{}\" on cluster `{}`, whose VNet `{}` is not peered with the "
                      "firewall's VNet `{}`: the firewall cannot reach the load balancer",
                      r.name, svc.name, cluster->symbol, cluster->subnet->vnet->symbol, fw_vnet->symbol),
          fmt::format("peer the VNets (`peer {}` in VNet `{}`), or publish the service on a firewall in its own VNet",
                      cluster->subnet->vnet->symbol, fw_vnet->symbol));
      d.notes.push_back({svc.span, fmt::format("service \"{}\" is declared here", svc.name)});
      d.notes.push_back({cluster->span, fmt::format("cluster `{}` is in subnet {}", cluster->symbol,
                                                    cluster->subnet->prefix.str())});
    }
    // E0238
    const bool exposed = std::any_of(svc.ports.begin(), svc.ports.end(),
                                     [&](const ServicePort& p) { return p.port == r.translated_port; });
    if (!exposed && r.translated_port != 0) {
      std::string ports;
      for (const auto& p : svc.ports) ports += fmt::format("{}{}", ports.empty() ? "" : ", ", p.port);
      auto& d = diags.report(Code::E0238, r.span,
                             fmt::format("DNAT rule `{}` translates to port {} of service \"{}\", which exposes {}: "
                                         "connections to the firewall are refused",
                                         r.name, r.translated_port, svc.name, ports),
                             svc.ports.size() == 1
                                 ? fmt::format("translate to the service's port: `-> service \"{}\" : {}`", svc.name,
                                               svc.ports.front().port)
                                 : fmt::format("translate to one of the service's ports ({})", ports));
      d.notes.push_back({svc.span, fmt::format("service \"{}\" is declared here", svc.name)});
    }
  }
  // W0208
  const bool from_anywhere =
      std::any_of(r.sources.begin(), r.sources.end(), [](const Endpoint& e) {
        return e.kind == Endpoint::Kind::any || (e.kind == Endpoint::Kind::cidr && e.cidr.length == 0) ||
               (e.kind == Endpoint::Kind::service_tag && e.text == "Internet");
      });
  if (from_anywhere &&
      std::find(kManagementPorts.begin(), kManagementPorts.end(), r.port) != kManagementPorts.end()) {
    auto& d = diags.report(Code::W0208, r.port_span.length != 0 ? r.port_span : r.span,
                           fmt::format("DNAT rule `{}` opens port {} ({}) to the whole Internet: it is scanned and "
                                       "brute-forced within minutes",
                                       r.name, r.port, management_port_name(r.port)),
                           "restrict the sources (`dnat ... from 203.0.113.0/24 ...`), or reach the machines through "
                           "Azure Bastion or a VPN");
    if (r.destination != nullptr)
      d.notes.push_back({r.destination->span, fmt::format("public IP `{}` receives it", r.destination->symbol)});
  }
}

/// E0239: public IPs plus unique (destination, port, protocol) DNAT destinations.
void dnat_limit(const Firewall& fw, Diagnostics& diags) {
  std::set<const PublicIp*> ips;
  for (const auto& f : fw.frontends)
    if (f.public_ip != nullptr) ips.insert(f.public_ip);
  std::set<std::tuple<const PublicIp*, std::uint16_t, int>> destinations;
  for (const auto& col : fw.collections)
    for (const auto& r : col.dnat_rules) {
      if (r.protocol == Protocol::tcp || r.protocol == Protocol::any) destinations.insert({r.destination, r.port, 0});
      if (r.protocol == Protocol::udp || r.protocol == Protocol::any) destinations.insert({r.destination, r.port, 1});
      const auto total = ips.size() + destinations.size();
      if (total <= kMaxExternalDestinations) continue;
      auto& d = diags.report(Code::E0239, r.span,
                             fmt::format("firewall `{}` reaches {} external destinations with this DNAT rule ({} public "
                                         "IP{} + {} unique address/port/protocol destinations; TCP and UDP count "
                                         "separately): the platform allows 250, and Azure rejects the rule",
                                         fw.symbol, total, ips.size(), ips.size() == 1 ? "" : "s", destinations.size()),
                             "publish fewer ports, share ports across rules to the same destination, or use another "
                             "firewall");
      d.notes.push_back({fw.span, fmt::format("firewall `{}` is declared here", fw.symbol)});
      return;  // once per firewall
    }
}

}  // namespace

namespace {

bool has_frontend(const Firewall& fw, const PublicIp* pip) {
  return std::any_of(fw.frontends.begin(), fw.frontends.end(),
                     [&](const Frontend& f) { return f.public_ip != nullptr && f.public_ip == pip; });
}

/// A policy's DNAT rule is shared by every firewall that uses the policy, and it acts on the one whose
/// public IP it names: it is checked there. When no firewall of the policy has that IP, it is reported once,
/// on the first of them, as a classic rule would be.
bool check_here(const Program& program, const Firewall& fw, const RuleCollection& col, const DnatRule& r) {
  if (col.group == nullptr || r.destination == nullptr || has_frontend(fw, r.destination)) return true;
  const Firewall* first = nullptr;
  for (const auto& other : program.firewalls) {
    if (other.policy != fw.policy) continue;
    if (first == nullptr) first = &other;
    if (has_frontend(other, r.destination)) return false;
  }
  return first == &fw;
}

}  // namespace

void check_dnat(const Program& program, Diagnostics& diags) {
  for (const auto& fw : program.firewalls) {
    for (const auto& col : fw.collections)
      for (const auto& r : col.dnat_rules)
        if (check_here(program, fw, col, r)) dnat_rule(program, fw, r, diags);
    dnat_limit(fw, diags);
  }
}

}  // namespace egress::model
