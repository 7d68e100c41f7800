// Elaboration of NAT gateways: `nat_gateway NAME ["azure-name"] < public_ip PIP, ...; idle_timeout MINUTES >`,
// a subnet's `nat_gateway NAME`, and the checks Azure makes of both (E0340-E0344, W0250).
//
// The facts, each checked 2026-12-06:
//   - "Troubleshoot Azure NAT Gateway" (learn.microsoft.com/azure/nat-gateway/troubleshoot-nat):
//       "Can't exceed 16 public IP addresses on NAT gateway" (E0341);
//       "Can't use basic public IPs with NAT gateway": a NAT gateway is a standard resource (E0340);
//       "NAT gateway can't be attached to a gateway subnet" (E0343);
//       "NAT gateway can't be attached to subnet already attached to another NAT gateway": one per subnet (E0108),
//       and an individual NAT gateway "can't span beyond a single virtual network" (E0344);
//       "NAT gateway configuration basics": at least one public IP address must be associated with the NAT gateway
//       for it to provide outbound connectivity (W0250).
//   - "Azure NAT Gateway resource" (learn.microsoft.com/azure/nat-gateway/nat-gateway-resource), "TCP idle timeout":
//       adjustable from 4 minutes (the default) to 120 minutes (E0342).
//   - "Frequently asked questions for Azure NAT Gateway" (learn.microsoft.com/azure/nat-gateway/faq): a NAT gateway
//       is attached to subnets and to at least one *static* public IP address (E0340 for a dynamic one).
// A NAT gateway and its public IPs must be in one region; egress deploys every resource to the group's location,
// so that holds by construction and needs no check. Availability zones are left out (they belong to the zones work).
#include <fmt/format.h>

#include <map>

#include "sema/azure_facts.hpp"
#include "sema/context.hpp"

