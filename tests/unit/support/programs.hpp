// The programs the equivalence tests run on, and building all four outputs of one in process.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "../test_support.hpp"

namespace egress::testing {

struct Program {
  std::string label;
  std::string path;  // for imports of files, relative to the source dir
  std::string text;
};

/// The text of examples/aks-egress/main.egress.
std::string example_text();

/// The example, every golden case and every .ok.egress that compiles, and hostile variants of the example.
std::vector<Program> programs();

/// The four outputs of a program that compiles; `compiled` keeps its sources and diagnostics.
struct Built {
  std::unique_ptr<testing::Compiled> compiled;
  std::string arm, bicep, az, k8s;
  /// The templates the az script deploys large rule sets from: file name ("main.az.<symbol>.json") and text.
  std::vector<std::pair<std::string, std::string>> az_templates;
};

/// Compiles `p` (stem "main", imports read relative to the source dir) with the az script's bulk threshold
/// `az_bulk_threshold` (Options::az_bulk_threshold); nullopt when it has errors.
std::optional<Built> build(const Program& p, std::size_t az_bulk_threshold = kAzBulkThreshold);

}  // namespace egress::testing
