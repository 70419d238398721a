// Reliability rehearsed against the sandbox's injected faults: retries that never send twice,
// timeouts, deadlines and abort that leave nothing behind, no loss in bulk, random arguments
// against a server answering at random, no secret in any error, and memory that stays flat.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as wb from '../../pkg/index.mjs';
import { startSandbox, createSandbox, sandboxFetch } from '../../pkg/sandbox/index.mjs';

let s;
const TOKEN = 'sandbox-token';
const SECRETS = ['sandbox-token', 'sandbox-secret', 'sandbox-key', 'rel-secret-77aa', 'rel-key-88bb', 'rel-token-99cc'];
const allErrors = [];

async function messages() {
  return (await (await fetch(`${s.url}/cam/_sandbox/messages`)).json()).messages;
}
function cam(extra = {}) {
  return new wb.CAMAPIClient({ apiToken: TOKEN, serverURL: `${s.url}/cam`, ...extra });
}
/** Awaits `p`, expecting a WorkbridgeError; records it for the secret scan. */
async function failure(p) {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof wb.WorkbridgeError, `not a WorkbridgeError: ${e}`);
    allErrors.push(e);
    return e;
  }
  assert.fail('expected a rejection');
}

before(async () => {
  s = await startSandbox({ port: 0, log: null });
});
after(async () => {
  await s.close();
});

test('a read answered 503 twice is retried and succeeds; a write answered 503 is not retried and says so', async () => {
  s.setFaults('cam.getConferenceMaster:503x2');
  assert.equal((await cam().getConferenceMaster()).conferenceRooms.length, 3);
  s.setFaults('cam.sendMessage:503x1');
  const before = (await messages()).length;
  const e = await failure(cam().sendMessage('messenger', 'once?', false, ['a@x.com']));
  assert.deepEqual([e.code, e.status, e.retryable], ['HTTP_ERROR', 503, false]);
  assert.match(e.message, /not retried/);
  assert.equal((await messages()).length, before, 'the refused write took no effect and was not resent');
  s.setFaults('');
});

test('429 with Retry-After is waited for, even for writes, and the message arrives once', async () => {
  s.setFaults('cam.sendMessage:429=1x1');
  const before = (await messages()).length;
  const started = Date.now();
  await cam().sendMessage('messenger', 'after 429', false, ['a@x.com']);
  assert.ok(Date.now() - started >= 950, `waited ${Date.now() - started} ms`);
  const sent = (await messages()).slice(before);
  assert.deepEqual(
    sent.map((m) => m.message),
    ['after 429'],
  );
  s.setFaults('');
});

test('a write whose connection drops after it took effect is reported, not repeated', async () => {
  s.setFaults('cam.sendMessage:drop-afterx1');
  const before = (await messages()).length;
  const e = await failure(cam().sendMessage('messenger', 'maybe', false, ['a@x.com']));
  assert.equal(e.code, 'NETWORK_ERROR');
  assert.match(e.message, /may have arrived/);
  assert.equal((await messages()).length, before + 1, 'it arrived exactly once');
  s.setFaults('cam.getConferenceRooms:dropx1');
  assert.equal((await cam().getConferenceRooms()).conferenceRooms.length, 3, 'a read is retried after a drop');
  s.setFaults('');
});

test('malformed bodies are BAD_RESPONSE for every vendor', async () => {
  s.setFaults('*:malformed');
  const yzj = new wb.YunzhijiaClient({ baseURL: `${s.url}/yunzhijia`, accessToken: 'whatever' });
  const xx = new wb.XuanxuanClient({ serverURL: `${s.url}/xuanxuan`, code: 'sandbox', key: 'sandbox-key' });
  const ytx = new wb.YtxClient({
    baseURL: `${s.url}/ytx`,
    accountSID: 'sandbox-sid',
    authToken: TOKEN,
    appid: 'sandbox-app',
  });
  for (const p of [
    cam().getConferenceRooms(),
    xx.getGroupChats(),
    ytx.queryMeeting({ meetingcount: 1 }),
    yzj.meeting.queryByDay({ day: '2030-12-03' }),
  ]) {
    assert.equal((await failure(p)).code, 'BAD_RESPONSE');
  }
  s.setFaults('');
});

