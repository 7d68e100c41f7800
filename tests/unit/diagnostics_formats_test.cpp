// --diagnostics-format: the gcc line shape, the JSON document, SARIF's content (the schema check is
// tests/sarif/run.sh), colour only when asked for, and the CLI's choice of stream.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;
using harness::run_command;

namespace {

// E0242 has a note and a fix-it (append the missing frontend to `api_server_authorized`).
const std::string kFile = "tests/diagnostics/E0242-authorized-ranges-miss-firewall.egress";
// Where E0242 points: the cluster's `api_server_authorized`, in the file kFile imports.
const std::string kWhere = "tests/diagnostics/common/checks-base.egress";

std::string egressc(const std::string& args) {
  return "cd '" + source_dir() + "' && " + std::string(egress::testing::egress_binary()) + " " + args;
}

}  // namespace

TEST_CASE("diagnostics formats: gcc is file:line:col: severity: message [CODE], then notes", "[diagnostics][formats]") {
  const auto r = run_command(egressc("check " + kFile + " --diagnostics-format gcc"));
  CHECK(r.status == 1);
  INFO(r.out);
  CHECK_THAT(r.out, Catch::Matches("(.|\\n)*" + kWhere + ":[0-9]+:[0-9]+: error: cluster `aks` sends its egress(.|\\n)*\\[E0242\\]\\n(.|\\n)*"));
  CHECK_THAT(r.out, Catch::Contains(": note: a frontend of firewall `fw`"));
  CHECK_THAT(r.out, Catch::Contains(": note: hint: add "));
  CHECK_THAT(r.out, !Catch::Contains(" | "));  // no source lines, no carets
}

TEST_CASE("diagnostics formats: json is one array on stdout with spans, notes, hint and fix-its", "[diagnostics][formats]") {
  const auto r = run_command(egressc("check " + kFile + " --diagnostics-format=json"), false);
  CHECK(r.status == 1);
  const auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.is_array());
  const nlohmann::json* e0242 = nullptr;
  for (const auto& d : j)
    if (d.at("code") == "E0242") e0242 = &d;
  REQUIRE(e0242 != nullptr);
  CHECK(e0242->at("severity") == "error");
  CHECK(e0242->at("name") == "authorized-ranges-miss-firewall");
  CHECK(e0242->at("span").at("file") == kWhere);
  CHECK(e0242->at("span").at("start").at("line").get<int>() > 0);
  CHECK_FALSE(e0242->at("notes").empty());
  CHECK(e0242->at("hint").get<std::string>().rfind("add ", 0) == 0);
  REQUIRE(e0242->at("fixits").size() == 1);
  CHECK(e0242->at("fixits")[0].at("span").at("length") == 0);
  CHECK(e0242->at("fixits")[0].at("replacement").get<std::string>().rfind(", ", 0) == 0);
  // A clean program: still one document, an empty array.
  const auto ok = run_command(egressc("check examples/basic-sku/main.egress --diagnostics-format json"), false);
  CHECK(ok.status == 0);
  CHECK(nlohmann::json::parse(ok.out) == nlohmann::json::array());
}

TEST_CASE("diagnostics formats: sarif has every code as a rule and each diagnostic as a result", "[diagnostics][formats]") {
  const auto r = run_command(egressc("check " + kFile + " --diagnostics-format sarif"), false);
  CHECK(r.status == 1);
  const auto log = nlohmann::json::parse(r.out);
  CHECK(log.at("version") == "2.1.0");
  const auto& run = log.at("runs").at(0);
  const auto& rules = run.at("tool").at("driver").at("rules");
  CHECK(rules.size() == all_codes().size());
  const nlohmann::json* result = nullptr;
  for (const auto& x : run.at("results"))
    if (x.at("ruleId") == "E0242") result = &x;
  REQUIRE(result != nullptr);
  const auto& rule = rules.at(result->at("ruleIndex").get<std::size_t>());
  CHECK(rule.at("id") == "E0242");
  CHECK(rule.at("helpUri").get<std::string>().find("diagnostics.md#e0242-authorized-ranges-miss-firewall") != std::string::npos);
  CHECK(result->at("level") == "error");
  const auto& where = result->at("locations").at(0).at("physicalLocation");
  CHECK(where.at("artifactLocation").at("uri") == kWhere);
  CHECK(where.at("region").at("startLine").get<int>() > 0);
  CHECK_FALSE(result->at("relatedLocations").empty());
  CHECK(result->at("fixes").at(0).at("artifactChanges").at(0).at("replacements").size() == 1);
  // Notes in the stdlib have a path that is no URI as it stands: it is escaped.
  const auto stdlib = run_command(egressc("check tests/diagnostics/E0246-required-flow-blocked.egress --diagnostics-format sarif"), false);
  CHECK_THAT(stdlib.out, Catch::Contains("\"uri\": \"%3Cstdlib%3E/aks.egress\""));
}

TEST_CASE("diagnostics formats: colour only when asked, and a bad format is a usage error", "[diagnostics][formats]") {
  SourceManager sources;
  const auto id = sources.add("x.egress", "firewall fw < sku gold >\n");
  Diagnostic d;
  d.code = Code::E0106;
  d.span = Span{id, 18, 4};
  d.message = "`gold` is not a valid setting";
  CHECK(render(d, sources).find('\x1b') == std::string::npos);
  const auto coloured = render(d, sources, true);
  CHECK_THAT(coloured, Catch::Contains("\x1b[1;31merror[E0106]\x1b[0m"));
  CHECK_THAT(coloured, Catch::Contains("\x1b[1;32m^^^^\x1b[0m"));
  // Piped (not a terminal): no escape codes from the CLI, whatever NO_COLOR says.
  const auto piped = run_command(egressc("check " + kFile));
  CHECK(piped.out.find('\x1b') == std::string::npos);
  CHECK(run_command(egressc("check " + kFile + " --diagnostics-format xml")).status == 2);
  // On a terminal (script(1), from bsdutils, gives the command a pty): colour, unless NO_COLOR is set.
  const std::string on_tty = "script -qec \"" + std::string(egress::testing::egress_binary()) + " check " + kFile + "\" /dev/null";
  const auto tty = run_command("cd '" + source_dir() + "' && " + on_tty);
  CHECK_THAT(tty.out, Catch::Contains("\x1b[1;31merror[E0242]\x1b[0m"));
  const auto no_color = run_command("cd '" + source_dir() + "' && NO_COLOR=1 " + on_tty);
  CHECK_THAT(no_color.out, Catch::Contains("error[E0242]"));
  CHECK(no_color.out.find('\x1b') == std::string::npos);
}
