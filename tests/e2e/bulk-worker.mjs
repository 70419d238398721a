// One worker process of bulk_redis.test.mjs, driven over IPC: clients sharing limits, or a
// roomBook.sync poller sharing a lease, through the README's Redis store. Copied into the test
// project, so `workbridge` is the installed package and `redis` the user's own dependency.
import { createClient } from 'redis';
import { randomUUID } from 'node:crypto';
import { XuanxuanClient, YunzhijiaClient } from 'workbridge';

const redis = await createClient({ url: process.env.REDIS_URL }).connect();
const UNLOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";
const INCR =
  "local n = redis.call('incr', KEYS[1]) if n == 1 then redis.call('pexpire', KEYS[1], ARGV[1]) end return n";
// The store interface over Redis: tokens, limits and leases.
const store = {
  get: (key) => redis.get(key),
  set: (key, value, ttlMs) => redis.set(key, value, { expiration: { type: 'PX', value: ttlMs } }),
  async lock(key, ttlMs) {
    const id = randomUUID();
    const held = await redis.set(`${key}:lock`, id, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } });
    return held ? () => redis.eval(UNLOCK, { keys: [`${key}:lock`], arguments: [id] }) : null;
  },
  incr: (key, ttlMs) => redis.eval(INCR, { keys: [key], arguments: [String(ttlMs)] }),
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const SENDER = { id: 'bot', name: 'Bot', avatar: 'https://example.com/bot.png' };

process.on('message', async (m) => {
  if (m.cmd === 'send') {
    // When each request begins (the gate lets it through just before).
    const begun = [];
    const xx = new XuanxuanClient({
      serverURL: m.url,
      code: 'c',
      key: 'k',
      limits: { perMinute: m.perMinute, store, key: 'shared' },
      fetch: (url, init) => {
        begun.push(Date.now());
        return fetch(url, init);
      },
    });
    const results = await Promise.allSettled(
      Array.from({ length: m.n }, (_, i) =>
        xx
          .sendChatMessage({ gid: 'g', title: `${m.tag}-${i}`, contentType: 'plain', sender: SENDER })
          .then(() => Date.now()),
      ),
    );
    process.send({
      sent: results.filter((r) => r.status === 'fulfilled').map((r) => r.value),
      begun,
      errors: results.filter((r) => r.status === 'rejected').map((r) => `${r.reason.code}: ${r.reason.message}`),
    });
  } else if (m.cmd === 'poll') {
    // A poller as a company would run one: a sync a round, each page handled (slowly), until told to stop.
    const yzj = new YunzhijiaClient({ baseURL: m.base, eid: '10109', secret: 'sandbox-secret', tokenStore: store });
    for (;;) {
      try {
        for await (const page of yzj.roomBook.sync(
          { eid: '10109', pageSize: m.pageSize },
          { store, leaseMs: m.leaseMs },
        )) {
          const ids = page.add.concat(page.delete).map((b) => b.orderId);
          if (ids.length) process.send({ begun: ids.length });
          await sleep(m.handleMs);
          if (ids.length) process.send({ handled: ids });
        }
      } catch (e) {
        process.send({ error: `${e.code}: ${e.message}` });
      }
      await sleep(m.roundMs);
    }
  } else if (m.cmd === 'stop') {
    await redis.close();
    process.exit(0);
  }
});
process.send({ ready: true });
