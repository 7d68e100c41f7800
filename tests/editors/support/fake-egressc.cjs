#!/usr/bin/env node
// A stand-in for `egressc lsp` in extension.test.mjs: speaks just enough LSP over stdio (initialize, shutdown,
// exit) and appends its arguments and every message's method to the file named by $EGRESS_FAKE_LOG.
'use strict';
const fs = require('fs');

const logFile = process.env.EGRESS_FAKE_LOG;
const log = (entry) => logFile && fs.appendFileSync(logFile, JSON.stringify({ pid: process.pid, ...entry }) + '\n');
log({ argv: process.argv.slice(2) });

function send(message) {
  const body = JSON.stringify({ jsonrpc: '2.0', ...message });
  process.stdout.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

function handle(message) {
  log({ method: message.method });
  if (message.method === 'initialize') {
    send({ id: message.id, result: { capabilities: { textDocumentSync: 1 }, serverInfo: { name: 'fake-egressc' } } });
  } else if (message.method === 'shutdown') {
    send({ id: message.id, result: null });
  } else if (message.method === 'exit') {
    process.exit(0);
  } else if (message.id !== undefined && message.method !== undefined) {
    send({ id: message.id, result: null });
  }
}

let buffer = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const match = /Content-Length: *(\d+)/i.exec(buffer.subarray(0, headerEnd).toString('ascii'));
    if (!match) process.exit(2);
    const length = Number(match[1]);
    const start = headerEnd + 4;
    if (buffer.length < start + length) return;
    const message = JSON.parse(buffer.subarray(start, start + length).toString('utf8'));
    buffer = buffer.subarray(start + length);
    handle(message);
  }
});
process.stdin.on('end', () => process.exit(0));
