// What an attack on the packed tarball found, each tried the way a user meets it: a token read
// from a file with its newline, a proxy that quotes a credential in lower-case hex or unpadded
// base64, a Redis write that fails quoting its arguments, a cursor resumed from an ISO date, a
// fetch that throws something String() cannot print, a call with a short deadline while its
// token is slow, a relay that never answers, a params object whose getter throws.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { installPackage, loadBoth } from './helpers.mjs';

let wb;
let work;

before(async () => {
  work = installPackage('edges');
  ({ esm: wb } = await loadBoth(work));
});

const OK_CAM = '{"errors":[],"success":true,"errorCode":0,"data":1}';
const OK_YZJ = '{"success":true,"errorCode":0,"error":"","data":1}';

/** A fetch that records every request and answers `body`. */
function recording(body) {
  const f = async (url, init = {}) => {
    f.sent.push({ url, headers: init.headers, body: init.body, signal: init.signal });
    return new Response(body);
  };
  f.sent = [];
  return f;
}

function refused(fn, field) {
  let caught;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught, `expected a refusal of ${field}`);
  assert.equal(caught.code, 'INVALID_ARGUMENT', caught.message);
  assert.equal(caught.field, field, caught.message);
  return caught;
}

test('a credential or URL that would corrupt the request (a newline, a character no header can carry) is refused when the client is made', async () => {
  const fetch = recording(OK_CAM);
  for (const apiToken of [
    'sandbox-token\n',
    'abc\nX-Injected\nevil',
    'abc\r\ndef',
    'tab\there',
    'tökén€',
    ' padded ',
  ]) {
    const e = refused(() => new wb.CAMAPIClient({ apiToken, serverURL: 'http://cam.test/cam', fetch }), 'apiToken');
    assert.ok(!e.message.includes(apiToken.trim()), `the refusal quotes the token: ${e.message}`);
  }
  const url = 'http://h.test/a\nb';
  refused(() => new wb.CAMAPIClient({ apiToken: 't0ken', serverURL: url, fetch }), 'serverURL');
  refused(() => new wb.YunzhijiaClient({ baseURL: url, accessToken: 'SECRET-TOKEN', fetch }), 'baseURL');
  refused(() => new wb.XuanxuanClient({ serverURL: url, code: 'c', key: 'k3y-k3y', fetch }), 'serverURL');
  refused(
    () => new wb.YtxClient({ accountSID: 'sid', authToken: 'auth-token', appid: 'a', baseURL: url, fetch }),
    'baseURL',
  );
  refused(() => new wb.CAMAPIClient({ apiToken: 't0ken', serverURL: 'http://h.test/a\u0000b', fetch }), 'serverURL');
  assert.equal(fetch.sent.length, 0, 'nothing was sent');
  // A token as the console shows it still works, and its request is whole.
  const cam = new wb.CAMAPIClient({ apiToken: 'sandbox-token', serverURL: 'http://cam.test/cam', fetch });
  await cam.sendMessage('messenger', 'hi', false, 'a@x.com');
  assert.deepEqual(Object.keys(fetch.sent[0].headers).sort(), ['Content-Type', 'x-cam-apiToken']);
  assert.equal(fetch.sent[0].headers['x-cam-apiToken'], 'sandbox-token');
});

test('a credential quoted back in lower-case percent-encoding, unpadded base64 or base64url is masked too', async () => {
  const token = 'Abcdefgh+/123456?';
  const b64 = Buffer.from(token).toString('base64');
  const forms = {
    raw: token,
    pct: encodeURIComponent(token),
    pctLower: encodeURIComponent(token).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
    b64,
    b64NoPad: b64.replace(/=+$/, ''),
    b64url: Buffer.from(token).toString('base64url'),
  };
  const quote = Object.entries(forms)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const cam = new wb.CAMAPIClient({
    apiToken: token,
    serverURL: 'http://cam.test/cam',
    fetch: async () => {
      throw new Error('proxy said: ' + quote);
    },
  });
  const e = await cam.getConferenceRooms({ maxRetries: 0 }).then(
    () => assert.fail('resolved'),
    (e) => e,
  );
  assert.equal(e.code, 'NETWORK_ERROR');
  for (const [name, form] of Object.entries(forms)) assert.ok(!e.message.includes(form), `${name} leaks: ${e.message}`);
  assert.match(e.message, /raw=\*\*\* pct=\*\*\* pctLower=\*\*\* b64=\*\*\* b64NoPad=\*\*\* b64url=\*\*\*/);
});

