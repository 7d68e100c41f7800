// Tests of editors/vscode/extension.js under Node's test runner: the extension, with the real
// vscode-languageclient and a mocked `vscode` module, starts a fake `egressc lsp` over stdio, restarts it when
// the settings change, stops it on deactivate, and reports a missing server without failing.
// EGRESS_EXTENSION_DIR runs the same tests on another copy of the extension (run.sh: the unpacked .vsix).
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const mock = require('./support/vscode-mock.cjs');
mock.install();
const extensionDir = process.env.EGRESS_EXTENSION_DIR ?? join(here, '../../editors/vscode');
const extension = require(join(extensionDir, 'extension.js'));

let dir;
let logFile;
let fakeServer;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'egress-ext-'));
  logFile = join(dir, 'server.log');
  process.env.EGRESS_FAKE_LOG = logFile;
  fakeServer = join(dir, 'egressc');
  copyFileSync(join(here, 'support/fake-egressc.cjs'), fakeServer);
  chmodSync(fakeServer, 0o755);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const context = () => ({ subscriptions: [], extensionPath: extensionDir });
const logEntries = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
const methods = () => logEntries().filter((e) => e.method).map((e) => e.method);
const clearLog = () => writeFileSync(logFile, '');
// Waits for an event, not for a time: the bound only turns a hang into a failure (generous for a busy machine).
async function waitFor(predicate, what, ms = 120000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`timed out waiting for ${what}; server log: ${JSON.stringify(logEntries())}`);
}

test('package.json points main at extension.js and declares the server settings', () => {
  const pkg = require(join(extensionDir, 'package.json'));
  assert.equal(pkg.main, './extension.js');
  const props = pkg.contributes.configuration.properties;
  assert.equal(props['egress.server.path'].default, 'egressc');
  assert.equal(props['egress.server.enabled'].default, true);
  assert.ok(pkg.dependencies['vscode-languageclient']);
  assert.deepEqual(pkg.contributes.grammars[0].scopeName, 'source.egress');
  assert.deepEqual(pkg.contributes.languages[0].extensions, ['.egress']);
});

test('expandPath handles ~, ${workspaceFolder}, relative paths and bare names', () => {
  mock.reset({ folders: ['/ws'] });
  const { expandPath } = extension._internal;
  assert.equal(expandPath('egressc'), 'egressc');
  assert.equal(expandPath('~/bin/egressc'), join(homedir(), 'bin/egressc'));
  assert.equal(expandPath('${workspaceFolder}/build/egressc'), '/ws/build/egressc');
  assert.equal(expandPath('build/egressc'), '/ws/build/egressc');
  assert.equal(expandPath('/opt/egress/bin/egressc'), '/opt/egress/bin/egressc');
});

test('findExecutable looks the name up on PATH', () => {
  const { findExecutable } = extension._internal;
  const saved = process.env.PATH;
  try {
    process.env.PATH = `/nonexistent:${dir}`;
    assert.equal(findExecutable('egressc'), fakeServer);
    assert.equal(findExecutable('egressc-not-there'), undefined);
    assert.equal(findExecutable(fakeServer), fakeServer);
    assert.equal(findExecutable(join(dir, 'server.log-none')), undefined);
  } finally {
    process.env.PATH = saved;
  }
});

test('disabled: activate starts no server and shows nothing', async () => {
  mock.reset({ settings: { 'egress.server.enabled': false, 'egress.server.path': fakeServer } });
  clearLog();
  await extension.activate(context());
  assert.deepEqual(logEntries(), []);
  assert.deepEqual(mock.state.warnings, []);
  assert.ok(mock.state.commands['egress.restartServer'], 'the restart command is registered');
  await extension.deactivate();
});

test('missing server: a warning names the path, and activation still succeeds', async () => {
  mock.reset({ settings: { 'egress.server.path': join(dir, 'no-such-egressc') } });
  await extension.activate(context());
  assert.equal(mock.state.warnings.length, 1);
  assert.match(mock.state.warnings[0], /no-such-egressc/);
  assert.match(mock.state.warnings[0], /egress\.server\.path/);
  await extension.deactivate();
});

test('enabled: starts `<path> lsp <args>` over stdio, restarts on a settings change, stops on deactivate', async () => {
  mock.reset({ settings: { 'egress.server.path': fakeServer, 'egress.server.args': ['--stdlib', '/x'] }, folders: [dir] });
  clearLog();
  await extension.activate(context());
  await waitFor(() => methods().includes('initialized'), 'initialize/initialized');
  const first = logEntries()[0];
  assert.deepEqual(first.argv, ['lsp', '--stdlib', '/x']);
  assert.deepEqual(methods().slice(0, 2), ['initialize', 'initialized']);
  assert.deepEqual(mock.state.warnings, []);
  assert.deepEqual(mock.state.errors, []);

  // A change under egress.server restarts the server: the old one is shut down, a new one initialised.
  mock.state.settings['egress.server.args'] = [];
  clearLog();
  for (const listener of mock.state.configListeners) listener({ affectsConfiguration: (s) => 'egress.server'.startsWith(s) || s.startsWith('egress.server') });
  await waitFor(() => methods().includes('initialized'), 'the restart');
  const pids = new Set(logEntries().map((e) => e.pid));
  assert.ok(methods().includes('shutdown') && methods().includes('exit'), `old server stopped: ${methods()}`);
  assert.equal(pids.size, 2, 'a second server process was started');
  assert.deepEqual(logEntries().find((e) => e.argv && e.pid !== first.pid).argv, ['lsp']);

  // Other settings do not restart it.
  clearLog();
  for (const listener of mock.state.configListeners) listener({ affectsConfiguration: (s) => s === 'editor.tabSize' });
  await new Promise((r) => setTimeout(r, 200));
  // (the client itself may send $/setTrace on any settings change)
  assert.deepEqual(methods().filter((m) => m === 'initialize' || m === 'shutdown'), []);

  clearLog();
  await extension.deactivate();
  await waitFor(() => methods().includes('exit'), 'shutdown/exit on deactivate');
  assert.deepEqual(methods(), ['shutdown', 'exit']);
});

test('disabling the server through the settings stops it', async () => {
  mock.reset({ settings: { 'egress.server.path': fakeServer }, folders: [dir] });
  clearLog();
  await extension.activate(context());
  await waitFor(() => methods().includes('initialized'), 'initialized');
  clearLog();
  mock.state.settings['egress.server.enabled'] = false;
  for (const listener of mock.state.configListeners) listener({ affectsConfiguration: (s) => s.startsWith('egress') });
  await mock.state.commands['egress.restartServer']();
  await waitFor(() => methods().includes('exit'), 'the server to stop');
  assert.ok(!methods().includes('initialize'), 'no new server');
  await extension.deactivate();
});
