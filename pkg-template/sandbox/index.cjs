'use strict';
// workbridge/sandbox: the vendor emulator (its own wasm, so client users never download it),
// as an in-process handler, a fetch-compatible function, and a Node HTTP server.

const http = require('node:http');
const { Sandbox } = require('./wasm/workbridge_sandbox.js');

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * An emulator with its own in-memory state. `config` overrides credentials ({cam: {apiToken}},
 * …) and may carry `faults`, a spec such as 'cam.sendMessage:503x2,*:latency=50@0.2'.
 */
function createSandbox(config = {}) {
  const inner = new Sandbox(JSON.stringify(config));
  return {
    /** Answers one raw request: {status, headers, body, log, delayMs, drop: '' | 'before' | 'after'}. */
    handle(method, target, headers = {}, body = '', now = Date.now()) {
      const r = inner.handle(method, target, JSON.stringify(headers), body, now);
      const reply = { status: r.status, headers: JSON.parse(r.headers), body: r.body, log: r.log, delayMs: r.delay_ms, drop: r.drop };
      r.free();
      return reply;
    },
    /** Replaces the fault rules; throws if the spec cannot be read. */
    setFaults(spec) {
      inner.setFaults(String(spec ?? ''));
    },
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function headersObject(h) {
  const out = {};
  if (!h) return out;
  const entries = typeof h.entries === 'function' ? h.entries() : Object.entries(h);
  for (const [k, v] of entries) out[k.toLowerCase()] = String(v);
  return out;
}

/** A `fetch` answered by `sandbox` in-process: pass it as a client's `fetch` option. */
function sandboxFetch(sandbox = createSandbox()) {
  return async (input, init = {}) => {
    const url = new URL(typeof input === 'string' ? input : input.url);
    const r = sandbox.handle(init.method || 'GET', url.pathname + url.search, headersObject(init.headers), init.body == null ? '' : String(init.body));
    if (r.delayMs > 0) await sleep(r.delayMs);
    if (init.signal && init.signal.aborted) throw new DOMException('aborted', 'AbortError');
    if (r.drop) throw new TypeError('fetch failed (the sandbox dropped the connection)');
    return new Response(r.status === 204 ? null : r.body, { status: r.status, headers: r.headers });
  };
}

/**
 * Serves the emulator over HTTP on loopback. Resolves with {url, port, close()}.
 * Vendors are under /cam, /yunzhijia, /xuanxuan and /ytx. One log line per request, secrets masked.
 */
function startSandbox({ port = 8080, host = '127.0.0.1', config = {}, faults, log = (line) => console.log(line) } = {}) {
  const sandbox = createSandbox(faults ? { ...config, faults } : config);
  if (faults) sandbox.setFaults(faults); // throws on an unreadable spec, before listening
  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
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
      resolve({
        url: `http://${host}:${actual}`,
        port: actual,
        server,
        setFaults: (spec) => sandbox.setFaults(spec),
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}

module.exports = { createSandbox, sandboxFetch, startSandbox };