test('a store-error event never holds the token the client fetched, though the store quotes it', async () => {
  const fetched = 'FETCHED-TOKEN-123456';
  const fetch = async (url) =>
    new Response(
      url.includes('/token/')
        ? `{"success":true,"errorCode":0,"data":{"accessToken":"${fetched}","expireIn":7200}}`
        : OK_YZJ,
    );
  const tokenStore = {
    get: async () => null,
    set: async (key, token, ttl) => {
      throw new Error(`SET ${key} ${token} PX ${ttl} failed`);
    },
  };
  const events = [];
  const yzj = new wb.YunzhijiaClient({
    baseURL: 'http://yzj.test/y',
    eid: '10109',
    secret: 'sandbox-secret',
    fetch,
    tokenStore,
    onEvent: (e) => events.push(e),
  });
  assert.equal(await yzj.roomBook.getActors({ orderId: 'a' }), 1);
  const storeErrors = events.filter((e) => e.type === 'store-error');
  assert.equal(storeErrors.length, 1);
  assert.match(storeErrors[0].message, /^SET workbridge:yunzhijia:token:.* \*\*\* PX \d+ failed$/);
  assert.ok(!JSON.stringify(events).includes(fetched));
});

test('roomBook.sync from an ISO-date lastTime yields a cursor that resumes', async () => {
  const seen = [];
  const fetch = async (url, init) => {
    seen.push(JSON.parse(init.body));
    return new Response(
      JSON.stringify({
        success: true,
        errorCode: 0,
        error: '',
        data: { add: [{ updateTime: 1538201890395 }], delete: [] },
      }),
    );
  };
  const yzj = new wb.YunzhijiaClient({ baseURL: 'http://yzj.test/y', accessToken: 'fixed-token', fetch });
  let lastTime = '2018-08-30';
  for await (const page of yzj.roomBook.sync({ eid: '10109', lastTime })) lastTime = page.lastTime;
  assert.equal(lastTime, 1538201890395);
  // A page with nothing new keeps the cursor it was given, as a number, for an ISO date too.
  const empty = new wb.YunzhijiaClient({
    baseURL: 'http://yzj.test/y',
    accessToken: 'fixed-token',
    fetch: async () => new Response(JSON.stringify({ success: true, errorCode: 0, data: { add: [], delete: [] } })),
  });
  const pages = [];
  for await (const page of empty.roomBook.sync({ eid: '10109', lastTime: '2018-08-30T00:00:00Z' })) pages.push(page);
  assert.deepEqual(
    pages.map((p) => p.lastTime),
    [Date.parse('2018-08-30T00:00:00Z')],
  );
  for await (const page of yzj.roomBook.sync({ eid: '10109', lastTime })) lastTime = page.lastTime;
  assert.equal(seen.length, 2);
  assert.equal(seen[1].lastTime, '1538201890395');
});

