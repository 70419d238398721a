// `make demo`: one local server on PORT that hosts the sandbox (/cam, /yunzhijia, /xuanxuan,
// /ytx), the demo page (www/) and the built package (/pkg/); then runs the Node examples
// against it and keeps serving until Ctrl-C.

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSandbox } from '../pkg/sandbox/index.mjs';
import { main as camExample } from './cam.mjs';
import { xuanxuan, ytx } from './xuanxuan_ytx.mjs';
import { main as yunzhijiaExample } from './yunzhijia.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const port = Number(process.env.PORT || 8080);
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
};
const VENDOR = /^\/(cam|yunzhijia|xuanxuan|ytx)(\/|$)/;

async function serveFile(res, path) {
  const base = path.startsWith('/pkg/') ? root : join(root, 'www');
  const file = normalize(join(base, path === '/' ? 'index.html' : path));
  if (!file.startsWith(base)) return res.writeHead(403).end();
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  }
}

/** The page, the package and a sandbox on one origin. Resolves with {url, close()}. */
export function startDemoServer({ port = 0, log = (line) => console.log(`  sandbox: ${line}`) } = {}) {
  const sandbox = createSandbox();
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (!VENDOR.test(path)) return serveFile(res, path);
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const r = sandbox.handle(req.method, req.url, req.headers, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(r.status, r.headers).end(r.status === 204 ? undefined : r.body);
      if (log) log(r.log);
    });
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections?.();
            server.close(() => r());
          }),
      }),
    ),
  );
}

async function main() {
  const { url: base, close } = await startDemoServer({ port });
  console.log(`workbridge demo: sandbox and page on ${base}\n`);
  console.log('== Chat&Messenger (seed 000) ==');
  await camExample({ serverURL: `${base}/cam` });
  console.log('\n== Yunzhijia 云之家 (seeds 001, 004) ==');
  await yunzhijiaExample({ baseURL: `${base}/yunzhijia` });
  console.log('\n== XuanXuan 喧喧 (seed 002) ==');
  await xuanxuan({ serverURL: `${base}/xuanxuan` });
  console.log('\n== YTX 云通信 (seed 003) ==');
  await ytx({ baseURL: `${base}/ytx` });
  console.log(`\nOpen ${base}/ for the demo page. Ctrl-C to stop.`);
  process.on('SIGINT', () => close().then(() => process.exit(0)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
