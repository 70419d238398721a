// What an app ships: three Vite production builds from the installed package (an app using
// only CAMAPIClient through workbridge/cam, one using only YunzhijiaClient through
// workbridge/yunzhijia, one using all four through workbridge), each loaded in Chromium and
// measured as the JS + wasm the page downloaded, gzip -9. The chunk with the wasm inlined (the
// fallback for bundlers that copy no wasm file) is built too, but a page that has its wasm
// file never loads it: it is printed apart. Sizes are printed (make bench quotes them); the test
// asserts what must hold whatever the figures: a one-vendor app ships less than the four-vendor
// one, each page runs and fetches its wasm, and none loads the fallback.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { installPackage, launchChromium } from './helpers.mjs';
import { serveDir } from './serve.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
let work;
let browser;

before(async () => {
  work = installPackage('bundles');
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

const APPS = {
  'CAMAPIClient only (workbridge/cam)': `import { CAMAPIClient } from 'workbridge/cam';
window.client = new CAMAPIClient({ apiToken: 't', serverURL: 'https://cam.example.com' });`,
  'YunzhijiaClient only (workbridge/yunzhijia)': `import { YunzhijiaClient } from 'workbridge/yunzhijia';
window.client = new YunzhijiaClient({ eid: '10109', secret: 's' });`,
  'all four (workbridge)': `import { CAMAPIClient, YunzhijiaClient, XuanxuanClient, YtxClient } from 'workbridge';
window.clients = [CAMAPIClient, YunzhijiaClient, XuanxuanClient, YtxClient];`,
};

/**
 * Builds `code` as a Vite app and loads it in Chromium; returns {js, wasm, fallback} in bytes
 * after gzip -9: what the page downloaded, and the inlined-wasm chunk it did not.
 */
async function build(name, code) {
  const app = join(work, `app-${name.replace(/\W+/g, '-')}`);
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'index.html'), '<!doctype html><script type="module" src="/main.js"></script>');
  writeFileSync(join(app, 'main.js'), code);
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
    cwd: join(app),
    stdio: 'pipe',
    env: { ...process.env, NODE_PATH: join(work, 'node_modules') },
  });
  const dist = join(app, 'dist');
  const server = await serveDir(dist);
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(`${server.url}/`, { waitUntil: 'networkidle' });
    assert.equal(await page.evaluate(() => typeof (window.client || window.clients)), 'object', `${name}: the app ran`);
  } finally {
    await page.close();
    await server.stop();
  }
  assert.deepEqual(errors, [], `${name}: no page error`);
  const size = { js: 0, wasm: 0, fallback: 0 };
  for (const f of readdirSync(join(dist, 'assets'))) {
    const gz = gzipSync(readFileSync(join(dist, 'assets', f)), { level: 9 }).length;
    const loaded = server.asked.has(`/assets/${f}`);
    if (/_inline-/.test(f)) {
      assert.ok(!loaded, `${name}: the page has its wasm file and never loads the inlined copy ${f}`);
      size.fallback += gz;
    } else if (f.endsWith('.wasm')) {
      assert.ok(loaded, `${name}: the page fetched ${f}`);
      size.wasm += gz;
    } else if (f.endsWith('.js')) {
      assert.ok(loaded, `${name}: the page loaded ${f}`);
      size.js += gz;
    }
  }
  return size;
}

test('a one-vendor app ships only that vendor: three Vite production builds, JS + wasm, gzip -9', async () => {
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const sizes = {};
  for (const [name, code] of Object.entries(APPS)) {
    // The apps live inside the test project, so `workbridge` resolves to the installed tarball.
    sizes[name] = await build(name, code);
    const { js, wasm, fallback } = sizes[name];
    console.log(
      `${name.padEnd(46)} ${kib(js + wasm).padStart(9)}  (JS ${kib(js)}, wasm ${kib(wasm)}; not loaded: the inlined fallback ${kib(fallback)})`,
    );
    assert.ok(wasm > 0 && js > 0, `${name}: a JS chunk and a wasm asset`);
  }
  const total = (n) => sizes[n].js + sizes[n].wasm;
  const all = total('all four (workbridge)');
  assert.ok(total('CAMAPIClient only (workbridge/cam)') < all, 'the CAM app ships less than all four');
  assert.ok(total('YunzhijiaClient only (workbridge/yunzhijia)') < all, 'the Yunzhijia app ships less than all four');
});
