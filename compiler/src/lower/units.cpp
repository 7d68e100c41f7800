// Deployment units: see units.hpp and ir::Unit.
#include "lower/units.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace egress::lower {

void plan_units(ir::Deployment& d) {
  d.units.clear();
  if (!d.several_groups()) return;
  // Each resource's stage. Dependencies are earlier positions, so one pass in creation order sees them first.
  std::vector<std::size_t> stage(d.resources.size(), 0);
  for (ir::Index i = 0; i < d.resources.size(); ++i)
    for (auto dep : d.resources[i].depends_on)
      stage[i] = std::max(stage[i], stage[dep] + (d.resources[dep].group != d.resources[i].group ? 1 : 0));
  // Units ordered by stage, then by group: every dependency of a unit has a smaller stage or is the unit itself
  // (a same-group dependency of the same stage), so this order respects depends_on.
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> unit_of;  // (stage, group) -> unit
  for (ir::Index i = 0; i < d.resources.size(); ++i) unit_of.emplace(std::pair{stage[i], d.resources[i].group}, 0);
  // Named after the group, numbered within it: "hub", "spoke", "hub-2" (a group's stages need not start at 0).
  std::vector<std::size_t> per_group(d.groups.size(), 0);
  for (auto& [key, unit] : unit_of) {
    unit = d.units.size();
    ir::Unit u;
    u.group = key.second;
    const auto n = ++per_group[key.second];
    u.name = d.groups[key.second].symbol + (n == 1 ? "" : "-" + std::to_string(n));
    d.units.push_back(std::move(u));
  }
  for (ir::Index i = 0; i < d.resources.size(); ++i) {
    auto& u = d.units[unit_of.at({stage[i], d.resources[i].group})];
    u.resources.push_back(i);
    for (auto dep : d.resources[i].depends_on) {
      const auto other = unit_of.at({stage[dep], d.resources[dep].group});
      if (&d.units[other] != &u) u.depends_on.push_back(other);
    }
  }
  for (auto& u : d.units) {
    std::sort(u.depends_on.begin(), u.depends_on.end());
    u.depends_on.erase(std::unique(u.depends_on.begin(), u.depends_on.end()), u.depends_on.end());
  }
}

}  // namespace egress::lower
