// The four emitters. Each reads only the IR and gives a file's text, whole or a chunk at a time; egress::compile()
// emits only a program without errors, and nothing it writes is in place until every file was written
// (driver/files.cpp). Output is deterministic: same IR, same bytes.
#pragma once
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "emit/stream.hpp"
#include "lower/ir.hpp"

namespace egress::emit {

struct EmitOptions {
  std::string stem = "main";  // the az script applies "<stem>.yaml" from its own folder
  std::string version;        // egressc's version, named in each file's header comment
  std::size_t chunk = Stream::kChunk;  // the streaming forms hand on their text in pieces of about this size (tests: 1)
};

// Each large output comes in two forms: the whole text as a string, and the same bytes handed to a TextSink a chunk
// at a time as they are written (emit/stream.hpp), so that a build never holds its largest files whole.
std::string arm(const ir::Deployment& d, const EmitOptions& o);    // ARM deploymentTemplate JSON
void arm(const ir::Deployment& d, const EmitOptions& o, TextSink& sink);
std::string bicep(const ir::Deployment& d, const EmitOptions& o);  // Bicep (the main file)
void bicep(const ir::Deployment& d, const EmitOptions& o, TextSink& sink);

/// Several resource groups: the Bicep module of each deployment unit, "<stem>.<unit>.bicep", which the main
/// file deploys into its group. Empty for a program of one group.
std::vector<std::string> bicep_module_files(const ir::Deployment& d, const EmitOptions& o);  // by unit
void bicep_module(const ir::Deployment& d, const EmitOptions& o, std::size_t unit, TextSink& sink);
std::string azcli(const ir::Deployment& d, const EmitOptions& o);  // bash + az CLI + kubectl (default threshold)

/// The az target's script and the templates it deploys large rule sets from (emit/azcli/plan_bulk.cpp): a
/// firewall with more than `bulk_threshold` classic rules, or a rule collection group with more than that many
/// rules, is created by one `az deployment group create` of "<stem>.az.<symbol>.json" beside the script instead
/// of one az command per rule. `azcli()` is `azcli_outputs(d, o, kAzBulkThreshold).script`.
struct BulkTemplate {
  std::string filename;
  ir::Index resource;  // its text: arm_resource_template(d, o, resource)
};
struct AzOutputs {
  std::string script;
  std::vector<BulkTemplate> templates;  // in the order the script deploys them
};
AzOutputs azcli_outputs(const ir::Deployment& d, const EmitOptions& o, std::size_t bulk_threshold);

/// A resource-group template that deploys resource `i` alone: the program's parameters and the resource as arm()
/// writes it (the same walk, so the two cannot disagree), without dependsOn (the az script runs it after everything
/// the resource needs). The az script's bulk deployments (above).
std::string arm_resource_template(const ir::Deployment& d, const EmitOptions& o, ir::Index i);
void arm_resource_template(const ir::Deployment& d, const EmitOptions& o, ir::Index i, TextSink& sink);
std::string k8s(const ir::Deployment& d, const EmitOptions& o);    // multi-document Kubernetes YAML

/// One Kubernetes manifest: its file name and content.
struct Manifest {
  std::string filename;
  std::string content;
};
/// The Kubernetes target's files: `<stem>.yaml` with every app when the program has at most one cluster (as
/// k8s() writes it); otherwise `<stem>.<cluster>.yaml` for each cluster that runs apps, holding its apps only
/// (`<stem>.yaml`, empty, when none does: every target writes at least one file).
std::vector<Manifest> k8s_manifests(const ir::Deployment& d, const EmitOptions& o);
/// The manifest file that holds the apps of cluster `cluster` (a managed_cluster resource).
std::string k8s_manifest_name(const ir::Deployment& d, const EmitOptions& o, ir::Index cluster);
// The parameter files of the env the IR was lowered with (ir::Deployment::env; emit/params_files.cpp): the
// env's values, for the template beside them. A parameter the env leaves out keeps the template's default.
std::string arm_parameters(const ir::Deployment& d, const EmitOptions& o);    // <stem>.<env>.parameters.json
std::string bicep_parameters(const ir::Deployment& d, const EmitOptions& o);  // <stem>.<env>.bicepparam

/// The Bicep identifier of each of d.params, in order, as bicep() declares them (`param <identifier> ...`).
std::vector<std::string> bicep_param_names(const ir::Deployment& d);

}  // namespace egress::emit
