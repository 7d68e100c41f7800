// Writes egress.tmLanguage.json, the TextMate grammar of egress (scope source.egress), from the rules below and
// the service tags and regions of stdlib/azure.egress. Edit this file, not the JSON, then run:
//   node editors/vscode/syntaxes/generate.mjs          (write the JSON)
//   node editors/vscode/syntaxes/generate.mjs --check  (exit 1 if the JSON is not what this file makes)
// tests/editors/run.sh runs the check.
//
// The grammar follows the statement shape `head item* [ < statement* > ]`: a statement starts at its head
// word and ends before `;`, `<`, `>`, `//` or the end of the line (or continues after a line-final comma);
// a block `< ... >` holds more statements. Heads are keywords by position, so a head word used as a name
// elsewhere (`vnet vnet`, `port http 15672`) is not mistaken for a keyword.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const out = join(here, 'egress.tmLanguage.json');
const r = String.raw;

// ---- words of the language

const words = (s) => s.trim().split(/\s+/);
// Statements that declare a named resource (or rule collection, workload, config entry, requirement)
const KINDS = words('group vnet subnet public_ip nat_gateway ip_group firewall_policy rule_group firewall network application nat route_table route cluster pool app config file statefulset deployment service requirement rule_set');
// Statements that set something; their first item is not a name
const PROPS = words(`frontend dns_proxy sku allocation threat_intel nodes vm_size max_pods network_plugin outbound
  api_server_authorized api_server_subnet ssh service_cidr dns_service_ip pod_cidr private kubernetes_version mount requests limits
  probe replicas namespace peer bgp_propagation profile regions addon registry pull fqdn_tag_covers policy tier
  base idps idps_signature tls_inspection threat_intel_allow dns_servers management zones idle_timeout use defender idps_bypass idps_private_ranges
  mode autoscale os os_sku label taint virtual_network_access forwarded_traffic gateway_transit use_remote_gateways`);
const STATEMENT_KWS = ['import', 'param', ...KINDS, 'allow', 'deny', 'dnat', 'port', 'env', 'wait_for', 'identity',
  'service_tags', 'fqdn_tags', ...PROPS];
const OTHER_KWS = words('in priority tag image internal public cluster user kubelet system generate cpu memory from to ip when unless recommended workspace alias keyvault_secret certificate category url terminate_tls header zonal required linux windows');
const PROTOCOLS = words('udp tcp icmp any http https mssql');
const NEXT_HOPS = words('internet vnet_local virtual_network_gateway none');
const MODES = words('off alert deny'); // `on` is a preposition before a name (`app store on aks`), else a value
const SKUS = words('standard basic premium static dynamic');
const PLUGINS = words('azure kubenet overlay');
const OUTBOUND = words('load_balancer user_defined_routing managed_nat_gateway user_assigned_nat_gateway');
const PROFILES = words('production development');
const TYPES = words('string int region bool cidrs');
// Subnet names that Azure fixes: names, not service tags, although they start with "Azure"
const SPECIAL_SUBNETS = words('AzureFirewallSubnet AzureFirewallManagementSubnet AzureBastionSubnet GatewaySubnet RouteServerSubnet');

// The service tags and regions the compiler knows, from the prelude: `service_tags A, B, ...` and `regions ...`
function stdlibList(head) {
  const text = readFileSync(join(root, 'stdlib/azure.egress'), 'utf8').replace(/\/\/.*$/gm, '');
  const m = new RegExp(r`^${head}\s+((?:[^\n]*,[ \t]*\n)*[^\n]*)`, 'm').exec(text);
  if (!m) throw new Error(`stdlib/azure.egress has no ${head} statement`);
  return m[1].split(',').map((s) => s.trim()).filter(Boolean);
}
const SERVICE_TAGS = stdlibList('service_tags');
const REGIONS = stdlibList('regions');

// ---- regular expressions (Oniguruma)

const B = r`(?<![\w.$}-])`; // not inside a word
const E = r`(?![\w.$]|-(?!>))`; // the word ends here (a '-' may only start '->')
const IDENT = r`[A-Za-z_](?:\w|-(?!>))*`;
const INTERP = r`\$\{[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\}`;
const SEG = `(?:${IDENT}|${INTERP})`;
const WORD = `${SEG}(?:\\.${SEG})*`;
const alt = (list) => `(?:${list.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
const OCTET = r`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const PREFIX_LEN = r`(?:3[0-2]|[12]?\d)`;
const NOT_PROTOCOL = `(?!${alt(PROTOCOLS)}${E})`;
const NAME = `(?:\\s+${NOT_PROTOCOL}(${IDENT})${E})?`; // an optional declared name, captured
const END = r`(?=[;<]|//)|(?<!-)(?=>)|$`;

