// Limits and leases across processes over a real Redis (Debian's redis-server, started here on a
// free loopback port), with the installed package and the README's store: two processes share a
// per-minute budget and a 429's pause; two roomBook.sync pollers share a lease, never handle the
// same booking, and the survivor takes over when the holder is killed mid-run.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installPackage, loadBoth, startSandboxBin, startRedis, linkRedisClient } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
let work;
let sandbox;
let redis;
let wb;
const ROOM = '5c121cfd7453ed63750a9767';

before(async () => {
  work = installPackage('bulk-redis');
  linkRedisClient(work);
  copyFileSync(join(here, 'bulk-worker.mjs'), join(work, 'bulk-worker.mjs'));
  sandbox = await startSandboxBin(work);
  redis = await startRedis();
  ({ esm: wb } = await loadBoth(work));
});
after(async () => {
  await sandbox?.stop();
  await redis?.stop();
});

function startWorker() {
  const child = fork(join(work, 'bulk-worker.mjs'), [], {
    cwd: work,
    env: { ...process.env, REDIS_URL: redis.url },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages = [];
  const waiters = [];
  child.on('message', (m) => {
    messages.push(m);
    for (const w of waiters.splice(0)) w();
  });
  const until = async (pred, ms = 20_000) => {
    const end = Date.now() + ms;
    for (;;) {
      const found = messages.find(pred);
      if (found) return found;
      if (Date.now() > end) throw new Error(`worker: timed out; got ${JSON.stringify(messages)}`);
      await new Promise((r) => {
        waiters.push(r);
        setTimeout(r, 100);
      });
    }
  };
  return {
    child,
    messages,
    until,
    ready: until((m) => m.ready),
    send: (m) => child.send(m),
    kill: () =>
      new Promise((r) => {
        child.once('exit', r);
        child.kill('SIGKILL');
      }),
    stop: () =>
      new Promise((r) => {
        if (child.exitCode !== null || child.signalCode !== null) return r();
        child.once('exit', r);
        child.send({ cmd: 'stop' });
      }),
  };
}

// A XuanXuan-shaped server answering at once, or 429 with Retry-After 1 while busy.
function countingServer() {
  const seen = { requests: 0, refusals: 0 };
  let busyUntil = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.requests += 1;
      if (Date.now() < busyUntil) {
        seen.refusals += 1;
        res.writeHead(429, { 'Retry-After': '1' });
        return res.end('{}');
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"result":"success","data":null}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        seen,
        busy: (ms) => {
          busyUntil = Date.now() + ms;
        },
        close: () => new Promise((r) => server.close(r)),
      }),
    ),
  );
}

test('Redis: two processes share one per-minute budget and one 429 pause', async () => {
  const srv = await countingServer();
  const workers = [startWorker(), startWorker()];
  try {
    await Promise.all(workers.map((w) => w.ready));
    // 240 per minute is 4 calls a second, for both processes together: 16 calls take 4 windows.
    workers.forEach((w, i) => w.send({ cmd: 'send', url: srv.url, n: 8, perMinute: 240, tag: `budget${i}` }));
    const [a, b] = await Promise.all(workers.map((w) => w.until((m) => m.sent)));
    assert.deepEqual([a.errors, b.errors], [[], []]);
    const perSecond = new Map();
    for (const t of [...a.begun, ...b.begun])
      perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
    assert.ok(
      [...perSecond.values()].every((n) => n <= 4),
      `at most 4 a second across both processes: ${JSON.stringify([...perSecond])}`,
    );
    assert.ok(perSecond.size >= 4, `16 calls at 4 a second span 4 seconds: ${JSON.stringify([...perSecond])}`);
    workers.forEach((w) => w.messages.splice(0));

    // One process draws a 429 (Retry-After 1 s); the other's calls, begun just after, wait for it.
    srv.busy(400);
    const before = srv.seen.refusals;
    workers[0].send({ cmd: 'send', url: srv.url, n: 1, perMinute: 6000, tag: 'pause0' });
    const t0 = Date.now();
    while (srv.seen.refusals === before) {
      assert.ok(Date.now() - t0 < 5000, 'no 429 drawn');
      await new Promise((r) => setTimeout(r, 10));
    }
    // The pause reaches Redis just after the answer: then the other process begins, while the
    // server is still refusing (it would draw 429s if it did not wait).
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    workers[1].send({ cmd: 'send', url: srv.url, n: 5, perMinute: 6000, tag: 'pause1' });
    const [first, second] = await Promise.all(workers.map((w) => w.until((m) => m.sent)));
    assert.deepEqual([first.errors, second.errors], [[], []]);
    assert.equal(srv.seen.refusals - before, 1, 'the second process drew no 429: it waited for the shared pause');
    assert.ok(
      second.sent.every((t) => t - started >= 500),
      `the second process's calls waited: ${second.sent.map((t) => t - started)}`,
    );
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await srv.close();
  }
});

test('Redis: two roomBook.sync pollers share a lease; the holder is killed mid-run and the other takes over; no booking handled twice', async () => {
  const base = `${sandbox.url}/yunzhijia`;
  const yzj = new wb.YunzhijiaClient({ baseURL: base, eid: '10109', secret: 'sandbox-secret' });
  for (let i = 0; i < 30; i++) {
    const start = Date.UTC(2027, 2, 1) + i * 3600_000;
    await yzj.meeting.create({
      openid: 'o-lease',
      title: `lease ${i}`,
      startDate: start,
      endDate: start + 1800_000,
      roomId: ROOM,
    });
  }
  // Every booking there is, as one reader sees it.
  const all = new Set();
  for await (const page of yzj.roomBook.sync({ eid: '10109' }))
    for (const b of page.add.concat(page.delete)) all.add(b.orderId);
  assert.ok(all.size >= 30);

  const [a, b] = [startWorker(), startWorker()];
  try {
    await Promise.all([a.ready, b.ready]);
    const poll = { cmd: 'poll', base, pageSize: 5, leaseMs: 1000, handleMs: 250, roundMs: 150 };
    a.send(poll);
    await a.until((m) => m.begun);
    b.send(poll);
    // The holder is killed while handling its third page (the first two are handled and saved).
    await a.until((m) => m.handled && a.messages.filter((x) => x.handled).length >= 2);
    const third = a.messages.filter((m) => m.begun).length;
    await a.until(() => a.messages.filter((m) => m.begun).length >= 3);
    await a.kill();
    assert.ok(third <= 3);
    const handledBy = (w) => w.messages.filter((m) => m.handled).flatMap((m) => m.handled);
    const byA = handledBy(a);
    assert.equal(
      b.messages.filter((m) => m.begun).length,
      0,
      'the second poller handled nothing while the first held the lease',
    );
    // The survivor takes over once the lease expires, from the saved cursor.
    const t0 = Date.now();
    while (byA.length + handledBy(b).length < all.size) {
      assert.ok(Date.now() - t0 < 20_000, `not taken over: ${byA.length} + ${handledBy(b).length} of ${all.size}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 600));
    const byB = handledBy(b);
    const twice = byA.filter((id) => byB.includes(id));
    assert.deepEqual(twice, [], 'no booking handled by both');
    assert.equal(new Set(byA).size, byA.length, 'none handled twice by the first');
    assert.equal(new Set(byB).size, byB.length, 'none handled twice by the second');
    assert.deepEqual(new Set([...byA, ...byB]), all, 'every booking handled');
    assert.deepEqual(
      b.messages.filter((m) => m.error),
      [],
    );
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});
