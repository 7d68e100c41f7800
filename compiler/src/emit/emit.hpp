// The four emitters. Each reads only the IR and returns the whole file as text, so nothing is written
// unless every target succeeded. Output is deterministic: same IR, same bytes.
#pragma once
#include <string>

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

}  // namespace egress::emit
