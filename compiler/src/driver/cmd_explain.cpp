// egressc explain FILE --from SUBNET|CLUSTER|internet --to HOST:PORT/PROTO [--env NAME]: one flow, traced
// through the model route by route and rule by rule (see docs/network-model.md), in the network the program
// builds with every default or with the values of its `env NAME`.
//   exit 0: the flow is allowed; 1: it is dropped, or the program has errors; 2: usage, or the flow cannot be
//   traced (no such subnet, cluster or public IP in the program) or --env names no env of the program, so that
//   a script can tell "dropped" from "asked about something that is not there".
#include <fmt/format.h>

#include <string>
#include <vector>

#include "driver/load.hpp"
#include "model/explain.hpp"

namespace egress::driver {

namespace {

int usage(const std::string& message) {
  fmt::print(stderr, "egressc: {}\nusage: egressc explain FILE --from SUBNET|CLUSTER|internet --to HOST:PORT/PROTO [--env NAME]\n"
                     "  e.g. egressc explain main.egress --from vnet.aks --to mcr.microsoft.com:443/https\n",
             message);
  return 2;
}

}  // namespace

int run_explain(const std::vector<std::string>& args) {
  std::string file, from, to, env;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    auto value = [&](std::string_view flag, std::string& into) {
      if (a.rfind(std::string(flag) + "=", 0) == 0) {
        into = a.substr(flag.size() + 1);
        return true;
      }
      if (a == flag && i + 1 < args.size()) {
        into = args[++i];
        return true;
      }
      return false;
    };
    std::string env_error;
    if (take_env_option(args, i, env, env_error)) {
      if (!env_error.empty()) return usage(env_error);
    } else if (a == "--from" || a.rfind("--from=", 0) == 0) {
      if (!value("--from", from)) return usage("--from needs a subnet (VNET.SUBNET), a cluster or `internet`");
    } else if (a == "--to" || a.rfind("--to=", 0) == 0) {
      if (!value("--to", to)) return usage("--to needs HOST:PORT/PROTO");
    } else if (auto error = take_input_file(a, file); !error.empty()) {
      return usage(error);
    }
  }
  if (file.empty()) return usage("explain needs an input file");
  if (from.empty()) return usage("missing --from");
  if (to.empty()) return usage("missing --to");
  const auto target = model::parse_explain_target(to);
  if (!target) return usage(fmt::format("--to '{}' is not HOST:PORT/PROTO with PROTO tcp, udp, icmp, http or https", to));

  SourceManager sources;
  int status = 0;
  const auto analysis = load_usable_analysis(file, sources, env, status);
  if (!analysis) return status;
  const model::Network network(analysis->program, analysis->catalog);
  const auto result = model::explain(network, from, *target);
  if (result.result == model::Explanation::Result::error) {
    fmt::print(stderr, "egressc: error: {}\n", result.text);
    return 2;
  }
  fmt::print("{}", result.text);
  return result.result == model::Explanation::Result::allowed ? 0 : 1;
}

}  // namespace egress::driver