test('timeouts: a read is retried then TIMEOUT; a write is tried once; the deadline bounds the whole call', async () => {
  s.setFaults('cam:latency=400');
  let t = Date.now();
  const read = await failure(cam({ timeoutMs: 100, maxRetries: 1 }).getConferenceRooms());
  assert.deepEqual([read.code, read.retryable], ['TIMEOUT', true]);
  assert.match(read.message, /after 2 attempts/);
  t = Date.now();
  const write = await failure(cam({ timeoutMs: 100 }).sendMessage('messenger', 'slow', false, ['a@x.com']));
  assert.deepEqual([write.code, write.retryable], ['TIMEOUT', false]);
  assert.ok(Date.now() - t < 350, 'one attempt only');
  t = Date.now();
  const bounded = await failure(cam({ timeoutMs: 300, maxRetries: 10 }).getConferenceRooms({ deadlineMs: 500 }));
  assert.equal(bounded.code, 'TIMEOUT');
  assert.ok(Date.now() - t < 900, `the deadline held: ${Date.now() - t} ms`);
  s.setFaults('');
});

test('concurrent timeouts each end at their own time, a shorter one started later first; a finished call keeps no process alive', async () => {
  s.setFaults('cam:latency=1500');
  const t = Date.now();
  const ended = {};
  const call = (name, timeoutMs, delay) =>
    new Promise((r) => setTimeout(r, delay))
      .then(() => failure(cam({ timeoutMs, maxRetries: 0 }).sendMessage('messenger', name, false, ['a@x.com'])))
      .then((e) => {
        ended[name] = [e.code, Date.now() - t];
      });
  await Promise.all([call('long', 900, 0), call('short', 200, 100), call('middle', 500, 0)]);
  s.setFaults('');
  const order = Object.entries(ended).sort((a, b) => a[1][1] - b[1][1]);
  assert.deepEqual(
    order.map(([n, [code]]) => [n, code]),
    [
      ['short', 'TIMEOUT'],
      ['middle', 'TIMEOUT'],
      ['long', 'TIMEOUT'],
    ],
    JSON.stringify(ended),
  );
  for (const [name, due] of [
    ['short', 300],
    ['middle', 500],
    ['long', 900],
  ]) {
    const at = ended[name][1];
    assert.ok(at >= due - 5 && at < due + 400, `${name} ended at ${at} ms, due at ${due}`);
  }
  // A script whose one call is answered exits at once, though the call's timeout was 30 s.
  const script = `import('${new URL('../../pkg/index.mjs', import.meta.url).href}').then(async (wb) => {
    const c = new wb.CAMAPIClient({ apiToken: '${TOKEN}', serverURL: '${s.url}/cam', timeoutMs: 30000 });
    const r = await c.sendMessage('messenger', 'exit promptly', false, ['a@x.com']);
    console.log(r.messageId ? 'sent' : 'no id');
  });`;
  const started = Date.now();
  const { execFile } = await import('node:child_process');
  const out = await new Promise((resolve, reject) =>
    execFile(process.execPath, ['-e', script], (err, stdout) => (err ? reject(err) : resolve(stdout))),
  );
  assert.equal(out.trim(), 'sent');
  assert.ok(Date.now() - started < 5000, `the process lingered ${Date.now() - started} ms`);
});

test('abort ends a call with ABORTED and leaves no timer behind', async () => {
  s.setFaults('cam:latency=300');
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = timers();
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const e = await failure(cam().getConferenceRooms({ signal: controller.signal }));
  assert.equal(e.code, 'ABORTED');
  assert.equal(e.operation, 'getConferenceRooms');
  await new Promise((r) => setTimeout(r, 400)); // the sandbox server's own latency timer ends
  assert.ok(timers() <= before, `timers left: ${timers()} > ${before}`);
  s.setFaults('');
});