test('a fetch that rejects with something String() cannot print fails the call at once, nothing unhandled', async () => {
  const unhandled = [];
  const onUnhandled = (e) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  try {
    for (const thrown of [Object.create(null), { toString: () => ({}) }, Symbol('x')]) {
      const cam = new wb.CAMAPIClient({
        apiToken: 't0ken',
        serverURL: 'http://cam.test/cam',
        fetch: async () => {
          throw thrown;
        },
      });
      const t0 = Date.now();
      const e = await cam.getConferenceRooms({ timeoutMs: 5000, maxRetries: 0 }).then(
        () => assert.fail('resolved'),
        (e) => e,
      );
      assert.equal(e.code, 'NETWORK_ERROR', e.message);
      assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
    }
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test("a call's deadlineMs bounds its wait for a Yunzhijia token; the token request goes on for the next call", async () => {
  let release;
  const gate = new Promise((r) => (release = r));
  let tokenRequests = 0;
  const fetch = async (url) => {
    if (url.includes('/token/')) {
      tokenRequests++;
      await gate;
      return new Response('{"success":true,"errorCode":0,"data":{"accessToken":"slow-token-1","expireIn":7200}}');
    }
    return new Response(OK_YZJ);
  };
  const yzj = new wb.YunzhijiaClient({ baseURL: 'http://yzj.test/y', eid: '10109', secret: 's3cret', fetch });
  const t0 = Date.now();
  const e = await yzj.roomBook.getActors({ orderId: 'a' }, { deadlineMs: 150 }).then(
    () => assert.fail('resolved'),
    (e) => e,
  );
  const took = Date.now() - t0;
  assert.equal(e.code, 'TIMEOUT', e.message);
  assert.match(e.message, /deadlineMs \(150 ms\)/);
  assert.ok(took >= 140 && took < 1500, `took ${took} ms`);
  const next = yzj.roomBook.getActors({ orderId: 'b' });
  release();
  assert.equal(await next, 1);
  assert.equal(tokenRequests, 1);
});

test('qing.call through a relay that never answers ends with TIMEOUT after its timeoutMs, and the request is torn down', async () => {
  let init;
  let body;
  wb.qing.config({
    relay: 'http://relay.test',
    fetch: (url, i) => {
      init = i;
      body = JSON.parse(i.body);
      return new Promise((_, reject) => i.signal.addEventListener('abort', () => reject(i.signal.reason)));
    },
  });
  const calls = [];
  const t0 = Date.now();
  const res = await wb.qing.call('cam.getConferenceRooms', {
    timeoutMs: 200,
    error: (r) => calls.push(['error', r.errorCode]),
    complete: () => calls.push(['complete']),
  });
  assert.equal(res.success, 'false');
  assert.equal(res.errorCode, 'TIMEOUT');
  assert.ok(Date.now() - t0 < 2000);
  assert.deepEqual(calls, [['error', 'TIMEOUT'], ['complete']]);
  assert.equal(init.signal.aborted, true);
  assert.deepEqual(body, {}, 'timeoutMs is not forwarded');
  const bad = await wb.qing.call('cam.getConferenceRooms', { timeoutMs: -1 });
  assert.equal(bad.errorCode, 'INVALID_ARGUMENT');
});

test('qing.call with params it cannot read answers a failure to the callbacks, never throws', async () => {
  wb.qing.config({ cam: { apiToken: 'sandbox-token', serverURL: 'http://cam.test/cam' } });
  const calls = [];
  const params = {
    panelName: 'messenger',
    error: (r) => calls.push(['error', r.errorCode]),
    complete: () => calls.push(['complete']),
    get isOpened() {
      throw new Error('getter failed');
    },
  };
  let promise;
  assert.doesNotThrow(() => (promise = wb.qing.call('cam.sendMessage', params)));
  const res = await promise;
  assert.equal(res.success, 'false');
  assert.equal(res.errorCode, 'INVALID_ARGUMENT');
  assert.match(res.error, /getter failed/);
  assert.deepEqual(calls, [['error', 'INVALID_ARGUMENT'], ['complete']]);
});

test('a Yunzhijia dryRun shows the accessToken the request carries, masked, as it is sent', async () => {
  const fetch = recording('{"success":true,"errorCode":0,"data":[]}');
  const yzj = new wb.YunzhijiaClient({ baseURL: 'http://yzj.test/y', accessToken: 'fixed-token', fetch });
  const dry = yzj.dryRun('meeting.queryByDay', { day: '2030-12-02' });
  await yzj.meeting.queryByDay({ day: '2030-12-02' });
  assert.equal(fetch.sent[0].url, 'http://yzj.test/y/gateway/cloudwork/meeting/queryByDay?accessToken=fixed-token');
  assert.equal(dry.url, 'http://yzj.test/y/gateway/cloudwork/meeting/queryByDay?accessToken=***');
});

test('diagnostics.maskRequest masks the other carriers of a credential: proxy and cookie headers, user:pass@, access_token', () => {
  const masked = wb.diagnostics.maskRequest({
    method: 'GET',
    url: 'http://user:pa55word@api.test/x?access_token=AT-1&page=2',
    headers: { 'Proxy-Authorization': 'Basic dXNlcjpwYTU1d29yZA==', Cookie: 'session=S3SS10N', Accept: 'text/plain' },
    body: null,
  });
  assert.deepEqual(masked, {
    method: 'GET',
    url: 'http://***@api.test/x?access_token=***&page=2',
    headers: { 'Proxy-Authorization': '***', Cookie: '***', Accept: 'text/plain' },
    body: null,
  });
});

test('an already-aborted signal sends nothing and says so: one error event, no request event, attempt 0', async () => {
  const events = [];
  let sent = 0;
  const cam = new wb.CAMAPIClient({
    apiToken: 't0ken',
    serverURL: 'http://cam.test/cam',
    fetch: async () => {
      sent++;
      return new Response(OK_CAM);
    },
    onEvent: (e) => events.push(e),
  });
  const e = await cam.getConferenceRooms({ signal: AbortSignal.abort() }).then(
    () => assert.fail('resolved'),
    (e) => e,
  );
  assert.equal(e.code, 'ABORTED');
  assert.equal(sent, 0);
  assert.deepEqual(
    events.map((e) => [e.type, e.attempt, e.url]),
    [['error', 0, undefined]],
  );
});

test("qing.call's own CAM client never becomes getAPIClient()'s: the first one the user makes does", async () => {
  // A fresh copy of the package, in which no client has been made yet.
  const require = createRequire(join(work, 'package.json'));
  for (const k of Object.keys(require.cache))
    if (k.includes(`${join('node_modules', 'workbridge')}`)) delete require.cache[k];
  const fresh = require('workbridge');
  const fetch = recording(OK_CAM);
  fresh.qing.config({ cam: { apiToken: 'sandbox-token', serverURL: 'http://cam.test/cam', fetch } });
  assert.equal((await fresh.qing.call('cam.getConferenceRooms', {})).success, 'true');
  assert.throws(() => fresh.getAPIClient(), { code: 'INVALID_ARGUMENT' });
  const mine = new fresh.CAMAPIClient({ apiToken: 'sandbox-token', serverURL: 'http://cam.test/cam', fetch });
  assert.equal(fresh.getAPIClient(), mine);
});

test('a timeout under 1 ms is refused as its message says, for the client and for a call', async () => {
  const fetch = recording(OK_CAM);
  for (const timeoutMs of [0.5, 0, -1]) {
    refused(
      () => new wb.CAMAPIClient({ apiToken: 't0ken', serverURL: 'http://cam.test/cam', fetch, timeoutMs }),
      'timeoutMs',
    );
  }
  const cam = new wb.CAMAPIClient({ apiToken: 't0ken', serverURL: 'http://cam.test/cam', fetch });
  const e = await cam.getConferenceRooms({ timeoutMs: 0.5 }).then(
    () => assert.fail('resolved'),
    (e) => e,
  );
  assert.equal(e.code, 'INVALID_ARGUMENT');
  assert.match(e.message, /from 1 to 86400000/);
  assert.equal(fetch.sent.length, 0);
  await cam.getConferenceRooms({ timeoutMs: 1.5 });
  assert.equal(fetch.sent.length, 1);
});