namespace egress::sema {

using syntax::ItemKind;

namespace {

constexpr std::size_t kMaxPublicIps = facts::nat_gateway::kMaxPublicIps;
constexpr long kMinIdleTimeout = facts::nat_gateway::kMinIdleTimeout;
constexpr long kMaxIdleTimeout = facts::nat_gateway::kMaxIdleTimeout;

// The subnet name Azure reserves for VPN and ExpressRoute gateways.
constexpr std::string_view kGatewaySubnet = "GatewaySubnet";

void public_ips(Context& cx, NatGateway& ng, const syntax::Statement& s) {
  Args b(cx, s, "public_ip PUBLIC_IP[, PUBLIC_IP...]");
  cx.no_block(s);
  do {
    const auto* item = b.peek();
    auto pip = b.name("a public IP's name");
    if (!pip) break;
    ng.public_ips.push_back(nullptr);
    ng.public_ip_spans.push_back(item->span);
    const std::size_t index = ng.public_ips.size() - 1;
    cx.fixups.push_back([&cx, &ng, index, name = *pip, span = item->span] {
      const auto* p = cx.resolve_as<PublicIp>(name, SymbolKind::public_ip, span, "a NAT gateway's public IP");
      ng.public_ips[index] = p;
      if (p != nullptr) cx.used.insert(p);
    });
  } while (b.ok() && b.accept(ItemKind::comma));
  b.finish();
}

void idle_timeout(Context& cx, NatGateway& ng, const syntax::Statement& s) {
  Args b(cx, s, "idle_timeout MINUTES");
  cx.no_block(s);
  const auto* item = b.peek();
  auto v = b.number(0, 999999999, "the idle timeout in minutes");
  b.finish();
  if (!v) return;
  ng.idle_timeout_span = s.span;
  if (*v < kMinIdleTimeout || *v > kMaxIdleTimeout) {
    cx.diags.report(Code::E0342, item->span,
                    fmt::format("NAT gateway `{}` has an idle timeout of {} minutes; Azure takes {} to {} minutes and "
                                "rejects the NAT gateway otherwise",
                                ng.symbol, *v, kMinIdleTimeout, kMaxIdleTimeout),
                    fmt::format("write a value from {} to {}; TCP keepalives keep long idle connections open without a "
                                "long timeout",
                                kMinIdleTimeout, kMaxIdleTimeout));
    return;
  }
  ng.idle_timeout = static_cast<int>(*v);
}

// E0340: what Azure accepts as a NAT gateway's public IP.
void check_public_ips(Context& cx, const NatGateway& ng) {
  for (std::size_t i = 0; i < ng.public_ips.size(); ++i) {
    const PublicIp* p = ng.public_ips[i];
    if (p == nullptr) continue;
    const bool basic = p->sku == PublicIpSku::basic;
    if (!basic && p->allocation == Allocation::static_) continue;
    auto& d = cx.diags.report(
        Code::E0340, ng.public_ip_spans[i],
        fmt::format("NAT gateway `{}` uses public IP `{}`, which is {}: a NAT gateway takes only Standard SKU public IPs "
                    "with static allocation, so Azure rejects the NAT gateway",
                    ng.symbol, p->symbol, basic ? "a Basic SKU one" : "dynamically allocated"),
        fmt::format("declare `public_ip {} < sku standard; allocation static >` (Standard is the default)", p->symbol));
    d.notes.push_back({p->span, fmt::format("public IP `{}` is declared here", p->symbol)});
  }
  if (ng.public_ips.size() > kMaxPublicIps) {
    auto& d = cx.diags.report(
        Code::E0341, ng.public_ip_spans[kMaxPublicIps],
        fmt::format("NAT gateway `{}` has {} public IPs; Azure allows at most {} per NAT gateway and rejects it", ng.symbol,
                    ng.public_ips.size(), kMaxPublicIps),
        fmt::format("keep {} public IPs ({} x 64,512 = 1,032,192 SNAT ports), or split the subnets over two NAT gateways",
                    kMaxPublicIps, kMaxPublicIps));
    d.notes.push_back({ng.span, fmt::format("NAT gateway `{}` is declared here", ng.symbol)});
  }
  if (ng.public_ips.empty())
    cx.diags.report(Code::W0250, ng.span,
                    fmt::format("NAT gateway `{}` has no public IP: it replaces its subnets' default way out to the "
                                "Internet, but without a public IP it gives them no outbound connectivity at all",
                                ng.symbol),
                    fmt::format("give it one: `nat_gateway {} < public_ip NAME >` with a Standard static public IP",
                                ng.symbol));
}

}  // namespace

void declare_nat_gateway(Context& cx, const syntax::Statement& s, NatGateway* existing) {
  NatGateway* ng = existing;
  if (ng == nullptr) {
    Args a(cx, s, "nat_gateway NAME [\"azure-name\"] < public_ip PIP[, PIP...]; idle_timeout MINUTES >");
    auto name = a.name("the NAT gateway's name");
    if (!name) return;
    ng = &cx.program.nat_gateways.emplace_back();
    ng->symbol = *name;
    ng->span = s.span;
    ng->name = a.optional_azure_name().value_or(Text::literal(*name, s.head.span));
    a.finish();
    cx.declare(*name, SymbolKind::nat_gateway, ng, s.span);
  }
  std::map<std::string, Span, std::less<>> seen;
  for (const auto& inner : s.block.statements) {
    if (inner.head.text == "public_ip") {
      public_ips(cx, *ng, inner);
    } else if (inner.head.text == "idle_timeout") {
      if (cx.first_setting(seen, inner)) idle_timeout(cx, *ng, inner);
    } else {
      cx.unknown_statement(inner, "in a nat_gateway", {"public_ip", "idle_timeout"});
    }
  }
}

void subnet_nat_gateway(Context& cx, Subnet& sub, const syntax::Statement& s) {
  Args b(cx, s, "nat_gateway NAME");
  cx.no_block(s);
  const auto* item = b.peek();
  auto name = b.name("a NAT gateway's name");
  b.finish();
  if (!name) return;
  if (sub.nat_gateway_span.length != 0) {
    auto& d = cx.diags.report(Code::E0108, s.span,
                              fmt::format("subnet `{}` names a second NAT gateway; Azure attaches at most one NAT gateway "
                                          "to a subnet",
                                          sub.symbol),
                              "keep one `nat_gateway` line; give it more public IPs if it needs more SNAT ports");
    d.notes.push_back({sub.nat_gateway_span, "the first NAT gateway"});
    return;
  }
  sub.nat_gateway_span = s.span;
  cx.fixups.push_back([&cx, &sub, name = *name, span = item->span] {
    sub.nat_gateway = cx.resolve_as<NatGateway>(name, SymbolKind::nat_gateway, span, "the subnet's NAT gateway");
  });
}

void attach_nat_gateways(Context& cx) {
  for (auto& vnet : cx.program.vnets)
    for (auto& sub : vnet.subnets) {
      if (sub.nat_gateway == nullptr) continue;
      auto& ng = *sub.nat_gateway;
      ng.subnets.push_back(&sub);
      if (sub.name.value == kGatewaySubnet || sub.symbol == kGatewaySubnet) {
        auto& d = cx.diags.report(
            Code::E0343, sub.nat_gateway_span,
            fmt::format("subnet `{}` is GatewaySubnet, where Azure deploys VPN and ExpressRoute gateways; a NAT gateway "
                        "can't be attached to it, so Azure rejects the association",
                        sub.symbol),
            fmt::format("attach NAT gateway `{}` to the subnets whose outbound traffic it should carry, such as "
                        "AzureFirewallSubnet",
                        ng.symbol));
        d.notes.push_back({ng.span, fmt::format("NAT gateway `{}` is declared here", ng.symbol)});
      }
    }
  for (auto& ng : cx.program.nat_gateways) {
    check_public_ips(cx, ng);
    for (const Subnet* sub : ng.subnets) {
      if (sub->vnet == ng.subnets.front()->vnet) continue;
      auto& d = cx.diags.report(
          Code::E0344, sub->nat_gateway_span,
          fmt::format("NAT gateway `{}` is attached to subnet `{}` of VNet `{}` and to subnet `{}` of VNet `{}`: a NAT "
                      "gateway serves the subnets of one virtual network only, so Azure rejects the second association",
                      ng.symbol, ng.subnets.front()->symbol, ng.subnets.front()->vnet->symbol, sub->symbol,
                      sub->vnet->symbol),
          fmt::format("declare a second NAT gateway for VNet `{}`", sub->vnet->symbol));
      d.notes.push_back({ng.subnets.front()->nat_gateway_span, "the first association"});
      break;
    }
  }
}

}  // namespace egress::sema
