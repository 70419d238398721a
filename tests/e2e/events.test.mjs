// onEvent, from outside against the installed package and the sandbox: the documented events
// in order with their fields, one `error` per failed call, a hook that throws (or rejects)
// never breaks a call, and no event of a suite of calls over the four vendors holds a
// credential, a fetched token or a signature in any printable form.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { installPackage, loadBoth } from './helpers.mjs';

let wb;
let s;
let base;
// Credentials with characters that percent-encoding and base64 change.
const CAM = 'cam-Tok+en/99=';
const XX_KEY = 'xx-key+/=5566';
const YTX = { accountSID: 'ytx-sid-1', authToken: 'ytx-Tok+/=7788', appid: 'ytx-app' };
const YZJ_SECRET = 'sandbox-secret';
const DAY = 1535558400000;

before(async () => {
  const work = installPackage('events');
  ({ esm: wb } = await loadBoth(work));
  const { startSandbox } = await import(`${work}/sandbox.mjs`);
  s = await startSandbox({
    port: 0,
    log: null,
    config: { cam: { apiToken: CAM }, xuanxuan: { code: 'sandbox', key: XX_KEY }, ytx: YTX },
  });
  base = s.url;
});
after(async () => {
  await s?.close();
});

const pick = (e, keys) => Object.fromEntries(keys.filter((k) => k in e).map((k) => [k, e[k]]));

test('a read retried once: request, response 503, retry with its delay, request 2, response 200; fields as documented', async () => {
  const events = [];
  const cam = new wb.CAMAPIClient({ apiToken: CAM, serverURL: `${base}/cam`, onEvent: (e) => events.push(e) });
  s.setFaults('cam.getConferenceRooms:503x1');
  try {
    await cam.getConferenceRooms();
  } finally {
    s.setFaults('');
  }
  const url = `${base}/cam/getConferenceRooms`;
  const common = { vendor: 'cam', operation: 'getConferenceRooms', method: 'GET', url };
  assert.deepEqual(
    events.map((e) => pick(e, ['type', 'attempt', 'status', 'code'])),
    [
      { type: 'request', attempt: 1 },
      { type: 'response', attempt: 1, status: 503 },
      { type: 'retry', attempt: 1, status: 503, code: 'HTTP_ERROR' },
      { type: 'request', attempt: 2 },
      { type: 'response', attempt: 2, status: 200 },
    ],
  );
  for (const e of events) {
    assert.deepEqual(pick(e, Object.keys(common)), common);
    if (e.type !== 'request') assert.ok(Number.isInteger(e.durationMs) && e.durationMs >= 0, JSON.stringify(e));
  }
  assert.ok(Number.isInteger(events[2].delayMs) && events[2].delayMs >= 0, 'a retry says how long it waits');
  assert.equal(Object.keys(events[0]).sort().join(), 'attempt,method,operation,type,url,vendor');
});

test('a failed call sends one error event: its code, status and attempts; INVALID_ARGUMENT sends nothing else', async () => {
  const events = [];
  const onEvent = (e) => events.push(e);
  const bad = new wb.XuanxuanClient({
    serverURL: `${base}/xuanxuan`,
    code: 'sandbox',
    key: 'wrong-key-1',
    onEvent,
    maxRetries: 0,
  });
  await assert.rejects(bad.getGroupChats());
  const error = events.at(-1);
  assert.equal(events.filter((e) => e.type === 'error').length, 1);
  assert.equal(error.type, 'error');
  assert.equal(error.vendor, 'xuanxuan');
  assert.equal(error.operation, 'getGroupChats');
  assert.equal(error.attempt, 1);
  assert.ok(['AUTH_FAILED', 'VENDOR_ERROR'].includes(error.code), error.code);
  assert.match(error.url, /token=\*\*\*$/);
  assert.equal(typeof error.durationMs, 'number');

  events.length = 0;
  const yzj = new wb.YunzhijiaClient({ baseURL: `${base}/yunzhijia`, eid: '10109', secret: YZJ_SECRET, onEvent });
  await assert.rejects(
    yzj.meeting.create({ openid: 'o', title: 't', startDate: 1_800_000_000_002, endDate: 1_800_000_000_001 }),
  );
  assert.deepEqual(events, [
    {
      type: 'error',
      vendor: 'yunzhijia',
      operation: 'meeting.create',
      attempt: 0,
      durationMs: events[0].durationMs,
      code: 'INVALID_ARGUMENT',
    },
  ]);
});

