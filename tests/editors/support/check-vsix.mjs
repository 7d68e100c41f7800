// Checks that a .vsix (a zip) holds what the extension needs at run time, and with a second argument unpacks
// it there (so that extension.test.mjs can run the packaged extension):
//   node support/check-vsix.mjs FILE.vsix [DIR]
// Reads the zip itself (central directory, stored or deflated entries), so it needs no unzip tool.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const file = process.argv[2];
const zip = readFileSync(file);
let eocd = -1;
for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i--) {
  if (zip.readUInt32LE(i) === 0x06054b50) {
    eocd = i;
    break;
  }
}
if (eocd < 0) {
  console.log(`FAIL ${file} is not a zip file`);
  process.exit(1);
}
const count = zip.readUInt16LE(eocd + 10);
let at = zip.readUInt32LE(eocd + 16);
const names = new Set();
const entries = [];
for (let n = 0; n < count; n++) {
  if (zip.readUInt32LE(at) !== 0x02014b50) break;
  const method = zip.readUInt16LE(at + 10);
  const compressedSize = zip.readUInt32LE(at + 20);
  const nameLength = zip.readUInt16LE(at + 28);
  const extraLength = zip.readUInt16LE(at + 30);
  const commentLength = zip.readUInt16LE(at + 32);
  const localHeader = zip.readUInt32LE(at + 42);
  const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
  names.add(name);
  entries.push({ name, method, compressedSize, localHeader });
  at += 46 + nameLength + extraLength + commentLength;
}
const required = [
  'extension.vsixmanifest',
  'extension/package.json',
  'extension/extension.js',
  'extension/language-configuration.json',
  'extension/syntaxes/egress.tmLanguage.json',
  'extension/snippets/egress.json',
  'extension/LICENSE.txt',
  'extension/node_modules/vscode-languageclient/node.js',
  'extension/node_modules/vscode-languageclient/package.json',
  'extension/node_modules/vscode-jsonrpc/package.json',
  'extension/node_modules/vscode-languageserver-protocol/package.json',
];
// The bytes of an entry (stored or deflated).
function contents(e) {
  const h = e.localHeader;
  const start = h + 30 + zip.readUInt16LE(h + 26) + zip.readUInt16LE(h + 28);
  const data = zip.subarray(start, start + e.compressedSize);
  return e.method === 8 ? inflateRawSync(data) : data;
}
// The readme is named by the manifest's Details asset: vsce 2 keeps the file's name (README.md), vsce 3
// lowercases it (readme.md). Every asset the manifest names must be in the zip.
const manifest = entries.find((e) => e.name === 'extension.vsixmanifest');
const assets = manifest
  ? [...contents(manifest).toString('utf8').matchAll(/<Asset\s+Type="([^"]+)"\s+Path="([^"]+)"/g)].map((m) => ({
      type: m[1],
      path: m[2],
    }))
  : [];
const details = assets.find((a) => a.type === 'Microsoft.VisualStudio.Services.Content.Details');
required.push(details && /^extension\/readme\.md$/i.test(details.path) ? details.path : 'extension/readme.md (the Details asset)');
for (const a of assets) if (!required.includes(a.path)) required.push(a.path);
const missing = required.filter((r) => !names.has(r));
const unwanted = [...names].filter((n) => /node_modules\/(@vscode\/vsce|\.bin)\//.test(n));
if (missing.length || unwanted.length) {
  if (missing.length) console.log(`FAIL vsix lacks: ${missing.join(', ')}`);
  if (unwanted.length) console.log(`FAIL vsix holds build tools: ${unwanted.slice(0, 5).join(', ')}`);
  process.exit(1);
}
const into = process.argv[3];
if (into) {
  for (const e of entries) {
    if (e.name.endsWith('/')) continue;
    const target = normalize(join(into, e.name));
    if (!target.startsWith(normalize(into))) throw new Error(`unsafe path in the vsix: ${e.name}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, contents(e));
  }
}
console.log(`ok vsix holds ${names.size} files, with the manifest, grammar, snippets and vscode-languageclient`);
