// `make bench`: measured, not asserted. Prints every figure of the performance issue with the
// machine's noise (median and spread over rounds that interleave the sides of each ratio):
// wasm and bundle sizes (raw, gzip -9) and what makes up the client wasm, import time, time per
// call against a bare fetch and against the fair limit (a fetch with AbortSignal.timeout: the
// same guarantee, a timeout that tears the request down), memory after 1,000 and 100,000 calls,
// signing throughput, the classic-script build with its JavaScript (wasm2js) fallback, and
// client.batch against a hand-written pool (bench/batch.mjs).
// The figures of the last run, with the machine and its load, go to bench/RESULTS.md.

import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const pkg = join(root, 'pkg');
const ROUNDS = Number(process.env.BENCH_ROUNDS || 9);
// The per-call table: rounds of 1,000 calls, as the performance issue measured them, but 24
// rounds rather than its 5, in 6 processes of 4 rounds each rather than in one: on this 2-core
// machine single rounds of one build range from 0.8x to 1.35x (a median of 15 of them moved by
// 2-3% from run to run), and one process keeps a bias of its own all through (the same build's
// Yunzhijia difference to the fair limit was 24 µs in one process and 60 in the next, each over
// 20,000 interleaved calls). A median over rounds of several processes is steadier, and
// favours no side.
const CALL_PROCS = Number(process.env.BENCH_CALL_PROCS || 6);
const CALL_ROUNDS = Number(process.env.BENCH_CALL_ROUNDS || 4);
const CALLS = Number(process.env.BENCH_CALLS || 1000);
const CLASSIC_CALLS = 400;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs, d = 1) => `${Math.min(...xs).toFixed(d)}..${Math.max(...xs).toFixed(d)}`;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const lines = [];
const say = (line) => {
  lines.push(line);
  console.log(line);
};
const row = (label, value) => say(`${label.padEnd(52)} ${value}`);
const results = { calls: [] };

// Every wasm and classic-script bundle the build made, whichever exist (one for all four
// vendors, and one per vendor where the build makes those), the web builds a page loads; and
// the four-vendor wasm of the Node entries, built for speed rather than size.
const NODE_WASM = 'wasm/node/workbridge_bg.wasm';
function sizes() {
  const found = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (
        (/\.wasm$/.test(name) && (!/\/node\//.test(relative(pkg, path)) || relative(pkg, path) === NODE_WASM)) ||
        /^workbridge\..*\.js$/.test(name)
      )
        found.push(path);
    }
  };
  walk(pkg);
  results.sizes = [];
  for (const path of found.sort()) {
    const file = relative(pkg, path);
    const raw = statSync(path).size;
    const gzip = execFileSync('gzip', ['-9c', path]).length;
    results.sizes.push({ file, raw, gzip });
    const what = file.startsWith('sandbox/')
      ? ' (sandbox: Node and the demo only)'
      : file === 'wasm/web/workbridge_bg.wasm'
        ? ' (all four vendors)'
        : file === NODE_WASM
          ? ' (the Node entries: built for speed, never sent to a page)'
          : '';
    row(`  ${file}`, `${kib(raw)} raw, ${kib(gzip)} gzip -9${what}`);
  }
}

// What makes up the client wasm, by crate, from a build that keeps function names.
function sizeReport() {
  const twiggy = join(root, '.tools/bin/twiggy');
  const bindgen = join(root, '.tools/bin/wasm-bindgen');
  if (!existsSync(twiggy)) return console.log('  (no twiggy: the size report needs `make bench` to install it)');
  const work = join(root, 'bench/.work');
  execFileSync(bindgen, [
    join(root, 'target/wb/workbridge.wasm'),
    '--target',
    'web',
    '--no-typescript',
    '--out-dir',
    work,
  ]);
  execFileSync(join(root, 'node_modules/.bin/wasm-opt'), [
    '-Oz',
    '-g',
    '--enable-reference-types',
    '--enable-multivalue',
    '--enable-bulk-memory',
    '--enable-mutable-globals',
    '--enable-sign-ext',
    '--enable-nontrapping-float-to-int',
    join(work, 'workbridge_bg.wasm'),
    '-o',
    join(work, 'named.wasm'),
  ]);
  const report = JSON.parse(
    execFileSync(twiggy, ['top', '-n', '100000', '-f', 'json', join(work, 'named.wasm')], {
      maxBuffer: 64 << 20,
    }).toString(),
  );
  const by = new Map();
  let total = 0;
  for (const { name, shallow_size: size } of report) {
    if (
      name.startsWith('custom section') ||
      name.includes('names" subsection') ||
      name.startsWith('Σ') ||
      name.startsWith('... and')
    )
      continue;
    const crate = name.startsWith('data segment')
      ? 'data (strings, tables)'
      : (/^<?&?([a-z_0-9]+)(?:\[[0-9a-f]+\])?::([a-z_0-9]+)/.exec(name) || [])
          .slice(1, 3)
          .filter(Boolean)
          .slice(0, /^<?&?(workbridge|core|alloc)\b/.test(name) ? 2 : 1)
          .join('::') || 'wasm-bindgen shims and glue';
    by.set(crate, (by.get(crate) || 0) + Number(size));
    total += Number(size);
  }
  console.log(`  what makes up the client wasm (code and data, before stripping names: ${kib(total)}):`);
  for (const [crate, size] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 14)) {
    console.log(`    ${kib(size).padStart(9)}  ${((size / total) * 100).toFixed(1).padStart(5)}%  ${crate}`);
  }
}

