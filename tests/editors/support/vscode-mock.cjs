// A stand-in for the `vscode` module, enough to activate editors/vscode/extension.js in Node and to run the
// real vscode-languageclient against a fake server. Whatever the tests do not model explicitly is a "deep
// proxy": any property is another proxy, calling or constructing one gives a proxy, so the client's many
// registrations succeed and do nothing.
'use strict';
const Module = require('module');

function deepProxy(name) {
  const cache = new Map();
  const target = function () {};
  return new Proxy(target, {
    get(t, prop) {
      if (prop === 'prototype') return t.prototype;
      if (prop === 'then') return undefined; // not a promise
      if (prop === Symbol.iterator) return undefined;
      if (prop === Symbol.toPrimitive) return () => name;
      if (prop === 'dispose') return () => {};
      if (!cache.has(prop)) cache.set(prop, deepProxy(`${name}.${String(prop)}`));
      return cache.get(prop);
    },
    apply() {
      return deepProxy(`${name}()`);
    },
    construct() {
      return deepProxy(`new ${name}`);
    },
  });
}

/** An object whose missing properties fall back to deep proxies. */
function withFallback(name, object) {
  const fallback = deepProxy(name);
  return new Proxy(object, { get: (t, prop) => (prop in t ? t[prop] : fallback[prop]) });
}

const disposable = () => ({ dispose() {} });
const noEvent = () => disposable();

/**
 * The mock's state, replaced by each test with `reset()`:
 *   settings: { 'egress.server.path': ..., ... }   folders: [absolute paths]
 *   warnings/errors/infos: messages shown   commands: id -> handler   configListeners   outputs: channel lines
 */
const state = {};
function reset({ settings = {}, folders = [] } = {}) {
  Object.assign(state, {
    settings, folders, warnings: [], errors: [], infos: [], commands: {}, executed: [],
    configListeners: [], outputs: [],
  });
}
reset();

function configuration(section) {
  const key = (k) => (section ? `${section}.${k}` : k);
  return {
    get: (k, def) => (state.settings[key(k)] === undefined ? def : state.settings[key(k)]),
    has: (k) => state.settings[key(k)] !== undefined,
    inspect: () => undefined,
    update: async () => {},
  };
}

function outputChannel(name) {
  const lines = [];
  state.outputs.push({ name, lines });
  return withFallback('OutputChannel', {
    name, lines,
    append: (s) => lines.push(s), appendLine: (s) => lines.push(s),
    clear() {}, show() {}, hide() {}, dispose() {}, replace() {},
  });
}

const vscode = withFallback('vscode', {
  version: '1.90.0',
  workspace: withFallback('vscode.workspace', {
    get workspaceFolders() {
      return state.folders.map((p, index) => ({ index, name: p, uri: { fsPath: p, scheme: 'file', toString: () => `file://${p}` } }));
    },
    getConfiguration: configuration,
    onDidChangeConfiguration: (listener) => {
      state.configListeners.push(listener);
      return disposable();
    },
    onDidGrantWorkspaceTrust: noEvent,
    createFileSystemWatcher: () => ({ onDidCreate: noEvent, onDidChange: noEvent, onDidDelete: noEvent, dispose() {} }),
    textDocuments: [],
    notebookDocuments: [],
    isTrusted: true,
  }),
  window: withFallback('vscode.window', {
    createOutputChannel: outputChannel,
    showWarningMessage: async (message) => void state.warnings.push(message),
    showErrorMessage: async (message) => void state.errors.push(message),
    showInformationMessage: async (message) => void state.infos.push(message),
    visibleTextEditors: [],
    activeTextEditor: undefined,
  }),
  commands: withFallback('vscode.commands', {
    registerCommand: (id, handler) => {
      state.commands[id] = handler;
      return disposable();
    },
    executeCommand: async (...args) => void state.executed.push(args),
  }),
  env: withFallback('vscode.env', { appName: 'Visual Studio Code (mock)', language: 'en', machineId: 'mock', sessionId: 'mock' }),
});

/** Makes `require('vscode')` return the mock, from any module. */
function install() {
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
  };
  require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };
}

module.exports = { vscode, state, reset, install };