test('2,000 concurrent sends under faults: each delivered once or reported failed with its reason', async () => {
  s.setFaults(
    'cam.sendMessage:503@0.05,cam.sendMessage:429=0@0.1,cam.sendMessage:drop-after@0.02,cam.sendMessage:latency=5@0.3',
  );
  const client = cam({ maxRetries: 3 });
  const before = (await messages()).length;
  const results = await Promise.allSettled(
    Array.from({ length: 2000 }, (_, i) => client.sendMessage('messenger', `bulk-${i}`, false, ['a@x.com'])),
  );
  s.setFaults('');
  const delivered = (await messages()).slice(before).map((m) => m.message);
  const counts = new Map();
  for (const m of delivered) counts.set(m, (counts.get(m) ?? 0) + 1);
  assert.ok(
    [...counts.values()].every((n) => n === 1),
    'no message delivered twice',
  );
  let ok = 0;
  let maybe = 0;
  let refused = 0;
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') {
      ok += 1;
      assert.equal(counts.get(`bulk-${i}`), 1, `bulk-${i} resolved but was not delivered`);
    } else {
      allErrors.push(r.reason);
      assert.ok(r.reason instanceof wb.WorkbridgeError);
      // Dropped after it took effect, or timed out on a loaded machine: "may have arrived".
      if (r.reason.code === 'NETWORK_ERROR' || r.reason.code === 'TIMEOUT') {
        maybe += 1;
        assert.match(r.reason.message, /may have arrived/);
      } else {
        refused += 1;
        assert.equal(counts.get(`bulk-${i}`), undefined, `bulk-${i} was refused but delivered`);
      }
      assert.ok(r.reason.message.length > 20);
    }
  });
  assert.equal(ok + maybe + refused, 2000);
  assert.ok(delivered.length >= ok && delivered.length <= ok + maybe, `${delivered.length} delivered`);
  assert.ok(ok > 1700 && refused > 0 && maybe > 0, `ok ${ok}, maybe ${maybe}, refused ${refused}`);
  console.log(`2000 sends: ${ok} delivered, ${maybe} dropped after delivery (reported), ${refused} refused (reported)`);
});

test('a batch of 5,000 items goes in one request and every item arrives', async () => {
  const before = (await messages()).length;
  const items = Array.from({ length: 5000 }, (_, i) => ({ message: `item ${i} & 会议 😀`, users: ['a@x.com'] }));
  const res = await cam().sendMessages(items);
  assert.equal(res.messageIds.length, 5000);
  // Only this test's items: a write of the test before that timed out may still arrive.
  const arrived = (await messages()).slice(before).filter((m) => m.message.startsWith('item '));
  assert.equal(arrived.length, 5000);
  assert.equal(arrived[4999].message, 'item 4999 & 会议 😀');
});

/** Random values of every awkward kind a caller might pass. */
function randomValue(rnd, depth = 0) {
  const pick = Math.floor(rnd() * 16);
  switch (pick) {
    case 0:
      return undefined;
    case 1:
      return null;
    case 2:
      return Number.NaN;
    case 3:
      return 10n ** 20n;
    case 4:
      return () => 1;
    case 5:
      return new Date(Number.NaN);
    case 6:
      return new Date(1_700_000_000_000);
    case 7:
      return '\ud800 lone surrogate';
    case 8:
      return 'x'.repeat(100_000);
    case 9:
      return Symbol('s');
    case 10:
      return -0;
    case 11:
      return 1e308 * 10;
    case 12:
      return depth < 3 ? [randomValue(rnd, depth + 1), randomValue(rnd, depth + 1)] : [];
    case 13:
      return depth < 3
        ? { title: randomValue(rnd, depth + 1), users: randomValue(rnd, depth + 1), day: randomValue(rnd, depth + 1) }
        : {};
    case 14:
      return 'user1@xxx.com';
    default:
      return Math.floor(rnd() * 100);
  }
}

