// `make bench`: measured, not asserted. Prints every figure of the performance issue with the
// machine's noise (median and spread over rounds that interleave the two sides of each ratio):
// wasm size (raw, gzip -9) and what makes it up, import time, time per call against a
// hand-written fetch of the same request, memory after 1,000 and 100,000 calls, signing
// throughput, and the classic-script build with its JavaScript (wasm2js) fallback.

import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const pkg = join(root, 'pkg');
const ROUNDS = Number(process.env.BENCH_ROUNDS || 9);
const CALLS = Number(process.env.BENCH_CALLS || 400);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs, d = 1) => `${Math.min(...xs).toFixed(d)}..${Math.max(...xs).toFixed(d)}`;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const row = (label, value) => console.log(`${label.padEnd(52)} ${value}`);

function sizes() {
  for (const [name, file] of [
    ['client wasm, all four vendors (what a page loads)', 'wasm/web/workbridge_bg.wasm'],
    ['sandbox wasm (Node and the demo only)', 'sandbox/wasm/workbridge_sandbox_bg.wasm'],
  ]) {
    const bytes = readFileSync(join(pkg, file));
    const gzip = execFileSync('gzip', ['-9c', join(pkg, file)]).length;
    row(name, `${kib(bytes.length)} raw, ${kib(gzip)} gzip -9${file.startsWith('wasm') ? '  (target <= 64 KiB)' : ''}`);
  }
}

// What makes up the client wasm, by crate, from a build that keeps function names.
function sizeReport() {
  const twiggy = join(root, '.tools/bin/twiggy');
  const bindgen = join(root, '.tools/bin/wasm-bindgen');
  if (!existsSync(twiggy)) return console.log('  (no twiggy: the size report needs `make bench` to install it)');
  const work = join(root, 'bench/.work');
  execFileSync(bindgen, [join(root, 'target/wb/workbridge.wasm'), '--target', 'web', '--no-typescript', '--out-dir', work]);
  execFileSync(join(root, 'node_modules/.bin/wasm-opt'), ['-Oz', '-g', '--enable-reference-types', '--enable-multivalue', '--enable-bulk-memory', '--enable-mutable-globals', '--enable-sign-ext', '--enable-nontrapping-float-to-int', join(work, 'workbridge_bg.wasm'), '-o', join(work, 'named.wasm')]);
  const report = JSON.parse(execFileSync(twiggy, ['top', '-n', '100000', '-f', 'json', join(work, 'named.wasm')], { maxBuffer: 64 << 20 }).toString());
  const by = new Map();
  let total = 0;
  for (const { name, shallow_size: size } of report) {
    if (name.startsWith('custom section') || name.includes('names" subsection') || name.startsWith('Σ') || name.startsWith('... and')) continue;
    const crate = name.startsWith('data segment') ? 'data (strings, tables)'
      : (/^<?&?([a-z_0-9]+)(?:\[[0-9a-f]+\])?::([a-z_0-9]+)/.exec(name) || [])
        .slice(1, 3).filter(Boolean).slice(0, /^<?&?(workbridge|core|alloc)\b/.test(name) ? 2 : 1).join('::') || 'wasm-bindgen shims and glue';
    by.set(crate, (by.get(crate) || 0) + Number(size));
    total += Number(size);
  }
  console.log(`  what makes up the client wasm (code and data, before stripping names: ${kib(total)}):`);
  for (const [crate, size] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 14)) {
    console.log(`    ${kib(size).padStart(9)}  ${(size / total * 100).toFixed(1).padStart(5)}%  ${crate}`);
  }
}

function importTime() {
  const url = pathToFileURL(join(pkg, 'index.mjs')).href;
  const script = `const t = performance.now(); await import(${JSON.stringify(url)}); console.log(performance.now() - t);`;
  const times = [];
  for (let i = 0; i < ROUNDS; i++) times.push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', script]).toString()));
  row("import('workbridge') in a fresh Node", `median ${median(times).toFixed(1)} ms (spread ${spread(times)} ms, ${ROUNDS} runs; target <= 30 ms)`);
}