const include = (...names) => names.map((n) => ({ include: `#${n}` }));
const caps = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? { name: v } : v]));

/** A statement: `begin` matches its head (and name); it ends where the statement does. */
function statement(kind, begin, beginCaptures, extra = []) {
  return { name: `meta.statement.${kind}.egress`, begin, beginCaptures: caps(beginCaptures), end: END,
    patterns: include(...extra, 'items') };
}

const repo = {};

repo.statements = { patterns: include('comment', 'block', 'stray-block-end', 'terminator', 'statement-import',
  'statement-param', 'statement-identity-setting', 'statement-identity', 'statement-port-kind', 'statement-kind',
  'statement-rule', 'statement-port', 'statement-env', 'statement-wait-for', 'statement-tag-list',
  'statement-property', 'statement-other', 'items') };

repo.comment = {
  name: 'comment.line.double-slash.egress',
  begin: '//', beginCaptures: caps({ 0: 'punctuation.definition.comment.egress' }), end: '$',
  patterns: [{ match: r`\b(?:TODO|FIXME|XXX|NOTE)\b`, name: 'keyword.other.todo.egress' }],
};
repo.block = {
  name: 'meta.block.egress',
  begin: '<', beginCaptures: caps({ 0: 'punctuation.section.block.begin.egress' }),
  end: '(?<!-)>', endCaptures: caps({ 0: 'punctuation.section.block.end.egress' }),
  patterns: include('statements'),
};
repo['stray-block-end'] = { match: '(?<!-)>', name: 'invalid.illegal.stray-block-end.egress' };
repo.terminator = { match: ';', name: 'punctuation.terminator.statement.egress' };

repo['statement-import'] = statement('import', `${B}(import)${E}${NAME}`,
  { 1: 'keyword.control.import.egress', 2: 'entity.name.namespace.egress' });
repo['statement-param'] = statement('param', `${B}(param)${E}${NAME}`,
  { 1: 'storage.type.parameter.egress', 2: 'entity.name.variable.parameter.egress' });
// `identity system`, `identity user cp kubelet kl` set a cluster's identity; `identity cp "myIdentity"` declares one
repo['statement-identity-setting'] = statement('property', `${B}(identity)${E}(?=\\s+(?:system|user)${E})`,
  { 1: 'keyword.other.property.egress' });
repo['statement-identity'] = statement('resource', `${B}(identity)${E}${NAME}`,
  { 1: 'storage.type.resource.egress', 2: 'entity.name.type.resource.egress' });
// In a service statement the numbers are ports
repo['statement-port-kind'] = statement('resource', `${B}(service)${E}${NAME}`,
  { 1: 'storage.type.resource.egress', 2: 'entity.name.type.resource.egress' }, ['port-numbers']);
repo['statement-kind'] = statement('resource', `${B}(${alt(KINDS.filter((k) => k !== 'service'))})${E}${NAME}`,
  { 1: 'storage.type.resource.egress', 2: 'entity.name.type.resource.egress' });
repo['statement-rule'] = statement('rule', `${B}(allow|deny|dnat)${E}${NAME}`,
  { 1: 'keyword.control.rule.egress', 2: 'entity.name.label.rule.egress' }, ['port-numbers']);
repo['statement-port'] = statement('port', `${B}(port)${E}${NAME}`,
  { 1: 'keyword.other.property.egress', 2: 'entity.name.label.port.egress' }, ['port-numbers']);
repo['statement-env'] = statement('env', `${B}(env)${E}${NAME}`,
  { 1: 'keyword.other.property.egress', 2: 'entity.name.variable.env.egress' });
repo['statement-wait-for'] = statement('property', `${B}(wait_for)${E}`,
  { 1: 'keyword.other.property.egress' }, ['port-numbers']);
// The stdlib's `service_tags A, B` and `fqdn_tags C, D`: every word listed is a tag
repo['statement-tag-list'] = statement('property', `${B}(service_tags|fqdn_tags)${E}`,
  { 1: 'keyword.other.property.egress' }, ['tag-word']);