test('every exported method survives random arguments against a server answering at random', async () => {
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const bodies = [
    '',
    '{',
    '<html>',
    '{"success":true,"data":',
    '[1,2',
    '{"result":"fail","message":"rel-key-88bb"}',
    '{"statusCode":"-2"}',
    `${'['.repeat(5000)}`,
    '{"success":false,"errorCode":1,"error":"rel-token-99cc leaked?"}',
    '{"a":1e400}',
  ];
  const randomFetch = async () => {
    const r = rnd();
    if (r < 0.1) throw new TypeError('socket hang up');
    if (r < 0.15) return 42;
    if (r < 0.2) return new Promise((_, reject) => setTimeout(() => reject(new Error('late')), 5));
    return new Response(bodies[Math.floor(rnd() * bodies.length)], {
      status: [200, 200, 400, 401, 429, 500, 503][Math.floor(rnd() * 7)],
    });
  };
  const opts = { fetch: randomFetch, maxRetries: 1, timeoutMs: 50 };
  const clients = [
    new wb.CAMAPIClient({ apiToken: 'rel-token-99cc', serverURL: 'http://x.test', ...opts }),
    new wb.YunzhijiaClient({ eid: '10109', secret: 'rel-secret-77aa', baseURL: 'http://y.test', ...opts }),
    new wb.YunzhijiaClient({ accessToken: async () => 'rel-token-99cc', baseURL: 'http://y.test', ...opts }),
    new wb.XuanxuanClient({ serverURL: 'http://z.test', code: 'c', key: 'rel-key-88bb', ...opts }),
    new wb.YtxClient({ accountSID: 'sid', authToken: 'rel-token-99cc', appid: 'a', env: 'sandbox', ...opts }),
  ];
  const methods = [];
  for (const c of clients) {
    for (const [vendor, ops] of Object.entries(wb.operations)) {
      for (const op of ops) {
        const [area, name] = op.name.includes('.') ? op.name.split('.') : [null, op.name];
        const target = area ? c[area] : c;
        if (target && typeof target[name] === 'function') methods.push([vendor, (...a) => target[name](...a)]);
      }
    }
  }
  wb.qing.config({ cam: { apiToken: 'rel-token-99cc', serverURL: 'http://x.test', ...opts } });
  let calls = 0;
  const pending = [];
  for (let round = 0; round < 200; round++) {
    for (const [, call] of methods) {
      const args = Array.from({ length: Math.floor(rnd() * 4) }, () => randomValue(rnd));
      calls += 1;
      pending.push(
        Promise.resolve()
          .then(() => call(...args))
          .then(
            () => null,
            (e) => e,
          ),
      );
    }
    calls += 3;
    pending.push(
      wb.qing
        .call(['cam.sendMessage', 'meeting.create', 'createLive', 'x.y'][round % 4], randomValue(rnd))
        .then((r) => {
          assert.ok(r.success === 'true' || r.success === 'false', JSON.stringify(r));
          return null;
        }),
    );
    for (const f of [
      () => wb.xuanxuanToken(randomValue(rnd), randomValue(rnd)),
      () => wb.ytxSign(randomValue(rnd), 'a', 'b'),
      () => wb.YunzhijiaClient.historyUrl(randomValue(rnd)),
    ]) {
      try {
        f();
      } catch (e) {
        pending.push(Promise.resolve(e));
      }
    }
    for (const ctor of [wb.CAMAPIClient, wb.YunzhijiaClient, wb.XuanxuanClient, wb.YtxClient]) {
      calls += 1;
      try {
        new ctor(randomValue(rnd));
      } catch (e) {
        pending.push(Promise.resolve(e));
      }
    }
  }
  const outcomes = await Promise.all(pending);
  for (const e of outcomes.filter(Boolean)) {
    assert.ok(e instanceof wb.WorkbridgeError, `not a WorkbridgeError: ${e && e.stack}`);
    assert.ok(typeof e.code === 'string' && e.message.length > 0);
    allErrors.push(e);
  }
  console.log(`${calls} random calls, ${outcomes.filter(Boolean).length} rejections, all WorkbridgeError`);
  // The module still works.
  const healthy = new wb.CAMAPIClient({
    apiToken: TOKEN,
    serverURL: 'http://sb.test/cam',
    fetch: sandboxFetch(createSandbox()),
  });
  assert.equal((await healthy.getConferenceMaster()).conferenceRooms.length, 3);
});