function importTime() {
  const url = pathToFileURL(join(pkg, 'index.mjs')).href;
  const script = `const t = performance.now(); await import(${JSON.stringify(url)}); console.log(performance.now() - t);`;
  const times = [];
  for (let i = 0; i < ROUNDS; i++)
    times.push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', script]).toString()));
  results.importMs = median(times);
  row(
    "import('workbridge') in a fresh Node",
    `median ${median(times).toFixed(1)} ms (spread ${spread(times)} ms, ${ROUNDS} runs; target <= 20 ms)`,
  );
}

function startServer() {
  const code = `import { startSandbox } from ${JSON.stringify(pathToFileURL(join(pkg, 'sandbox/index.mjs')).href)};
    const s = await startSandbox({ port: 0, log: null }); console.log(s.url);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => child.stdout.once('data', (d) => resolve({ url: String(d).trim(), child })));
}

// Times each side over `calls` calls, `rounds` times, rotating which goes first: the µs per
// call of each side in each round.
async function timeSides(sides, { rounds = ROUNDS, calls = CALLS } = {}) {
  const time = async (fn) => {
    // Each side starts with a collected heap, so none pays for the garbage of the one before.
    global.gc?.();
    const t = performance.now();
    for (let i = 0; i < calls; i++) await fn(i);
    return ((performance.now() - t) * 1000) / calls;
  };
  for (const fn of Object.values(sides)) await time(fn); // warm-up
  const names = Object.keys(sides);
  const us = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    // Rotate which side goes first, so drift in the machine's load falls on every side.
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const n of order) us[n].push(await time(sides[n]));
  }
  return us;
}

// Prints the medians of `us` (µs per call of each side in each round) and, for the first side,
// the median over rounds of its ratio to each other side.
function report(label, us) {
  const names = Object.keys(us);
  const rounds = us[names[0]].length;
  const [wb, ...hand] = names;
  row(label, names.map((n) => `${n} ${median(us[n]).toFixed(0)} µs`).join(', '));
  const ratios = {};
  for (const h of hand) {
    const rs = us[wb].map((w, i) => w / us[h][i]);
    ratios[h] = median(rs);
    row(
      `  ratio ${wb} / ${h}`,
      `median ${median(rs).toFixed(3)}x (spread ${spread(rs, 3)}; ${rounds} rounds of ${CALLS})`,
    );
  }
  return { us: Object.fromEntries(names.map((n) => [n, median(us[n])])), ratios };
}

async function ratio(label, sides, opts) {
  return report(label, await timeSides(sides, opts));
}

// One process's share of the per-call table (`run.mjs --per-call`): its own sandbox, then
// CALL_ROUNDS rounds of each side; the µs per round go to stdout as JSON.
async function perCallRounds() {
  const { CAMAPIClient, YunzhijiaClient } = await import(pathToFileURL(join(pkg, 'index.mjs')).href);
  const { url, child } = await startServer();
  const serverURL = `${url}/cam`;
  const cam = new CAMAPIClient({ apiToken: 'sandbox-token', serverURL });
  const users = ['user1@xxx.com', 'user2@xxx.com'];
  const camBody = (message) =>
    new URLSearchParams({
      message: JSON.stringify({
        panelName: 'messenger',
        message,
        isOpened: false,
        generalPurposes: { users: users.join(',') },
      }),
    }).toString();
  const camHeaders = {
    'x-cam-apiToken': 'sandbox-token',
    'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8',
  };
  const camSend = (i, signal) =>
    fetch(`${serverURL}/sendMessage`, {
      method: 'POST',
      headers: camHeaders,
      body: camBody(`bench ${i} & 会议 😀`),
      signal,
    });
  const opts = { rounds: CALL_ROUNDS };
  const camUs = await timeSides(
    {
      workbridge: (i) => cam.sendMessage('messenger', `bench ${i} & 会议 😀`, false, users),
      'bare fetch': async (i) => (await camSend(i)).json(),
      'fetch + AbortSignal.timeout': async (i) => (await camSend(i, AbortSignal.timeout(10_000))).json(),
    },
    opts,
  );

  const base = `${url}/yunzhijia`;
  const tokenRes = await fetch(`${base}/gateway/oauth2/token/getAccessToken`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ eid: '10109', secret: 'sandbox-secret', timestamp: Date.now(), scope: 'resGroupSecret' }),
  });
  const token = (await tokenRes.json()).data.accessToken;
  const yzj = new YunzhijiaClient({ baseURL: base, accessToken: token });
  const meeting = (i) => ({
    openid: '5a67e08d00b0e8dfe4aab4fa',
    title: `会议 ${i}`,
    startDate: 1_800_000_000_000 + i * 3_600_000,
    endDate: 1_800_000_000_000 + i * 3_600_000 + 1_800_000,
    noticeTime: 15,
    actors: ['a1', 'a2'],
  });
  const create = (i, signal) =>
    fetch(`${base}/gateway/cloudwork/meeting/create?accessToken=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(meeting(i)),
      signal,
    });
  const yunzhijia = await timeSides(
    {
      workbridge: (i) => yzj.meeting.create(meeting(i)),
      'bare fetch': async (i) => (await (await create(i)).json()).data,
      'fetch + AbortSignal.timeout': async (i) => (await (await create(i, AbortSignal.timeout(10_000))).json()).data,
    },
    opts,
  );
  child.kill();
  return { cam: camUs, yunzhijia };
}

