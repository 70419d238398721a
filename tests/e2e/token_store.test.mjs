// Yunzhijia's tokenStore end to end: two Node processes with the installed package share one
// token through a real redis-server (Debian's, started here on a free loopback port) against
// the sandbox, which counts the token requests; then the store's contract in one process —
// key, ttl, compare before overwrite, lock waiters — and stores that throw, hang or answer
// nonsense, which cost a call time but never its success.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { installPackage, loadBoth, startSandboxBin, startRedis, linkRedisClient } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
let work;
let sandbox;
let redis;
let wb;
let base;
const SECRET = 'sandbox-secret';
const stats = async () => (await fetch(`${base}/_sandbox/stats`)).json();
const tokenRequests = (s) => s.tokenRequests + s.refreshRequests;
const creds = (more = {}) => ({ baseURL: base, eid: '10109', secret: SECRET, ...more });
const DAY = 1535558400000;

// Every printable form of a value: raw, percent-encoded (query and form) and base64.
const forms = (v) => [
  v,
  encodeURIComponent(v),
  new URLSearchParams({ v }).toString().slice(2),
  Buffer.from(v).toString('base64'),
];

before(async () => {
  work = installPackage('token-store');
  linkRedisClient(work);
  copyFileSync(join(here, 'token-worker.mjs'), join(work, 'token-worker.mjs'));
  sandbox = await startSandboxBin(work);
  base = `${sandbox.url}/yunzhijia`;
  redis = await startRedis();
  ({ esm: wb } = await loadBoth(work));
});
after(async () => {
  await sandbox?.stop();
  await redis?.stop();
});

function startWorker() {
  const child = fork(join(work, 'token-worker.mjs'), [], {
    cwd: work,
    env: { ...process.env, REDIS_URL: redis.url, BASE: base },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = () =>
    new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`worker exited ${code}`)));
    });
  const ready = next();
  return {
    ready,
    calls: (n) => {
      const answer = next();
      child.send({ cmd: 'calls', n });
      return answer;
    },
    stop: () =>
      new Promise((r) => {
        child.once('exit', r);
        child.send({ cmd: 'stop' });
      }),
  };
}

async function redisClient() {
  const { createClient } = await import(pathToFileURL(join(work, 'node_modules', 'redis', 'dist', 'index.js')).href);
  return createClient({ url: redis.url }).connect();
}

test('Redis: 2 processes x 20 concurrent first calls make 1 token request, and a token rejected in the body is refreshed once across both', async () => {
  const workers = [startWorker(), startWorker()];
  try {
    await Promise.all(workers.map((w) => w.ready));
    const start = await stats();
    const first = await Promise.all(workers.map((w) => w.calls(20)));
    const afterFirst = await stats();
    for (const r of first) assert.deepEqual([r.ok, r.errors], [20, []]);
    assert.equal(
      tokenRequests(afterFirst) - tokenRequests(start),
      1,
      'one token request for 40 first calls in 2 processes',
    );
    const fetchedBy = first.map(
      (r) => r.events.filter((e) => e.type === 'request' && e.operation.startsWith('token.')).length,
    );
    assert.deepEqual(fetchedBy.toSorted(), [0, 1], 'one process fetched, the other read the store');

    // Both processes now hold the token; the server revokes it (errorCode 401 in the body).
    for (let round = 0; round < 2; round++) {
      const before = await stats();
      await fetch(`${base}/_sandbox/expireTokens`, { method: 'POST' });
      const again = await Promise.all(workers.map((w) => w.calls(20)));
      const after = await stats();
      for (const r of again) assert.deepEqual([r.ok, r.errors], [20, []]);
      assert.equal(
        tokenRequests(after) - tokenRequests(before),
        1,
        `round ${round}: refreshed once across both processes`,
      );
      const retried = again.map((r) => r.events.filter((e) => e.type === 'retry' && e.code === 'AUTH_FAILED').length);
      assert.ok(
        retried.every((n) => n >= 1),
        `each process saw the rejection: ${retried}`,
      );
    }

    const client = await redisClient();
    const keys = await client.keys('*');
    await client.close();
    assert.equal(keys.length, 1, `only the token is left, no lock: ${keys}`);
    assert.match(keys[0], /^workbridge:yunzhijia:token:/);
    for (const f of forms(SECRET)) assert.ok(!keys[0].includes(f), `the key holds a form of the secret: ${keys[0]}`);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
});

// The README's Redis store (the one token-worker.mjs uses), over `client`.
function redisStore(client) {
  const UNLOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";
  return {
    get: (key) => client.get(key),
    set: (key, token, ttlMs) => client.set(key, token, { expiration: { type: 'PX', value: ttlMs } }),
    async lock(key, ttlMs) {
      const id = `${process.pid}-${Math.random()}`;
      const held = await client.set(`${key}:lock`, id, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } });
      return held ? () => client.eval(UNLOCK, { keys: [`${key}:lock`], arguments: [id] }) : null;
    },
  };
}

