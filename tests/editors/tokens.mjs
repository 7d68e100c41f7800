// Prints how the TextMate grammar tokenizes a file: one line per token, `line:col  "text"  scopes`.
// A helper for writing the annotated fixtures:  node tests/editors/tokens.mjs FILE.egress
import { readFileSync } from 'node:fs';
import { tokenize } from './support/grammar.mjs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node tokens.mjs FILE.egress');
  process.exit(2);
}
for (const t of await tokenize(readFileSync(file, 'utf8'))) {
  const scopes = t.scopes.filter((s) => s !== 'source.egress').join(' ');
  console.log(`${t.line}:${t.column}\t${JSON.stringify(t.text)}\t${scopes}`);
}
