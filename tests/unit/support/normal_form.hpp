// Reads an ARM template or a Bicep file back into one normal form, so that the two can be compared whole.
// The normal form is JSON: parameters, variables, outputs, and resources keyed "<type>/<name>", each with its
// properties and the set of resources it depends on. Every reference becomes a «...» token: «param:x»,
// «id:<type>/<name>», «res:<type>/<name>.ipAddress» ... Bicep's dependencies are its implicit ones (from
// symbolic references) and its explicit dependsOn; ARM's are its dependsOn.
// The readers know the subset egress writes; anything else throws std::runtime_error naming what it met.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace egress::testing {

/// A JSON value of an ARM template: strings that are expressions are evaluated, `[[` is a literal `[`.
nlohmann::json arm_value(const nlohmann::json& v);

/// A whole ARM template (its text) in the normal form.
nlohmann::json arm_normal_form(const std::string& text);

/// A whole Bicep file (its text) in the normal form.
nlohmann::json bicep_normal_form(const std::string& text);

/// The paths at which two JSON values differ, for a readable failure (at most about 20).
void differences(const nlohmann::json& a, const nlohmann::json& b, const std::string& at,
                 std::vector<std::string>& out);

}  // namespace egress::testing