test('Redis: a wrong secret fails as it would alone though the store holds a token of its eid; a poisoned 20 KB entry heals in one call; a planted lock costs a call at most half its deadline', async () => {
  const client = await redisClient();
  try {
    await client.flushAll();
    const store = redisStore(client);
    const s0 = await stats();
    await new wb.YunzhijiaClient({ ...creds(), tokenStore: store }).meeting.queryByDay({ day: DAY });
    const [key] = await client.keys('*');
    assert.match(await client.get(key), /^sbx-at-/);
    assert.equal(tokenRequests(await stats()) - tokenRequests(s0), 1);

    // Same deployment, scope and eid, another secret (a wrong one, or another resource group's):
    // its own key, so it gets no token it could not get itself.
    const wrong = new wb.YunzhijiaClient({ ...creds({ secret: 'revoked-secret-5150' }), tokenStore: store });
    await assert.rejects(
      wrong.meeting.queryByDay({ day: DAY }),
      (e) => e.code === 'AUTH_FAILED' && /refused the credentials/.test(e.message),
    );
    assert.deepEqual(await client.keys('*'), [key], 'the failed client stored nothing and took nothing');

    // A 20 KB value with no expiry under the key: ignored, and replaced by the first call.
    await client.set(key, 'x'.repeat(20_000));
    const s1 = await stats();
    const healed = new wb.YunzhijiaClient({ ...creds(), tokenStore: store });
    assert.deepEqual(await healed.meeting.queryByDay({ day: '2030-12-03' }), []);
    assert.equal(tokenRequests(await stats()) - tokenRequests(s1), 1);
    assert.match(await client.get(key), /^sbx-at-/, 'the poisoned entry was replaced');
    assert.ok((await client.pTTL(key)) > 0, 'with an expiry');

    // A lock key planted for ten minutes, no token: a call with a 2 s deadline waits at most 1 s
    // for it, then fetches its own.
    await client.del(key);
    await client.set(`${key}:lock`, 'planted', { expiration: { type: 'PX', value: 600_000 } });
    const t0 = Date.now();
    const locked = new wb.YunzhijiaClient({ ...creds(), tokenStore: store, deadlineMs: 2_000 });
    assert.deepEqual(await locked.meeting.queryByDay({ day: '2030-12-03' }), []);
    const waited = Date.now() - t0;
    assert.ok(waited >= 900 && waited < 1_900, `waited ${waited} ms`);
  } finally {
    await client.flushAll();
    await client.close();
  }
});

test('a stored token the server answers with 431 (too long for a header) is taken as refused once and replaced', async () => {
  const { store, data, log } = memoryStore();
  const poison = `sbx-at-${'y'.repeat(2_000)}`;
  let refused = 0;
  const fetch431 = (url, init) => {
    if (String(url).includes(poison)) {
      refused += 1;
      return Promise.resolve(new Response('', { status: 431 }));
    }
    return fetch(url, init);
  };
  // Planted under the client's own key, whatever it is, until a token is stored there.
  store.get = async (key) => {
    log.push(['get', key]);
    return data.has(key) ? data.get(key) : poison;
  };
  const yzj = new wb.YunzhijiaClient({ ...creds(), tokenStore: store, fetch: fetch431 });
  const s0 = await stats();
  assert.deepEqual(await yzj.meeting.queryByDay({ day: '2030-12-03' }), []);
  assert.equal(refused, 1, 'sent once with the poisoned token');
  assert.equal(tokenRequests(await stats()) - tokenRequests(s0), 1);
  assert.match([...data.values()][0], /^sbx-at-[^y]/, 'replaced in the store');
});

// A store in memory that records what it is asked; `script` may override any method.
function memoryStore(script = {}) {
  const data = new Map();
  const log = [];
  return {
    data,
    log,
    store: {
      async get(key) {
        log.push(['get', key]);
        return script.get ? script.get(key, data) : data.get(key);
      },
      async set(key, token, ttlMs) {
        log.push(['set', key, token, ttlMs]);
        data.set(key, token);
      },
      ...(script.lock
        ? {
            lock: async (key, ttlMs) => {
              log.push(['lock', key, ttlMs]);
              return script.lock(key, ttlMs);
            },
          }
        : {}),
    },
  };
}

