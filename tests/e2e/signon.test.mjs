// The relay as a company service, tried by its employees: sign-on with the light-app ticket
// (the sandbox issues tickets), employee B trying to act as A on every operation that names a
// person in every spelling, forged, expired and replayed sessions, a ticket of another app,
// floods, form posts, slow clients, the relay inside node:http and Express under /wb, two
// instances sharing a session secret, and a page in Chromium signing on from its URL.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { installPackage, startSandboxBin, launchChromium, startRelayBin } from './helpers.mjs';

const PAGE = 'https://app.example.com';
const A = '5a67e1e1e4b02f1de22a70a3'; // 张三
const B = '5a67e08d00b0e8dfe4aab4fa'; // 李四
const SECRET = 'a-session-secret-of-at-least-32-chars!';
let work;
let sandbox;
let env;
let relayApi;

const relayBin = (args, extraEnv = {}) => startRelayBin(work, args, { ...env, ...extraEnv });

before(async () => {
  work = installPackage('signon');
  sandbox = await startSandboxBin(work);
  env = {
    WORKBRIDGE_YUNZHIJIA_BASE_URL: `${sandbox.url}/yunzhijia`,
    WORKBRIDGE_YUNZHIJIA_EID: '10109',
    WORKBRIDGE_YUNZHIJIA_SECRET: 'sandbox-secret',
    WORKBRIDGE_YUNZHIJIA_APP_ID: 'sandbox-app',
    WORKBRIDGE_YUNZHIJIA_APP_SECRET: 'sandbox-secret',
  };
  // `import 'workbridge/relay'` from inside a project, as a company's server would.
  writeFileSync(join(work, 'relay.mjs'), "export * from 'workbridge/relay';\n");
  // A failed import fails each test that needs it, not the CLI's and the sandbox's tests.
  relayApi = await import(pathToFileURL(join(work, 'relay.mjs')).href).catch((e) => ({
    createRelay() {
      throw e;
    },
  }));
});
after(async () => {
  await sandbox?.stop();
});

const ALL = [
  'meeting.create',
  'meeting.modify',
  'meeting.cancel',
  'meeting.repeatMeeting',
  'meeting.batchModify',
  'meeting.batchCancel',
  'meeting.queryByDay',
  'roomBook.hasNew',
  'roomBook.bookInfo',
  'roomBook.freeRooms',
  'roomBook.getActors',
  'group.createGroup',
  'group.addGroupUser',
  'group.groupUsers',
  'notice.create',
  'banner.create',
  'message.createForCloudflow',
];

/** A relay inside a node:http server of the test's own, mounted where `mount` says. */
async function serveRelay(options = {}, mount = (relay) => (req, res) => relay.node(req, res)) {
  const lines = [];
  const relay = relayApi.createRelay({
    allow: ALL,
    origins: [PAGE],
    signOn: 'yunzhijia',
    sessionSecret: SECRET,
    env,
    log: (l) => lines.push(l),
    ...options,
  });
  const server = createServer(mount(relay));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    lines,
    relay,
    close: () =>
      new Promise((r) => {
        relay.close();
        server.closeAllConnections();
        server.close(r);
      }),
  };
}

const ticketFor = async (openid, appid) =>
  (
    await (
      await fetch(`${sandbox.url}/yunzhijia/sandbox/ticket?openid=${openid}${appid ? `&appid=${appid}` : ''}`)
    ).json()
  ).ticket;
