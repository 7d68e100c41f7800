// The route a name (an FQDN or a service tag) takes out of a subnet. A name resolves to public addresses the
// compiler cannot know, so it takes the route that every public address takes. That is usually the 0.0.0.0/0
// route, but a route table may split the space: Azure/AKS-Construction sends `0.0.0.0/1` to the firewall and
// leaves the rest on the system route to the Internet; others write `0.0.0.0/1` and `128.0.0.0/1`, both to the
// firewall, which is a default route in all but name. Azure picks "the longest prefix match" among the effective
// routes ("Virtual network traffic routing", section "How Azure selects a route",
// learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview, checked 2026-12-07), so the public
// space is partitioned by the prefixes of the effective routes: a binary trie of them, walked once.
#include <fmt/format.h>

#include <array>
#include <tuple>

#include "model/routes.hpp"

namespace egress::model {

namespace {

struct Node {
  std::array<std::size_t, 2> child{0, 0};  // 0: none (the root is never a child)
  std::optional<std::size_t> route;         // the active route with exactly this prefix
};

/// The next hop as Azure would print it: the hop type and, for an appliance, its address.
std::tuple<Hop, std::uint32_t> hop_key(const EffectiveRoute& r) { return {r.hop, r.next_hop_ip.value_or(0)}; }

class Partition {
 public:
  explicit Partition(const EffectiveRoutes& routes) : routes_(routes) {
    nodes_.push_back({});
    for (std::size_t i = 0; i < routes.routes.size(); ++i) {
      const auto& r = routes.routes[i];
      if (!r.active || !r.prefix) continue;
      std::size_t n = 0;
      for (int bit = 0; bit < r.prefix->length; ++bit) {
        const auto b = (r.prefix->first() >> (31 - bit)) & 1u;
        if (nodes_[n].child[b] == 0) {
          nodes_[n].child[b] = nodes_.size();
          nodes_.push_back({});
        }
        n = nodes_[n].child[b];
      }
      // Two active routes with one prefix: a user route replaced the system one, so only a user pair remains, and
      // the first of those stands (compute_effective_routes).
      if (!nodes_[n].route) nodes_[n].route = i;
    }
  }

  /// Every part of the address space with the route its addresses take, widest parts whole.
  std::vector<EffectiveRoutes::PublicPart> parts() const {
    std::vector<EffectiveRoutes::PublicPart> out;
    walk(0, 0, 0, std::nullopt, out);
    return out;
  }

  /// The widest prefixes whose public addresses all take a route `pick` accepts (their private parts, which names
  /// never reach, do not break them up): one line of a message instead of the dozens of parts the private ranges
  /// cut 128.0.0.0/1 into.
  template <class Public, class Pick>
  std::vector<EffectiveRoutes::PublicPart> widest(const Public& is_public, const Pick& pick) const {
    std::vector<EffectiveRoutes::PublicPart> out;
    if (coarse(0, 0, 0, std::nullopt, is_public, pick, out) == Mark::yes) out.insert(out.begin(), {sema::Cidr{0, 0, {}}, 0});
    return out;
  }

 private:
  enum class Mark { empty, yes, no };

  static Mark join(Mark a, Mark b) {
    if (a == Mark::no || b == Mark::no) return Mark::no;
    return a == Mark::yes || b == Mark::yes ? Mark::yes : Mark::empty;
  }

  // Marks a subtree; where a marked-yes child sits under a parent that is not all yes, records the child.
  template <class Public, class Pick>
  Mark coarse(std::size_t n, int depth, std::uint32_t base, std::optional<std::size_t> best, const Public& is_public,
              const Pick& pick, std::vector<EffectiveRoutes::PublicPart>& out) const {
    const auto& node = nodes_[n];
    if (node.route) best = node.route;
    auto leaf = [&](const sema::Cidr& c) {
      if (!best || !is_public(c)) return Mark::empty;
      return pick(routes_.routes[*best]) ? Mark::yes : Mark::no;
    };
    if (node.child[0] == 0 && node.child[1] == 0) return leaf(sema::Cidr{base, depth, {}});
    Mark marks[2];
    std::size_t first_new[2];
    for (std::uint32_t b = 0; b < 2; ++b) {
      const std::uint32_t half = depth == 31 ? base | b : base | (b << (31 - depth));
      first_new[b] = out.size();
      marks[b] = node.child[b] != 0 ? coarse(node.child[b], depth + 1, half, best, is_public, pick, out)
                                    : leaf(sema::Cidr{half, depth + 1, {}});
      if (marks[b] == Mark::yes) {
        out.erase(out.begin() + static_cast<std::ptrdiff_t>(first_new[b]), out.end());  // the whole half stands for them
        out.push_back({sema::Cidr{half, depth + 1, {}}, best.value_or(0)});
      }
    }
    const Mark m = join(marks[0], marks[1]);
    if (m == Mark::yes) {
      // The parent is yes as a whole: its caller records it instead of the halves.
      out.erase(out.begin() + static_cast<std::ptrdiff_t>(first_new[0]), out.end());
    }
    return m;
  }