// The per-call table: CALL_PROCS fresh processes in turn, their rounds pooled.
async function perCall() {
  const pooled = {};
  for (let p = 0; p < CALL_PROCS; p++) {
    const out = execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--per-call'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    for (const [call, us] of Object.entries(JSON.parse(String(out)))) {
      pooled[call] ??= {};
      for (const [side, rounds] of Object.entries(us)) (pooled[call][side] ??= []).push(...rounds);
    }
  }
  const camRun = report('CAM sendMessage per call over loopback', pooled.cam);
  results.calls.push({ name: 'CAM `sendMessage`', ...camRun });
  const yzjRun = report('Yunzhijia meeting.create (fixed token) per call', pooled.yunzhijia);
  results.calls.push({ name: 'Yunzhijia `meeting.create` (fixed token)', ...yzjRun });

  // The table of the performance issue.
  say('');
  say('| | bare fetch | fetch + `AbortSignal.timeout` | workbridge | ratio to bare | ratio to the fair limit |');
  say('|---|---|---|---|---|---|');
  for (const c of results.calls) {
    const u = (k) => `${c.us[k].toFixed(0)} µs`;
    say(
      `| ${c.name} | ${u('bare fetch')} | ${u('fetch + AbortSignal.timeout')} | ${u('workbridge')} | ${c.ratios['bare fetch'].toFixed(3)}× | ${c.ratios['fetch + AbortSignal.timeout'].toFixed(3)}× |`,
    );
  }
  say(
    `(median of ${CALL_PROCS * CALL_ROUNDS} rounds of ${CALLS} calls each, ${CALL_ROUNDS} in each of ${CALL_PROCS} processes, the sides interleaved; guard <= 1.15x to the fair limit)`,
  );
  say('');
}

async function memory() {
  const { CAMAPIClient, diagnostics } = await import(pathToFileURL(join(pkg, 'index.mjs')).href);
  // A minimal fetch, so that what is measured is this module, not Node's HTTP stack.
  const body = '{"errors":null,"messageId":"msg-1"}';
  const answer = { status: 200, headers: { get: () => null }, text: async () => body };
  const client = new CAMAPIClient({ apiToken: 't', serverURL: 'http://mem.test/cam', fetch: async () => answer });
  const run = async (n) => {
    for (let i = 0; i < n; i++) await client.sendMessage('messenger', `m${i}`, false, ['a@x.com']);
  };
  const snapshot = () => {
    global.gc?.();
    return [diagnostics.wasmMemoryBytes(), process.memoryUsage().heapUsed];
  };
  await run(1_000);
  const [w1, h1] = snapshot();
  const t = performance.now();
  await run(99_000);
  const perCallUs = ((performance.now() - t) * 1000) / 99_000;
  const [w2, h2] = snapshot();
  row(
    'memory after 1,000 calls -> after 100,000',
    `wasm ${kib(w1)} -> ${kib(w2)}, JS heap ${kib(h1)} -> ${kib(h2)}${global.gc ? '' : ' (no --expose-gc)'}`,
  );
  row('  the module alone, per call (no network)', `${perCallUs.toFixed(1)} µs (guard <= 50 µs)`);
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
  row(
    'ytxSign, from JS',
    rate((i) => ytxSign('abcdefghijklmnopqrstuvwxyz012345', 'token', `201404161420${String(i % 60).padStart(2, '0')}`)),
  );
  row(
    'xuanxuanToken, from JS',
    rate((i) => xuanxuanToken(`m=im&f=getChatUsers&gid=${i}&code=myAppCode`, '3cd0914d656e90ab181f1d52ff352cfe')),
  );
}

