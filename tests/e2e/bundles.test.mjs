// What an app ships: three Vite production builds from the installed package (an app using
// only CAMAPIClient through workbridge/cam, one using only YunzhijiaClient through
// workbridge/yunzhijia, one using all four through workbridge), measured as JS + wasm, gzip -9.
// Sizes are printed (make bench quotes them); the test asserts what must hold whatever the
// figures: a one-vendor app ships less than the four-vendor one, and each build runs.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { installPackage } from './helpers.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
let work;

before(() => {
  work = installPackage('bundles');
});

const APPS = {
  'CAMAPIClient only (workbridge/cam)': `import { CAMAPIClient } from 'workbridge/cam';
window.client = new CAMAPIClient({ apiToken: 't', serverURL: 'https://cam.example.com' });`,
  'YunzhijiaClient only (workbridge/yunzhijia)': `import { YunzhijiaClient } from 'workbridge/yunzhijia';
window.client = new YunzhijiaClient({ eid: '10109', secret: 's' });`,
  'all four (workbridge)': `import { CAMAPIClient, YunzhijiaClient, XuanxuanClient, YtxClient } from 'workbridge';
window.clients = [CAMAPIClient, YunzhijiaClient, XuanxuanClient, YtxClient];`,
};

/** Builds `code` as a Vite app; returns {js, wasm} in bytes after gzip -9. */
function build(name, code) {
  const app = join(work, `app-${name.replace(/\W+/g, '-')}`);
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'index.html'), '<!doctype html><script type="module" src="/main.js"></script>');
  writeFileSync(join(app, 'main.js'), code);
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
    cwd: join(app),
    stdio: 'pipe',
    env: { ...process.env, NODE_PATH: join(work, 'node_modules') },
  });
  const assets = join(app, 'dist', 'assets');
  const size = { js: 0, wasm: 0 };
  for (const f of readdirSync(assets)) {
    const gz = gzipSync(readFileSync(join(assets, f)), { level: 9 }).length;
    if (f.endsWith('.wasm')) size.wasm += gz;
    else if (f.endsWith('.js')) size.js += gz;
  }
  return size;
}

test('a one-vendor app ships only that vendor: three Vite production builds, JS + wasm, gzip -9', () => {
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const sizes = {};
  for (const [name, code] of Object.entries(APPS)) {
    // The apps live inside the test project, so `workbridge` resolves to the installed tarball.
    sizes[name] = build(name, code);
    const { js, wasm } = sizes[name];
    console.log(`${name.padEnd(46)} ${kib(js + wasm).padStart(9)}  (JS ${kib(js)}, wasm ${kib(wasm)})`);
    assert.ok(wasm > 0 && js > 0, `${name}: a JS chunk and a wasm asset`);
  }
  const total = (n) => sizes[n].js + sizes[n].wasm;
  const all = total('all four (workbridge)');
  assert.ok(total('CAMAPIClient only (workbridge/cam)') < all, 'the CAM app ships less than all four');
  assert.ok(total('YunzhijiaClient only (workbridge/yunzhijia)') < all, 'the Yunzhijia app ships less than all four');
});