  void walk(std::size_t n, int depth, std::uint32_t base, std::optional<std::size_t> best,
            std::vector<EffectiveRoutes::PublicPart>& out) const {
    const auto& node = nodes_[n];
    if (node.route) best = node.route;
    if (node.child[0] == 0 && node.child[1] == 0) {
      if (best) out.push_back({sema::Cidr{base, depth, {}}, *best});
      return;
    }
    for (std::uint32_t b = 0; b < 2; ++b) {
      const std::uint32_t half = depth == 31 ? base | b : base | (b << (31 - depth));
      if (node.child[b] != 0) walk(node.child[b], depth + 1, half, best, out);
      else if (best) out.push_back({sema::Cidr{half, depth + 1, {}}, *best});
    }
  }

  const EffectiveRoutes& routes_;
  std::vector<Node> nodes_;
};

}  // namespace

void resolve_name_route(EffectiveRoutes& routes, const std::vector<const sema::Vnet*>& peers) {
  routes.name_route_.reset();
  routes.bypass_.clear();
  if (routes.subnet == nullptr || routes.subnet->vnet == nullptr) return;
  // Names resolve to public addresses: the parts inside the private ranges and the VNets' own address space are
  // not where a name lands (private endpoints, which would, are not modelled).
  std::vector<EffectiveRoutes::PublicPart> parts;
  for (const auto& p : Partition(routes).parts())
    if (!is_private_prefix(p.prefix, *routes.subnet, peers)) parts.push_back(p);
  if (parts.empty()) return;

  auto widest = [&](auto&& keep) -> std::optional<std::size_t> {
    std::optional<std::size_t> best;
    int best_length = 33;
    for (const auto& p : parts)
      if (keep(routes.routes[p.route]) && routes.routes[p.route].length() < best_length) {
        best = p.route;
        best_length = routes.routes[p.route].length();
      }
    return best;
  };
  const auto first_key = hop_key(routes.routes[parts.front().route]);
  bool uniform = true;
  for (const auto& p : parts) uniform = uniform && hop_key(routes.routes[p.route]) == first_key;
  if (uniform) {
    routes.name_route_ = widest([](const EffectiveRoute&) { return true; });
    return;
  }
  // Split between next hops. Where a part goes to a firewall, a name may resolve into it, so the firewall must
  // allow it: names are checked against that firewall, and the parts that leave by the system route to the
  // Internet are recorded (W0213). A user route to the Internet for a public prefix is E0247's already.
  // Only a split of the default route counts: the firewall's routes span at least half of all addresses (the /1
  // halves of AKS-Construction). A route that sends one partner's range to the firewall is a route for those
  // destinations, and names keep the 0.0.0.0/0 route, as they did before.
  auto to_firewall = [](const EffectiveRoute& r) { return r.hop == Hop::virtual_appliance && r.firewall != nullptr; };
  std::uint64_t span = 0;
  for (const auto& r : routes.routes)
    if (r.active && r.prefix && to_firewall(r)) span += r.prefix->size();
  if (span < (std::uint64_t{1} << 31)) return;
  const auto fw = widest(to_firewall);
  if (!fw) return;
  routes.name_route_ = fw;
  const auto& subnet = *routes.subnet;
  routes.bypass_ = Partition(routes).widest(
      [&](const sema::Cidr& c) { return !is_private_prefix(c, subnet, peers); },
      [](const EffectiveRoute& r) { return r.hop == Hop::internet && !r.user; });
}

const EffectiveRoute* EffectiveRoutes::name_route() const {
  return name_route_ ? &routes[*name_route_] : default_route();
}

std::string name_route_text(const EffectiveRoutes& routes, std::string_view host) {
  const auto* r = routes.name_route();
  if (r == nullptr) return fmt::format("{} resolves to public addresses the compiler cannot know", host);
  if (r->prefix && r->prefix->length == 0)
    return fmt::format("{} resolves to public addresses the compiler cannot know: they take the route for 0.0.0.0/0",
                       host);
  if (routes.bypassing_parts().empty())
    return fmt::format("{} resolves to public addresses the compiler cannot know: routes to the same next hop cover "
                       "every public address, so it takes route {} as if it were 0.0.0.0/0",
                       host, r->prefix_text());
  std::string rest;
  for (std::size_t i = 0; i < routes.bypassing_parts().size() && i < 3; ++i)
    rest += (i == 0 ? "" : ", ") + routes.bypassing_parts()[i].prefix.str();
  if (routes.bypassing_parts().size() > 3) rest += ", ...";
  return fmt::format("{} resolves to public addresses the compiler cannot know: those in {} take this route; those in "
                     "{} take the system route to the Internet and bypass the firewall (W0213)",
                     host, r->prefix_text(), rest);
}

}  // namespace egress::model
