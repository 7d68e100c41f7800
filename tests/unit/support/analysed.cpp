#include "analysed.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

#include "../test_support.hpp"

namespace egress::testing {

std::vector<std::string> Analysed::codes() const {
  std::vector<std::string> out;
  for (const auto& d : analysis->diagnostics.all()) out.emplace_back(info(d.code).id);
  return out;
}

std::size_t Analysed::count(std::string_view code) const {
  std::size_t n = 0;
  for (const auto& d : analysis->diagnostics.all())
    if (info(d.code).id == code) ++n;
  return n;
}

const Diagnostic* Analysed::find(std::string_view code) const {
  for (const auto& d : analysis->diagnostics.all())
    if (info(d.code).id == code) return &d;
  return nullptr;
}

const Diagnostic& Analysed::first(std::string_view code) const {
  if (const auto* d = find(code)) return *d;
  throw std::logic_error("no diagnostic " + std::string(code) + " in:\n" + rendered);
}

const sema::Firewall& Analysed::firewall(std::string_view symbol) const {
  for (const auto& fw : analysis->program.firewalls)
    if (fw.symbol == symbol) return fw;
  throw std::logic_error("no firewall " + std::string(symbol));
}

const sema::Vnet& Analysed::vnet(std::string_view symbol) const {
  for (const auto& v : analysis->program.vnets)
    if (v.symbol == symbol) return v;
  throw std::logic_error("no vnet " + std::string(symbol));
}

const sema::Subnet& Analysed::subnet(std::string_view path) const {
  for (const auto& v : analysis->program.vnets)
    for (const auto& s : v.subnets)
      if (v.symbol + "." + s.symbol == path) return s;
  throw std::logic_error("no subnet " + std::string(path));
}

const sema::Cluster& Analysed::cluster(std::string_view symbol) const {
  for (const auto& c : analysis->program.clusters)
    if (c.symbol == symbol) return c;
  throw std::logic_error("no cluster " + std::string(symbol));
}

model::Explanation Analysed::explain(std::string_view from, std::string_view to) const {
  const auto target = model::parse_explain_target(to);
  REQUIRE(target.has_value());
  REQUIRE(network != nullptr);
  return model::explain(*network, from, *target);
}

std::unique_ptr<Analysed> analyse_text(const std::string& name, const std::string& text, Expect expect) {
  auto a = std::make_unique<Analysed>();
  const auto id = a->sources.add(name, text);
  Options o;
  const std::string base = source_dir() + "/";
  o.read_file = [base](const std::string& p) { return slurp(p.rfind('/', 0) == 0 ? p : base + p); };
  a->analysis = api::analyse(a->sources, id, o);
  for (const auto& d : a->analysis->diagnostics.all()) a->rendered += render(d, a->sources);
  if (expect == Expect::anything) return a;
  INFO(a->rendered);
  REQUIRE(a->analysis->usable);
  a->network = std::make_unique<model::Network>(a->analysis->program, a->analysis->catalog);
  return a;
}

}  // namespace egress::testing