test('the key names the deployment, scope, eid, appId and a fingerprint of the secret, never the secret; ttlMs is the life less the margin', async () => {
  const secret = 'Team+Secret/42=';
  const { store, log } = memoryStore();
  const yzj = new wb.YunzhijiaClient({
    baseURL: base,
    eid: '10109',
    appId: 'sandbox-app',
    secret,
    scope: 'team',
    tokenStore: store,
  });
  await assert.rejects(yzj.meeting.queryByDay({ day: DAY }), (e) => e.code === 'AUTH_FAILED'); // a wrong secret: nothing stored
  assert.deepEqual(
    log.map((l) => l[0]),
    ['get'],
    'a failed fetch stores nothing',
  );
  const key = log[0][1];
  const prefix = `workbridge:yunzhijia:token:${encodeURIComponent(base)}:team:10109:sandbox-app:`;
  assert.ok(key.startsWith(prefix), key);
  assert.match(key.slice(prefix.length), /^[0-9a-f]{16}$/, 'a fingerprint of the secret');
  for (const f of forms(secret)) assert.ok(!key.includes(f));
  const other = memoryStore();
  const another = new wb.YunzhijiaClient({
    ...creds({ appId: 'sandbox-app', scope: 'team' }),
    tokenStore: other.store,
  });
  await another.meeting.queryByDay({ day: DAY }).catch(() => {});
  assert.notEqual(other.log[0][1], key, 'another secret, another key');

  const good = memoryStore();
  const t0 = Date.now();
  await new wb.YunzhijiaClient({ ...creds(), tokenStore: good.store }).meeting.queryByDay({ day: DAY });
  const set = good.log.find((l) => l[0] === 'set');
  // The sandbox's tokens live 7200 s; the margin is a tenth, at most five minutes.
  assert.ok(
    Number.isInteger(set[3]) && set[3] <= 6_900_000 && set[3] > 6_900_000 - (Date.now() - t0) - 5,
    `ttlMs ${set[3]}`,
  );
  assert.match(set[2], /^sbx-at-/);
});

test('clients sharing a store without lock: the second takes the stored token; after a rejection the first refresher writes, the second reads', async () => {
  const { store, log, data } = memoryStore();
  const a = new wb.YunzhijiaClient({ ...creds(), tokenStore: store });
  const b = new wb.YunzhijiaClient({ ...creds(), tokenStore: store });
  const s0 = await stats();
  await a.meeting.queryByDay({ day: DAY });
  await b.meeting.queryByDay({ day: DAY });
  assert.equal(tokenRequests(await stats()) - tokenRequests(s0), 1);
  const first = [...data.values()][0];
  await fetch(`${base}/_sandbox/expireTokens`, { method: 'POST' });
  const s1 = await stats();
  await a.meeting.queryByDay({ day: DAY });
  await b.meeting.queryByDay({ day: DAY });
  assert.equal(tokenRequests(await stats()) - tokenRequests(s1), 1, 'b found the token a stored');
  assert.notEqual([...data.values()][0], first);
  assert.equal(log.filter((l) => l[0] === 'set').length, 2);
});

test('a refresher never overwrites a token another process stored meanwhile', async () => {
  let reads = 0;
  const { store, log } = memoryStore({
    // First read: nothing; the read before writing: another process's token.
    get: () => (++reads === 1 ? null : 'sbx-other-process-token'),
  });
  const yzj = new wb.YunzhijiaClient({ ...creds(), tokenStore: store });
  assert.deepEqual(await yzj.meeting.queryByDay({ day: '2030-12-03' }), [], 'its own fresh token is used for the call');
  assert.deepEqual(
    log.map((l) => l[0]),
    ['get', 'get'],
    'compared, and left in place',
  );
});

