// `make bench`: measured, not asserted. Prints the client wasm size (raw and gzip -9), the time
// to import the package in a fresh Node process, and the time per call against a hand-written
// fetch sending the same request to the same local sandbox, with median and spread over rounds
// that interleave the two sides.

import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const pkg = join(root, 'pkg');
const ROUNDS = Number(process.env.BENCH_ROUNDS || 7);
const CALLS = Number(process.env.BENCH_CALLS || 400);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => `${Math.min(...xs).toFixed(1)}..${Math.max(...xs).toFixed(1)}`;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

function sizes() {
  for (const [name, file] of [
    ['client wasm (what a page downloads)', 'wasm/web/workbridge_bg.wasm'],
    ['sandbox wasm (Node and demo only)', 'sandbox/wasm/workbridge_sandbox_bg.wasm'],
  ]) {
    const bytes = readFileSync(join(pkg, file));
    console.log(`${name.padEnd(38)} ${kib(bytes.length).padStart(10)} raw  ${kib(gzipSync(bytes, { level: 9 }).length).padStart(10)} gzip -9`);
  }
}

function importTime() {
  const url = pathToFileURL(join(pkg, 'index.mjs')).href;
  const script = `const t = performance.now(); await import(${JSON.stringify(url)}); console.log(performance.now() - t);`;
  const times = [];
  for (let i = 0; i < ROUNDS; i++) {
    times.push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', script]).toString()));
  }
  console.log(`import('workbridge') in a fresh Node      median ${median(times).toFixed(1)} ms  (spread ${spread(times)} ms, ${ROUNDS} runs)`);
}

function startServer() {
  const code = `import { startSandbox } from ${JSON.stringify(pathToFileURL(join(pkg, 'sandbox/index.mjs')).href)};
    const s = await startSandbox({ port: 0, log: null }); console.log(s.url);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => child.stdout.once('data', (d) => resolve({ url: String(d).trim(), child })));
}

async function perCall() {
  const { CAMAPIClient } = await import(pathToFileURL(join(pkg, 'index.mjs')).href);
  const { url, child } = await startServer();
  const serverURL = `${url}/cam`;
  const client = new CAMAPIClient({ apiToken: 'sandbox-token', serverURL });
  const users = ['user1@xxx.com', 'user2@xxx.com'];

  // The same request, written by hand as a user would without the package.
  const byHand = async (message) => {
    const body = new URLSearchParams({
      message: JSON.stringify({ panelName: 'messenger', message, isOpened: false, generalPurposes: { users: users.join(',') } }),
    });
    const res = await fetch(`${serverURL}/sendMessage`, {
      method: 'POST',
      headers: { 'x-cam-apiToken': 'sandbox-token', 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: body.toString(),
    });
    return res.json();
  };
  const viaPackage = (message) => client.sendMessage('messenger', message, false, users);

  const time = async (fn) => {
    const t = performance.now();
    for (let i = 0; i < CALLS; i++) await fn(`bench ${i} & 会议 😀`);
    return ((performance.now() - t) * 1000) / CALLS;
  };
  await time(byHand);
  await time(viaPackage); // warm-up
  const hand = [];
  const wb = [];
  const ratios = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which side goes first, so drift in the machine's load falls on both.
    let h;
    let w;
    if (r % 2) {
      w = await time(viaPackage);
      h = await time(byHand);
    } else {
      h = await time(byHand);
      w = await time(viaPackage);
    }
    hand.push(h);
    wb.push(w);
    ratios.push(w / h);
  }
  console.log(`CAM sendMessage, per call over loopback  workbridge ${median(wb).toFixed(0)} µs  hand-written fetch ${median(hand).toFixed(0)} µs`);
  console.log(`  ratio workbridge / fetch                 median ${median(ratios).toFixed(3)}x  (spread ${ratios.map((x) => x.toFixed(3)).sort().join(', ')}; ${ROUNDS} rounds of ${CALLS} calls, interleaved)`);
  child.kill();
}

console.log(`workbridge bench  (node ${process.version}, ${new Date().toISOString()})\n`);
sizes();
importTime();
await perCall();
