// Loads editors/vscode/syntaxes/egress.tmLanguage.json with vscode-textmate (the engine VS Code uses) and
// tokenizes text with it. Shared by tokens.mjs and snippets.test.mjs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

export const grammarPath = join(dirname(fileURLToPath(import.meta.url)), '../../../editors/vscode/syntaxes/egress.tmLanguage.json');

let loaded;
/** The egress grammar, loaded once. */
export async function loadGrammar() {
  if (!loaded) {
    loaded = (async () => {
      await oniguruma.loadWASM(readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer);
      const registry = new vsctm.Registry({
        onigLib: Promise.resolve({
          createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
          createOnigString: (s) => new oniguruma.OnigString(s),
        }),
        loadGrammar: async (scopeName) =>
          scopeName === 'source.egress' ? vsctm.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null,
      });
      return registry.loadGrammar('source.egress');
    })();
  }
  return loaded;
}

/** Tokens of `text`: { line, column (both 1-based), text, scopes } for every token that is not blank. */
export async function tokenize(text) {
  const grammar = await loadGrammar();
  const tokens = [];
  let stack = vsctm.INITIAL;
  text.split('\n').forEach((line, i) => {
    const result = grammar.tokenizeLine(line, stack);
    for (const t of result.tokens) {
      const piece = line.slice(t.startIndex, t.endIndex);
      if (piece.trim()) tokens.push({ line: i + 1, column: t.startIndex + 1, text: piece, scopes: t.scopes });
    }
    stack = result.ruleStack;
  });
  return tokens;
}
