// client.batch, limits and the file store in one process, against the sandbox's injected faults:
// every vendor's writes through batch under 429, 5xx, drop-after, drop and timeouts, the report
// checked against what the sandbox stored (delivered arrived exactly once, notSent never,
// nothing twice), resuming from a report, a 429 pausing every call of a client, and the file
// store's contract. The cross-process parts (Redis, two pollers) are in bulk_redis.test.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import * as wb from '../../pkg/index.mjs';
import { fileStore } from '../../pkg/store.mjs';
import { startSandbox } from '../../pkg/sandbox/index.mjs';

let s;
const GID = '64da14c3-c07a-45af-9c61-4e638de4af26';
const DAY = Date.UTC(2027, 5, 1, 2);
const SENDER = { id: 'bot', name: 'Bot', avatar: 'https://x/a.png' };

before(async () => {
  s = await startSandbox({ port: 0, log: null });
});
after(async () => {
  await s.close();
});

const get = async (path) => (await fetch(`${s.url}${path}`)).json();

// Per vendor: a client, a write, its items (each with a unique text) and what the sandbox stored
// of them (the unique texts, one per arrival).
const VENDORS = {
  'cam.sendMessage': {
    client: (o = {}) => new wb.CAMAPIClient({ apiToken: 'sandbox-token', serverURL: `${s.url}/cam`, ...o }),
    op: 'sendMessage',
    item: (tag, i) => ({ panelName: 'messenger', message: `${tag}-${i}`, users: ['a@x.com'] }),
    text: (it) => it.message,
    stored: async () => (await get('/cam/_sandbox/messages')).messages.map((m) => m.message),
  },
  'cam.sendMessages': {
    client: (o = {}) => new wb.CAMAPIClient({ apiToken: 'sandbox-token', serverURL: `${s.url}/cam`, ...o }),
    op: 'sendMessages',
    chunk: 3,
    item: (tag, i) => ({ message: `${tag}-${i}`, users: ['b@x.com'] }),
    text: (it) => it.message,
    stored: async () => (await get('/cam/_sandbox/messages')).messages.map((m) => m.message),
  },
  'xuanxuan.sendChatMessage': {
    client: (o = {}) =>
      new wb.XuanxuanClient({ serverURL: `${s.url}/xuanxuan`, code: 'sandbox', key: 'sandbox-key', ...o }),
    op: 'sendChatMessage',
    item: (tag, i) => ({ gid: GID, title: `${tag}-${i}`, contentType: 'plain', sender: SENDER }),
    text: (it) => it.title,
    stored: async () => (await get('/xuanxuan/_sandbox/sent')).messages.map((m) => m.title),
  },
  'xuanxuan.sendNotification': {
    client: (o = {}) =>
      new wb.XuanxuanClient({ serverURL: `${s.url}/xuanxuan`, code: 'sandbox', key: 'sandbox-key', ...o }),
    op: 'sendNotification',
    item: (tag, i) => ({ users: [1], title: `${tag}-${i}`, contentType: 'text', sender: SENDER }),
    text: (it) => it.title,
    stored: async () => (await get('/xuanxuan/_sandbox/sent')).notifications.map((m) => m.title),
  },
  'yunzhijia.meeting.create': {
    client: (o = {}) =>
      new wb.YunzhijiaClient({ baseURL: `${s.url}/yunzhijia`, eid: '10109', secret: 'sandbox-secret', ...o }),
    op: 'meeting.create',
    item: (tag, i) => ({
      openid: 'o-bulk',
      title: `${tag}-${i}`,
      startDate: DAY + i * 60_000,
      endDate: DAY + i * 60_000 + 1,
    }),
    text: (it) => it.title,
    stored: async () => {
      const yzj = new wb.YunzhijiaClient({ baseURL: `${s.url}/yunzhijia`, eid: '10109', secret: 'sandbox-secret' });
      return (await yzj.meeting.queryByDay({ day: DAY })).map((m) => m.title);
    },
  },
};

const indices = (ranges) => ranges.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, k) => a + k));

