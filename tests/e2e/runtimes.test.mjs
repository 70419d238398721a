// Every runtime from one package: a Vite app built from the installed tarball and run in
// headless Chromium, and the classic-script global build in a Yunzhijia light-app page.
// (Node ESM and CommonJS, and a plain module script, are covered by the other e2e files.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installPackage, startSandboxBin, launchChromium } from './helpers.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
};
let work;
let sandbox;
let browser;

/** Serves `dir` statically on a free port. */
function serve(dir) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    try {
      res
        .writeHead(200, { Connection: 'close', 'Content-Type': TYPES[extname(file)] || 'application/octet-stream' })
        .end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () =>
      r({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((c) => server.close(c)) }),
    ),
  );
}

before(async () => {
  work = installPackage('runtimes');
  sandbox = await startSandboxBin(work);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

test('a Vite app imports the package, finds its wasm, and calls the sandbox', async () => {
  const app = join(work, 'vite-app');
  mkdirSync(app, { recursive: true });
  writeFileSync(
    join(app, 'index.html'),
    '<!doctype html><html><head><link rel="icon" href="data:,"></head><body><script type="module" src="./main.js"></script></body></html>',
  );
  writeFileSync(
    join(app, 'main.js'),
    `
import { CAMAPIClient, WorkbridgeError, xuanxuanToken } from 'workbridge';
const sandbox = new URL(location.href).searchParams.get('sandbox');
window.result = (async () => {
  const client = new CAMAPIClient({ apiToken: 'sandbox-token', serverURL: sandbox + '/cam' });
  const rooms = await client.getConferenceMaster();
  let invalid;
  try { await client.getConferenceRoomStatus('2019-08'); } catch (e) { invalid = e instanceof WorkbridgeError && e.field; }
  return { rooms: rooms.conferenceRooms.length, invalid, token: xuanxuanToken('m=chat&f=getChatUsers&code=myAppCode', '3cd0914d656e90ab181f1d52ff352cfe') };
})();
`,
  );
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
    cwd: app,
    stdio: 'pipe',
  });
  const built = readFileSync(join(app, 'dist/index.html'), 'utf8');
  assert.match(built, /assets\/index-[\w-]+\.js/);
  const site = await serve(join(app, 'dist'));
  const page = await browser.newPage();
  try {
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${site.url}/?sandbox=${encodeURIComponent(sandbox.url)}`);
    // The module script awaits the wasm first: wait until it has set its result.
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 20_000 });
    const result = await page.evaluate(() => window.result);
    assert.deepEqual(result, { rooms: 3, invalid: 'yyyyMMdd', token: 'f5633c34c0c551a16c1d63bceb38d6a8' });
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    await site.close();
  }
});

test('the global build works from a classic script in a light-app page, with no init()', async () => {
  const site = await serve(work);
  writeFileSync(
    join(work, 'light-app.html'),
    `<!doctype html><html><head><link rel="icon" href="data:,">
<script src="/node_modules/workbridge/workbridge.global.js"></script>
<script>
  // Classic script: window.workbridge is there synchronously, with qing; the vendor clients load
  // when a page configures one (below), so they are not there yet.
  window.sync = typeof workbridge.CAMAPIClient === 'undefined' && typeof workbridge.qing.call === 'function';
  workbridge.qing.config({ cam: { apiToken: 'sandbox-token', serverURL: new URL(location.href).searchParams.get('sandbox') + '/cam' } });
  window.result = Promise.all([
    workbridge.qing.call('createLive', { groupId: 'g-9' }),
    workbridge.qing.call('cam.getConferenceRooms', {}),
  ]).then(([live, rooms]) => ({ inApp: workbridge.qing.isInApp(), live: live.data, rooms: rooms.data.conferenceRooms.length }));
</script></head><body></body></html>`,
  );
  const context = await browser.newContext({
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Qing/10.6.1',
  });
  await context.addInitScript(() => {
    window.XuntongJSBridge = {
      call: (name, params, cb) => cb({ success: 'true', data: JSON.stringify({ name, groupId: params.groupId }) }),
    };
  });
  try {
    const page = await context.newPage();
    await page.goto(`${site.url}/light-app.html?sandbox=${encodeURIComponent(sandbox.url)}`);
    assert.equal(await page.evaluate(() => window.sync), true);
    assert.deepEqual(
      await page.evaluate(() => window.result),
      { inApp: true, live: '{"name":"createLive","groupId":"g-9"}', rooms: 3 },
      'native data as the app gave it',
    );
  } finally {
    await context.close();
    await site.close();
  }
});
