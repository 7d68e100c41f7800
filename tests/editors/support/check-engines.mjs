// Checks that every package the lock files pin declares that it runs on the oldest Node.js the editor tests
// support: Debian 12's nodejs (18.19.0 in the release, 18.20.4 in its security updates). A package whose
// `engines.node` leaves that version out (undici 7, shiki 4, the Azure SDK since mid-2025 ask for Node 20 or
// 22) is a lock file that only works on a newer Node.js than a fresh Debian 12 has.
//   node support/check-engines.mjs SEMVER_MODULE_DIR NODE_VERSION LOCKFILE...
// Prints one line per offending package and `ok ...` when there is none; exits 1 on any.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';

const [semverDir, version, ...locks] = process.argv.slice(2);
const semver = createRequire(join(resolve(semverDir), 'noop.js'))('semver');
if (!semver.valid(version) || locks.length === 0) {
  console.log('usage: check-engines.mjs SEMVER_MODULE_DIR NODE_VERSION LOCKFILE...');
  process.exit(2);
}
let checked = 0;
const bad = [];
for (const lock of locks) {
  const { lockfileVersion, packages } = JSON.parse(readFileSync(lock, 'utf8'));
  if (!packages || lockfileVersion < 2) {
    bad.push(`${lock}: lockfileVersion ${lockfileVersion} has no "packages" section`);
    continue;
  }
  for (const [path, pkg] of Object.entries(packages)) {
    if (path === '') continue;
    checked++;
    const range = pkg.engines?.node;
    if (range === undefined) continue;
    if (!semver.satisfies(version, range, { includePrerelease: true }))
      bad.push(`${relative(process.cwd(), lock)}: ${path.replace(/^.*node_modules\//, '')}@${pkg.version} needs node ${range}`);
  }
}
for (const b of bad) console.log(`FAIL ${b}`);
if (bad.length) process.exit(1);
console.log(`ok the ${checked} packages of ${locks.length} lock files admit Node.js ${version}`);