const post = (url, body, headers = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: PAGE, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
async function signOn(base, openid) {
  const res = await post(`${base}/session`, { ticket: await ticketFor(openid) });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.data.token;
}
const as = (base, token) => async (name, params) => {
  const res = await post(`${base}/call/${name}`, params, token ? { Authorization: `Bearer ${token}` } : {});
  return { status: res.status, ...(await res.json()) };
};
// What reached the vendor: the sandbox's log lines of API calls (not tokens, not tickets).
const vendorCalls = () =>
  sandbox.lines.filter((l) => /(POST|GET) \/yunzhijia\/(gateway\/(cloudwork|xtinterface)|api\/roomBook)/.test(l))
    .length;
const settle = () => new Promise((r) => setTimeout(r, 150));
const DAY = Date.UTC(2031, 0, 6) - 8 * 3600_000; // 2031-01-06 00:00 Beijing time
const hour = (h) => DAY + h * 3600_000;

test('workbridge/relay is exported; start-up refuses * and null origins with sign-on, short secrets, missing app credentials', () => {
  assert.equal(typeof relayApi.createRelay, 'function');
  const make = (o) => () => relayApi.createRelay({ allow: ['meeting.create'], env, log: null, ...o });
  for (const origins of [['*'], ['null'], [PAGE, '*']])
    assert.throws(
      make({ origins, signOn: 'yunzhijia', sessionSecret: SECRET }),
      (e) => e instanceof relayApi.RelayConfigError && /--origin/.test(e.message),
      JSON.stringify(origins),
    );
  assert.throws(make({ origins: ['*'], token: 'static-token-1234' }), /--origin/);
  assert.throws(make({ origins: [PAGE], signOn: 'yunzhijia', sessionSecret: 'short' }), /at least 32 characters/);
  const noApp = { ...env, WORKBRIDGE_YUNZHIJIA_APP_SECRET: '' };
  assert.throws(
    () =>
      relayApi.createRelay({ allow: ['meeting.create'], origins: [PAGE], signOn: 'yunzhijia', env: noApp, log: null }),
    /WORKBRIDGE_YUNZHIJIA_APP_SECRET/,
  );
  assert.throws(make({ origins: [PAGE], signOn: 'dingtalk' }), /--sign-on takes yunzhijia/);
  // Without sign-on or a token, * is still a start-up choice of the operator's.
  make({ origins: ['*'] })().close();
});

test('employee B cannot act as A: every operation naming a person, every spelling, nested too, is 403 FORBIDDEN and nothing is sent', async () => {
  const r = await serveRelay();
  try {
    const callA = as(r.url, await signOn(r.url, A));
    const callB = as(r.url, await signOn(r.url, B));
    const mine = await callA('meeting.create', {
      title: 'CEO 1:1',
      startDate: hour(10),
      endDate: hour(11),
      actors: [A],
    });
    assert.equal(mine.success, 'true', JSON.stringify(mine));
    const id = mine.data.meetingId;
    const spellings = {
      openid: ['openid', 'openId', 'OPENID', 'OpenId', 'open_id', 'open-id', 'Open_ID', 'oid'],
      openId: ['openId', 'openid', 'OPENID', 'open_id', 'OpenID'],
      currentUid: ['currentUid', 'currentuid', 'CURRENTUID', 'CurrentUid', 'current_uid', 'current-uid', 'currentUID'],
      eid: ['eid', 'EID', 'Eid', 'e_id'],
    };
    const base = {
      'meeting.create': [{ title: 't', startDate: hour(12), endDate: hour(13) }, 'openid'],
      'meeting.modify': [{ id, addActors: [B] }, 'openid'],
      'meeting.cancel': [{ id }, 'openid'],
      'meeting.repeatMeeting': [
        { title: 't', startDate: hour(12), endDate: hour(13), repeat: 1, repeatEndDate: hour(24 * 3) },
        'openid',
      ],
      'meeting.batchModify': [{ id, title: 'mine now' }, 'openid'],
      'meeting.batchCancel': [{ id }, 'openid'],
      'roomBook.freeRooms': [{ startTime: hour(12), endTime: hour(13) }, 'openId'],
      'roomBook.hasNew': [{ lastTime: 0 }, 'eid'],
      'roomBook.bookInfo': [{ lastTime: 0 }, 'eid'],
      'group.createGroup': [{ groupName: 'g', userIds: [B] }, 'currentUid'],
      'group.addGroupUser': [{ groupId: 'g1', userIds: [B] }, 'currentUid'],
      'group.groupUsers': [{ groupId: 'g1' }, 'currentUid'],
      'notice.create': [{ groupId: 'g1', title: 't', content: 'c' }, 'currentUid'],
      'banner.create': [{ groupId: 'g1', params: {} }, 'currentUid'],
      'message.createForCloudflow': [{ groupId: 'g1' }, 'currentUid'],
    };
    await settle();
    const before = vendorCalls();
    const tried = [];
    for (const [op, [params, kind]] of Object.entries(base)) {
      const other = kind === 'eid' ? '20202' : A;
      for (const key of spellings[kind]) {
        const res = await callB(op, { ...params, [key]: other });
        tried.push(`${op} ${key}`);
        assert.equal(res.status, 403, `${op} with ${key}: ${JSON.stringify(res)}`);
        assert.equal(res.errorCode, 'FORBIDDEN', `${op} with ${key}`);
      }
      // The canonical name given right, a variant naming A beside it: still refused.
      const own = kind === 'eid' ? '10109' : B;
      const canonical = { openid: 'openid', openId: 'openId', currentUid: 'currentUid', eid: 'eid' }[kind];
      const twin = await callB(op, { ...params, [canonical]: own, [`${canonical.toUpperCase()}`]: other });
      assert.equal(twin.errorCode, 'FORBIDDEN', `${op} twin`);
    }
    // Nested places: banner.create's free-form params, any object in the params.
    for (const nested of [
      { groupId: 'g1', params: { currentUid: A } },
      { groupId: 'g1', params: { items: [{ openid: A }] } },
    ]) {
      const res = await callB('banner.create', nested);
      assert.equal(res.errorCode, 'FORBIDDEN', JSON.stringify(nested));
    }
    await settle();
    assert.equal(vendorCalls(), before, 'a refused call reached the vendor');
    assert.ok(tried.length >= 80, `${tried.length} attempts`);

    // Filled in when absent: B's cancel of A's meeting is B's, and the vendor refuses it (not the creator).
    const cancel = await callB('meeting.cancel', { id });
    assert.equal(cancel.success, 'false');
    assert.equal(cancel.errorCode, 'VENDOR_ERROR', JSON.stringify(cancel));
    // queryByDay answers each their own meetings only.
    const seenByB = await callB('meeting.queryByDay', { day: DAY });
    assert.equal(seenByB.success, 'true');
    assert.deepEqual(
      seenByB.data.filter((m) => m.title === 'CEO 1:1'),
      [],
      'B reads the CEO 1:1',
    );
    const seenByA = await callA('meeting.queryByDay', { day: DAY });
    assert.deepEqual(
      seenByA.data.filter((m) => m.id === id).map((m) => [m.title, m.openid]),
      [['CEO 1:1', A]],
    );
    assert.ok(seenByA.data.every((m) => m.openid === A));
    // A groupUsers naming B's own id is B's to make.
    const own = await callB('group.createGroup', { groupName: 'B team', userIds: [B, A] });
    assert.equal(own.success, 'true', JSON.stringify(own));
    // The log line names the user, the operation and the ids.
    assert.ok(
      r.lines.some((l) => l.includes(` ${A} POST meeting.create ids=${id} -> 200 ok`)),
      r.lines.join('\n'),
    );
    assert.ok(r.lines.some((l) => l.includes(` ${B} POST meeting.cancel ids=${id} -> 403 FORBIDDEN`)));
  } finally {
    await r.close();
  }
});

test('with team reads the operator lets queryByDay answer the whole day', async () => {
  const r = await serveRelay({ teamReads: true });
  try {
    const callB = as(r.url, await signOn(r.url, B));
    const res = await callB('meeting.queryByDay', { day: Date.UTC(2018, 7, 29, 16) });
    assert.equal(res.success, 'true');
    assert.ok(
      res.data.some((m) => m.openid === A),
      JSON.stringify(res.data),
    );
  } finally {
    await r.close();
  }
});

test('forged, tampered, foreign, expired and replayed-after-expiry sessions are 401; nothing is sent', async () => {
  const r = await serveRelay({ sessionSeconds: 2 });
  const other = await serveRelay({ sessionSecret: 'another-secret-of-at-least-32-characters' });
  try {
    const token = await signOn(r.url, B);
    const [v, payload, mac] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const asA = Buffer.from(JSON.stringify({ ...claims, sub: A, oid: A })).toString('base64url');
    const longer = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 86400 })).toString('base64url');
    const foreign = await signOn(other.url, A);
    await settle();
    const before = vendorCalls();
    const attempts = {
      none: undefined,
      garbage: 'not-a-session',
      'B payload as A, B mac': `${v}.${asA}.${mac}`,
      'a longer life': `${v}.${longer}.${mac}`,
      'a made-up mac': `${v}.${payload}.${'A'.repeat(43)}`,
      'signed with another secret': foreign,
      'v2 prefix': `v2.${payload}.${mac}`,
    };
    for (const [what, t] of Object.entries(attempts)) {
      const res = await as(r.url, t)('meeting.queryByDay', { day: DAY });
      assert.equal(res.status, 401, what);
      assert.equal(res.success, 'false', what);
    }
    const fresh = await as(r.url, token)('meeting.queryByDay', { day: DAY });
    assert.equal(fresh.status, 200, 'the real session works before it expires');
    await new Promise((res) => setTimeout(res, 2600));
    const replayed = await as(r.url, token)('meeting.create', {
      title: 'late',
      startDate: hour(14),
      endDate: hour(15),
    });
    assert.equal(replayed.status, 401, 'replayed after expiry');
    await settle();
    assert.equal(vendorCalls(), before + 1, 'only the live session reached the vendor');
    // sessionSeconds above 15 minutes is refused at start-up.
    assert.throws(
      () =>
        relayApi.createRelay({
          allow: ['meeting.create'],
          origins: [PAGE],
          signOn: 'yunzhijia',
          sessionSecret: SECRET,
          env,
          sessionSeconds: 901,
        }),
      /sessionSeconds/,
    );
  } finally {
    await r.close();
    await other.close();
  }
});

