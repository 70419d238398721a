// The packaging matrix: the builds a JavaScript developer makes, each from the packed tarball with
// the package's plain imports and no configuration for workbridge, each run against the installed
// `workbridge sandbox`: Node for server bundles (copied first to a directory with no
// node_modules above it, so that nothing but the bundle is there), Chromium for pages. Every run
// sends a CAM message tagged with the build's name (and, with two vendor entries, creates a
// Yunzhijia meeting), and the test finds that message in the sandbox.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, installPackage, launchChromium, startSandboxBin } from './helpers.mjs';
import { serveDir } from './serve.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
let work;
let sandbox;
let browser;

// What every build runs: one vendor entry, two, or the four-vendor root entry.
const APPS = {
  one: `import { CAMAPIClient } from 'workbridge/cam';
export async function run(url, tag) {
  const cam = new CAMAPIClient({ apiToken: 'sandbox-token', serverURL: url + '/cam' });
  const sent = await cam.sendMessage('messenger', tag, false, ['user1@xxx.com']);
  return { messageId: sent.messageId };
}
`,
  two: `import { CAMAPIClient } from 'workbridge/cam';
import { YunzhijiaClient } from 'workbridge/yunzhijia';
export async function run(url, tag) {
  const cam = new CAMAPIClient({ apiToken: 'sandbox-token', serverURL: url + '/cam' });
  const yzj = new YunzhijiaClient({ baseURL: url + '/yunzhijia', eid: '10109', secret: 'sandbox-secret' });
  const sent = await cam.sendMessage('messenger', tag, false, ['user1@xxx.com']);
  const made = await yzj.meeting.create({ openid: 'o', title: tag, startDate: Date.now() + 3600e3, endDate: Date.now() + 7200e3 });
  return { messageId: sent.messageId, meetingId: made.meetingId };
}
`,
  all: `import { CAMAPIClient, YunzhijiaClient, XuanxuanClient, YtxClient } from 'workbridge';
export async function run(url, tag) {
  const cam = new CAMAPIClient({ apiToken: 'sandbox-token', serverURL: url + '/cam' });
  const sent = await cam.sendMessage('messenger', tag, false, ['user1@xxx.com']);
  return { messageId: sent.messageId, classes: [YunzhijiaClient, XuanxuanClient, YtxClient].map((c) => c.name) };
}
`,
};
const PAGE_MAIN = (app) => `import { run } from './app-${app}.js';
const q = new URLSearchParams(location.search);
run(q.get('sandbox'), q.get('tag')).then(
  (r) => { window.result = r; },
  (e) => { window.result = { error: String(e && e.code) + ': ' + (e && e.message) }; },
);
`;
const NODE_MAIN = (app) => `import { run } from './app-${app}.js';
run(process.env.SANDBOX, process.env.TAG).then(
  (r) => console.log(JSON.stringify(r)),
  (e) => { console.error(e); process.exit(1); },
);
`;

