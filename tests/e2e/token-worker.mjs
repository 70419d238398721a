// One worker process of token_store.test.mjs: a YunzhijiaClient sharing its token through Redis
// with the README's store, driven by the test over IPC. Copied into the test project, so
// `workbridge` is the installed package and `redis` the user's own dependency.
import { createClient } from 'redis';
import { randomUUID } from 'node:crypto';
import { YunzhijiaClient } from 'workbridge';

const redis = await createClient({ url: process.env.REDIS_URL }).connect();
const UNLOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";
const tokenStore = {
  get: (key) => redis.get(key),
  set: (key, token, ttlMs) => redis.set(key, token, { expiration: { type: 'PX', value: ttlMs } }),
  async lock(key, ttlMs) {
    const id = randomUUID();
    const held = await redis.set(`${key}:lock`, id, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } });
    return held ? () => redis.eval(UNLOCK, { keys: [`${key}:lock`], arguments: [id] }) : null;
  },
};
const events = [];
const yzj = new YunzhijiaClient({
  baseURL: process.env.BASE,
  eid: '10109',
  secret: 'sandbox-secret',
  tokenStore,
  onEvent: (e) => events.push(e),
});

process.on('message', async (m) => {
  if (m.cmd === 'calls') {
    const results = await Promise.allSettled(
      Array.from({ length: m.n }, () => yzj.meeting.queryByDay({ day: 1535558400000 })),
    );
    process.send({
      ok: results.filter((r) => r.status === 'fulfilled').length,
      errors: results.filter((r) => r.status === 'rejected').map((r) => `${r.reason.code}: ${r.reason.message}`),
      events: events.splice(0),
    });
  } else if (m.cmd === 'stop') {
    await redis.close();
    process.exit(0);
  }
});
process.send({ ready: true });