test('a ticket for another app, a made-up or empty ticket, and a form-posted ticket are refused', async () => {
  const r = await serveRelay();
  try {
    const foreign = await ticketFor(A, 'another-app');
    for (const ticket of [foreign, 'sbx-tk-00000000000000000000000000000000']) {
      const res = await post(`${r.url}/session`, { ticket });
      assert.equal(res.status, 401);
      const body = await res.json();
      assert.equal(body.errorCode, 'AUTH_FAILED');
      assert.equal(body.data, null);
    }
    const empty = await post(`${r.url}/session`, { ticket: '' });
    assert.equal(empty.status, 400);
    const form = await fetch(`${r.url}/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: PAGE },
      body: `ticket=${await ticketFor(A)}`,
    });
    assert.equal(form.status, 415);
    assert.ok(
      r.lines.some((l) => / session .*-> 401 AUTH_FAILED .*another app/.test(l)),
      r.lines.join('\n'),
    );
  } finally {
    await r.close();
  }
});

test('form and text/plain posts are 415 and never sent (a cross-site form cannot reach the vendor)', async () => {
  const r = await serveRelay();
  try {
    const token = await signOn(r.url, A);
    await settle();
    const before = vendorCalls();
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', 'title=x&startDate=1&endDate=2'],
      ['text/plain', JSON.stringify({ title: 'x', startDate: hour(1), endDate: hour(2) })],
      ['multipart/form-data; boundary=x', '--x--'],
      [undefined, JSON.stringify({ title: 'x', startDate: hour(1), endDate: hour(2) })],
    ]) {
      const res = await fetch(`${r.url}/call/meeting.create`, {
        method: 'POST',
        headers: { Origin: PAGE, Authorization: `Bearer ${token}`, ...(type ? { 'Content-Type': type } : {}) },
        body,
      });
      assert.equal(res.status, 415, String(type));
      assert.equal((await res.json()).errorCode, '415');
    }
    await settle();
    assert.equal(vendorCalls(), before);
  } finally {
    await r.close();
  }
});

test('a flood from one user is cut at its rate while another user works; refused strangers spend no one’s budget', async () => {
  const RATE = 5;
  const r = await serveRelay({ rate: RATE });
  try {
    const callA = as(r.url, await signOn(r.url, A));
    const callB = as(r.url, await signOn(r.url, B));
    // Strangers with no session, from the same address, first: 401, and nobody's budget used.
    const strangers = await Promise.all(
      Array.from({ length: 30 }, () => as(r.url)('meeting.queryByDay', { day: DAY })),
    );
    assert.ok(strangers.every((s) => s.status === 401));
    const [flood, work] = await Promise.all([
      Promise.all(Array.from({ length: 40 }, () => callB('meeting.queryByDay', { day: DAY }))),
      (async () => {
        const out = [];
        for (let i = 0; i < RATE; i++) out.push(await callA('meeting.queryByDay', { day: DAY }));
        return out;
      })(),
    ]);
    const ok = flood.filter((s) => s.status === 200).length;
    assert.equal(ok, RATE, `B got ${ok} calls through in the minute`);
    assert.equal(flood.filter((s) => s.status === 429).length, 40 - RATE);
    assert.deepEqual(
      work.map((s) => s.status),
      Array(RATE).fill(200),
      'A worked through B’s flood',
    );
    assert.equal((await callA('meeting.queryByDay', { day: DAY })).status, 429, 'A has a budget of its own');
  } finally {
    await r.close();
  }
  // The global cap holds for everyone together.
  const g = await serveRelay({ globalRate: 3 });
  try {
    const callA = as(g.url, await signOn(g.url, A));
    const callB = as(g.url, await signOn(g.url, B));
    const statuses = [];
    for (const c of [callA, callB, callA, callB]) statuses.push((await c('meeting.queryByDay', { day: DAY })).status);
    // The two sign-ons counted too: one call more gets through.
    assert.deepEqual(statuses, [200, 429, 429, 429]);
  } finally {
    await g.close();
  }
});

test('trustProxy: without it X-Forwarded-For is ignored; with one hop each forwarded address has its own rate', async () => {
  const make = (o) =>
    serveRelay({
      signOn: undefined,
      sessionSecret: undefined,
      allowNoOrigin: true,
      allow: ['meeting.queryByDay'],
      rate: 2,
      ...o,
    });
  const plain = await make({});
  const proxied = await make({ trustProxy: 1 });
  try {
    const send = (base, xff) =>
      fetch(`${base}/call/meeting.queryByDay`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': xff },
        body: JSON.stringify({ day: DAY }),
      }).then((res) => res.status);
    const plainStatuses = [];
    for (const xff of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) plainStatuses.push(await send(plain.url, xff));
    assert.deepEqual(plainStatuses, [200, 200, 429], 'a forged X-Forwarded-For buys no budget');
    const statuses = [];
    for (const xff of ['6.6.6.6, 10.0.0.1', '10.0.0.1', '10.0.0.1', '10.0.0.2'])
      statuses.push(await send(proxied.url, xff));
    assert.deepEqual(statuses, [200, 200, 429, 200]);
    assert.ok(
      proxied.lines.some((l) => / relay 10\.0\.0\.2 /.test(l)),
      proxied.lines.join('\n'),
    );
  } finally {
    await plain.close();
    await proxied.close();
  }
});

test('mounted under /wb in node:http and in Express; relay.fetch answers a Request', async () => {
  const routed = await serveRelay({}, (relay) => (req, res) => {
    if (req.url.startsWith('/wb/')) return relay.node(req, res);
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('the company app');
  });
  const app = express();
  let expressRelay;
  const viaExpress = await serveRelay({}, (relay) => {
    expressRelay = relay;
    app.get('/', (req, res) => res.send('the company app'));
    app.use('/wb', relay.node);
    return app;
  });
  try {
    for (const base of [`${routed.url}/wb`, `${viaExpress.url}/wb`]) {
      const call = as(base, await signOn(base, A));
      const res = await call('meeting.create', { title: `mounted ${base}`, startDate: hour(16), endDate: hour(17) });
      assert.equal(res.success, 'true', `${base}: ${JSON.stringify(res)}`);
      const mine = await call('meeting.queryByDay', { day: DAY });
      assert.ok(mine.data.some((m) => m.id === res.data.meetingId && m.openid === A));
    }
    assert.equal(await (await fetch(`${routed.url}/`)).text(), 'the company app');
    assert.equal(await (await fetch(`${viaExpress.url}/`)).text(), 'the company app');
    assert.ok(expressRelay);

    // An Express app that parses JSON before the relay: the relay reads the parsed body.
    const parsed = express();
    parsed.use(express.json());
    const early = await serveRelay({}, (relay) => {
      parsed.use('/wb', relay.node);
      return parsed;
    });
    try {
      const call = as(`${early.url}/wb`, await signOn(`${early.url}/wb`, B));
      const res = await call('group.createGroup', { groupName: 'parsed', userIds: [B] });
      assert.equal(res.success, 'true', JSON.stringify(res));
      assert.equal(
        (await call('group.createGroup', { groupName: 'x', userIds: [B], currentUid: A })).errorCode,
        'FORBIDDEN',
      );
    } finally {
      await early.close();
    }

    // relay.fetch: the same relay for Request/Response hosts.
    const f = routed.relay.fetch;
    const s = await f(
      new Request('http://relay.internal/wb/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: PAGE },
        body: JSON.stringify({ ticket: await ticketFor(B) }),
      }),
      { ip: '10.1.2.3' },
    );
    assert.equal(s.status, 200);
    const { token } = (await s.json()).data;
    const q = await f(
      new Request('http://relay.internal/wb/call/meeting.cancel', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: PAGE, Authorization: `Bearer ${token}` },
        body: JSON.stringify({ id: 'x', openid: A }),
      }),
    );
    assert.equal(q.status, 403);
    assert.equal((await q.json()).errorCode, 'FORBIDDEN');
    assert.equal(q.headers.get('access-control-allow-origin'), PAGE);
  } finally {
    await routed.close();
    await viaExpress.close();
  }
});

test('the authorize hook gets the signed-in user and may replace the params, never to name someone else', async () => {
  const seen = [];
  const r = await serveRelay({
    authorize: ({ operation, params, user }) => {
      seen.push({ operation, params, user });
      if (operation !== 'meeting.create') return true;
      if (params.title === 'refuse me') return false;
      if (params.title === 'as A') return { params: { ...params, openid: A } };
      return { params: { ...params, title: `[${user.username}] ${params.title}` } };
    },
  });
  try {
    const callB = as(r.url, await signOn(r.url, B));
    const made = await callB('meeting.create', { title: 'standup', startDate: hour(18), endDate: hour(19) });
    assert.equal(made.success, 'true', JSON.stringify(made));
    assert.deepEqual(seen[0].user, { openid: B, oid: B, eid: '10109', username: '李四' });
    assert.equal(seen[0].params.openid, B, 'the hook sees the acting person filled in');
    const day = await callB('meeting.queryByDay', { day: DAY });
    assert.ok(day.data.some((m) => m.id === made.data.meetingId && m.title === '[李四] standup'));
    assert.equal(
      (await callB('meeting.create', { title: 'refuse me', startDate: hour(18), endDate: hour(19) })).status,
      403,
    );
    const sneaky = await callB('meeting.create', { title: 'as A', startDate: hour(18), endDate: hour(19) });
    assert.equal(sneaky.errorCode, 'FORBIDDEN');
  } finally {
    await r.close();
  }
});

test('failures other than the vendor’s and the package’s reach pages as a code and a requestId; the log line has the detail', async () => {
  const dead = createServer();
  await new Promise((res) => dead.listen(0, '127.0.0.1', res));
  const port = dead.address().port;
  await new Promise((res) => dead.close(res));
  const r = await serveRelay({
    signOn: undefined,
    sessionSecret: undefined,
    allow: ['cam.sendMessage', 'meeting.create'],
    allowNoOrigin: true,
    credentials: {
      cam: { apiToken: 'sandbox-token', serverURL: `http://127.0.0.1:${port}/internal-cam`, maxRetries: 0 },
      yunzhijia: { baseURL: `${sandbox.url}/yunzhijia`, eid: '10109', secret: 'sandbox-secret' },
    },
  });
  try {
    const res = await as(r.url)('cam.sendMessage', {
      panelName: 'messenger',
      message: 'm',
      isOpened: false,
      users: ['u@x.com'],
    });
    assert.equal(res.success, 'false');
    assert.equal(res.errorCode, 'NETWORK_ERROR');
    assert.match(res.requestId, /^[0-9a-f]{12}$/);
    assert.ok(!res.error.includes(String(port)) && !res.error.includes('internal-cam'), res.error);
    const line = r.lines.find((l) => l.includes(`req=${res.requestId}`));
    assert.ok(line && line.includes(`127.0.0.1:${port}`), r.lines.join('\n'));
    // INVALID_ARGUMENT keeps the package's message, naming the field.
    const invalid = await as(r.url)('meeting.create', { openid: A, title: 't', startDate: 'soon', endDate: hour(2) });
    assert.equal(invalid.errorCode, 'INVALID_ARGUMENT');
    assert.match(invalid.error, /startDate/);
    assert.equal(invalid.requestId, undefined);
  } finally {
    await r.close();
  }
});

