// libFuzzer target: the whole pipeline, parse -> elaborate -> check -> lower -> every emitter, with imports
// of files resolved to nothing. It must never crash or hang; outputs exist exactly when there is no error;
// the ARM template is valid JSON; compiling twice gives the same bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"

using namespace egress;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const Options options = fuzz::fuzz_options();
  SourceManager sources;
  const auto id = sources.add("fuzz.egress", text);
  const Result result = compile(sources, id, options);
  const auto errors = fuzz::check_diagnostics(result.diagnostics, sources);
  EGRESS_FUZZ_ASSERT(result.ok() == (errors == 0), "ok() disagrees with the diagnostics");
  if (!result.ok()) {
    EGRESS_FUZZ_ASSERT(result.outputs.empty(), "outputs despite an error");
    return 0;
  }
  // Every target at least once; the Kubernetes one writes a manifest per cluster when there are several.
  for (const auto target : {Target::arm, Target::bicep, Target::az, Target::k8s})
    EGRESS_FUZZ_ASSERT(std::any_of(result.outputs.begin(), result.outputs.end(),
                                   [target](const Output& o) { return o.target == target; }),
                       "a target is missing");
  for (const auto& out : result.outputs) {
    EGRESS_FUZZ_ASSERT(!out.content.empty(), out.filename);
    EGRESS_FUZZ_ASSERT(out.content.back() == '\n', out.filename + " does not end in a newline");
    EGRESS_FUZZ_ASSERT(out.content.find('\r') == std::string::npos || out.target == Target::arm,
                       out.filename + " holds a raw carriage return");
  }
  EGRESS_FUZZ_ASSERT(nlohmann::json::accept(result.outputs[0].content), "the ARM template is not JSON");

  // Determinism: a second compilation of the same text gives the same bytes.
  SourceManager again;
  const Result second = compile(again, again.add("fuzz.egress", text), options);
  EGRESS_FUZZ_ASSERT(second.outputs.size() == result.outputs.size(), "a second run differs");
  for (std::size_t i = 0; i < second.outputs.size(); ++i)
    EGRESS_FUZZ_ASSERT(second.outputs[i].content == result.outputs[i].content,
                       "a second run gives other bytes for " + result.outputs[i].filename);
  return 0;
}