// The report against what the sandbox stored: every item in exactly one class, delivered
// arrived exactly once, notSent never, unknown at most once, nothing twice.
async function checkAgainstServer(v, items, report, tag) {
  const all = [...indices(report.delivered), ...indices(report.unknown), ...indices(report.notSent)];
  assert.deepEqual(
    all.toSorted((a, b) => a - b),
    items.map((_, i) => i),
    'every item in exactly one of delivered, unknown, notSent',
  );
  const stored = (await v.stored()).filter((t) => t.startsWith(`${tag}-`));
  const times = new Map();
  for (const t of stored) times.set(t, (times.get(t) ?? 0) + 1);
  for (const [t, n] of times) assert.equal(n, 1, `${t} arrived ${n} times`);
  for (const i of indices(report.delivered))
    assert.equal(times.get(v.text(items[i])), 1, `delivered ${i} arrived once`);
  for (const i of indices(report.notSent))
    assert.equal(times.get(v.text(items[i])), undefined, `notSent ${i} never arrived`);
  return times;
}

for (const [name, v] of Object.entries(VENDORS)) {
  test(`${name} through batch under 429, 503, drop-after, drop and timeouts: the report is exact, nothing twice; resuming from it completes the rest`, async () => {
    const tag = `faults-${name}-${Date.now()}`;
    const items = Array.from({ length: v.chunk ? 60 : 30 }, (_, i) => v.item(tag, i));
    const scope = name;
    // In order: three 429s (refused before acting), two 503s (not acted on, but the client cannot
    // know), two answers dropped after acting, one dropped before, then two answered after the
    // client's timeout (acted on).
    s.setFaults(`${scope}:429=1x3,${scope}:503x2,${scope}:drop-afterx2,${scope}:dropx1,${scope}:latency=3000x2`);
    const progress = [];
    const client = v.client({ timeoutMs: 1500 });
    const started = Date.now();
    const report = await client.batch(v.op, items, {
      concurrency: 4,
      ...(v.chunk ? { chunk: v.chunk } : {}),
      onProgress: (p) => progress.push(p),
    });
    s.setFaults('');
    const unit = v.chunk ?? 1;
    assert.equal(report.total, items.length);
    assert.deepEqual(report.notSent, [], JSON.stringify(report));
    assert.deepEqual(report.refused, []);
    // 503 x2, drop-after x2, drop x1, two timeouts: 7 requests that may have arrived.
    assert.equal(indices(report.unknown).length, 7 * unit, JSON.stringify(report));
    assert.equal(indices(report.delivered).length, items.length - 7 * unit);
    // Why each may have arrived: 2 units a 503, 3 a dropped connection, 2 a timeout.
    const why = {};
    for (const e of report.errors) why[e.code] = (why[e.code] ?? 0) + (e.items[1] - e.items[0] + 1) / unit;
    assert.deepEqual(why, { HTTP_ERROR: 2, NETWORK_ERROR: 3, TIMEOUT: 2 }, JSON.stringify(report.errors));
    assert.deepEqual(
      indices(report.errors.map((e) => e.items)).toSorted((a, b) => a - b),
      indices(report.unknown),
    );
    assert.ok(Date.now() - started >= 950, 'the 429s were waited out');
    assert.deepEqual(progress.at(-1), {
      done: items.length,
      total: items.length,
      delivered: items.length - 7 * unit,
      unknown: 7 * unit,
      notSent: 0,
    });
    const times = await checkAgainstServer(v, items, report, tag);
    // drop-after and the timeouts acted; 503 and drop did not.
    assert.equal(
      indices(report.unknown).filter((i) => times.get(v.text(items[i])) === 1).length,
      4 * unit,
      'of the unknown, those acted on arrived once',
    );

    // Resuming from the report sends nothing again: there is nothing notSent.
    const fetched = { n: 0 };
    const counting = v.client({
      fetch: (u, i) => {
        fetched.n += 1;
        return fetch(u, i);
      },
    });
    const again = await counting.batch(v.op, items, { from: report, ...(v.chunk ? { chunk: v.chunk } : {}) });
    assert.deepEqual([again.delivered, again.unknown, again.notSent], [report.delivered, report.unknown, []]);
    assert.equal(fetched.n, 0, 'nothing was sent');
  });
}