// The classic-script build: workbridge.global.js (the light part: qing, the app's protocol, the
// relay client), and the vendor clients it loads when a page configures one,
// workbridge.global.wasm.js (wasm inlined) or, where there is no WebAssembly, the JavaScript
// build (wasm2js); each pair run as a page would, in a fresh context; time to run the files, and
// time per CAM sendMessage against an in-process fetch.
async function classicScript() {
  for (const [name, file] of [
    ['workbridge.global.js (every light-app page)', 'workbridge.global.js'],
    ['workbridge.global.wasm.js (a page configuring a vendor)', 'workbridge.global.wasm.js'],
    ['workbridge.global.nowasm.js (the same, without wasm)', 'workbridge.global.nowasm.js'],
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
    const light = readFileSync(join(pkg, 'workbridge.global.js'), 'utf8');
    const code = readFileSync(join(pkg, file), 'utf8');
    const t = performance.now();
    vm.runInContext(light, context);
    vm.runInContext(code, context);
    return { ms: performance.now() - t, workbridge: context.workbridge };
  };
  const loads = { wasm: [], wasm2js: [] };
  for (let r = 0; r < Math.min(ROUNDS, 5); r++) {
    loads.wasm.push(load('workbridge.global.wasm.js', true).ms);
    loads.wasm2js.push(load('workbridge.global.nowasm.js', false).ms);
  }
  row(
    '  time to run the file (parse, compile, instantiate)',
    `wasm ${median(loads.wasm).toFixed(1)} ms, wasm2js ${median(loads.wasm2js).toFixed(1)} ms (medians of ${loads.wasm.length})`,
  );
  // Time to first call in a page: the file run, a client made, its first call answered (an
  // in-process fetch, so that what is timed is the package).
  const first = [];
  for (let r = 0; r < Math.min(ROUNDS, 5); r++) {
    const t = performance.now();
    const { workbridge } = load('workbridge.global.wasm.js', true);
    await new workbridge.CAMAPIClient({ apiToken: 't', serverURL: 'http://bench.test/cam', fetch }).sendMessage(
      'messenger',
      'first',
      false,
      ['a@x.com'],
    );
    first.push(performance.now() - t);
  }
  results.firstCallMs = median(first);
  row(
    '  time to first call (run the file, construct, one call)',
    `median ${median(first).toFixed(1)} ms (spread ${spread(first)} ms, ${first.length} runs)`,
  );
  const client = (wb) => new wb.CAMAPIClient({ apiToken: 't', serverURL: 'http://bench.test/cam', fetch });
  const wasm = client(load('workbridge.global.wasm.js', true).workbridge);
  const js = client(load('workbridge.global.nowasm.js', false).workbridge);
  await ratio(
    '  CAM sendMessage per call, in-process fetch',
    {
      wasm2js: (i) => js.sendMessage('messenger', `bench ${i} & 会议 😀`, false, ['a@x.com', 'b@x.com']),
      wasm: (i) => wasm.sendMessage('messenger', `bench ${i} & 会议 😀`, false, ['a@x.com', 'b@x.com']),
    },
    { calls: CLASSIC_CALLS },
  );
  // Where WebAssembly is missing the JIT often is too (iOS Lockdown Mode, V8's --jitless, which
  // also removes WebAssembly): the JavaScript build interpreted.
  const jitless = `
    const vm = require('node:vm');
    const answer = { status: 200, headers: { get: () => null }, text: async () => '{"errors":null,"messageId":"m"}' };
    const fetch = async () => answer;
    const context = vm.createContext({ TextEncoder, TextDecoder, setTimeout, clearTimeout, fetch });
    let t = performance.now();
    for (const f of ['workbridge.global.js', 'workbridge.global.nowasm.js'])
      vm.runInContext(require('node:fs').readFileSync(require('node:path').join(${JSON.stringify(pkg)}, f), 'utf8'), context);
    const loadMs = performance.now() - t;
    const client = new context.workbridge.CAMAPIClient({ apiToken: 't', serverURL: 'http://bench.test/cam', fetch });
    (async () => {
      for (let i = 0; i < 20; i++) await client.sendMessage('messenger', 'warm ' + i, false, ['a@x.com', 'b@x.com']);
      t = performance.now();
      for (let i = 0; i < ${CLASSIC_CALLS}; i++) await client.sendMessage('messenger', 'bench ' + i + ' & 会议 😀', false, ['a@x.com', 'b@x.com']);
      console.log(JSON.stringify({ loadMs, us: ((performance.now() - t) * 1000) / ${CLASSIC_CALLS}, wasm: typeof WebAssembly }));
    })();`;
  const runs = [];
  for (let r = 0; r < 3; r++)
    runs.push(
      JSON.parse(
        execFileSync(process.execPath, ['--jitless', '-e', jitless], { stdio: ['ignore', 'pipe', 'pipe'] }).toString(),
      ),
    );
  row(
    '  wasm2js with no JIT (node --jitless)',
    `${median(runs.map((x) => x.us)).toFixed(0)} µs per call, file run in ${median(runs.map((x) => x.loadMs)).toFixed(0)} ms (medians of 3; WebAssembly is ${runs[0].wasm} there)`,
  );
}

// The machine, for RESULTS.md: a 2-core box shared with builds gives other figures than a quiet one.
function machine() {
  const c = cpus();
  return `${c[0] ? c[0].model.trim() : 'unknown CPU'}, ${c.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}, ${process.platform}/${process.arch}`;
}
if (process.argv[2] === '--per-call') {
  console.log(JSON.stringify(await perCallRounds()));
  process.exit(0);
}
const loadBefore = loadavg()[0];
const started = new Date().toISOString();
say(`workbridge bench  (${machine()}, ${started}, load average ${loadBefore.toFixed(2)})`);
say('');
say('sizes:');
sizes();
sizeReport();
importTime();
await perCall();
await memory();
await signing();
await classicScript();
// client.batch against a hand-written pool, and under a server's rate limit (bench/batch.mjs).
say('');
for (const line of await (await import('./batch.mjs')).run(await import(pathToFileURL(join(pkg, 'index.mjs')).href)))
  say(line);
const loadAfter = loadavg()[0];
say('');
say(`load average (1 min) at the start ${loadBefore.toFixed(2)}, at the end ${loadAfter.toFixed(2)}`);

writeFileSync(
  join(root, 'bench', 'RESULTS.md'),
  `# Benchmark results

The figures of the last \`make bench\` (written by bench/run.mjs; run it again to replace them).

- Machine: ${machine()}
- Run: ${started}; load average (1 min) ${loadBefore.toFixed(2)} at the start, ${loadAfter.toFixed(2)} at the end
- Per call: Node's fetch over loopback to the sandbox, in a child process; ${CALL_PROCS * CALL_ROUNDS} rounds of
  ${CALLS} calls per side, ${CALL_ROUNDS} in each of ${CALL_PROCS} fresh processes, the sides interleaved (a collected heap
  before each), median of the per-round ratios. The fair limit is
  a hand-written fetch with \`AbortSignal.timeout\`: the same guarantee as the package's, a
  per-call timeout that tears the request down.

| | bare fetch | fetch + \`AbortSignal.timeout\` | workbridge | ratio to bare | ratio to the fair limit |
|---|---|---|---|---|---|
${results.calls.map((c) => `| ${c.name} | ${c.us['bare fetch'].toFixed(0)} µs | ${c.us['fetch + AbortSignal.timeout'].toFixed(0)} µs | ${c.us.workbridge.toFixed(0)} µs | ${c.ratios['bare fetch'].toFixed(3)}× | ${c.ratios['fetch + AbortSignal.timeout'].toFixed(3)}× |`).join('\n')}

Import in a fresh Node: median ${results.importMs.toFixed(1)} ms (target <= 20 ms). Time to first call in a page
(workbridge.global.js run, a client made, one call answered by an in-process fetch): median ${results.firstCallMs.toFixed(1)} ms.

## The whole report

\`\`\`
${lines.join('\n').replace(/\| /g, '| ')}
\`\`\`
`,
);
console.log('\nwritten to bench/RESULTS.md');
