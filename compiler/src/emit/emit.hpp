// The four emitters. Each reads only the IR and returns the whole file as text, so nothing is written
// unless every target succeeded. Output is deterministic: same IR, same bytes.
#pragma once
#include <string>
#include <vector>

#include "lower/ir.hpp"

namespace egress::emit {

struct EmitOptions {
  std::string stem = "main";  // the az script applies "<stem>.yaml" from its own folder
  std::string version;        // egressc's version, named in each file's header comment
};

std::string arm(const ir::Deployment& d, const EmitOptions& o);    // ARM deploymentTemplate JSON
std::string bicep(const ir::Deployment& d, const EmitOptions& o);  // Bicep
std::string azcli(const ir::Deployment& d, const EmitOptions& o);  // bash + az CLI + kubectl
std::string k8s(const ir::Deployment& d, const EmitOptions& o);    // multi-document Kubernetes YAML

// The parameter files of the env the IR was lowered with (ir::Deployment::env; emit/params_files.cpp): the
// env's values, for the template beside them. A parameter the env leaves out keeps the template's default.
std::string arm_parameters(const ir::Deployment& d, const EmitOptions& o);    // <stem>.<env>.parameters.json
std::string bicep_parameters(const ir::Deployment& d, const EmitOptions& o);  // <stem>.<env>.bicepparam

/// The Bicep identifier of each of d.params, in order, as bicep() declares them (`param <identifier> ...`).
std::vector<std::string> bicep_param_names(const ir::Deployment& d);

}  // namespace egress::emit
