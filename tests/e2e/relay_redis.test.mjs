// The relay's rate shared by every instance behind a load balancer, through the package's one
// store interface over a real Redis (Debian's redis-server on a free loopback port): a user's
// budget is one budget whichever instance answers, and a store that fails is logged, not fatal.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { installPackage, startSandboxBin, startRedis, linkRedisClient } from './helpers.mjs';

const PAGE = 'https://app.example.com';
const A = '5a67e1e1e4b02f1de22a70a3';
const B = '5a67e08d00b0e8dfe4aab4fa';
let work;
let sandbox;
let redis;
let relayApi;
let createClient;
let env;

before(async () => {
  work = installPackage('relay-redis');
  linkRedisClient(work);
  sandbox = await startSandboxBin(work);
  redis = await startRedis();
  writeFileSync(join(work, 'deps.mjs'), "export * from 'workbridge/relay';\nexport { createClient } from 'redis';\n");
  ({ createClient, ...relayApi } = await import(pathToFileURL(join(work, 'deps.mjs')).href));
  env = {
    WORKBRIDGE_YUNZHIJIA_BASE_URL: `${sandbox.url}/yunzhijia`,
    WORKBRIDGE_YUNZHIJIA_EID: '10109',
    WORKBRIDGE_YUNZHIJIA_SECRET: 'sandbox-secret',
    WORKBRIDGE_YUNZHIJIA_APP_ID: 'sandbox-app',
    WORKBRIDGE_YUNZHIJIA_APP_SECRET: 'sandbox-secret',
    WORKBRIDGE_RELAY_SESSION_SECRET: 'a-session-secret-shared-by-the-instances',
  };
});
after(async () => {
  await sandbox?.stop();
  await redis?.stop();
});

const INCR =
  "local n = redis.call('incr', KEYS[1]) if n == 1 then redis.call('pexpire', KEYS[1], ARGV[1]) end return n";
/** The store interface over Redis, one connection per relay instance (as one per process). */
async function redisStore() {
  const client = await createClient({ url: redis.url }).connect();
  return {
    client,
    store: {
      get: (key) => client.get(key),
      set: (key, value, ttlMs) => client.set(key, value, { expiration: { type: 'PX', value: ttlMs } }),
      incr: (key, ttlMs) => client.eval(INCR, { keys: [key], arguments: [String(ttlMs)] }),
    },
  };
}

async function instance(options) {
  const lines = [];
  const relay = relayApi.createRelay({
    allow: ['meeting.queryByDay'],
    origins: [PAGE],
    signOn: 'yunzhijia',
    env,
    log: (l) => lines.push(l),
    ...options,
  });
  const server = createServer((req, res) => relay.node(req, res));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    lines,
    close: () =>
      new Promise((r) => {
        relay.close();
        server.closeAllConnections();
        server.close(r);
      }),
  };
}

const post = (url, body, token) =>
  fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Origin: PAGE,
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
async function signOn(base, openid) {
  const { ticket } = await (await fetch(`${sandbox.url}/yunzhijia/sandbox/ticket?openid=${openid}`)).json();
  return (await (await post(`${base}/session`, { ticket })).json()).data.token;
}
const query = async (base, token) => {
  const res = await post(`${base}/call/meeting.queryByDay`, { day: 1535558400000 }, token);
  await res.arrayBuffer();
  return res.status;
};

test('with a store, one user’s rate is one budget across two relay instances; each user has their own', async () => {
  const [s1, s2] = [await redisStore(), await redisStore()];
  const one = await instance({ rate: 4, store: s1.store });
  const two = await instance({ rate: 4, store: s2.store });
  try {
    const a = await signOn(one.url, A);
    const b = await signOn(two.url, B);
    const statuses = [];
    for (const base of [one.url, two.url, one.url, two.url, one.url, two.url]) statuses.push(await query(base, a));
    assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
    // B's budget is untouched by A's, on either instance.
    assert.deepEqual([await query(one.url, b), await query(two.url, b)], [200, 200]);
  } finally {
    await one.close();
    await two.close();
    await s1.client.quit();
    await s2.client.quit();
  }
});

test('a store that fails is logged and the instance counts alone; a store without incr is refused at start-up', async () => {
  const broken = {
    get: async () => null,
    set: async () => 'OK',
    incr: async () => {
      throw new Error('ECONNREFUSED redis://:store-password-77@10.0.0.9:6379');
    },
  };
  const r = await instance({ rate: 2, store: broken });
  try {
    const a = await signOn(r.url, A);
    assert.deepEqual([await query(r.url, a), await query(r.url, a), await query(r.url, a)], [200, 200, 429]);
    assert.ok(
      r.lines.some((l) => /relay store-error/.test(l)),
      r.lines.join('\n'),
    );
    assert.ok(!r.lines.join('\n').includes('store-password-77'), 'the store URL’s password is in the log');
  } finally {
    await r.close();
  }
  assert.throws(
    () =>
      relayApi.createRelay({
        allow: ['meeting.queryByDay'],
        origins: [PAGE],
        env,
        rate: 2,
        store: { get() {}, set() {} },
      }),
    /store.*incr/,
  );
});