before(async () => {
  work = installPackage('bundlers');
  const src = join(work, 'src');
  mkdirSync(src, { recursive: true });
  for (const [name, code] of Object.entries(APPS)) {
    writeFileSync(join(src, `app-${name}.js`), code);
    writeFileSync(join(src, `page-${name}.js`), PAGE_MAIN(name));
    writeFileSync(join(src, `node-${name}.js`), NODE_MAIN(name));
  }
  // The source is ES modules, as in a user's project of today.
  writeFileSync(join(src, 'package.json'), '{ "type": "module" }\n');
  sandbox = await startSandboxBin(work);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

/** The messages the sandbox received with `tag`. */
async function received(tag) {
  const { messages } = await (await fetch(`${sandbox.url}/cam/_sandbox/messages`)).json();
  return messages.filter((m) => m.message === tag);
}

/** What a run must have done: the message sent (and the meeting made, for two vendors). */
async function check(tag, app, result) {
  assert.equal(result.error, undefined, `${tag}: ${result.error}`);
  assert.match(String(result.messageId), /^msg-\d+$/, `${tag}: a CAM message id`);
  if (app === 'two') assert.match(String(result.meetingId), /^[0-9a-f]{24}$/, `${tag}: a Yunzhijia meeting id`);
  if (app === 'all') assert.deepEqual(result.classes, ['YunzhijiaClient', 'XuanxuanClient', 'YtxClient']);
  const got = await received(tag);
  assert.equal(got.length, 1, `${tag}: the sandbox received the message once`);
  assert.equal(got[0].messageId, result.messageId);
}

/** Copies `dir` away from every node_modules and runs `file` in it with Node. */
function runInNode(dir, file, tag) {
  const away = mkdtempSync(join(tmpdir(), 'wb-bundle-'));
  try {
    cpSync(dir, away, { recursive: true });
    const out = execFileSync(process.execPath, [join(away, file)], {
      cwd: away,
      encoding: 'utf8',
      env: { ...process.env, SANDBOX: sandbox.url, TAG: tag },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(out.trim().split('\n').pop());
  } finally {
    rmSync(away, { recursive: true, force: true });
  }
}

/** Serves `dir`, opens `page` with the sandbox's URL and `tag`; resolves with the page's result. */
async function runInPage(dir, page, tag) {
  const server = await serveDir(dir);
  const tab = await browser.newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(String(e)));
  try {
    const q = new URLSearchParams({ sandbox: sandbox.url, tag });
    await tab.goto(`${server.url}/${page}?${q}`);
    await tab.waitForFunction(() => window.result !== undefined, null, { timeout: 30_000 });
    const result = await tab.evaluate(() => window.result);
    assert.deepEqual(errors, [], `${tag}: no page error`);
    return { result, asked: server.asked };
  } finally {
    await tab.close();
    await server.stop();
  }
}

const html = (script, module) =>
  `<!doctype html><meta charset="utf-8"><script${module ? ' type="module"' : ''} src="${script}"></script>`;

// How many copies of the shared JavaScript a bundle carries (a message of the facade's).
const copies = (text) => text.split('must be a client made with').length - 1;

const bin = (name) => join(root, 'node_modules', '.bin', name);
const esbuild = (args, cwd) => execFileSync(bin('esbuild'), args, { cwd, stdio: 'pipe', encoding: 'utf8' });

test('plain Node, ES module and CommonJS, no bundler', async () => {
  const src = join(work, 'src');
  const esm = JSON.parse(
    execFileSync(process.execPath, [join(src, 'node-two.js')], {
      encoding: 'utf8',
      env: { ...process.env, SANDBOX: sandbox.url, TAG: 'node esm' },
    }),
  );
  await check('node esm', 'two', esm);
  writeFileSync(
    join(work, 'cjs.cjs'),
    `const { CAMAPIClient } = require('workbridge');
new CAMAPIClient({ apiToken: 'sandbox-token', serverURL: process.env.SANDBOX + '/cam' })
  .sendMessage('messenger', 'node cjs', false, ['user1@xxx.com'])
  .then((r) => console.log(JSON.stringify({ messageId: r.messageId })), (e) => { console.error(e); process.exit(1); });
`,
  );
  const cjs = JSON.parse(
    execFileSync(process.execPath, [join(work, 'cjs.cjs')], {
      encoding: 'utf8',
      env: { ...process.env, SANDBOX: sandbox.url },
    }),
  );
  await check('node cjs', 'one', cjs);
});

test("webpack with target: 'node20': the bundle runs alone", async () => {
  const { default: webpack } = await import(join(root, 'node_modules/webpack/lib/index.js'));
  const out = join(work, 'dist-webpack-node');
  const stats = await new Promise((resolve, reject) =>
    webpack(
      {
        mode: 'production',
        target: 'node20',
        context: work,
        entry: './src/node-two.js',
        output: { path: out, filename: 'server.js' },
      },
      (err, s) => (err ? reject(err) : resolve(s)),
    ),
  );
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
  assert.deepEqual(
    readdirSync(out).filter((f) => f.endsWith('.wasm')),
    [],
    'no wasm file to copy: the Node entries carry theirs',
  );
  await check('webpack node20', 'two', runInNode(out, 'server.js', 'webpack node20'));
});

test('esbuild for Node (--platform=node): the bundle runs alone', async () => {
  const out = join(work, 'dist-esbuild-node');
  esbuild(
    ['src/node-two.js', '--bundle', '--platform=node', '--format=cjs', `--outfile=${join(out, 'server.cjs')}`],
    work,
  );
  await check('esbuild node', 'two', runInNode(out, 'server.cjs', 'esbuild node'));
});

for (const format of ['iife', 'esm'])
  for (const app of ['one', 'two'])
    test(`esbuild --bundle, ${format}, ${app === 'one' ? 'one vendor entry' : 'two vendor entries'}, in Chromium`, async () => {
      const tag = `esbuild ${format} ${app}`;
      const out = join(work, `dist-esbuild-${format}-${app}`);
      esbuild([`src/page-${app}.js`, '--bundle', `--format=${format}`, `--outfile=${join(out, 'bundle.js')}`], work);
      writeFileSync(join(out, 'index.html'), html('bundle.js', format === 'esm'));
      if (app === 'two')
        assert.equal(copies(readFileSync(join(out, 'bundle.js'), 'utf8')), 1, 'one copy of the shared JS');
      const { result } = await runInPage(out, 'index.html', tag);
      await check(tag, app, result);
    });

test('Rollup with node-resolve, two vendor entries, in Chromium', async () => {
  const { rollup } = await import(join(root, 'node_modules/rollup/dist/es/rollup.js'));
  const { nodeResolve } = await import(join(root, 'node_modules/@rollup/plugin-node-resolve/dist/es/index.js'));
  const out = join(work, 'dist-rollup');
  const bundle = await rollup({ input: join(work, 'src/page-two.js'), plugins: [nodeResolve({ browser: true })] });
  await bundle.write({ dir: out, format: 'es' });
  await bundle.close();
  writeFileSync(join(out, 'index.html'), html('page-two.js', true));
  const main = readFileSync(join(out, 'page-two.js'), 'utf8');
  assert.equal(copies(main), 1, 'one copy of the shared JS');
  const { result } = await runInPage(out, 'index.html', 'rollup');
  await check('rollup', 'two', result);
});

test('webpack for the browser, two vendor entries, in Chromium: the wasm files fetched, not the inlined copies', async () => {
  const { default: webpack } = await import(join(root, 'node_modules/webpack/lib/index.js'));
  const out = join(work, 'dist-webpack-web');
  const stats = await new Promise((resolve, reject) =>
    webpack({ mode: 'production', context: work, entry: './src/page-two.js', output: { path: out } }, (err, s) =>
      err ? reject(err) : resolve(s),
    ),
  );
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
  writeFileSync(join(out, 'index.html'), html('main.js', false));
  const wasm = readdirSync(out).filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 2, `one wasm per vendor entry: ${wasm}`);
  const { result, asked } = await runInPage(out, 'index.html', 'webpack web');
  await check('webpack web', 'two', result);
  for (const f of wasm) assert.ok(asked.has(`/${f}`), `fetched ${f}`);
  assert.equal([...asked].filter((p) => /\.js$/.test(p)).length, 1, `only the main chunk loaded: ${[...asked]}`);
});

test('Vite, two vendor entries, in Chromium', async () => {
  const app = join(work, 'vite-two');
  mkdirSync(app, { recursive: true });
  cpSync(join(work, 'src'), app, { recursive: true });
  writeFileSync(join(app, 'index.html'), html('/page-two.js', true));
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
    cwd: app,
    stdio: 'pipe',
  });
  const { result, asked } = await runInPage(join(app, 'dist'), 'index.html', 'vite');
  await check('vite', 'two', result);
  assert.equal([...asked].filter((p) => p.endsWith('.wasm')).length, 2, `both wasm files fetched: ${[...asked]}`);
});

