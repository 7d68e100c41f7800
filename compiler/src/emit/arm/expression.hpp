// ARM template expressions built from IR values. Every user string reaches the template either as a JSON
// string that ARM reads literally (a leading `[` doubled when ARM would otherwise evaluate it) or as a
// single-quoted literal inside an expression (`'` doubled, and `{`/`}` doubled inside a format string),
// so no name, FQDN or parameter default can break the JSON or turn into an ARM expression.
#pragma once
#include <string>
#include <string_view>

#include "emit/api_versions.hpp"
#include "lower/ir.hpp"

namespace egress::emit::arm_detail {

/// True when ARM would not read the JSON string `s` literally: it starts with `[` and ends with `]`
/// (an expression, or an escaped `[[...]` that ARM would shorten by one bracket).
bool needs_escape(std::string_view s);

/// The JSON string value ARM reads as exactly `s`: `[x]` becomes `[[x]`; anything else is unchanged.
/// ARM drops only the first `[` of a string that starts with `[[` and ends with `]`; a string that starts
/// with `[` but does not end with `]` is already literal and must stay as it is.
std::string escape_literal(std::string_view s);

/// `'s'` as a string literal inside an expression, each `'` written as `''`.
std::string string_literal(std::string_view s);

/// `parameters('name')`.
std::string parameter(std::string_view name);

/// The concatenation of a Text's parts; its `value` when it has no parts.
std::string literal_text(const ir::Text& t);

/// An expression (no outer brackets) for `t`: `'literal'`, `parameters('p')`, or
/// `format('{0}-rg', parameters('prefix'))`.
std::string text_expression(const ir::Text& t);

/// The JSON string value for `t`: the escaped literal, or `[expression]` when it has parameter holes.
std::string text_value(const ir::Text& t);

/// `resourceId('<type>', <name expression>)`; with `group` (a resource of another resource group),
/// `resourceId(subscription().subscriptionId, <group name>, '<type>', <name expression>)`. So do the four below.
std::string resource_id(const api::ResourceType& type, const ir::Text& name, const ir::Text* group = nullptr);

/// `resourceId('<parent type>/<child type>', <parent name>, <child name>)`.
std::string child_resource_id(const api::ResourceType& type, const ir::Text& parent_name, const ir::Text& child_name,
                              const ir::Text* group = nullptr);

/// `resourceId('Microsoft.Network/virtualNetworks/subnets', <vnet name>, <subnet name>)`.
std::string subnet_id(const ir::Text& vnet_name, const ir::Text& subnet_name, const ir::Text* group = nullptr);

/// `reference(resourceId('<type>', <name>), '<version>')`: the resource's runtime properties.
std::string reference(const api::ResourceType& type, const ir::Text& name, const ir::Text* group = nullptr);

/// `reference(resourceId('<type>', <name>), '<version>', 'Full')`: the whole resource, `identity` included.
std::string reference_full(const api::ResourceType& type, const ir::Text& name, const ir::Text* group = nullptr);

/// The Text `<parent>/<child>`: the name a child resource declared at the top level of a template takes.
ir::Text child_name(const ir::Text& parent, const ir::Text& child);

/// `subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '<guid>')`: a built-in role's id.
std::string role_definition_id(std::string_view role_guid);

}  // namespace egress::emit::arm_detail
