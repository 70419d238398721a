// `make bench`, the batch part (also `node bench/batch.mjs` alone): 10,000 XuanXuan sends
// through client.batch at concurrency 16 against a hand-written pool of 16 workers over the same
// client method, first against a server that answers at once (the time ratio, rounds
// interleaved), then against a server enforcing a rate limit with a token bucket that answers
// 429 with Retry-After: the completion time, the 429s drawn and the sends that gave up, for the
// pool, for batch alone (a 429 pauses every call) and for batch with `limits.perMinute` set to
// the server's rate. The server runs in a process of its own. Measured, not asserted.

import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const SENDS = Number(process.env.BENCH_BATCH_SENDS || 10_000);
const CONCURRENCY = 16;
const ROUNDS = Number(process.env.BENCH_BATCH_ROUNDS || 5);
// The rate-limited server: a bucket of RATE tokens refilled at RATE per second; an empty one
// answers 429 with Retry-After: 1 (the time it takes to fill up again). RATE is half of what
// the pool reached against the instant server, so that the limit binds on any machine, unless
// BENCH_BATCH_RATE says otherwise.
const FIXED_RATE = Number(process.env.BENCH_BATCH_RATE || 0);

const here = fileURLToPath(import.meta.url);

// ---- the server process -------------------------------------------------------------------
if (process.argv[2] === 'server') {
  const limited = process.argv[3] === 'limited';
  const RATE = Number(process.argv[4] || 1000);
  let tokens = RATE;
  let last = performance.now();
  const seen = { requests: 0, refusals: 0 };
  const body = '{"result":"success","data":null}';
  const server = createServer((req, res) => {
    if (req.url === '/_stats') {
      res.end(JSON.stringify(seen));
      seen.requests = 0;
      seen.refusals = 0;
      return;
    }
    req.resume();
    req.on('end', () => {
      seen.requests += 1;
      if (limited) {
        const t = performance.now();
        tokens = Math.min(RATE, tokens + ((t - last) * RATE) / 1000);
        last = t;
        if (tokens < 1) {
          seen.refusals += 1;
          res.writeHead(429, { 'Retry-After': '1', 'Content-Type': 'application/json' });
          res.end('{}');
          return;
        }
        tokens -= 1;
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
}

function startServer(mode, rate = 0) {
  const child = fork(here, ['server', mode, String(rate)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve) =>
    child.once('message', ({ port }) =>
      resolve({
        url: `http://127.0.0.1:${port}`,
        stats: async () => (await fetch(`http://127.0.0.1:${port}/_stats`)).json(),
        stop: () => child.kill(),
      }),
    ),
  );
}

const SENDER = { id: 'bot', name: 'Bot', avatar: 'https://example.com/bot.png' };
const itemsOf = (n) =>
  Array.from({ length: n }, (_, i) => ({ gid: 'g-1', title: `reminder ${i}`, contentType: 'plain', sender: SENDER }));

// What a user writes without batch: 16 workers taking the next item, failures counted.
async function handPool(client, items) {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await client.sendChatMessage(item);
      } catch (e) {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return failed;
}

/** Runs the batch bench with the package `wb`; resolves with the lines it printed. */
export async function run(wb) {
  const out = [];
  const say = (l) => out.push(l);
  const client = (url, more = {}) =>
    new wb.XuanxuanClient({ serverURL: url, code: 'bench', key: 'bench-key', ...more });
  const items = itemsOf(SENDS);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  const instant = await startServer('instant');
  let poolRate;
  try {
    const c = client(instant.url);
    // Warm-up: connections, the wasm, the JIT.
    await c.batch('sendChatMessage', itemsOf(500), { concurrency: CONCURRENCY });
    await handPool(c, itemsOf(500));
    const times = { batch: [], pool: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const side of r % 2 ? ['pool', 'batch'] : ['batch', 'pool']) {
        const t0 = performance.now();
        if (side === 'batch') {
          const report = await c.batch('sendChatMessage', items, { concurrency: CONCURRENCY });
          if (report.delivered.length !== 1 || report.delivered[0][1] !== SENDS - 1)
            throw new Error(`bench: the batch did not deliver everything: ${JSON.stringify(report).slice(0, 300)}`);
        } else if ((await handPool(c, items)) !== 0) throw new Error('bench: the pool failed sends');
        times[side].push(performance.now() - t0);
      }
    }
    const ratios = times.batch.map((t, i) => t / times.pool[i]);
    poolRate = SENDS / (median(times.pool) / 1000);
    say(
      `batch vs a hand-written pool, ${SENDS} sends at concurrency ${CONCURRENCY}, instant server (${ROUNDS} rounds):`,
    );
    say(
      `  batch ${median(times.batch).toFixed(0)} ms, pool ${median(times.pool).toFixed(0)} ms: ratio ${median(ratios).toFixed(3)}x (rounds ${ratios.map((x) => x.toFixed(3)).join(', ')}; target <= 1.05x)`,
    );
  } finally {
    instant.stop();
  }

  const RATE = FIXED_RATE || Math.max(50, Math.floor(poolRate / 2 / 50) * 50);
  const limited = await startServer('limited', RATE);
  try {
    say(
      `the same sends against a token bucket of ${RATE}/s, half the pool's rate above (429 with Retry-After: 1 when empty):`,
    );
    const sides = [
      ['hand-written pool', async (url) => ({ failed: await handPool(client(url), items) })],
      [
        'batch',
        async (url) => {
          const r = await client(url).batch('sendChatMessage', items, { concurrency: CONCURRENCY });
          return { failed: SENDS - r.delivered.reduce((n, [a, b]) => n + b - a + 1, 0) };
        },
      ],
      [
        `batch, limits.perMinute ${RATE * 60}`,
        async (url) => {
          const r = await client(url, { limits: { perMinute: RATE * 60 } }).batch('sendChatMessage', items, {
            concurrency: CONCURRENCY,
          });
          return { failed: SENDS - r.delivered.reduce((n, [a, b]) => n + b - a + 1, 0) };
        },
      ],
    ];
    for (const [label, side] of sides) {
      // A full bucket for each side.
      await new Promise((r) => setTimeout(r, 1100));
      await limited.stats();
      const t0 = performance.now();
      const { failed } = await side(limited.url);
      const ms = performance.now() - t0;
      const { refusals } = await limited.stats();
      say(`  ${label.padEnd(34)} ${(ms / 1000).toFixed(2)} s, ${refusals} 429s drawn, ${failed} gave up`);
    }
  } finally {
    limited.stop();
  }
  return out;
}

// Run alone (`node bench/batch.mjs`): the built package in pkg/.
if (process.argv[1] === here && process.argv[2] !== 'server') {
  const lines = await run(await import(pathToFileURL(join(here, '..', '..', 'pkg', 'index.mjs')).href));
  for (const l of lines) console.log(l);
}