test('two relay instances sharing a session secret: a session from one works on the other; a third secret does not', async () => {
  const args = [
    '--allow',
    'meeting.queryByDay,meeting.create',
    '--origin',
    PAGE,
    '--sign-on',
    'yunzhijia',
    '--session-secret-env',
    'WB_SESSION',
  ];
  const one = await relayBin(args, { WB_SESSION: SECRET });
  const two = await relayBin(args, { WB_SESSION: SECRET });
  const three = await relayBin(args, { WB_SESSION: 'a-different-secret-also-32-characters-long' });
  try {
    assert.match(one.out(), /sign-on yunzhijia/);
    const token = await signOn(one.url, A);
    const onTwo = await as(two.url, token)('meeting.queryByDay', { day: DAY });
    assert.equal(onTwo.status, 200, JSON.stringify(onTwo));
    assert.equal((await as(three.url, token)('meeting.queryByDay', { day: DAY })).status, 401);
    for (const r of [one, two, three]) assert.ok(!r.out().includes(SECRET), 'the secret is in a log');
  } finally {
    await Promise.all([one.stop(), two.stop(), three.stop()]);
  }
});

test('the CLI relay cuts slow clients: headers within 10 s, a whole request within 30 s', async (t) => {
  const r = await relayBin(['--allow', 'meeting.queryByDay', '--origin', PAGE]);
  try {
    const { hostname, port } = new URL(r.url);
    const held = (send) =>
      new Promise((resolve) => {
        const started = Date.now();
        const s = connect(Number(port), hostname, () => s.write(send));
        s.on('error', () => {});
        s.on('close', () => resolve((Date.now() - started) / 1000));
        // A relay that never cuts it fails here, at 40 s, rather than at the test's timeout.
        setTimeout(() => s.destroy(), 40_000).unref();
        s.on('data', () => {});
      });
    const [headers, body] = await Promise.all([
      held('POST /call/meeting.queryByDay HTTP/1.1\r\nHost: x\r\nContent-Type: applic'),
      held(
        `POST /call/meeting.queryByDay HTTP/1.1\r\nHost: x\r\nOrigin: ${PAGE}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"day":`,
      ),
    ]);
    t.diagnostic(`half-sent headers cut after ${headers} s, a half-sent body after ${body} s`);
    assert.ok(headers >= 9 && headers <= 13, `half-sent headers held ${headers} s`);
    assert.ok(body >= 29 && body <= 34, `a half-sent body held ${body} s`);
  } finally {
    await r.stop();
  }
});