test('a Yunzhijia token request and a rejected token show as their own operations and an AUTH_FAILED retry', async () => {
  const events = [];
  const yzj = new wb.YunzhijiaClient({
    baseURL: `${base}/yunzhijia`,
    eid: '10109',
    secret: YZJ_SECRET,
    onEvent: (e) => events.push(e),
  });
  await yzj.meeting.queryByDay({ day: DAY });
  await fetch(`${base}/yunzhijia/_sandbox/expireTokens`, { method: 'POST' });
  await yzj.meeting.queryByDay({ day: DAY });
  assert.deepEqual(
    events.map(
      (e) => `${e.type} ${e.operation} ${e.attempt}${e.status ? ` ${e.status}` : ''}${e.code ? ` ${e.code}` : ''}`,
    ),
    [
      'request token.getAccessToken 1',
      'response token.getAccessToken 1 200',
      'request meeting.queryByDay 1',
      'response meeting.queryByDay 1 200',
      'request meeting.queryByDay 1',
      'response meeting.queryByDay 1 200', // the sandbox refuses a token in the envelope (errorCode 401), as Yunzhijia does
      'retry meeting.queryByDay 1 200 AUTH_FAILED',
      'request token.refreshToken 1',
      'response token.refreshToken 1 200',
      'request meeting.queryByDay 2',
      'response meeting.queryByDay 2 200',
    ],
  );
});