test('an aborted batch: what was not begun is notSent; resuming from its report sends exactly those, once', async () => {
  const v = VENDORS['cam.sendMessage'];
  const tag = `abort-${Date.now()}`;
  const items = Array.from({ length: 40 }, (_, i) => v.item(tag, i));
  s.setFaults('cam.sendMessage:latency=30');
  const controller = new AbortController();
  const first = await v.client().batch(v.op, items, {
    concurrency: 2,
    signal: controller.signal,
    onProgress: (p) => p.done === 10 && controller.abort(),
  });
  s.setFaults('');
  assert.ok(first.notSent.length > 0, JSON.stringify(first));
  assert.ok(indices(first.delivered).length >= 10);
  await checkAgainstServer(v, items, first, tag);
  const second = await v.client().batch(v.op, items, { from: first });
  assert.deepEqual(second.notSent, []);
  assert.deepEqual(second.unknown, first.unknown);
  assert.equal(indices(second.delivered).length + indices(second.unknown).length, items.length);
  const times = await checkAgainstServer(v, items, second, tag);
  assert.equal(
    [...times.values()].reduce((a, b) => a + b, 0),
    indices(second.delivered).length + indices(first.unknown).filter((i) => times.has(v.text(items[i]))).length,
  );
});

test('from: N skips the items before N and says so; a vendor refusal is refused with its code and message, and the rest goes on', async () => {
  const v = VENDORS['xuanxuan.sendChatMessage'];
  const tag = `refuse-${Date.now()}`;
  const items = Array.from({ length: 12 }, (_, i) =>
    i === 7 ? { ...v.item(tag, i), gid: 'no-such-group' } : v.item(tag, i),
  );
  const report = await v.client().batch(v.op, items, { from: 4, concurrency: 3 });
  assert.deepEqual(report.skipped, [[0, 3]]);
  assert.deepEqual(report.delivered, [
    [4, 6],
    [8, 11],
  ]);
  assert.deepEqual(report.notSent, [[7, 7]]);
  assert.equal(report.refused.length, 1);
  assert.deepEqual(report.refused[0].items, [7, 7]);
  assert.equal(typeof report.refused[0].message, 'string');
  assert.ok(report.refused[0].message.length > 0);
  const stored = (await v.stored()).filter((t) => t.startsWith(`${tag}-`));
  assert.deepEqual(stored.toSorted(), [4, 5, 6, 8, 9, 10, 11].map((i) => `${tag}-${i}`).toSorted());
});

test('batch refuses before sending: a read, an unknown operation, a bad item (named), a bad option; YTX has no writes', async () => {
  let calls = 0;
  const counting = (u, i) => {
    calls += 1;
    return fetch(u, i);
  };
  const cam = new wb.CAMAPIClient({ apiToken: 'sandbox-token', serverURL: `${s.url}/cam`, fetch: counting });
  const refused = async (p, field, pattern) => {
    await assert.rejects(p, (e) => {
      assert.ok(e instanceof wb.WorkbridgeError);
      assert.equal(e.code, 'INVALID_ARGUMENT');
      assert.equal(e.field, field);
      if (pattern) assert.match(e.message, pattern);
      return true;
    });
  };
  await refused(
    cam.batch('getConferenceRooms', [{}]),
    'operation',
    /names a read.*the writes: sendMessage, sendMessages/,
  );
  await refused(cam.batch('nope', [{}]), 'operation', /names no operation/);
  await refused(cam.batch('sendMessage', 'x'), 'items');
  const items = Array.from({ length: 10 }, (_, i) => ({
    panelName: 'messenger',
    message: `m${i}`,
    users: ['a@x.com'],
  }));
  items[6] = { panelName: 'messenger', message: 'bad', users: ['not-an-address'] };
  await refused(cam.batch('sendMessage', items), 'items[6].users[0]', /`items\[6\]\.users\[0\]`/);
  await refused(
    cam.batch('sendMessage', [{ panelName: 'messenger', message: 'x', user: ['a@x.com'] }]),
    'items[0].user',
  );
  const seed = Array.from({ length: 12 }, (_, i) => ({ message: `m${i}`, users: i === 9 ? ['bad'] : ['a@x.com'] }));
  await refused(cam.batch('sendMessages', seed, { chunk: 5 }), 'items[9].users[0]');
  await refused(cam.batch('sendMessage', items.slice(0, 2), { concurrency: 0 }), 'concurrency');
  await refused(cam.batch('sendMessage', items.slice(0, 2), { chunk: 5 }), 'chunk');
  await refused(cam.batch('sendMessage', items.slice(0, 2), { form: 1 }), 'form');
  await refused(cam.batch('sendMessage', items.slice(0, 2), { timeoutMs: 0 }), 'timeoutMs');
  await refused(cam.batch('sendMessage', items.slice(0, 2), { maxRetries: -1 }), 'maxRetries');
  await refused(cam.batch('sendMessage', items.slice(0, 2), { signal: 'stop' }), 'signal');
  await refused(cam.batch('sendMessage', items.slice(0, 2), { onProgress: 'log' }), 'onProgress');
  await refused(cam.batch('sendMessage', items.slice(0, 2), { from: 3 }), 'from');
  await refused(
    cam.batch('sendMessage', items.slice(0, 2), { from: { total: 5, delivered: [], unknown: [], notSent: [] } }),
    'from',
  );
  await refused(
    cam.batch('sendMessage', items.slice(0, 2), { from: { total: 2, delivered: [[0, 4]], unknown: [], notSent: [] } }),
    'from',
  );
  const ytx = new wb.YtxClient({
    baseURL: `${s.url}/ytx`,
    accountSID: 'sandbox-sid',
    authToken: 'sandbox-token',
    appid: 'sandbox-app',
    fetch: counting,
  });
  await refused(ytx.batch('queryMeeting', [{}]), 'operation', /the writes: none/);
  assert.equal(calls, 0, 'nothing was sent');
  assert.deepEqual(await cam.batch('sendMessage', []), {
    total: 0,
    delivered: [],
    unknown: [],
    notSent: [],
    refused: [],
  });
});

