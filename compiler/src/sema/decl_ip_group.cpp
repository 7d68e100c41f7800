// Elaboration of IP groups: `ip_group NAME ["azure-name"] ADDRESS|VNET.SUBNET, ...`.
#include <fmt/format.h>

#include "base/numbers.hpp"
#include "sema/context.hpp"

namespace egress::sema {

using syntax::Item;
using syntax::ItemKind;

namespace {

// "Maximum 5000 individual IP addresses or IP prefixes per each IP Group": Azure Firewall limits
// (learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits, section
// "Azure Firewall limits", row "IP addresses in IP Groups"; checked 2026-12-06).
constexpr std::size_t kMaxAddressesPerGroup = 5000;

std::optional<Endpoint> member(Context& cx, Args& a) {
  const Item* it = a.peek();
  if (it != nullptr && it->kind == ItemKind::address) {
    a.next();
    auto c = to_cidr(cx, *it);
    if (!c) return std::nullopt;
    Endpoint e;
    e.kind = Endpoint::Kind::cidr;
    e.cidr = *c;
    e.text = it->text;
    e.span = it->span;
    return e;
  }
  if (it != nullptr && it->kind == ItemKind::word && !it->has_interpolation() && it->prefix < 0) {
    a.next();
    Endpoint e;
    e.kind = Endpoint::Kind::subnet;
    e.text = it->text;
    e.span = it->span;
    e.subnet = cx.resolve_as<Subnet>(it->text, SymbolKind::subnet, it->span, "the IP group's subnet");
    if (e.subnet == nullptr) return std::nullopt;
    return e;
  }
  a.fail(it, "an address, a prefix or a subnet (VNET.SUBNET)");
  return std::nullopt;
}

}  // namespace

void declare_ip_group(Context& cx, const syntax::Statement& s) {
  Args a(cx, s, "ip_group NAME [\"azure-name\"] ADDRESS|PREFIX|VNET.SUBNET [, ...]");
  cx.no_block(s);
  auto name = a.name("the IP group's name");
  if (!name) return;
  IpGroup& g = cx.program.ip_groups.emplace_back();
  g.symbol = *name;
  g.span = s.span;
  g.name = a.optional_azure_name().value_or(Text::literal(*name, s.head.span));
  do {
    if (auto m = member(cx, a)) g.members.push_back(*m);
  } while (a.ok() && a.accept(ItemKind::comma));
  a.finish();
  cx.declare(*name, SymbolKind::ip_group, &g, s.span);
  if (g.members.size() > kMaxAddressesPerGroup)
    cx.diags.report(Code::E0311, s.head.span,
                    fmt::format("IP group `{}` holds {} addresses and prefixes; Azure allows at most {} per IP group",
                                g.symbol, thousands(g.members.size()), thousands(kMaxAddressesPerGroup)),
                    "split it into several IP groups, or merge adjacent addresses into prefixes");
}

}  // namespace egress::sema
