// Validates SARIF logs against the SARIF 2.1.0 JSON schema (draft-04, with formats such as uri and date-time),
// and checks what the schema cannot: every result's ruleIndex points at the rule named by its ruleId.
//   node validate.mjs FILE.sarif...   prints one line per file; exits 1 if any is invalid.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);
const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
// unicodeRegExp: false — the schema's pattern for `language` has a stray ']' that only non-unicode regexps accept.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

let bad = 0;
for (const file of process.argv.slice(2)) {
  const log = JSON.parse(readFileSync(file, 'utf8'));
  const problems = validate(log) ? [] : validate.errors.map((e) => `${e.instancePath} ${e.message}`);
  for (const run of log.runs ?? [])
    for (const r of run.results ?? []) {
      const rule = run.tool.driver.rules?.[r.ruleIndex];
      if (rule?.id !== r.ruleId) problems.push(`result ${r.ruleId}: ruleIndex ${r.ruleIndex} names ${rule?.id}`);
    }
  const results = (log.runs ?? []).reduce((n, run) => n + (run.results ?? []).length, 0);
  if (problems.length === 0) console.log(`valid ${file} (${results} results)`);
  else {
    bad++;
    console.log(`INVALID ${file}:\n  ${problems.slice(0, 20).join('\n  ')}`);
  }
}
process.exit(bad === 0 ? 0 : 1);
