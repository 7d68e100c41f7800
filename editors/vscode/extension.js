// The egress extension's entry point: starts the language server `egressc lsp` over stdio for .egress files.
// Highlighting, snippets and editing rules are static contributions (package.json); this file only runs the client.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

const SECTION = 'egress';

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.OutputChannel | undefined} */
let output;
/** Serialises start/stop so that quick setting changes cannot start two servers. */
let pending = Promise.resolve();

/** The server settings, as read now. */
function readSettings() {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    enabled: config.get('server.enabled', true),
    path: config.get('server.path', 'egressc') || 'egressc',
    args: config.get('server.args', []) || [],
  };
}

/** Expands `~` and `${workspaceFolder}`; a relative path with a separator is taken from the first workspace folder. */
function expandPath(p) {
  const folders = vscode.workspace.workspaceFolders;
  const root = folders && folders.length > 0 ? folders[0].uri.fsPath : undefined;
  let result = p.trim();
  if (result === '~' || result.startsWith('~/') || result.startsWith('~\\')) {
    result = path.join(os.homedir(), result.slice(1));
  }
  if (root) result = result.replace(/\$\{workspaceFolder\}/g, root);
  const hasSeparator = result.includes('/') || result.includes('\\');
  if (hasSeparator && !path.isAbsolute(result) && root) result = path.join(root, result);
  return result;
}

function isExecutableFile(file) {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (process.platform === 'win32') return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path of `command`: itself when it is a path, else the first match on PATH; undefined if none. */
function findExecutable(command) {
  if (command.includes('/') || command.includes('\\')) return isExecutableFile(command) ? command : undefined;
  const exts = process.platform === 'win32' ? (process.env.PATHEXT || '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, command + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function getOutput() {
  if (!output) output = vscode.window.createOutputChannel('egress');
  return output;
}

async function stopServer() {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch (err) {
      getOutput().appendLine(`egress: stopping the language server failed: ${err && err.message ? err.message : err}`);
    }
  }
}

async function startServer() {
  const settings = readSettings();
  if (!settings.enabled) return;
  const command = findExecutable(expandPath(settings.path));
  if (!command) {
    const message =
      `egress: the language server '${settings.path}' was not found. ` +
      'Install egressc or set "egress.server.path"; highlighting and snippets work without it.';
    getOutput().appendLine(message);
    const choice = await vscode.window.showWarningMessage(message, 'Open Settings');
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'egress.server');
    }
    return;
  }
  // No `transport`: the client then talks over the process's stdin/stdout without adding `--stdio`,
  // so the command line is exactly `egressc lsp [args]`.
  const executable = {
    command,
    args: ['lsp', ...settings.args],
    options: { cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath },
  };
  const serverOptions = { run: executable, debug: executable };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'egress' },
      { scheme: 'untitled', language: 'egress' },
    ],
    synchronize: {
      // Imports can change under an open file: tell the server when any .egress file changes on disk.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.egress'),
    },
    outputChannel: getOutput(),
  };
  const started = new LanguageClient('egress', 'egress language server', serverOptions, clientOptions);
  client = started;
  try {
    await started.start();
    getOutput().appendLine(`egress: started ${command} ${executable.args.join(' ')}`);
  } catch (err) {
    if (client === started) client = undefined;
    const message = `egress: the language server could not start: ${err && err.message ? err.message : err}`;
    getOutput().appendLine(message);
    vscode.window.showErrorMessage(message);
  }
}

/** Queues a restart (stop, then start if enabled) behind any start or stop still running. */
function restartServer() {
  pending = pending.then(stopServer).then(startServer);
  return pending;
}

/** @param {vscode.ExtensionContext} context */
function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('egress.restartServer', () => restartServer()),
    vscode.commands.registerCommand('egress.showOutput', () => getOutput().show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('egress.server')) restartServer();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => restartServer()),
    { dispose: () => void stopServer() },
    { dispose: () => output && output.dispose() },
  );
  return restartServer();
}

function deactivate() {
  pending = pending.then(stopServer);
  return pending;
}

module.exports = { activate, deactivate, _internal: { expandPath, findExecutable, readSettings } };