test('no error produced above carries a secret, in its message or any property', () => {
  assert.ok(allErrors.length > 1000, `${allErrors.length} errors scanned`);
  console.log(
    `${allErrors.length} errors scanned for ${SECRETS.length} secrets in raw, percent-encoded and base64 form`,
  );
  for (const e of allErrors) {
    const text = JSON.stringify({ ...e, message: e.message, stack: e.stack });
    for (const secret of SECRETS) {
      for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')])
        assert.ok(!text.includes(form), `${form} (${secret}) in ${text}`);
    }
  }
});

test('memory stays flat over 100,000 calls', async () => {
  // A minimal fetch, so that what is measured is this module, not Node's HTTP stack.
  const body = JSON.stringify({
    errors: null,
    conferenceRoomStatus: { yyyyMMdd: '201908', conferenceRooms: [{ id: 'room-a', reservedSchedules: [] }] },
  });
  const answer = { status: 200, headers: { get: () => null }, text: async () => body };
  const client = new wb.CAMAPIClient({ apiToken: TOKEN, serverURL: 'http://sb.test/cam', fetch: async () => answer });
  const run = async (n) => {
    for (let i = 0; i < n; i++) await client.getConferenceRoomStatus('201908');
  };
  await run(1_000);
  const wasmAfter1k = wb.diagnostics.wasmMemoryBytes();
  global.gc?.();
  const heapAfter1k = process.memoryUsage().heapUsed;
  await run(99_000);
  global.gc?.();
  const wasmAfter100k = wb.diagnostics.wasmMemoryBytes();
  const heapAfter100k = process.memoryUsage().heapUsed;
  console.log(
    `wasm memory ${wasmAfter1k} -> ${wasmAfter100k} bytes; JS heap ${(heapAfter1k / 2 ** 20).toFixed(1)} -> ${(heapAfter100k / 2 ** 20).toFixed(1)} MiB`,
  );
  assert.equal(wasmAfter100k, wasmAfter1k, 'the wasm memory did not grow');
  assert.ok(heapAfter100k - heapAfter1k < 16 * 2 ** 20, 'the JS heap did not grow beyond noise');
});

// A call's first attempt starts inside the wasm's `start`, and the facade picks its promise up
// as `start` returns: a call made from inside `fetch` or from an `onEvent` hook, while the outer
// call is being started, must neither take the outer's attempt nor make it send twice.
test('calls made from inside fetch and from an onEvent hook each send once and get their own answer', async () => {
  const sent = [];
  let nested;
  const client = new wb.CAMAPIClient({
    apiToken: TOKEN,
    serverURL: 'http://nested.test/cam',
    fetch: async (url, init) => {
      const message = JSON.parse(new URLSearchParams(init.body).get('message')).message;
      sent.push(message);
      if (message === 'outer') nested = client.sendMessage('messenger', 'inner', false, ['a@x.com']);
      return new Response(JSON.stringify({ errors: null, echo: message }), { status: 200 });
    },
  });
  const outer = await client.sendMessage('messenger', 'outer', false, ['a@x.com']);
  assert.equal(outer.echo, 'outer');
  assert.equal((await nested).echo, 'inner');
  assert.deepEqual(sent, ['outer', 'inner']);

  const hooked = [];
  let fromHook;
  let hookCalled = false;
  const watched = new wb.CAMAPIClient({
    apiToken: TOKEN,
    serverURL: 'http://hooked.test/cam',
    onEvent: (e) => {
      if (e.type !== 'request' || hookCalled) return;
      hookCalled = true;
      fromHook = watched.getConferenceMaster();
    },
    fetch: async (url) => {
      hooked.push(url.split('/').pop());
      return new Response(JSON.stringify({ errors: null, what: url.split('/').pop() }), { status: 200 });
    },
  });
  assert.equal((await watched.getConferenceRooms()).what, 'getConferenceRooms');
  assert.equal((await fromHook).what, 'getConferenceMaster');
  assert.deepEqual(hooked.sort(), ['getConferenceMaster', 'getConferenceRooms']);
});