test('a batch against a server that refuses the credentials stops: the first items are refused, the rest notSent and never sent', async () => {
  const before = (await get('/cam/_sandbox/messages')).messages.length;
  const cam = new wb.CAMAPIClient({ apiToken: 'wrong-token-123', serverURL: `${s.url}/cam` });
  const items = Array.from({ length: 50 }, (_, i) => VENDORS['cam.sendMessage'].item(`auth-${Date.now()}`, i));
  const report = await cam.batch('sendMessage', items, { concurrency: 2 });
  assert.deepEqual([report.delivered, report.unknown, report.notSent], [[], [], [[0, 49]]]);
  const refusedItems = indices(report.refused.map((r) => r.items));
  assert.ok(refusedItems.length >= 1 && refusedItems.length <= 2, JSON.stringify(report.refused));
  assert.ok(
    report.refused.every((r) => r.status === 401 || r.code),
    JSON.stringify(report.refused),
  );
  assert.match(report.errors.at(-1).message, /not sent: the batch stopped \(AUTH_FAILED on items/);
  assert.equal((await get('/cam/_sandbox/messages')).messages.length, before);
});

// A server answering at once, and with 429 + Retry-After while `busy` says so, counting requests.
function limitServer() {
  const seen = { requests: 0, refusals: 0, times: [] };
  let busyUntil = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.requests += 1;
      seen.times.push(Date.now());
      if (Date.now() < busyUntil) {
        seen.refusals += 1;
        res.writeHead(429, { 'Retry-After': '1', 'Content-Type': 'application/json' });
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

test('limits: a 429 with Retry-After pauses every call of the client, not only the one that got it', async () => {
  const srv = await limitServer();
  try {
    const xx = new wb.XuanxuanClient({ serverURL: srv.url, code: 'sandbox', key: 'k', limits: { concurrency: 4 } });
    srv.busy(300);
    const first = xx.sendChatMessage({ gid: GID, title: 'a', contentType: 'plain', sender: SENDER });
    await new Promise((r) => setTimeout(r, 50));
    // The first call got its 429 (Retry-After 1 s); these wait for the pause instead of drawing more.
    const started = Date.now();
    const rest = Array.from({ length: 8 }, (_, i) =>
      xx.sendChatMessage({ gid: GID, title: `b${i}`, contentType: 'plain', sender: SENDER }),
    );
    await Promise.all([first, ...rest]);
    assert.equal(srv.seen.refusals, 1, 'one 429 for nine calls');
    assert.ok(Date.now() - started >= 800, `the other calls waited for the pause (${Date.now() - started} ms)`);
  } finally {
    await srv.close();
  }
});

test('a 429 whose Retry-After is longer than the call may wait rejects at once and says how long to wait (retryAfterMs)', async () => {
  const busy = async () => new Response('{}', { status: 429, headers: { 'Retry-After': '120' } });
  for (const limits of [undefined, { concurrency: 2 }]) {
    const xx = new wb.XuanxuanClient({ serverURL: 'http://x.invalid', code: 'c', key: 'k', fetch: busy, limits });
    const started = Date.now();
    await assert.rejects(xx.sendChatMessage({ gid: GID, title: 'late', contentType: 'plain', sender: SENDER }), (e) => {
      assert.equal(e.status, 429);
      assert.ok(e.retryAfterMs > 118_000 && e.retryAfterMs <= 120_000, `retryAfterMs ${e.retryAfterMs}`);
      return true;
    });
    assert.ok(Date.now() - started < 1000, 'it did not wait');
  }
});

test('limits: concurrency caps the calls under way; perMinute spreads them; an aborted wait sends nothing', async () => {
  let active = 0;
  let most = 0;
  const slow = async (u, i) => {
    active += 1;
    most = Math.max(most, active);
    await new Promise((r) => setTimeout(r, 20));
    active -= 1;
    return new Response('{"result":"success","data":null}', { status: 200 });
  };
  const xx = new wb.XuanxuanClient({
    serverURL: 'http://x.invalid',
    code: 'c',
    key: 'k',
    fetch: slow,
    limits: { concurrency: 3 },
  });
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      xx.sendChatMessage({ gid: GID, title: `c${i}`, contentType: 'plain', sender: SENDER }),
    ),
  );
  assert.equal(most, 3);

  const times = [];
  const stamp = async () => {
    times.push(Date.now());
    return new Response('{"result":"success","data":null}', { status: 200 });
  };
  // 120 per minute: windows of 2 calls per second.
  const paced = new wb.XuanxuanClient({
    serverURL: 'http://x.invalid',
    code: 'c',
    key: 'k',
    fetch: stamp,
    limits: { perMinute: 120 },
  });
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: 5 }, (_, i) =>
      paced.sendChatMessage({ gid: GID, title: `p${i}`, contentType: 'plain', sender: SENDER }),
    ),
  );
  const windows = new Set(times.map((t) => Math.floor(t / 1000)));
  assert.ok(windows.size >= 3, `5 calls at 2 per second span 3 windows: ${[...windows]}`);
  assert.ok(Date.now() - t0 >= 1000);

  const controller = new AbortController();
  const waiting = new wb.XuanxuanClient({
    serverURL: 'http://x.invalid',
    code: 'c',
    key: 'k',
    fetch: stamp,
    limits: { perMinute: 1 },
  });
  const sentBefore = times.length;
  await waiting.sendChatMessage({ gid: GID, title: 'w0', contentType: 'plain', sender: SENDER });
  const queued = waiting.sendChatMessage(
    { gid: GID, title: 'w1', contentType: 'plain', sender: SENDER },
    { signal: controller.signal },
  );
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(queued, (e) => e.code === 'ABORTED' && /nothing was sent/.test(e.message));
  assert.equal(times.length, sentBefore + 1, 'the aborted call was never sent');

  for (const [limits, field] of [
    [{ concurrency: 0 }, 'limits.concurrency'],
    [{ perMinute: 1.5 }, 'limits.perMinute'],
    [{ burst: 3 }, 'limits.burst'],
    [{ perMinute: 5, store: { get: async () => null, set: async () => {} } }, 'limits.store'],
    ['fast', 'limits'],
  ])
    assert.throws(
      () => new wb.XuanxuanClient({ serverURL: 'http://x.invalid', code: 'c', key: 'k', limits }),
      (e) => e.code === 'INVALID_ARGUMENT' && e.field === field,
      JSON.stringify(limits),
    );
});