function startServer() {
  const code = `import { startSandbox } from ${JSON.stringify(pathToFileURL(join(pkg, 'sandbox/index.mjs')).href)};
    const s = await startSandbox({ port: 0, log: null }); console.log(s.url);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => child.stdout.once('data', (d) => resolve({ url: String(d).trim(), child })));
}

async function ratio(label, sides) {
  const time = async (fn) => {
    const t = performance.now();
    for (let i = 0; i < CALLS; i++) await fn(i);
    return ((performance.now() - t) * 1000) / CALLS;
  };
  for (const fn of Object.values(sides)) await time(fn); // warm-up
  const names = Object.keys(sides);
  const us = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < ROUNDS; r++) {
    // Rotate which side goes first, so drift in the machine's load falls on every side.
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const n of order) us[n].push(await time(sides[n]));
  }
  const [wb, ...hand] = names;
  row(label, names.map((n) => `${n} ${median(us[n]).toFixed(0)} µs`).join(', '));
  for (const h of hand) {
    const ratios = us[wb].map((w, i) => w / us[h][i]);
    row(`  ratio ${wb} / ${h}`, `median ${median(ratios).toFixed(3)}x (spread ${spread(ratios, 3)}; ${ROUNDS} rounds of ${CALLS})`);
  }
}

async function perCall() {
  const { CAMAPIClient, YunzhijiaClient } = await import(pathToFileURL(join(pkg, 'index.mjs')).href);
  const { url, child } = await startServer();
  const serverURL = `${url}/cam`;
  const cam = new CAMAPIClient({ apiToken: 'sandbox-token', serverURL });
  const users = ['user1@xxx.com', 'user2@xxx.com'];
  const camBody = (message) => new URLSearchParams({
    message: JSON.stringify({ panelName: 'messenger', message, isOpened: false, generalPurposes: { users: users.join(',') } }),
  }).toString();
  const camHeaders = { 'x-cam-apiToken': 'sandbox-token', 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' };
  await ratio('CAM sendMessage per call over loopback', {
    workbridge: (i) => cam.sendMessage('messenger', `bench ${i} & 会议 😀`, false, users),
    'fetch by hand': async (i) => (await fetch(`${serverURL}/sendMessage`, { method: 'POST', headers: camHeaders, body: camBody(`bench ${i} & 会议 😀`) })).json(),
    'fetch with a timeout': async (i) => (await fetch(`${serverURL}/sendMessage`, { method: 'POST', headers: camHeaders, body: camBody(`bench ${i} & 会议 😀`), signal: AbortSignal.timeout(10_000) })).json(),
  });

  const base = `${url}/yunzhijia`;
  const tokenRes = await fetch(`${base}/gateway/oauth2/token/getAccessToken`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ eid: '10109', secret: 'sandbox-secret', timestamp: Date.now(), scope: 'resGroupSecret' }),
  });
  const token = (await tokenRes.json()).data.accessToken;
  const yzj = new YunzhijiaClient({ baseURL: base, accessToken: token });
  const meeting = (i) => ({ openid: '5a67e08d00b0e8dfe4aab4fa', title: `会议 ${i}`, startDate: 1_800_000_000_000 + i * 3_600_000, endDate: 1_800_000_000_000 + i * 3_600_000 + 1_800_000, noticeTime: 15, actors: ['a1', 'a2'] });
  await ratio('Yunzhijia meeting.create per call over loopback', {
    workbridge: (i) => yzj.meeting.create(meeting(i)),
    'fetch by hand': async (i) => (await (await fetch(`${base}/gateway/cloudwork/meeting/create?accessToken=${encodeURIComponent(token)}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(meeting(i)),
    })).json()).data,
  });
  child.kill();
}

async function memory() {
  const { CAMAPIClient, diagnostics } = await import(pathToFileURL(join(pkg, 'index.mjs')).href);
  // A minimal fetch, so that what is measured is this module, not Node's HTTP stack.
  const body = '{"errors":null,"messageId":"msg-1"}';
  const answer = { status: 200, headers: { get: () => null }, text: async () => body };
  const client = new CAMAPIClient({ apiToken: 't', serverURL: 'http://mem.test/cam', fetch: async () => answer });
  const run = async (n) => { for (let i = 0; i < n; i++) await client.sendMessage('messenger', `m${i}`, false, ['a@x.com']); };
  const snapshot = () => { global.gc?.(); return [diagnostics.wasmMemoryBytes(), process.memoryUsage().heapUsed]; };
  await run(1_000);
  const [w1, h1] = snapshot();
  const t = performance.now();
  await run(99_000);
  const perCallUs = ((performance.now() - t) * 1000) / 99_000;
  const [w2, h2] = snapshot();
  row('memory after 1,000 calls -> after 100,000', `wasm ${kib(w1)} -> ${kib(w2)}, JS heap ${kib(h1)} -> ${kib(h2)}${global.gc ? '' : ' (no --expose-gc)'}`);
  row('  the module alone, per call (no network)', `${perCallUs.toFixed(1)} µs`);
}

async function signing() {
  const { ytxSign, xuanxuanToken } = await import(pathToFileURL(join(pkg, 'index.mjs')).href);
  const rate = (f) => {
    const rates = [];
    for (let r = 0; r < 5; r++) {
      const n = 100_000;
      const t = performance.now();
      for (let i = 0; i < n; i++) f(i);
      rates.push(n / ((performance.now() - t) / 1000));
    }
    return `median ${(median(rates) / 1000).toFixed(0)}k/s (spread ${(Math.min(...rates) / 1000).toFixed(0)}k..${(Math.max(...rates) / 1000).toFixed(0)}k; target >= 200k/s)`;
  };
  row('ytxSign, from JS', rate((i) => ytxSign('abcdefghijklmnopqrstuvwxyz012345', 'token', `201404161420${i % 60}`)));
  row('xuanxuanToken, from JS', rate((i) => xuanxuanToken(`m=im&f=getChatUsers&gid=${i}&code=myAppCode`, '3cd0914d656e90ab181f1d52ff352cfe')));
}