// One Next.js App Router app: a server component page, a route handler (the four-vendor root
// entry) and a client component, built with webpack and with Turbopack, then served by
// `next start` and opened in Chromium.
const NEXT_APP = {
  'app/layout.js': `export default function RootLayout({ children }) {
  return <html><body>{children}</body></html>;
}
`,
  'app/page.js': `import { CAMAPIClient } from 'workbridge/cam';
import Client from './client.js';
export const dynamic = 'force-dynamic';
export default async function Page() {
  const url = process.env.SANDBOX;
  const cam = new CAMAPIClient({ apiToken: 'sandbox-token', serverURL: url + '/cam' });
  const sent = await cam.sendMessage('messenger', process.env.TAG + ' server', false, ['user1@xxx.com']);
  return <main><p id="server">{sent.messageId}</p><Client url={url} tag={process.env.TAG + ' client'} /></main>;
}
`,
  'app/client.js': `'use client';
import { useEffect, useState } from 'react';
import { CAMAPIClient } from 'workbridge/cam';
export default function Client({ url, tag }) {
  const [id, setId] = useState('');
  useEffect(() => {
    new CAMAPIClient({ apiToken: 'sandbox-token', serverURL: url + '/cam' })
      .sendMessage('messenger', tag, false, ['user1@xxx.com'])
      .then((r) => setId(r.messageId), (e) => setId('error ' + e.code + ': ' + e.message));
  }, [url, tag]);
  return <p id="client">{id}</p>;
}
`,
  'app/api/send/route.js': `import { CAMAPIClient } from 'workbridge';
export const dynamic = 'force-dynamic';
export async function GET() {
  const cam = new CAMAPIClient({ apiToken: 'sandbox-token', serverURL: process.env.SANDBOX + '/cam' });
  const sent = await cam.sendMessage('messenger', process.env.TAG + ' route', false, ['user1@xxx.com']);
  return Response.json({ messageId: sent.messageId });
}
`,
};