repo['statement-property'] = statement('property', `${B}(${alt(PROPS)})${E}`, { 1: 'keyword.other.property.egress' });
repo['statement-other'] = { name: 'meta.statement.egress', begin: `${B}${IDENT}`, end: END, patterns: include('items') };

repo.items = { patterns: include('comment', 'string-unterminated', 'string-fqdn', 'string', 'arrow', 'cidr', 'ip',
  'address-invalid', 'port-after-colon', 'range', 'number', 'word-with-prefix', 'service-tag-after-tag',
  'service-tag', 'region', 'keyword-values', 'interpolation', 'accessor', 'identifier', 'continuation', 'punctuation') };

// ---- strings

repo.escape = { patterns: [
  { match: r`\\[\\"nt$]`, name: 'constant.character.escape.egress' },
  { match: r`\\.`, name: 'invalid.illegal.unknown-escape.egress' },
] };
repo.interpolation = {
  match: r`(\$\{)([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(\})`, name: 'meta.interpolation.egress',
  captures: caps({ 1: 'punctuation.section.interpolation.begin.egress', 2: 'variable.other.egress',
    3: 'punctuation.section.interpolation.end.egress' }),
};
repo['string-unterminated'] = {
  comment: 'A string must end on the line it starts on; one that does not is an error to the end of the line.',
  match: r`"(?:[^"\\]|\\.)*\\?$`, name: 'invalid.illegal.unterminated-string.egress',
};
const LABEL = `(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?|${INTERP})`;
repo['string-fqdn'] = {
  comment: 'A string that is a host name, maybe with a wildcard label first: "*.hcp.eastus.azmk8s.io".',
  match: `(")((?:\\*\\.)?(?:${LABEL}\\.)+(?:[A-Za-z]{2,63}|${INTERP}))(")`,
  name: 'string.quoted.double.egress',
  captures: caps({
    1: 'punctuation.definition.string.begin.egress',
    2: { name: 'meta.fqdn.egress', patterns: [
      { match: r`\*(?=\.)`, name: 'constant.language.wildcard.egress' }, ...include('interpolation')] },
    3: 'punctuation.definition.string.end.egress',
  }),
};
repo.string = {
  name: 'string.quoted.double.egress',
  begin: '"', beginCaptures: caps({ 0: 'punctuation.definition.string.begin.egress' }),
  end: '"', endCaptures: caps({ 0: 'punctuation.definition.string.end.egress' }),
  patterns: include('escape', 'interpolation'),
};

// ---- numbers and addresses

repo.arrow = { match: '->', name: 'keyword.operator.arrow.egress' };
repo.cidr = { match: `${B}(${IPV4})(/)${PREFIX_LEN}${E}(?!/)`, name: 'constant.numeric.ip.cidr.egress',
  captures: caps({ 2: 'punctuation.separator.prefix.egress' }) };
repo.ip = { match: `${B}${IPV4}${E}(?!/)`, name: 'constant.numeric.ip.address.egress' };
repo['address-invalid'] = {
  comment: 'An address with a number over 255 or a leading zero, a prefix over 32, or not four parts.',
  match: r`${B}\d+(?:\.\d+)+(?:/\d+)?${E}`, name: 'invalid.illegal.address.egress',
};
repo['port-after-colon'] = { match: `(:)\\s*(\\d+)${E}`,
  captures: caps({ 1: 'punctuation.separator.colon.egress', 2: 'constant.numeric.port.egress' }) };
repo.range = { match: `${B}(\\d+)(-)(\\d+)${E}`, name: 'constant.numeric.range.egress',
  captures: caps({ 2: 'punctuation.separator.range.egress' }) };
repo.number = { match: `${B}\\d+${E}`, name: 'constant.numeric.integer.egress' };
repo['port-numbers'] = {
  comment: 'In port, dnat, allow/deny, wait_for and service statements a bare number is a port.',
  patterns: [...include('cidr', 'ip', 'address-invalid', 'range'),
    { match: `${B}\\d+${E}`, name: 'constant.numeric.port.egress' }],
};
repo['word-with-prefix'] = {
  comment: 'A public IP as a prefix: fwpip/32.',
  match: `${B}(${IDENT})(/)(${PREFIX_LEN})${E}`, name: 'meta.address.egress',
  captures: caps({ 2: 'punctuation.separator.prefix.egress', 3: 'constant.numeric.prefix.egress' }),
};

