// ARM and Bicep describe the same resources with the same properties: a small reader lowers each to one
// normal form (JSON; every reference becomes a «...» token: «param:x», «id:<type>/<name>»,
// «res:<type>/<name>.ipAddress» ...) and the two are compared whole, dependencies included (Bicep's
// implicit ones, from symbolic references, and its explicit dependsOn, against ARM's dependsOn).
// The readers are in support/normal_form.hpp; the programs (the example, every golden case, every
// .ok.egress of the diagnostics tests and hostile programs) in support/programs.hpp.
// Also: determinism_test.cpp (the same bytes every run) and az_order_test.cpp (the az script's order).
#include <catch2/catch.hpp>

#include <exception>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/normal_form.hpp"
#include "support/programs.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;
using nlohmann::json;

TEST_CASE("the normal form reader itself: ARM expressions and Bicep agree on known pairs", "[equivalence]") {
  CHECK(arm_value("[format('{0}-fw', parameters('prefix'))]") == json("\xC2\xABparam:prefix\xC2\xBB-fw"));
  CHECK(arm_value("[[literal]") == json("[literal]"));
  CHECK(arm_value("[concat(reference(resourceId('T/x', 'n'), '2024-01-01').ipAddress, '/32')]") ==
        json("\xC2\xABres:T/x/n.ipAddress\xC2\xBB/32"));
  CHECK(arm_value("[format('{{{0}}}', 'a')]") == json("{a}"));
  CHECK(arm_value("['it''s']") == json("it's"));
  const auto b = bicep_normal_form(
      "param prefix string = 'p'\n"
      "resource ip 'T/x@1' = {\n  name: '${prefix}-ip'\n  properties: {\n    'a.b': 'it\\'s \\${x}'\n  }\n}\n"
      "resource r 'T/y@1' = {\n  name: 'r'\n  properties: {\n    p: '${ip.properties.ipAddress}/32'\n"
      "    id: ip.id\n  }\n}\n");
  CHECK(b["resources"]["T/x/\xC2\xABparam:prefix\xC2\xBB-ip"]["properties"]["a.b"] == json("it's ${x}"));
  CHECK(b["resources"]["T/y/r"]["properties"]["p"] == json("\xC2\xABres:T/x/\xC2\xABparam:prefix\xC2\xBB-ip.ipAddress\xC2\xBB/32"));
  CHECK(b["resources"]["T/y/r"]["dependsOn"] == json::array({"T/x/\xC2\xABparam:prefix\xC2\xBB-ip"}));
}

TEST_CASE("ARM and Bicep describe the same resources with the same properties and dependencies", "[equivalence]") {
  std::size_t compared = 0;
  for (const auto& p : programs()) {
    DYNAMIC_SECTION(p.label) {
      auto b = build(p);
      if (!b) continue;
      json arm, bicep;
      try {
        arm = arm_normal_form(b->arm);
      } catch (const std::exception& e) {
        FAIL("cannot read the ARM template: " << e.what());
      }
      try {
        bicep = bicep_normal_form(b->bicep);
      } catch (const std::exception& e) {
        FAIL("cannot read the Bicep file: " << e.what() << "\n" << b->bicep.substr(0, 2000));
      }
      std::vector<std::string> diffs;
      differences(arm, bicep, "", diffs);
      std::string shown;
      for (const auto& d : diffs) shown += d + "\n";
      INFO("differences (ARM vs Bicep):\n" << shown);
      CHECK(diffs.empty());
      CHECK(arm["resources"].size() > 0);
      ++compared;
    }
  }
  // Catch runs the test once per section, so a count is only meaningful within one run.
  (void)compared;
  CHECK_FALSE(programs().empty());
}