test('a hook that throws, or returns a rejected promise, never breaks a call, and is reported once', async () => {
  const printed = [];
  const original = console.error;
  console.error = (...args) => printed.push(args.join(' '));
  try {
    let seen = 0;
    const throwing = new wb.CAMAPIClient({
      apiToken: CAM,
      serverURL: `${base}/cam`,
      onEvent: () => {
        seen += 1;
        throw new Error('hook bug');
      },
    });
    const rejecting = new wb.YunzhijiaClient({
      baseURL: `${base}/yunzhijia`,
      eid: '10109',
      secret: YZJ_SECRET,
      onEvent: async () => {
        throw new Error('async hook bug');
      },
    });
    for (let i = 0; i < 3; i++) {
      assert.ok(Array.isArray((await throwing.getConferenceRooms()).conferenceRooms ?? []));
      assert.ok(Array.isArray(await rejecting.meeting.queryByDay({ day: DAY })));
    }
    await assert.rejects(throwing.sendMessage('messenger', 'x', false), (e) => e.code === 'INVALID_ARGUMENT');
    await new Promise((r) => setTimeout(r, 10)); // let the rejected promises settle
    assert.ok(seen >= 7, `the hook kept being called: ${seen}`);
  } finally {
    console.error = original;
  }
  assert.equal(printed.length, 2, printed.join('\n'));
  assert.match(
    printed[0],
    /onEvent hook of a cam client threw Error \(calls go on; reported once; its message is not printed/,
  );
  assert.match(printed[1], /onEvent hook of a yunzhijia client threw Error/);
  assert.ok(
    !printed.join('\n').includes('hook bug'),
    "the hook's own message, which may quote call data, is not printed",
  );
});

test('onEvent must be a function', () => {
  assert.throws(
    () => new wb.CAMAPIClient({ apiToken: CAM, serverURL: `${base}/cam`, onEvent: 'log' }),
    (e) => e.code === 'INVALID_ARGUMENT' && e.field === 'onEvent',
  );
});

// A fetch that records every secret that went over the wire: query signatures and tokens,
// secret headers, and the tokens in Yunzhijia's token answers.
function recordingFetch(secrets) {
  return async (url, init) => {
    const u = new URL(url);
    for (const k of ['token', 'Sign', 'accessToken']) if (u.searchParams.get(k)) secrets.add(u.searchParams.get(k));
    for (const [k, v] of Object.entries(init?.headers ?? {}))
      if (/^(authorization|x-cam-apitoken)$/i.test(k)) secrets.add(v);
    const res = await fetch(url, init);
    if (u.pathname.includes('/oauth2/token/')) {
      const data = (await res.clone().json()).data ?? {};
      for (const k of ['accessToken', 'refreshToken']) if (data[k]) secrets.add(data[k]);
    }
    return res;
  };
}

test('no event of a suite of calls over the four vendors holds a secret in any form', async () => {
  const events = [];
  const secrets = new Set([CAM, XX_KEY, YTX.authToken, YZJ_SECRET]);
  const opts = { onEvent: (e) => events.push(e), fetch: recordingFetch(secrets) };
  const cam = new wb.CAMAPIClient({ apiToken: CAM, serverURL: `${base}/cam`, ...opts });
  const xx = new wb.XuanxuanClient({ serverURL: `${base}/xuanxuan`, code: 'sandbox', key: XX_KEY, ...opts });
  const ytx = new wb.YtxClient({ ...YTX, baseURL: `${base}/ytx`, ...opts });
  const yzj = new wb.YunzhijiaClient({ baseURL: `${base}/yunzhijia`, eid: '10109', secret: YZJ_SECRET, ...opts });
  // A store whose failure quotes the client's own secret back: scrubbed like an error.
  const failing = {
    get: async () => {
      throw new Error(`store refused ${YZJ_SECRET}`);
    },
    set: async () => {},
  };
  const stored = new wb.YunzhijiaClient({
    baseURL: `${base}/yunzhijia`,
    eid: '10109',
    secret: YZJ_SECRET,
    tokenStore: failing,
    ...opts,
  });
  const settle = (p) =>
    p.then(
      () => 'ok',
      (e) => e.code,
    );
  s.setFaults('xuanxuan:503x1');
  const outcomes = [
    await settle(cam.getConferenceRooms()),
    await settle(cam.sendMessage('messenger', 'hello', false, ['a@x.com'])),
    await settle(xx.getGroupChats()),
    await settle(xx.getChatUsers()),
    await settle(ytx.queryMeeting({ confid: '002', meetingcount: 1 })),
    await settle(yzj.meeting.queryByDay({ day: DAY })),
    await settle(fetch(`${base}/yunzhijia/_sandbox/expireTokens`, { method: 'POST' })),
    await settle(yzj.meeting.queryByDay({ day: DAY })),
    await settle(stored.meeting.queryByDay({ day: DAY })),
    await settle(new wb.CAMAPIClient({ apiToken: `${CAM}x`, serverURL: `${base}/cam`, ...opts }).getConferenceRooms()),
    await settle(
      new wb.YtxClient({ ...YTX, authToken: 'ytx-wrong+/=1', baseURL: `${base}/ytx`, ...opts }).queryMeeting({
        confid: '002',
        meetingcount: 1,
      }),
    ),
  ];
  s.setFaults('');
  secrets.add(`${CAM}x`).add('ytx-wrong+/=1');
  assert.deepEqual(outcomes.slice(0, 9), Array(9).fill('ok'));
  assert.ok(
    events.some((e) => e.type === 'store-error') &&
      events.some((e) => e.type === 'retry') &&
      events.some((e) => e.type === 'error'),
  );
  assert.ok(secrets.size >= 12, `${secrets.size} secrets recorded`);
  const text = JSON.stringify(events);
  for (const secret of secrets) {
    for (const f of [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
      Buffer.from(secret).toString('base64'),
    ]) {
      assert.ok(!text.includes(f), `${f} (a form of a secret) in the events`);
    }
  }
});