// ---- service tags, regions, keywords, words

const TAG_PARTS = [...include('interpolation'), { match: r`\.`, name: 'punctuation.accessor.egress' }];
repo['service-tag-after-tag'] = { match: `${B}(tag)${E}\\s+(${WORD})${E}`,
  captures: caps({ 1: 'keyword.other.egress', 2: { name: 'support.constant.service-tag.egress', patterns: TAG_PARTS } }) };
repo['tag-word'] = { match: `${B}${WORD}${E}`, name: 'support.constant.service-tag.egress', captures: caps({ 0: { patterns: TAG_PARTS } }) };
const REGION = `(?:[a-z][a-z0-9]*|${INTERP})`;
repo['service-tag'] = {
  comment: 'Service tags, maybe regional: the stdlib list, any Azure*/Microsoft* word, any Capitalised.region word.',
  match: `${B}(?!${alt(SPECIAL_SUBNETS)}${E})(?:${alt([...SERVICE_TAGS].sort((a, b) => b.length - a.length))}` +
    `|(?:Azure|Microsoft)[A-Za-z0-9]*|[A-Z][A-Za-z0-9]*(?=\\.${REGION}${E}))(?:\\.${REGION})?${E}`,
  name: 'support.constant.service-tag.egress',
  captures: caps({ 0: { patterns: TAG_PARTS } }),
};
repo.region = { match: `${B}${alt(REGIONS)}${E}`, name: 'support.constant.region.egress' };

const kw = (list, name) => ({ match: `${B}${alt(list)}${E}`, name });
repo['keyword-values'] = { patterns: [
  { match: `${B}on${E}(?=\\s+[A-Za-z_$"])`, name: 'keyword.other.egress' },
  { match: `${B}on${E}`, name: 'constant.language.mode.egress' },
  kw(MODES, 'constant.language.mode.egress'),
  kw(OTHER_KWS, 'keyword.other.egress'),
  kw(PROTOCOLS, 'constant.language.protocol.egress'),
  kw(NEXT_HOPS, 'constant.language.next-hop.egress'),
  kw(SKUS, 'constant.language.sku.egress'),
  kw(PLUGINS, 'constant.language.network-plugin.egress'),
  kw(OUTBOUND, 'constant.language.outbound-type.egress'),
  kw(PROFILES, 'constant.language.profile.egress'),
  kw(TYPES, 'support.type.primitive.egress'),
  kw(['true', 'false'], 'constant.language.boolean.egress'),
  kw(STATEMENT_KWS.filter((k) => !OTHER_KWS.includes(k) && !MODES.includes(k)), 'keyword.other.egress'),
] };
repo.accessor = { match: r`(?<=[\w}])\.(?=[A-Za-z_$])`, name: 'punctuation.accessor.egress' };
repo.identifier = { match: IDENT };
repo.continuation = {
  comment: 'A comma at the end of a line continues the statement on the next line.',
  begin: r`,(?=\s*(?://.*)?$)`, beginCaptures: caps({ 0: 'punctuation.separator.comma.egress' }),
  end: r`(?=\S)`, applyEndPatternLast: 1, patterns: include('comment'),
};
repo.punctuation = { patterns: [
  { match: ':', name: 'punctuation.separator.colon.egress' },
  { match: ',', name: 'punctuation.separator.comma.egress' },
  { match: r`\*`, name: 'constant.language.wildcard.egress' },
  { match: '=', name: 'keyword.operator.assignment.egress' },
  { match: ';', name: 'punctuation.terminator.statement.egress' },
] };

const grammar = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'egress',
  scopeName: 'source.egress',
  fileTypes: ['egress'],
  comment: 'Generated by generate.mjs from its rules and stdlib/azure.egress; do not edit by hand.',
  patterns: include('statements'),
  repository: repo,
};
const text = JSON.stringify(grammar, null, 2) + '\n';

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(out, 'utf8');
  } catch {}
  if (current !== text) {
    console.error('egress.tmLanguage.json is out of date: run node editors/vscode/syntaxes/generate.mjs');
    process.exit(1);
  }
  console.log('egress.tmLanguage.json is up to date');
} else {
  writeFileSync(out, text);
  console.log(`wrote ${out}`);
}