test('roomBook.sync with a fileStore: the cursor is kept there, a second sync yields nothing while the first holds the lease, the next resumes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wb-sync-'));
  const store = fileStore(join(dir, 'state.json'));
  const yzj = VENDORS['yunzhijia.meeting.create'].client();
  const ROOM = '5c121cfd7453ed63750a9767';
  const book = async (i) => {
    const start = Date.UTC(2027, 10, 1) + i * 3600_000;
    await yzj.meeting.create({
      openid: 'o-fs',
      title: `fs ${i}`,
      startDate: start,
      endDate: start + 1800_000,
      roomId: ROOM,
    });
  };
  for (let i = 0; i < 7; i++) await book(i);
  const seen = [];
  let second;
  for await (const page of yzj.roomBook.sync({ eid: '10109', pageSize: 3 }, { store, leaseMs: 2000 })) {
    seen.push(...page.add.map((b) => b.meetingTopic));
    if (second === undefined) {
      second = [];
      for await (const other of yzj.roomBook.sync({ eid: '10109', pageSize: 3 }, { store })) second.push(other);
    }
  }
  assert.deepEqual(second, [], 'the lease was held');
  for (let i = 0; i < 7; i++) assert.ok(seen.includes(`fs ${i}`), `fs ${i} seen`);
  assert.equal(new Set(seen).size, seen.length, 'none twice');
  await book(7);
  const next = [];
  for await (const page of yzj.roomBook.sync({ eid: '10109', pageSize: 3 }, { store }))
    next.push(...page.add.map((b) => b.meetingTopic));
  assert.deepEqual(next, ['fs 7'], 'resumed from the stored cursor');
  const key = `workbridge:sync:yunzhijia:${s.url}/yunzhijia:10109`;
  const cursor = JSON.parse(await store.get(`${key}:cursor`));
  assert.equal(typeof cursor.lastTime, 'number');
  // A poller whose lease was taken over (it stalled past leaseMs) hands out nothing more and
  // saves no cursor.
  for (let i = 8; i < 12; i++) await book(i);
  const handed = [];
  await assert.rejects(
    (async () => {
      for await (const page of yzj.roomBook.sync({ eid: '10109', pageSize: 2 }, { store })) {
        handed.push(page);
        await store.set(`${key}:lease`, 'another-poller', 5000);
      }
    })(),
    (e) => e.code === 'ABORTED' && /lease was lost/.test(e.message),
  );
  assert.equal(handed.length, 1);
  assert.equal(await store.get(`${key}:cursor`), JSON.stringify(cursor), 'the cursor was not moved');
  await assert.rejects(
    (async () => {
      for await (const _ of yzj.roomBook.sync({ eid: '10109' }, { store: { get: async () => null } })) void _;
    })(),
    (e) => e.code === 'INVALID_ARGUMENT' && e.field === 'store',
  );
});

