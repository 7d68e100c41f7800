// `peer OTHER [< settings >]`: one side of a VNet peering and its settings (sema/peering.hpp has what they mean
// and where that comes from), and the peerings of a program, both directions each.
#include "sema/peering.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "sema/context.hpp"

namespace egress::sema {

using syntax::ItemKind;

namespace {

/// `forwarded_traffic allow|deny` and the like: the value, and where it was written.
void allow_or_deny(Context& cx, const syntax::Statement& s, bool& value, Span& span) {
  Args a(cx, s, fmt::format("{} allow|deny", s.head.text));
  if (auto c = a.choice({"allow", "deny"}, "`allow` or `deny`")) {
    value = *c == 0;
    span = s.span;
  }
  a.finish();
}

}  // namespace

void declare_peer(Context& cx, Vnet& vnet, const syntax::Statement& s) {
  Args b(cx, s, "peer VNET [< virtual_network_access allow|deny; forwarded_traffic allow|deny; "
                "gateway_transit allow|deny; use_remote_gateways >]");
  const auto* item = b.peek();
  auto other = b.name("the peered VNet's name");
  b.finish();
  if (!other) return;
  PeerSettings settings;
  std::map<std::string, Span, std::less<>> seen;
  for (const auto& inner : s.block.statements) {
    const auto& head = inner.head.text;
    if (head != "virtual_network_access" && head != "forwarded_traffic" && head != "gateway_transit" &&
        head != "use_remote_gateways") {
      cx.unknown_statement(inner, "in a peer block",
                           {"virtual_network_access", "forwarded_traffic", "gateway_transit", "use_remote_gateways"});
      continue;
    }
    cx.no_block(inner);
    if (!cx.first_setting(seen, inner)) continue;
    if (head == "virtual_network_access") {
      allow_or_deny(cx, inner, settings.virtual_network_access, settings.virtual_network_access_span);
    } else if (head == "forwarded_traffic") {
      allow_or_deny(cx, inner, settings.forwarded_traffic, settings.forwarded_traffic_span);
    } else if (head == "gateway_transit") {
      allow_or_deny(cx, inner, settings.gateway_transit, settings.gateway_transit_span);
    } else {
      Args a(cx, inner, "use_remote_gateways");
      a.finish();
      settings.use_remote_gateways = true;
      settings.use_remote_gateways_span = inner.span;
    }
  }
  vnet.peer_spans.push_back(s.span);
  vnet.peers.push_back(nullptr);
  vnet.peer_settings.push_back(settings);
  const std::size_t index = vnet.peers.size() - 1;
  Vnet* self = &vnet;
  cx.fixups.push_back([&cx, self, index, name = *other, span = item->span] {
    const Vnet* target = cx.resolve_as<Vnet>(name, SymbolKind::vnet, span, "the peered VNet");
    if (target == nullptr) return;
    if (target == self) {
      cx.diags.report(Code::E0106, span, fmt::format("VNet `{}` cannot be peered with itself: Azure peers two VNets", name),
                      "name another VNet, or remove the `peer` line");
      return;
    }
    // Earlier `peer` lines of this VNet are resolved already (fix-ups run in order): a second one to the same VNet
    // would make two resources of one name, with settings that disagree.
    for (std::size_t j = 0; j < index; ++j)
      if (self->peers[j] == target) {
        auto& d = cx.diags.report(Code::E0108, self->peer_spans[index],
                                  fmt::format("VNet `{}` is already peered with `{}`; a second `peer` line would make a "
                                              "second peering resource of the same name",
                                              self->symbol, name),
                                  "keep one `peer` line and put every setting of this side in its block");
        d.notes.push_back({self->peer_spans[j], "first peered here"});
        return;
      }
    self->peers[index] = target;
  });
}

std::vector<Peering> peerings(const Program& program) {
  // The side each VNet writes toward each peer (the first `peer` line wins; sema reports a second one).
  std::map<std::pair<const Vnet*, const Vnet*>, std::size_t> written;
  for (const auto& v : program.vnets)
    for (std::size_t i = 0; i < v.peers.size(); ++i)
      if (v.peers[i] != nullptr && v.peers[i] != &v) written.emplace(std::pair{&v, v.peers[i]}, i);
  auto side = [&](const Vnet* a, const Vnet* b, Span fallback) {
    PeeringSide s;
    s.vnet = a;
    s.remote = b;
    s.span = fallback;
    if (auto it = written.find({a, b}); it != written.end()) {
      s.written = true;
      s.settings = a->peer_settings.at(it->second);
      s.span = a->peer_spans.at(it->second);
    }
    return s;
  };
  std::vector<Peering> out;
  std::set<std::pair<const Vnet*, const Vnet*>> seen;
  for (const auto& v : program.vnets)
    for (std::size_t i = 0; i < v.peers.size(); ++i) {
      const Vnet* other = v.peers[i];
      if (other == nullptr || other == &v || !seen.insert({&v, other}).second) continue;
      seen.insert({other, &v});
      out.push_back({side(&v, other, v.peer_spans[i]), side(other, &v, v.peer_spans[i])});
    }
  return out;
}

const PeeringSide* peering_side(const std::vector<Peering>& peerings, const Vnet* from, const Vnet* to) {
  for (const auto& p : peerings) {
    if (p.first.vnet == from && p.first.remote == to) return &p.first;
    if (p.second.vnet == from && p.second.remote == to) return &p.second;
  }
  return nullptr;
}

}  // namespace egress::sema
