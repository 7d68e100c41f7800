// What a newcomer meets in the first minutes (issue 13, "small things"): `egressc` alone, a mistyped command
// or region, `-o=DIR`, a hint whose command must work as written (E0008), and W0206's advice that must not
// lead straight into E0242. explain's exit status for an endpoint that is not there (2) is in model_test.cpp.
#include <catch2/catch.hpp>

#include <regex>
#include <string>

#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace egress;
using namespace egress::testing;
using harness::run_command;
using harness::TempDir;

namespace {

std::string egressc(const std::string& args) { return std::string(egress::testing::egress_binary()) + " " + args; }
std::string article() { return source_dir() + "/examples/aks-egress/main.egress"; }

}  // namespace

TEST_CASE("newcomer: `egressc` alone prints the usage and exits 2", "[driver][newcomer]") {
  const auto r = run_command(egressc(""));
  CHECK(r.status == 2);
  CHECK_THAT(r.out, Catch::Contains("usage:"));
  CHECK_THAT(r.out, Catch::Contains("egressc build FILE"));
}

TEST_CASE("newcomer: a mistyped command gets a did-you-mean", "[driver][newcomer]") {
  const auto bulid = run_command(egressc("bulid " + article()));
  CHECK(bulid.status == 2);
  CHECK_THAT(bulid.out, Catch::Contains("unknown command 'bulid'; did you mean 'build'?"));
  const auto explian = run_command(egressc("explian"));
  CHECK_THAT(explian.out, Catch::Contains("did you mean 'explain'?"));
  const auto far = run_command(egressc("frobnicate"));
  CHECK(far.status == 2);
  CHECK_THAT(far.out, !Catch::Contains("did you mean"));
}

TEST_CASE("newcomer: -o=DIR and --output=DIR work like -o DIR", "[driver][newcomer]") {
  TempDir a, b;
  CHECK(run_command(egressc("build " + article() + " -o=" + a.path.string())).status == 0);
  CHECK(run_command(egressc("build " + article() + " --output=" + b.path.string())).status == 0);
  for (const char* f : {"main.json", "main.bicep", "main.sh", "main.yaml"}) {
    CHECK(fs::exists(a.path / f));
    CHECK(fs::exists(b.path / f));
  }
  CHECK(run_command(egressc("build " + article() + " -o=")).status == 2);
}

TEST_CASE("newcomer: a mistyped region gets a did-you-mean (E0117)", "[sema][newcomer]") {
  TempDir dir;
  std::string text = slurp(article()).value();
  const auto at = text.find("= eastus");
  REQUIRE(at != std::string::npos);
  text.replace(at, 8, "= eastsu");
  spit(dir.path / "r.egress", text);
  const auto r = run_command(egressc("check " + (dir.path / "r.egress").string()));
  CHECK(r.status == 1);
  CHECK_THAT(r.out, Catch::Contains("error[E0117]: `eastsu` is not an Azure region"));
  CHECK_THAT(r.out, Catch::Contains("hint: did you mean `eastus`?"));
}

TEST_CASE("newcomer: the command in E0008's hint works as written", "[limits][newcomer]") {
  TempDir dir;
  std::string text = slurp(article()).value();
  text.resize((std::size_t{3} << 20) / 2, '\n');  // 1.5 MiB: over a 1 MiB cap
  const auto file = (dir.path / "big.egress").string();
  spit(file, text);
  const auto over = run_command(egressc("check " + file + " --max-input-mib 1"));
  CHECK(over.status == 1);
  std::smatch m;
  REQUIRE(std::regex_search(over.out, m, std::regex("`egressc (build|check) FILE --max-input-mib N`")));
  // The hint's command, with this file and a cap that fits it.
  std::string command = m.str(0).substr(1, m.str(0).size() - 2);
  command.replace(command.find("FILE"), 4, file);
  command.replace(command.find(" N"), 2, " 2");
  command.replace(0, 7, egress::testing::egress_binary());
  command.replace(command.find(" build "), 7, " check ");
  const auto raised = run_command(command);
  INFO(command << "\n" << raised.out);
  CHECK(raised.status == 0);
}

TEST_CASE("newcomer: W0206's advice names the clusters whose authorized ranges need the new IPs", "[model][newcomer]") {
  // The article's cluster lists the firewall's frontend in `api_server_authorized`; with 12 nodes behind one
  // frontend W0206 fires, and its hint must say that new frontends go there too (or E0242 follows).
  TempDir dir;
  std::string text = slurp(article()).value();
  const auto at = text.find("nodes 3");
  REQUIRE(at != std::string::npos);
  text.replace(at, 7, "nodes 12");
  spit(dir.path / "main.egress", text);
  const auto r = run_command(egressc("check " + (dir.path / "main.egress").string()));
  INFO(r.out);
  CHECK_THAT(r.out, Catch::Contains("warning[W0206]"));
  CHECK_THAT(r.out, Catch::Contains("and add each new IP to `api_server_authorized` of cluster `aks` (E0242)"));
}