test('many clients interleaved each send their own URL and headers, and a fetch that changes its headers changes no later request', async () => {
  // The transport keeps the last heads (method, URL, headers) by key and forgets the oldest:
  // 40 clients, more than it keeps, called in turn and then in reverse, each with its own token.
  const seen = [];
  const record = async (url, init) => {
    seen.push({ url, headers: { ...init.headers } });
    init.headers['X-Changed-By-Fetch'] = 'yes';
    const id = new URL(url).searchParams.get('accessToken');
    return new Response(JSON.stringify({ success: true, errorCode: 0, data: { id } }), { status: 200 });
  };
  const clients = Array.from(
    { length: 40 },
    (_, i) => new wb.YunzhijiaClient({ baseURL: `http://heads${i % 3}.test`, accessToken: `tok-${i}`, fetch: record }),
  );
  const meeting = { openid: 'o1', title: 't', startDate: 1_800_000_000_000, endDate: 1_800_000_600_000, actors: ['a'] };
  const order = [...clients.keys(), ...[...clients.keys()].reverse(), ...clients.keys()];
  for (const i of order) assert.deepEqual(await clients[i].meeting.create(meeting), { id: `tok-${i}` });
  // Concurrent calls of them all at once, too.
  const all = await Promise.all(clients.map((c) => c.meeting.create(meeting)));
  assert.deepEqual(
    all.map((d) => d.id),
    clients.map((_, i) => `tok-${i}`),
  );
  const sent = [...order, ...clients.keys()];
  assert.equal(seen.length, sent.length);
  seen.forEach(({ url, headers }, n) => {
    const i = sent[n];
    assert.equal(url, `http://heads${i % 3}.test/gateway/cloudwork/meeting/create?accessToken=tok-${i}`);
    assert.deepEqual(headers, { 'Content-Type': 'application/json' });
  });

  // A CAM client's header carries its token: two clients in turn, each its own.
  const camSeen = [];
  const camRecord = async (url, init) => {
    camSeen.push(init.headers['x-cam-apiToken']);
    init.headers['x-cam-apiToken'] = 'changed-by-fetch';
    return new Response(JSON.stringify({ errors: null }), { status: 200 });
  };
  const a = new wb.CAMAPIClient({ apiToken: 'token-a', serverURL: 'http://cam.test/cam', fetch: camRecord });
  const b = new wb.CAMAPIClient({ apiToken: 'token-b', serverURL: 'http://cam.test/cam', fetch: camRecord });
  for (let k = 0; k < 3; k++) {
    await a.getConferenceRooms();
    await b.getConferenceRooms();
  }
  assert.deepEqual(camSeen, ['token-a', 'token-b', 'token-a', 'token-b', 'token-a', 'token-b']);
});