// The classic-script build: workbridge.global.js (wasm inlined) and the JavaScript build it
// loads where there is no WebAssembly (wasm2js), each run as a page would, in a fresh context;
// time to run the file, and time per CAM sendMessage against an in-process fetch.
async function classicScript() {
  for (const [name, file] of [
    ['workbridge.global.js (every light-app page)', 'workbridge.global.js'],
    ['workbridge.global.nowasm.js (only without wasm)', 'workbridge.global.nowasm.js'],
  ]) {
    const bytes = readFileSync(join(pkg, file));
    row(name, `${kib(bytes.length)} raw, ${kib(execFileSync('gzip', ['-9c', join(pkg, file)]).length)} gzip -9`);
  }
  const body = '{"errors":null,"messageId":"msg-1"}';
  const answer = { status: 200, headers: { get: () => null }, text: async () => body };
  const fetch = async () => answer;
  const load = (file, wasm) => {
    const context = vm.createContext({ TextEncoder, TextDecoder, setTimeout, clearTimeout, atob, console, fetch });
    if (!wasm) vm.runInContext('delete globalThis.WebAssembly', context);
    const code = readFileSync(join(pkg, file), 'utf8');
    const t = performance.now();
    vm.runInContext(code, context);
    return { ms: performance.now() - t, workbridge: context.workbridge };
  };
  const loads = { wasm: [], wasm2js: [] };
  for (let r = 0; r < Math.min(ROUNDS, 5); r++) {
    loads.wasm.push(load('workbridge.global.js', true).ms);
    loads.wasm2js.push(load('workbridge.global.nowasm.js', false).ms);
  }
  row('  time to run the file (parse, compile, instantiate)', `wasm ${median(loads.wasm).toFixed(1)} ms, wasm2js ${median(loads.wasm2js).toFixed(1)} ms (medians of ${loads.wasm.length})`);
  const client = (wb) => new wb.CAMAPIClient({ apiToken: 't', serverURL: 'http://bench.test/cam', fetch });
  const wasm = client(load('workbridge.global.js', true).workbridge);
  const js = client(load('workbridge.global.nowasm.js', false).workbridge);
  await ratio('  CAM sendMessage per call, in-process fetch', {
    wasm2js: (i) => js.sendMessage('messenger', `bench ${i} & 会议 😀`, false, ['a@x.com', 'b@x.com']),
    wasm: (i) => wasm.sendMessage('messenger', `bench ${i} & 会议 😀`, false, ['a@x.com', 'b@x.com']),
  });
  // Where WebAssembly is missing the JIT often is too (iOS Lockdown Mode, V8's --jitless, which
  // also removes WebAssembly): the JavaScript build interpreted.
  const jitless = `
    const vm = require('node:vm');
    const answer = { status: 200, headers: { get: () => null }, text: async () => '{"errors":null,"messageId":"m"}' };
    const fetch = async () => answer;
    const context = vm.createContext({ TextEncoder, TextDecoder, setTimeout, clearTimeout, fetch });
    let t = performance.now();
    vm.runInContext(require('node:fs').readFileSync(${JSON.stringify(join(pkg, 'workbridge.global.nowasm.js'))}, 'utf8'), context);
    const loadMs = performance.now() - t;
    const client = new context.workbridge.CAMAPIClient({ apiToken: 't', serverURL: 'http://bench.test/cam', fetch });
    (async () => {
      for (let i = 0; i < 20; i++) await client.sendMessage('messenger', 'warm ' + i, false, ['a@x.com', 'b@x.com']);
      t = performance.now();
      for (let i = 0; i < ${CALLS}; i++) await client.sendMessage('messenger', 'bench ' + i + ' & 会议 😀', false, ['a@x.com', 'b@x.com']);
      console.log(JSON.stringify({ loadMs, us: ((performance.now() - t) * 1000) / ${CALLS}, wasm: typeof WebAssembly }));
    })();`;
  const runs = [];
  for (let r = 0; r < 3; r++) runs.push(JSON.parse(execFileSync(process.execPath, ['--jitless', '-e', jitless], { stdio: ['ignore', 'pipe', 'pipe'] }).toString()));
  row('  wasm2js with no JIT (node --jitless)', `${median(runs.map((x) => x.us)).toFixed(0)} µs per call, file run in ${median(runs.map((x) => x.loadMs)).toFixed(0)} ms (medians of 3; WebAssembly is ${runs[0].wasm} there)`);
}

console.log(`workbridge bench  (node ${process.version}, ${new Date().toISOString()})\n`);
sizes();
sizeReport();
importTime();
await perCall();
await memory();
await signing();
await classicScript();
