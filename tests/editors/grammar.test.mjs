// Tests of the static parts of the VS Code extension, under Node's test runner: the grammar on the reference
// program, the snippets (each expands to egress that highlights without errors), and the editing rules of
// language-configuration.json (its indentation rules reproduce the indentation of the reference program).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tokenize } from './support/grammar.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (p) => readFileSync(join(root, p), 'utf8');
const json = (p) => JSON.parse(read(p));
const example = read('examples/aks-egress/main.egress');
const invalid = (tokens) => tokens.filter((t) => t.scopes.some((s) => s.startsWith('invalid.')));
const has = (t, scope) => t.scopes.includes(scope);

test('egress.tmLanguage.json is what syntaxes/generate.mjs makes', () => {
  execFileSync(process.execPath, [join(root, 'editors/vscode/syntaxes/generate.mjs'), '--check'], { stdio: 'pipe' });
});

/** The names listed by a statement of stdlib/azure.egress: `service_tags A, B,\n  C`. */
function stdlibList(head) {
  const text = read('stdlib/azure.egress').replace(/\/\/.*$/gm, '');
  const m = new RegExp(`^${head}\\s+((?:[^\\n]*,[ \\t]*\\n)*[^\\n]*)`, 'm').exec(text);
  return m[1].split(',').map((x) => x.trim()).filter(Boolean);
}
/** The words of `let s:NAME = split('...' \ . '...')` in the Vim syntax file. */
function vimList(name) {
  const text = read('editors/vim/syntax/egress.vim');
  const m = new RegExp(`^let s:${name} = split\\(((?:.|\\n\\s*\\\\)*?)\\)$`, 'm').exec(text);
  assert.ok(m, `s:${name} in the Vim syntax`);
  return m[1].replace(/\n\s*\\\s*\.\s*/g, '').replace(/'/g, '').split(/\s+/).filter(Boolean);
}

test('the Vim syntax lists the service tags and regions of stdlib/azure.egress', () => {
  assert.deepEqual(vimList('service_tags'), stdlibList('service_tags'));
  assert.deepEqual(vimList('regions'), stdlibList('regions'));
});

test('the stdlib highlights without an invalid token', async () => {
  for (const file of ['stdlib/azure.egress', 'stdlib/aks.egress', 'stdlib/registries.egress']) {
    assert.deepEqual(invalid(await tokenize(read(file))), [], file);
  }
});

test('the reference program highlights without an invalid token', async () => {
  const tokens = await tokenize(example);
  assert.deepEqual(invalid(tokens), []);
  assert.ok(tokens.length > 300);
});

test('the examples highlight without an invalid token', async () => {
  for (const file of ['examples/nat-gateway/main.egress', 'examples/firewall-policy/main.egress']) {
    assert.deepEqual(invalid(await tokenize(read(file))), [], file);
  }
});

test('every statement keyword of the language is highlighted at the head of a statement', async () => {
  const heads = ('import param group vnet subnet public_ip firewall network application nat allow deny dnat frontend ' +
    'dns_proxy sku threat_intel route_table route cluster nodes vm_size max_pods network_plugin outbound ' +
    'api_server_authorized api_server_subnet identity ssh service_cidr dns_service_ip pod_cidr private kubernetes_version app ' +
    'config file statefulset deployment port env mount requests limits probe wait_for replicas service namespace ' +
    'profile allocation peer bgp_propagation requirement regions service_tags fqdn_tags addon registry pull ' +
    'fqdn_tag_covers ip_group firewall_policy rule_group policy tier base idps idps_signature tls_inspection ' +
    'threat_intel_allow dns_servers management zones nat_gateway idle_timeout rule_set use defender idps_bypass idps_private_ranges ' +
    'pool mode autoscale os os_sku label taint virtual_network_access forwarded_traffic gateway_transit use_remote_gateways').split(' ');
  const tokens = await tokenize(heads.map((h) => `${h} x`).join('\n'));
  for (const [i, head] of heads.entries()) {
    const t = tokens.find((x) => x.line === i + 1 && x.column === 1);
    assert.equal(t.text, head);
    assert.ok(t.scopes.some((s) => /^(keyword\.(control|other)|storage\.type)\./.test(s)), `${head}: ${t.scopes.join(' ')}`);
  }
});

test('every value keyword of the language has a keyword, constant or type scope', async () => {
  const values = ('in on priority tag image internal public cluster user kubelet system generate cpu memory udp tcp ' +
    'icmp any http https mssql internet vnet_local virtual_network_gateway none off alert deny standard basic ' +
    'premium static dynamic azure kubenet overlay load_balancer user_defined_routing managed_nat_gateway ' +
    'user_assigned_nat_gateway string int region bool true false from to ip production development when unless ' +
    'recommended workspace alias keyvault_secret certificate category url terminate_tls header zonal required').split(' ');
  const tokens = await tokenize(values.map((v) => `x y ${v}`).join('\n'));
  for (const [i, value] of values.entries()) {
    const t = tokens.find((x) => x.line === i + 1 && x.column === 5);
    assert.equal(t.text, value);
    assert.ok(t.scopes.some((s) => /^(keyword\.other|constant\.language|support\.type)\./.test(s)), `${value}: ${t.scopes.join(' ')}`);
  }
});

/** Expands a snippet body the way VS Code would with every default taken: ${1:x} -> x, ${1|a,b|} -> a, $0 -> ''. */
function expandSnippet(body) {
  let i = 0;
  function parse(insidePlaceholder) {
    let out = '';
    while (i < body.length) {
      const c = body[i];
      if (c === '\\' && i + 1 < body.length && '$}\\,|'.includes(body[i + 1])) {
        out += body[i + 1];
        i += 2;
      } else if (insidePlaceholder && c === '}') {
        i += 1;
        return out;
      } else if (c === '$' && body[i + 1] === '{') {
        i += 2;
        const m = /^\d+/.exec(body.slice(i));
        if (!m) throw new Error(`bad placeholder at ${i} in ${JSON.stringify(body)}`);
        i += m[0].length;
        if (body[i] === ':') {
          i += 1;
          out += parse(true);
        } else if (body[i] === '|') {
          const end = body.indexOf('|}', i + 1);
          if (end < 0) throw new Error(`unclosed choice in ${JSON.stringify(body)}`);
          out += body.slice(i + 1, end).split(',')[0];
          i = end + 2;
        } else if (body[i] === '}') {
          i += 1;
        } else {
          throw new Error(`bad placeholder at ${i} in ${JSON.stringify(body)}`);
        }
      } else if (c === '$' && /\d/.test(body[i + 1] ?? '')) {
        i += 1;
        while (/\d/.test(body[i] ?? '')) i += 1;
      } else {
        out += c;
        i += 1;
      }
    }
    if (insidePlaceholder) throw new Error(`unclosed placeholder in ${JSON.stringify(body)}`);
    return out;
  }
  return parse(false);
}

test('snippet expansion handles placeholders, choices and escapes', () => {
  assert.equal(expandSnippet('a ${1:b ${2:c}} ${3|x,y|} $0\\${p\\}'), 'a b c x ${p}');
});

test('the snippets exist and each expands to egress that highlights without errors', async () => {
  const snippets = json('editors/vscode/snippets/egress.json');
  const prefixes = Object.values(snippets).map((s) => s.prefix);
  for (const want of ['vnet', 'subnet', 'firewall', 'network', 'application', 'allow', 'dnat', 'route_table', 'route',
    'cluster', 'app', 'deployment', 'service', 'param']) {
    assert.ok(prefixes.includes(want), `a snippet with prefix ${want}`);
  }
  assert.equal(new Set(prefixes).size, prefixes.length, 'prefixes are unique');
  for (const [name, s] of Object.entries(snippets)) {
    assert.ok(s.description, `${name} has a description`);
    const text = expandSnippet([].concat(s.body).join('\n')).replace(/\t/g, '  ');
    const tokens = await tokenize(text);
    assert.deepEqual(invalid(tokens), [], `${name} expands to:\n${text}`);
    const head = tokens[0];
    assert.equal(head.text, s.prefix, `${name} starts with its prefix`);
    assert.ok(head.scopes.some((x) => /^(keyword\.(control|other)|storage\.type)\./.test(x)), `${name}: ${head.scopes}`);
    const opens = (text.match(/(?<!-)>/g) ?? []).length;
    assert.equal((text.match(/</g) ?? []).length, opens, `${name}: balanced < >`);
  }
});

test('language-configuration: comments, brackets, auto-closing and surrounding pairs', () => {
  const c = json('editors/vscode/language-configuration.json');
  assert.equal(c.comments.lineComment, '//');
  assert.deepEqual(c.brackets, [['<', '>']]);
  const auto = c.autoClosingPairs.map((p) => `${p.open}${p.close}`);
  assert.ok(auto.includes('""') && auto.includes('<>'));
  assert.deepEqual(c.surroundingPairs, [['"', '"'], ['<', '>']]);
  assert.equal(c.folding.offSide, false);
  new RegExp(c.folding.markers.start);
  new RegExp(c.folding.markers.end);
  const word = new RegExp(c.wordPattern, 'g');
  assert.deepEqual('store-front -> 10.42.0.0/16 8000-8080'.match(word), ['store-front', '10.42.0.0/16', '8000-8080']);
});

/** Indents `text` (indentation stripped) by the indentation rules, the way VS Code does while typing. */
function reindent(text, rules, unit = '  ') {
  const increase = new RegExp(rules.increaseIndentPattern);
  const decrease = new RegExp(rules.decreaseIndentPattern);
  let level = 0;
  let prev = null;
  return text.split('\n').map((raw) => {
    const line = raw.trim();
    if (!line) return '';
    if (prev !== null && increase.test(prev)) level += 1;
    if (decrease.test(line)) level -= 1;
    prev = line;
    return unit.repeat(Math.max(level, 0)) + line;
  });
}

for (const file of ['examples/aks-egress/main.egress', 'tests/editors/fixtures/vim/indent.egress']) {
  test(`language-configuration: the indentation rules reproduce ${file}`, () => {
    const rules = json('editors/vscode/language-configuration.json').indentationRules;
    const text = read(file);
    // Trailing-comment alignment is the author's; only the leading indentation is compared.
    const want = text.split('\n').map((l) => (l.trim() ? l.match(/^\s*/)[0] + l.trim() : ''));
    assert.deepEqual(reindent(text, rules), want);
  });
}

test('package.json: the grammar, language and snippets it names exist and agree', () => {
  const pkg = json('editors/vscode/package.json');
  const grammar = json('editors/vscode/syntaxes/egress.tmLanguage.json');
  assert.equal(grammar.scopeName, pkg.contributes.grammars[0].scopeName);
  assert.equal(pkg.contributes.grammars[0].language, pkg.contributes.languages[0].id);
  assert.equal(pkg.contributes.snippets[0].language, 'egress');
  assert.equal(pkg.name, 'egress');
  assert.equal(pkg.publisher, 'egress');
  assert.equal(pkg.license, 'Apache-2.0');
  assert.ok(pkg.engines.vscode);
  assert.ok(!('icon' in pkg));
});
