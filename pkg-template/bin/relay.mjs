// `workbridge relay`: lets light-app pages use the server APIs without holding secrets. It keeps
// the credentials (from the environment), accepts `POST /call/<name>` with the params as JSON from
// allowed origins, runs only allowed operations, and answers the `qing.call` result shape.
// Anything refused is answered here and never forwarded.

import { createServer } from 'node:http';
import { qing } from '../index.mjs';
import { configuredFromEnv } from './env.mjs';

const json = (res, status, body, headers = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
};
const refused = (errorCode, error) => ({ success: 'false', errorCode: String(errorCode), error, data: null });

/**
 * Starts the relay. `allow`: operation names (`meeting.create`, `cam.sendMessage`, …);
 * `origins`: page origins allowed to call it (requests without an Origin header, from servers
 * and scripts, are accepted). Resolves with {url, port, close()}.
 */
export function startRelay({ port = 8787, host = '127.0.0.1', allow = [], origins = [], maxBodyBytes = 64 * 1024, env = process.env, log = (l) => console.log(l) } = {}) {
  const allowed = new Set(allow);
  const configured = configuredFromEnv(env);
  qing.config(configured);
  const server = createServer((req, res) => {
    const started = Date.now();
    const origin = req.headers.origin;
    const originOk = !origin || origins.includes(origin) || origins.includes('*');
    const cors = origin && originOk ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', 'Access-Control-Allow-Methods': 'POST, OPTIONS', 'Access-Control-Allow-Headers': 'Content-Type' } : {};
    const done = (status, body, name = '-') => {
      json(res, status, body, cors);
      if (log) log(`${new Date().toISOString()} relay ${req.method} ${name} -> ${status} ${body.success === 'true' ? 'ok' : body.errorCode} ${Date.now() - started}ms`);
    };
    const match = /^\/call\/([^/?#]+)$/.exec(req.url || '');
    if (!originOk) return done(403, refused(403, `origin ${origin} is not allowed by this relay`));
    if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
    if (req.method !== 'POST' || !match) return done(404, refused(404, 'the relay answers POST /call/<operation>'));
    let name;
    try { name = decodeURIComponent(match[1]); } catch { return done(400, refused(400, 'bad operation name')); }
    if (!allowed.has(name)) return done(403, refused(403, `${name} is not allowed by this relay (see --allow)`), name);
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > maxBodyBytes) {
        done(413, refused(413, `the body is over ${maxBodyBytes} bytes`), name);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', async () => {
      if (res.writableEnded) return;
      let params;
      try { params = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'); } catch { params = undefined; }
      if (!params || typeof params !== 'object' || Array.isArray(params)) return done(400, refused(400, 'the body must be a JSON object of params'), name);
      done(200, await qing.call(name, params), name);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolve({ url: `http://${host}:${actual}`, port: actual, vendors: Object.keys(configured), close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }) });
    });
  });
}