test('with lock held elsewhere, a waiter polls until the holder stores the token, and sends no token request', async () => {
  const holder = new wb.YunzhijiaClient(creds());
  await holder.meeting.queryByDay({ day: '2030-12-03' });
  const tokenRes = await fetch(`${base}/gateway/oauth2/token/getAccessToken`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ eid: '10109', secret: SECRET, timestamp: Date.now(), scope: 'resGroupSecret' }),
  });
  const token = (await tokenRes.json()).data.accessToken;
  const t0 = Date.now();
  const { store, log } = memoryStore({ get: () => (Date.now() - t0 > 300 ? token : null), lock: () => null });
  const s0 = await stats();
  const yzj = new wb.YunzhijiaClient({ ...creds(), tokenStore: store });
  assert.deepEqual(await yzj.meeting.queryByDay({ day: '2030-12-03' }), []);
  assert.equal(tokenRequests(await stats()) - tokenRequests(s0), 0);
  const polls = log.filter((l) => l[0] === 'get').length;
  assert.ok(polls >= 3 && polls <= 12, `${polls} reads with backoff`);
  assert.equal(
    log.find((l) => l[0] === 'lock')[2],
    31_000,
    'the lock lasts the token request at worst: 3 attempts of 10 s, and a second',
  );
});

test('a lock freed without a token (the holder failed): the waiter takes it and fetches once', async () => {
  let locks = 0;
  let released = 0;
  const { store } = memoryStore({
    lock: () =>
      ++locks === 1
        ? null
        : async () => {
            released += 1;
          },
  });
  const s0 = await stats();
  const yzj = new wb.YunzhijiaClient({ ...creds(), tokenStore: store });
  assert.deepEqual(await yzj.meeting.queryByDay({ day: '2030-12-03' }), []);
  assert.equal(tokenRequests(await stats()) - tokenRequests(s0), 1);
  assert.deepEqual([locks, released], [2, 1]);
});

test('a store that throws, rejects, hangs or answers nonsense never breaks a call: it is reported as store-error', async () => {
  const cases = [
    [
      'throws',
      {
        get() {
          throw new Error(`connection lost (${SECRET})`);
        },
        set() {
          throw new Error('down');
        },
      },
      'STORE_ERROR',
    ],
    [
      'rejects',
      {
        get: async () => {
          throw new Error('ECONNREFUSED');
        },
        set: async () => {},
      },
      'STORE_ERROR',
    ],
    [
      'hangs',
      { get: () => new Promise(() => {}), set: () => new Promise(() => {}), lock: () => new Promise(() => {}) },
      'TIMEOUT',
    ],
    ['answers nonsense', { get: async () => ({ token: 'x' }), set: async () => {} }, 'STORE_ERROR'],
    [
      'locks with nonsense',
      {
        get: async () => null,
        set: async () => {
          throw new Error('read-only');
        },
        lock: async () => 42,
      },
      'STORE_ERROR',
    ],
  ];
  for (const [what, tokenStore, code] of cases) {
    const events = [];
    const yzj = new wb.YunzhijiaClient({ ...creds(), tokenStore, onEvent: (e) => events.push(e) });
    const t0 = Date.now();
    const days = await Promise.all([yzj.meeting.queryByDay({ day: DAY }), yzj.meeting.queryByDay({ day: DAY })]);
    assert.equal(days[0][0].id, '5b86ed2fbeb7cc35af769eb8', what);
    const failures = events.filter((e) => e.type === 'store-error');
    assert.ok(failures.length >= 1, `${what}: reported`);
    for (const e of failures) {
      assert.equal(e.vendor, 'yunzhijia');
      assert.match(e.operation, /^tokenStore\.(get|set|lock)$/);
      assert.equal(typeof e.message, 'string');
      assert.equal(typeof e.durationMs, 'number');
      assert.ok(!JSON.stringify(e).includes(SECRET), `${what}: ${JSON.stringify(e)}`);
    }
    assert.equal(failures[0].code, code, what);
    if (what === 'hangs') {
      assert.ok(
        failures[0].durationMs >= 990 && Date.now() - t0 < 5000,
        `bounded at a second: ${failures[0].durationMs} ms`,
      );
    }
  }
});

test('a tokenStore that is not one, or where there is no token to share, is INVALID_ARGUMENT', () => {
  const refused = (options, vendor = 'YunzhijiaClient') =>
    assert.throws(
      () => new wb[vendor](options),
      (e) => e.code === 'INVALID_ARGUMENT' && e.field === 'tokenStore',
    );
  refused({ ...creds(), tokenStore: { get: async () => null } });
  refused({ ...creds(), tokenStore: { get: async () => null, set: async () => {}, lock: 'yes' } });
  refused({ ...creds(), tokenStore: 'redis://127.0.0.1' });
  refused({ baseURL: base, accessToken: 'fixed', tokenStore: memoryStore().store });
  refused({ apiToken: 't', serverURL: 'http://127.0.0.1:1/cam', tokenStore: memoryStore().store }, 'CAMAPIClient');
});
