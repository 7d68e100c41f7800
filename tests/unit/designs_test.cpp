// Public reference designs written in egress (tests/designs/, each file names its repository and commit):
// valid designs must compile with no error. A false error on a real design is as serious as a missed one;
// the diagnostics each design gets, and why, are in tests/designs/README.md.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <string>

#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;

namespace {

std::set<std::string> codes(const Compiled& c, Severity severity) {
  std::set<std::string> out;
  for (const auto& d : c.result.diagnostics.all())
    if (d.severity == severity) out.insert(std::string(info(d.code).id));
  return out;
}

}  // namespace

TEST_CASE("every public design compiles with no error, to all four targets", "[designs]") {
  std::set<std::string> seen;
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() + "/tests/designs")) {
    if (!entry.is_directory()) continue;
    const auto path = "tests/designs/" + entry.path().filename().string() + "/main.egress";
    if (!std::filesystem::exists(source_dir() + "/" + path)) continue;
    seen.insert(entry.path().filename().string());
    INFO(path);
    const auto c = compile_file(path);
    INFO(c.rendered);
    CHECK(codes(c, Severity::error).empty());
    // Every target writes its file; several groups add a Bicep module per deployment unit.
    std::set<Target> targets;
    for (const auto& o : c.result.outputs) targets.insert(o.target);
    CHECK(targets.size() == 4);
  }
  CHECK(seen == std::set<std::string>{"aks-baseline", "aks-construction", "aks-lza-private", "caf-aks-104-private"});
}

TEST_CASE("aks-baseline's ingress load balancer in its own subnet is accepted", "[designs]") {
  // Its only error is the image that the older manifest pulls from Docker Hub, which the newer hub does not
  // open (the two files come from different commits of the design).
  const auto c = compile_file("tests/designs/aks-baseline/traefik-ilb.egress", false);
  INFO(c.rendered);
  CHECK(codes(c, Severity::error) == std::set<std::string>{"E0248"});
}
