// gen_workload: writes issue 14's workload W(N) for the whole-process benchmark, and compares the peer's
// output with egressc's (the ctest "bench: the jsonnet peer ..." runs both).
//   gen_workload N DIR
//       writes DIR/w<N>.egress, DIR/w<N>.rules.json and DIR/firewall.jsonnet (bench/workload.hpp)
//   gen_workload --same-firewall ARM.json PEER.json
//       exit 0 when PEER.json (jsonnet's output) equals the Microsoft.Network/azureFirewalls resource of the
//       ARM template ARM.json as JSON values (key order and layout aside); else prints the difference, exit 1
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "workload.hpp"

namespace fs = std::filesystem;

namespace {

bool write(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) std::fprintf(stderr, "gen_workload: cannot write %s\n", path.c_str());
  return static_cast<bool>(out);
}

nlohmann::json read_json(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(std::string("cannot read ") + path);
  return nlohmann::json::parse(in);
}

int same_firewall(const char* arm_path, const char* peer_path) {
  const auto arm = read_json(arm_path);
  const auto peer = read_json(peer_path);
  const nlohmann::json* firewall = nullptr;
  for (const auto& r : arm.at("resources"))
    if (r.value("type", "") == "Microsoft.Network/azureFirewalls") {
      if (firewall) {
        std::fprintf(stderr, "gen_workload: %s has more than one firewall\n", arm_path);
        return 1;
      }
      firewall = &r;
    }
  if (!firewall) {
    std::fprintf(stderr, "gen_workload: %s has no Microsoft.Network/azureFirewalls resource\n", arm_path);
    return 1;
  }
  if (*firewall == peer) return 0;
  // A JSON patch from egressc's resource to the peer's names every place they differ.
  std::fprintf(stderr, "gen_workload: the peer's firewall differs from egressc's; patch egressc -> peer:\n%s\n",
               nlohmann::json::diff(*firewall, peer).dump(1).substr(0, 4000).c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc == 4 && std::strcmp(argv[1], "--same-firewall") == 0) return same_firewall(argv[2], argv[3]);
    if (argc == 3 && std::strspn(argv[1], "0123456789") == std::strlen(argv[1]) && std::strlen(argv[1]) < 10 &&
        std::strlen(argv[1]) > 0) {
      const std::size_t n = std::stoul(argv[1]);
      const fs::path dir = argv[2];
      fs::create_directories(dir);
      const std::string stem = "w" + std::to_string(n);
      const bool ok = write(dir / (stem + ".egress"), egress::bench::workload_egress(n)) &&
                      write(dir / (stem + ".rules.json"), egress::bench::workload_json(n)) &&
                      write(dir / "firewall.jsonnet", egress::bench::kWorkloadJsonnet);
      return ok ? 0 : 1;
    }
    std::fprintf(stderr,
                 "usage: gen_workload N DIR                      W(N) as DIR/wN.egress, DIR/wN.rules.json, DIR/firewall.jsonnet\n"
                 "       gen_workload --same-firewall ARM PEER   is PEER the firewall resource of the ARM template?\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gen_workload: %s\n", e.what());
    return 1;
  }
}