test("each attempt sends its own call's body: first and retried, from inside fetch and a hook, heads let go", async () => {
  // A Yunzhijia body that is the params' own JSON goes out as the text the facade holds; every
  // other path sends the body the wasm wrote. Whatever the path, each request carries its call's.
  const seen = [];
  let failNext = 0;
  let nested;
  const meeting = (title) => ({ openid: 'o1', title, startDate: 1_800_000_000_000, endDate: 1_800_000_600_000 });
  const record = async (url, init) => {
    const body = JSON.parse(init.body);
    seen.push({ token: new URL(url).searchParams.get('accessToken'), body: init.body });
    if (body.title === 'outer' && !nested) nested = plain[1].meeting.create(meeting('inner'));
    if (failNext > 0) {
      failNext--;
      return new Response('busy', { status: 503 });
    }
    return new Response(JSON.stringify({ success: true, errorCode: 0, data: { echo: init.body } }), { status: 200 });
  };
  // More clients than the heads the transport keeps, called in turn: each first attempt after the
  // first round finds its head let go.
  const plain = Array.from(
    { length: 20 },
    (_, i) => new wb.YunzhijiaClient({ baseURL: 'http://bodies.test', accessToken: `tok-${i}`, fetch: record }),
  );
  const expect = [];
  const call = async (client, i, params, op = 'create') => {
    const text = JSON.stringify(params);
    const r = op === 'create' ? await client.meeting.create(params) : await client.meeting.queryByDay(params);
    assert.deepEqual(r, { echo: text });
    return text;
  };
  for (let round = 0; round < 2; round++)
    for (let i = 0; i < plain.length; i++)
      expect.push([`tok-${i}`, await call(plain[i], i, meeting(`m${round}-${i}`))]);
  // A read answered 503 is retried: the retry carries the same body.
  failNext = 1;
  const day = { day: 1_800_000_000_000 };
  await call(plain[2], 2, day, 'queryByDay');
  expect.push(['tok-2', JSON.stringify(day)], ['tok-2', JSON.stringify(day)]);
  // A call made from inside fetch, by another client, while the outer one is being sent.
  await call(plain[0], 0, meeting('outer'));
  expect.push(['tok-0', JSON.stringify(meeting('outer'))], ['tok-1', JSON.stringify(meeting('inner'))]);
  assert.deepEqual(await nested, { echo: JSON.stringify(meeting('inner')) });
  // A hook runs before its call's first attempt; a call it makes of a client without one must
  // not lend the hooked call its text.
  let fromHook;
  const hooked = new wb.YunzhijiaClient({
    baseURL: 'http://bodies.test',
    accessToken: 'tok-hooked',
    fetch: record,
    onEvent: (e) => {
      if (e.type === 'request' && !fromHook) fromHook = plain[3].meeting.create(meeting('from the hook'));
    },
  });
  await call(hooked, -1, meeting('hooked'));
  assert.deepEqual(await fromHook, { echo: JSON.stringify(meeting('from the hook')) });
  expect.push(['tok-3', JSON.stringify(meeting('from the hook'))], ['tok-hooked', JSON.stringify(meeting('hooked'))]);
  assert.deepEqual(
    seen.map(({ token, body }) => [token, body]),
    expect,
  );
});

test('every attempt gets a signal of its own, live when fetch gets it; a timeout aborts only its own', async () => {
  // The transport keeps AbortControllers made ahead of time: none may be handed out twice, or
  // aborted, and a timed-out attempt must tear down its own request and no other.
  const given = [];
  const fetch = (url, init) => {
    const hang = JSON.parse(new URLSearchParams(init.body).get('message')).message.startsWith('hang');
    given.push({ signal: init.signal, hang, abortedAtCall: init.signal.aborted });
    if (!hang) return Promise.resolve(new Response(JSON.stringify({ errors: null }), { status: 200 }));
    return new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason)));
  };
  const client = new wb.CAMAPIClient({ apiToken: TOKEN, serverURL: 'http://signals.test/cam', fetch });
  const send = (m, opts) => client.sendMessage('messenger', m, false, ['a@x.com'], opts);
  for (let i = 0; i < 10; i++) await send(`one by one ${i}`);
  const burst = await Promise.allSettled(
    Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? send(`hang ${i}`, { timeoutMs: 60 }) : send(`quick ${i}`))),
  );
  burst.forEach((r, i) => assert.equal(r.status, i % 3 === 0 ? 'rejected' : 'fulfilled', `call ${i}`));
  burst.filter((_, i) => i % 3 === 0).forEach((r) => assert.equal(r.reason.code, 'TIMEOUT'));
  for (let i = 0; i < 10; i++) await send(`after ${i}`);
  assert.equal(given.length, 44);
  assert.equal(new Set(given.map((g) => g.signal)).size, 44, 'a signal was handed to two attempts');
  assert.deepEqual(
    given.filter((g) => g.abortedAtCall),
    [],
  );
  for (const g of given)
    assert.equal(g.signal.aborted, g.hang, `${g.hang ? 'a hung' : 'an answered'} attempt's signal`);
});

