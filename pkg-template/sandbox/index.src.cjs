'use strict';
// workbridge/sandbox for Node: the vendor emulator (its own wasm, so client users never download
// it) as an in-process handler, a fetch-compatible function, and an HTTP server.

const http = require('node:http');
const { Sandbox } = require('./wasm/workbridge_sandbox.js');
/*ADAPTER*/
const { createSandbox, sandboxFetch } = makeSandboxApi(Sandbox);

const MAX_BODY_BYTES = 10 * 1024 * 1024;

// Loopback names: a sandbox bound to loopback answers only requests addressed to one, so a web
// page on another site cannot reach it by pointing a DNS name of its own at 127.0.0.1.
const LOOPBACK_HOST = /^(?:localhost|(?:[a-z0-9-]+\.)*localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;
const isLoopback = (host) => host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);

/**
 * Serves the emulator over HTTP on loopback. Resolves with {url, port, close()}.
 * Vendors are under /cam, /yunzhijia, /xuanxuan and /ytx. One log line per request, secrets masked.
 */
function startSandbox(options = {}) {
  // Every mistake is a rejected promise with an Error, never a synchronous throw of a string.
  try {
    return listen(options);
  } catch (e) {
    return Promise.reject(e);
  }
}

function listen({
  port = 8080,
  host = '127.0.0.1',
  config = {},
  faults,
  log = (line) => console.log(line),
  ...rest
} = {}) {
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined)
    throw new TypeError(`startSandbox: unknown option ${JSON.stringify(unknown)} (port, host, config, faults, log)`);
  // A string port would make Node listen on a Unix socket file of that name.
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new TypeError(`startSandbox: port must be a whole number from 0 to 65535, got ${JSON.stringify(port)}`);
  const sandbox = createSandbox(faults ? { ...config, faults } : config);
  const local = isLoopback(host);
  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    if (local && !LOOPBACK_HOST.test(req.headers.host || '')) {
      res.writeHead(421, { 'Content-Type': 'application/json' });
      res.end('{"error":"this sandbox is bound to loopback and answers only Host: 127.0.0.1, localhost or [::1]"}');
      if (log) log(`${new Date().toISOString()} refused a request for another Host (421)`);
      return;
    }
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413, { 'Content-Type': 'application/json' }).end('{"errors":["body too large"]}');
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', async () => {
      if (res.writableEnded) return;
      const r = sandbox.handle(req.method, req.url, req.headers, Buffer.concat(chunks).toString('utf8'));
      if (r.delayMs > 0) await sleep(r.delayMs);
      if (r.drop) req.socket.destroy();
      else if (!res.destroyed) res.writeHead(r.status, r.headers).end(r.status === 204 ? undefined : r.body);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (log) log(`${new Date().toISOString()} ${r.log}${r.drop ? ` (dropped ${r.drop})` : ''} ${ms.toFixed(1)}ms`);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      // Anyone who reaches it can sign on as any of its people and use its well-known credentials.
      if (!local && log)
        log(
          `warning: the sandbox listens on ${host}, reachable from other machines: anyone who reaches it can use its well-known credentials and sign on as any of its people`,
        );
      resolve({
        url: `http://${host}:${actual}`,
        port: actual,
        server,
        setFaults: (spec) => sandbox.setFaults(spec),
        close: () =>
          new Promise((r) => {
            server.closeAllConnections?.();
            server.close(() => r());
          }),
      });
    });
  });
}

module.exports = { createSandbox, sandboxFetch, startSandbox };