test('fileStore: get/set with ttl, incr, lock; mode 0600; a stale lock file of a dead process is taken over; several processes count exactly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wb-store-'));
  const path = join(dir, 'sub', 'store.json');
  const store = fileStore(path);
  assert.equal(await store.get('a'), null);
  await store.set('a', 'one', 200);
  assert.equal(await store.get('a'), 'one');
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'sub')).mode & 0o777, 0o700);
  assert.deepEqual([await store.incr('n', 1000), await store.incr('n', 1000), await store.incr('n', 1000)], [1, 2, 3]);
  const release = await store.lock('L', 1000);
  assert.equal(typeof release, 'function');
  assert.equal(await store.lock('L', 1000), null);
  await release();
  const again = await store.lock('L', 1000);
  assert.equal(typeof again, 'function');
  await new Promise((r) => setTimeout(r, 250));
  assert.equal(await store.get('a'), null, 'expired');
  // A lock file left by a process that died is taken over at once.
  writeFileSync(`${path}.lock`, '999999 gone');
  await store.set('b', 'two', 1000);
  assert.equal(await store.get('b'), 'two');
  assert.equal(existsSync(`${path}.lock`), false);
  // A file that is not JSON is started afresh rather than failing every call.
  writeFileSync(path, 'garbage', { mode: 0o600 });
  assert.equal(await store.get('b'), null);
  // Four processes incrementing 50 times each: 200, none lost.
  const { fork } = await import('node:child_process');
  const script = join(dir, 'incr.mjs');
  writeFileSync(
    script,
    `import { fileStore } from ${JSON.stringify(new URL('../../pkg/store.mjs', import.meta.url).href)};\nconst s = fileStore(process.argv[2]);\nfor (let i = 0; i < 50; i++) await s.incr('count', 60000);\n`,
  );
  await Promise.all(
    Array.from(
      { length: 4 },
      () =>
        new Promise((resolve, reject) => {
          const child = fork(script, [path], { stdio: 'inherit' });
          child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
        }),
    ),
  );
  assert.equal(await store.get('count'), '200');
  assert.doesNotMatch(readFileSync(path, 'utf8'), /undefined/);
});