test('a client with an onEvent hook and one without read every answer alike', async () => {
  // The hook is told of each answer; it must change nothing of what the call resolves with.
  const deep = (n) => '{"a":['.repeat(n) + '0' + ']}'.repeat(n);
  const yunzhijia = [
    '{"success":true,"errorCode":0,"error":null,"data":{"id":"m1","title":"会议"}}',
    '{"success":true,"errorCode":200,"data":[1,2]}',
    '{"success":true,"data":null}',
    '{"success":true}',
    '{"success":"true","errorCode":"0","data":{"a":1}}',
    '{"success":true,"errorCode":5,"error":"nope"}',
    '{"success":true,"errorCode":401}',
    '{"success":false,"errorCode":0,"data":1}',
    '{"success":true,"errorCode":0,"error":{"x":1},"data":1}',
    '{"success":true,"errorCode":0,"error":"","data":{"big":1e400,"small":-1e999}}',
    `{"success":true,"errorCode":0,"data":${deep(100)}}`,
    `{"success":true,"errorCode":0,"error":${deep(100)}}`,
    '{"success":true,"errorCode":1e400}',
    '{"success":true,"errorCode":0,"data":1,"success":false}',
    '[1,2]',
    'null',
    '{"success":true,"data":',
  ];
  const cam = [
    '{"errors":null,"result":1}',
    '{"errors":[],"x":{"y":[1,"会议 😀"]}}',
    '{"errors":["a","b"]}',
    '{"errors":"text"}',
    '{"errors":{"a":1}}',
    '{"errors":[1e400]}',
    '{"x":1e400}',
    `{"x":${deep(100)}}`,
    '{"errors":null,"errors":5}',
    '[1]',
    '"x"',
    '<html>',
  ];
  let answer;
  const fetch = async () => new Response(answer[1], { status: answer[0] });
  const opts = { fetch, maxRetries: 0 };
  const meeting = { openid: 'o1', title: 't', startDate: 1_800_000_000_000, endDate: 1_800_000_600_000 };
  const kinds = [
    [
      yunzhijia,
      (o) => new wb.YunzhijiaClient({ accessToken: 't', baseURL: 'http://y.test', ...o }),
      (c) => c.meeting.create(meeting),
    ],
    [
      cam,
      (o) => new wb.CAMAPIClient({ apiToken: 't', serverURL: 'http://c.test', ...o }),
      (c) => c.getConferenceRooms(),
    ],
  ];
  const outcome = async (p) => {
    try {
      return { resolved: await p };
    } catch (e) {
      return { code: e.code, message: e.message, status: e.status };
    }
  };
  let quickOnes = 0;
  for (const [bodies, make, call] of kinds) {
    const quick = make(opts);
    const read = make({ ...opts, onEvent: () => {} });
    for (const status of [200, 201, 400, 404]) {
      for (const body of bodies) {
        answer = [status, body];
        const a = await outcome(call(quick));
        const b = await outcome(call(read));
        assert.deepEqual(a, b, `${status} ${body.slice(0, 60)}`);
        if ('resolved' in a) quickOnes++;
      }
    }
  }
  // Eight successes of each vendor under each 2xx status, and failures of every kind.
  assert.equal(quickOnes, 2 * 8 + 2 * 8);

  // A fetch of one's own may answer a status no Response can have: it is refused either way.
  const odd = async () => ({ status: 200.5, headers: { get: () => null }, text: async () => yunzhijia[0] });
  for (const [, make, call] of kinds) {
    const a = await outcome(call(make({ fetch: odd, maxRetries: 0 })));
    const b = await outcome(call(make({ fetch: odd, maxRetries: 0, onEvent: () => {} })));
    assert.deepEqual(a, b);
    assert.equal(a.code, 'BAD_RESPONSE');
  }
});
