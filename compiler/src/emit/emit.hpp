// The four emitters. Each reads only the IR and returns the whole file as text, so nothing is written
// unless every target succeeded. Output is deterministic: same IR, same bytes.
#pragma once
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "lower/ir.hpp"

namespace egress::emit {

struct EmitOptions {
  std::string stem = "main";  // the az script applies "<stem>.yaml" from its own folder
  std::string version;        // egressc's version, named in each file's header comment
};

std::string arm(const ir::Deployment& d, const EmitOptions& o);    // ARM deploymentTemplate JSON
std::string bicep(const ir::Deployment& d, const EmitOptions& o);  // Bicep (the main file)

/// A file beside the main one: its name and its text.
struct EmittedFile {
  std::string filename;
  std::string content;
};
/// Several resource groups: the Bicep module of each deployment unit, "<stem>.<unit>.bicep", which the main
/// file deploys into its group. Empty for a program of one group.
std::vector<EmittedFile> bicep_modules(const ir::Deployment& d, const EmitOptions& o);
std::string azcli(const ir::Deployment& d, const EmitOptions& o);  // bash + az CLI + kubectl (default threshold)

/// The az target's script and the templates it deploys large rule sets from (emit/azcli/plan_bulk.cpp): a
/// firewall with more than `bulk_threshold` classic rules, or a rule collection group with more than that many
/// rules, is created by one `az deployment group create` of "<stem>.az.<symbol>.json" beside the script instead
/// of one az command per rule. `azcli()` is `azcli_outputs(d, o, kAzBulkThreshold).script`.
struct AzOutputs {
  std::string script;
  std::vector<EmittedFile> templates;  // in the order the script deploys them
};
/// `arm`: the ARM template of the same IR and options when the build makes one (arm_text()); the templates then take
/// their resources' text from it instead of walking them again. Null: each template is walked.
struct ArmText;
AzOutputs azcli_outputs(const ir::Deployment& d, const EmitOptions& o, std::size_t bulk_threshold,
                        const ArmText* arm = nullptr);

/// arm()'s text, and where each resource's members lie in it. A template of W(10^5) is 44 MB; the az script's
/// template of its firewall is the same resource, so a build of both targets writes the rules' text once
/// (arm_resource_template() below).
struct ArmText {
  std::string text;  // exactly arm()
  /// Per resource: the text between its opening `{` and its `dependsOn` (or its closing `}`), as offsets into
  /// `text`. Empty when the template nests its resources in deployments (several groups): a nested resource is
  /// indented deeper and names other groups' resources otherwise, so it is not the text a template of its own holds.
  std::vector<std::pair<std::size_t, std::size_t>> members;
};
ArmText arm_text(const ir::Deployment& d, const EmitOptions& o);

/// A resource-group template that deploys resource `i` alone: the program's parameters and the resource as arm()
/// writes it, without dependsOn (the az script runs it after everything the resource needs). The az script's bulk
/// deployments (above). The resource's members come from `arm` when given (arm_text() of the same IR and options:
/// the same walk's bytes), else from a walk of its own; either way they cannot disagree with arm().
std::string arm_resource_template(const ir::Deployment& d, const EmitOptions& o, ir::Index i,
                                  const ArmText* arm = nullptr);
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
