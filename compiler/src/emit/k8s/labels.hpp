// Labels that tie generated Kubernetes objects to their egress app. Shared by the k8s emitter, which
// writes them, and the az CLI emitter, which selects on them when one file holds several apps.
#pragma once
#include <string>
#include <vector>

#include "lower/ir.hpp"

namespace egress::emit::kube {

/// The label every top-level object of an app carries, valued by app_label_values().
inline constexpr const char* kPartOfLabel = "app.kubernetes.io/part-of";

/// One valid, distinct label value per Deployment::apps entry, derived from KubeApp::symbol.
std::vector<std::string> app_label_values(const ir::Deployment& d);

}  // namespace egress::emit::kube
