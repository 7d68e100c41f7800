// The CLI as a user meets it: exit codes, what is written and what is not.
#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "driver/files.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace egress;
using namespace egress::testing;

namespace {

using harness::TempDir;

int run(const std::string& args) {
  const std::string cmd = std::string(egress::testing::egress_binary()) + " " + args + " >/dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<Output> sample_outputs(const std::string& content) {
  return {{Target::arm, "main.json", content}, {Target::az, "main.sh", content}};
}

}  // namespace

TEST_CASE("egressc exit codes: 0 ok, 1 errors, 2 usage", "[driver]") {
  TempDir out;
  const std::string example = source_dir() + "/examples/aks-egress/main.egress";
  CHECK(run("--version") == 0);
  CHECK(run("--help") == 0);
  CHECK(run("") == 2);
  CHECK(run("frobnicate") == 2);
  CHECK(run("build") == 2);
  CHECK(run("build " + example + " --target nope") == 2);
  CHECK(run("check " + example) == 0);
  CHECK(run("check " + out.path.string() + "/missing.egress") == 1);
  CHECK(run("check " + out.path.string()) == 1);  // a directory
  CHECK(run("build " + example + " -o " + out.path.string()) == 0);
  for (const char* f : {"main.json", "main.bicep", "main.sh", "main.yaml"}) CHECK(fs::exists(out.path / f));
}

TEST_CASE("on an error egressc writes nothing", "[driver]") {
  TempDir out;
  const auto bad = out.path / "bad.egress";
  spit(bad, "group rg \"x\" in eastus\nvnet v 10.0.0.0/33\n");
  const auto dest = out.path / "out";
  CHECK(run("build " + bad.string() + " -o " + dest.string()) == 1);
  CHECK_FALSE(fs::exists(dest / "bad.json"));
}

TEST_CASE("a target folder that is a file, or read-only, leaves previous outputs untouched (E0301)", "[driver]") {
  TempDir dir;
  const auto file = dir.path / "not-a-folder";
  spit(file, "x");
  CHECK_FALSE(driver::write_outputs(file.string(), sample_outputs("new")).empty());

  const auto ro = dir.path / "ro";
  fs::create_directories(ro);
  spit(ro / "main.json", "old");
  fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
  if (::geteuid() == 0) {
    WARN("running as root: permissions do not stop writes, read-only case skipped");
  } else {
    CHECK_FALSE(driver::write_outputs(ro.string(), sample_outputs("new")).empty());
    CHECK(slurp(ro / "main.json") == std::optional<std::string>("old"));
  }
  fs::permissions(ro, fs::perms::owner_all);

  // The CLI reports the failure with its code and exits 1.
  const std::string example = source_dir() + "/examples/aks-egress/main.egress";
  CHECK(run("build " + example + " -o " + file.string()) == 1);
}

TEST_CASE("outputs replace earlier ones whole and leave no temporary files", "[driver]") {
  TempDir dir;
  spit(dir.path / "main.json", "old");
  REQUIRE(driver::write_outputs(dir.path.string(), sample_outputs("new")).empty());
  CHECK(slurp(dir.path / "main.json") == std::optional<std::string>("new"));
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path)) ++entries;
  CHECK(entries == 2);
  struct stat st {};
  REQUIRE(::stat((dir.path / "main.sh").c_str(), &st) == 0);
  CHECK((st.st_mode & 0111) != 0);  // the script is executable
}

TEST_CASE("egressc prints the first 1,000 diagnostics, then how many more it counted", "[driver]") {
  TempDir dir;
  const auto file = dir.path / "many.egress";
  std::string text = "group rg \"x\" in eastus\n";
  for (int i = 0; i < 1500; ++i) text += "frobnicate " + std::to_string(i) + "\n";
  spit(file, text);
  const auto err = dir.path / "stderr.txt";
  const int status = std::system((std::string(egress::testing::egress_binary()) + " check " + file.string() + " 2>" + err.string()).c_str());
  CHECK(WEXITSTATUS(status) == 1);
  const auto printed = slurp(err).value_or("");
  std::size_t rendered = 0;
  for (auto at = printed.find("error[E0101]"); at != std::string::npos; at = printed.find("error[E0101]", at + 1))
    ++rendered;
  CHECK(rendered == 1000);
  CHECK(printed.find("\n... and 500 more not shown (egressc keeps the first 1000)\n1500 errors, 0 warnings\n") !=
        std::string::npos);
}

TEST_CASE("build --depfile lists the outputs and every file read, escaped for Make", "[driver]") {
  TempDir dir;
  const auto folder = dir.path / "a b$c";  // a space and a dollar: both need escaping in a depfile
  fs::create_directories(folder);
  std::string text = slurp(source_dir() + "/examples/aks-egress/main.egress").value();
  const auto at = text.find("param prefix");
  REQUIRE(at != std::string::npos);
  const auto end = text.find('\n', at);
  spit(folder / "params.egress", text.substr(at, end - at) + "\n");
  text.replace(at, end - at, "import \"params.egress\"");
  spit(folder / "main.egress", text);
  const auto main_path = (folder / "main.egress").string();
  const auto depfile = (dir.path / "deps.d").string();
  CHECK(run("build '" + main_path + "' --target arm -o '" + (dir.path / "out").string() + "' --depfile '" + depfile + "'") == 0);
  const auto deps = slurp(depfile).value_or("");
  const std::string escaped_folder = dir.path.string() + "/a\\ b$$c";
  CHECK(deps == dir.path.string() + "/out/main.json: \\\n  " + escaped_folder + "/main.egress \\\n  " + escaped_folder +
                    "/params.egress\n");
  CHECK(run("build '" + main_path + "' --depfile") == 2);
  CHECK(run("check '" + main_path + "' --depfile " + depfile) == 2);  // build only
}