function nextStart(app, port, env) {
  const child = spawn(process.execPath, [join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port)], {
    cwd: app,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  return {
    log: () => log,
    stop: () =>
      new Promise((r) => {
        child.once('exit', r);
        child.kill('SIGTERM');
      }),
    ready: async () => {
      for (let i = 0; i < 100; i++) {
        try {
          await fetch(`http://127.0.0.1:${port}/api/none`);
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      throw new Error(`next start did not listen: ${log}`);
    },
  };
}

for (const bundler of ['webpack', 'turbopack'])
  test(`Next.js (${bundler}): server component, route handler, client component`, async () => {
    const tag = `next ${bundler}`;
    const app = join(work, `next-${bundler}`);
    for (const [file, text] of Object.entries(NEXT_APP)) {
      mkdirSync(join(app, file, '..'), { recursive: true });
      writeFileSync(join(app, file), text);
    }
    writeFileSync(join(app, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
    const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', SANDBOX: sandbox.url, TAG: tag };
    execFileSync(process.execPath, [join(root, 'node_modules/next/dist/bin/next'), 'build', `--${bundler}`], {
      cwd: app,
      env,
      stdio: 'pipe',
    });
    const port = await freePort();
    const server = nextStart(app, port, env);
    try {
      await server.ready();
      const route = await (await fetch(`http://127.0.0.1:${port}/api/send`)).json();
      await check(`${tag} route`, 'one', route);
      const tab = await browser.newPage();
      const errors = [];
      tab.on('pageerror', (e) => errors.push(String(e)));
      try {
        await tab.goto(`http://127.0.0.1:${port}/`);
        await tab.waitForFunction(() => document.querySelector('#client')?.textContent, null, { timeout: 30_000 });
        const ids = { server: await tab.textContent('#server'), client: await tab.textContent('#client') };
        await check(`${tag} server`, 'one', { messageId: ids.server });
        await check(`${tag} client`, 'one', { messageId: ids.client });
        assert.deepEqual(errors, []);
      } finally {
        await tab.close();
      }
    } finally {
      await server.stop();
    }
  });