test('the sandbox answers only loopback Host names when bound to loopback, and warns when exposed', async () => {
  // A DNS name of an attacker's pointed at 127.0.0.1 (DNS rebinding): the browser sends its Host.
  const { port } = new URL(sandbox.url);
  const rebound = await new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: `/yunzhijia/sandbox/ticket?openid=${A}`,
        headers: { Host: `evil.example:${port}` },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode);
      },
    );
    req.on('error', reject);
    req.end();
  });
  assert.equal(rebound, 421);
  const local = await fetch(`${sandbox.url.replace('127.0.0.1', 'localhost')}/yunzhijia/sandbox/ticket?openid=${A}`);
  assert.equal(local.status, 200);
  const bin = join(work, 'node_modules', '.bin', 'workbridge');
  const child = spawn(bin, ['sandbox', '--port', '0', '--host', '0.0.0.0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 10_000);
    child.stdout.on('data', (d) => {
      out += d;
      if (/listening on/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  await new Promise((r) => {
    child.once('exit', r);
    child.kill();
  });
  assert.match(out, /warning: the sandbox listens on 0\.0\.0\.0, reachable from other machines/);
});

test('a light-app page in Chromium signs on from its URL’s ?ticket= and books a meeting that belongs to its user', async () => {
  const global = readFileSync(join(work, 'node_modules/workbridge/workbridge.global.js'));
  let relayUrl;
  const site = createServer((req, res) => {
    if (req.url.startsWith('/workbridge.global.js'))
      return res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(global);
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<!doctype html><meta charset="utf-8">
<script src="/workbridge.global.js"></script>
<script>
  qing.config({ relay: new URLSearchParams(location.search).get('relay') });
  qing.call('meeting.create', {
    title: 'booked from the page', startDate: ${hour(20)}, endDate: ${hour(21)},
    success(res) { window.created = res; },
  }).then(() => qing.call('meeting.queryByDay', { day: ${DAY} })).then((res) => { window.results = { day: res }; });
</script>`);
  });
  await new Promise((r) => site.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${site.address().port}`;
  const r = await serveRelay({ origins: [origin] });
  relayUrl = r.url;
  const browser = await launchChromium();
  try {
    const ticket = await ticketFor(B);
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/app.html?ticket=${encodeURIComponent(ticket)}&relay=${encodeURIComponent(relayUrl)}`);
    await page.waitForFunction('window.results', null, { timeout: 30_000 });
    const { created, results } = await page.evaluate(() => ({ created: window.created, results: window.results }));
    assert.deepEqual(errors, []);
    assert.equal(created.success, 'true', JSON.stringify(created));
    const mine = results.day.data.filter((m) => m.id === created.data.meetingId);
    assert.deepEqual(
      mine.map((m) => [m.title, m.openid, m.personName]),
      [['booked from the page', B, '李四']],
    );
    // It signed on once, with the URL's ticket, and the ticket never went to the call URLs.
    assert.equal(r.lines.filter((l) => / POST session -> 200 ok/.test(l)).length, 1, r.lines.join('\n'));
    assert.ok(r.lines.some((l) => l.includes(` ${B} POST meeting.create ids=${created.data.meetingId} -> 200 ok`)));
  } finally {
    await browser.close();
    await r.close();
    await new Promise((res) => site.close(res));
  }
});

test('qing.config({ relay, ticket }) signs on before the first call, once for concurrent calls, and again after expiry', async () => {
  const r = await serveRelay({ sessionSeconds: 1, allowNoOrigin: true });
  const wb = await import(pathToFileURL(join(work, 'esm.mjs')).href);
  const sessions = () => r.lines.filter((l) => / POST session -> 200 ok/.test(l)).length;
  try {
    wb.qing.config({ relay: r.url, ticket: await ticketFor(A) });
    const first = await Promise.all([1, 2, 3].map(() => wb.qing.call('meeting.queryByDay', { day: DAY })));
    assert.deepEqual(
      first.map((x) => x.success),
      ['true', 'true', 'true'],
      JSON.stringify(first),
    );
    assert.equal(sessions(), 1, 'three concurrent calls signed on once');
    await new Promise((res) => setTimeout(res, 1500));
    const later = await wb.qing.call('meeting.create', {
      title: 'after expiry',
      startDate: hour(22),
      endDate: hour(23),
    });
    assert.equal(later.success, 'true', JSON.stringify(later));
    assert.equal(sessions(), 2, 'signed on again once the session had expired');
    // A session the relay no longer takes (it now has another secret): the page hears 401,
    // signs on again once and the call goes through.
    const swapped = await serveRelay({
      allowNoOrigin: true,
      sessionSecret: 'the-relay-was-redeployed-with-a-new-secret',
    });
    let flip = false;
    const front = createServer((req, res) => (flip ? swapped : r).relay.node(req, res));
    await new Promise((res) => front.listen(0, '127.0.0.1', res));
    try {
      wb.qing.config({ relay: `http://127.0.0.1:${front.address().port}`, ticket: await ticketFor(A) });
      assert.equal((await wb.qing.call('meeting.queryByDay', { day: DAY })).success, 'true');
      flip = true;
      const again = await wb.qing.call('meeting.queryByDay', { day: DAY });
      assert.equal(again.success, 'true', JSON.stringify(again));
      assert.ok(
        swapped.lines.some((l) => / POST meeting\.queryByDay -> 401 401 /.test(l)),
        swapped.lines.join('\n'),
      );
      assert.equal(swapped.lines.filter((l) => / POST session -> 200 ok/.test(l)).length, 1, swapped.lines.join('\n'));
    } finally {
      front.closeAllConnections();
      await new Promise((res) => front.close(res));
      await swapped.close();
    }
    // A ticket the relay refuses: the page hears AUTH_FAILED, and no call is sent.
    wb.qing.config({ relay: r.url, ticket: 'sbx-tk-forged' });
    const refusedTicket = await wb.qing.call('meeting.queryByDay', { day: DAY });
    assert.deepEqual([refusedTicket.success, refusedTicket.errorCode], ['false', 'AUTH_FAILED']);
    // No ticket at all: the relay's 401 reaches the page as it is.
    wb.qing.config({ relay: r.url });
    assert.equal((await wb.qing.call('meeting.queryByDay', { day: DAY })).errorCode, '401');
  } finally {
    wb.qing.config({});
    await r.close();
  }
});

test('an Origin of null (a sandboxed frame, a file, a redirect) is refused even by a relay open to *', async () => {
  const r = await serveRelay({
    signOn: undefined,
    sessionSecret: undefined,
    origins: ['*'],
    allow: ['meeting.queryByDay'],
  });
  try {
    await settle();
    const before = vendorCalls();
    const res = await post(`${r.url}/call/meeting.queryByDay`, { day: DAY }, { Origin: 'null' });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    const page = await post(`${r.url}/call/meeting.queryByDay`, { day: DAY }, { Origin: 'https://any.example' });
    assert.equal(page.status, 200);
    await settle();
    assert.equal(vendorCalls(), before + 1);
  } finally {
    await r.close();
  }
});

// From a new user's attack on the packed tarball: each of these was seen failing first.
test('a person parameter given as null or empty is filled in with the signed-in user, not refused', async () => {
  const r = await serveRelay();
  try {
    const callB = as(r.url, await signOn(r.url, B));
    for (const openid of [null, '']) {
      const res = await callB('meeting.create', {
        openid,
        title: `B's ${openid}`,
        startDate: hour(40),
        endDate: hour(41),
      });
      assert.equal(res.success, 'true', JSON.stringify(res));
      const day = await callB('meeting.queryByDay', { day: hour(40) });
      assert.ok(
        day.data.some((m) => m.id === res.data.meetingId && m.openid === B),
        JSON.stringify(day.data),
      );
    }
  } finally {
    await r.close();
  }
});

test('params nested deeper than any vendor reads are a 400, not the relay failing', async () => {
  const r = await serveRelay();
  try {
    const callB = as(r.url, await signOn(r.url, B));
    const before = vendorCalls();
    const deep = `{"title":"t","x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const res = await callB('meeting.create', deep);
    assert.equal(res.status, 400, JSON.stringify(res));
    assert.equal(res.errorCode, 'INVALID_ARGUMENT');
    await settle();
    assert.equal(vendorCalls(), before, 'nothing sent');
  } finally {
    await r.close();
  }
});

test('with sign-on a page cannot choose the XuanXuan sender: the relay sends as its own', async () => {
  const r = await serveRelay({
    allow: [...ALL, 'xuanxuan.sendNotification'],
    env: {
      ...env,
      WORKBRIDGE_XUANXUAN_SERVER_URL: `${sandbox.url}/xuanxuan`,
      WORKBRIDGE_XUANXUAN_CODE: 'sandbox',
      WORKBRIDGE_XUANXUAN_KEY: 'sandbox-key',
      WORKBRIDGE_XUANXUAN_SENDER: '{"id":"relay-bot","avatar":"https://example.com/bot.png"}',
    },
  });
  try {
    const callB = as(r.url, await signOn(r.url, B));
    const note = { users: ['1'], title: 'from B', contentType: 'plain' };
    for (const sender of [{ id: 'ceo', name: 'CEO', avatar: 'https://example.com/ceo.png' }, 'ceo']) {
      const res = await callB('xuanxuan.sendNotification', { ...note, sender });
      assert.equal(res.status, 403, JSON.stringify(res));
      assert.equal(res.errorCode, 'FORBIDDEN');
    }
    const sent = await callB('xuanxuan.sendNotification', note);
    assert.equal(sent.success, 'true', JSON.stringify(sent));
    const stored = await (await fetch(`${sandbox.url}/xuanxuan/_sandbox/sent`)).json();
    const mine = JSON.stringify(stored).match(/"sender":\{[^}]*\}/g) || [];
    assert.ok(mine.length > 0 && mine.every((s) => s.includes('relay-bot') && !s.includes('ceo')), mine.join(' '));
  } finally {
    await r.close();
  }
});

test('one address cannot hold every connection: past its share its half-open sockets are cut, and another address gets through', async () => {
  const r = await relayApi.startRelay({
    port: 0,
    allow: ALL,
    origins: [PAGE],
    signOn: 'yunzhijia',
    sessionSecret: SECRET,
    env,
    log: () => {},
    maxConnections: 100,
  });
  const sockets = [];
  try {
    for (let i = 0; i < 100; i++) {
      const s = connect({ host: '127.0.0.1', port: r.port, localAddress: '127.0.0.1' });
      s.on('error', () => {});
      s.write('POST /session HTTP/1.1\r\nHost: 127.0.0.1\r\n'); // the headers never end
      sockets.push(s);
    }
    await new Promise((done) => setTimeout(done, 500));
    const status = await new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: r.port,
          localAddress: '127.0.0.2',
          method: 'POST',
          path: '/session',
          headers: { 'Content-Type': 'application/json', Origin: PAGE },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ ticket: 'made-up' }));
    });
    assert.equal(status, 401, 'answered (the made-up ticket refused), not cut off');
  } finally {
    for (const s of sockets) s.destroy();
    await r.close();
  }
});
