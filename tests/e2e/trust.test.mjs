// Trust at the edges, tried from outside against the installed package: servers that redirect,
// answer 404 with a JSON body, quote credentials back, refuse connections, or answer 60 MB.
// One test per rule of "Common to every client": no credential leaves, nothing fails silently,
// nothing is sent twice.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { installPackage, loadBoth } from './helpers.mjs';

let wb;
let sandboxApi;
const errors = [];

before(async () => {
  const work = installPackage('trust');
  ({ esm: wb } = await loadBoth(work));
  sandboxApi = await import(`${work}/sandbox.mjs`);
});

/** A loopback server; `handler(req, body, res)`. Records every request it sees. */
async function serve(handler) {
  const seen = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    seen,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  };
}

async function rejection(p) {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof wb.WorkbridgeError, `not a WorkbridgeError: ${e && e.stack}`);
    errors.push(e);
    return e;
  }
  assert.fail('expected a rejection');
}

/** Every form a secret could leak in: raw, percent-encoded (query and form) and base64. */
function forms(secret) {
  return [
    ...new Set([
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
      Buffer.from(secret).toString('base64'),
    ]),
  ];
}
function assertNoSecret(e, secrets) {
  const text = JSON.stringify({ ...e, message: e.message, stack: e.stack });
  for (const s of secrets) for (const f of forms(s)) assert.ok(!text.includes(f), `${f} (a form of ${s}) in ${text}`);
}

// One call per vendor, each carrying its credentials, against `base`.
function vendorCalls(base, extra = {}) {
  return {
    cam: () =>
      new wb.CAMAPIClient({ apiToken: 'cam-Tok+en/99=', serverURL: `${base}/cam`, ...extra }).sendMessage(
        'messenger',
        'alert',
        false,
        ['a@x.com'],
      ),
    'yunzhijia (credentials)': () =>
      new wb.YunzhijiaClient({
        baseURL: `${base}/yzj`,
        eid: '10109',
        secret: 'yzj-secret+/=1',
        ...extra,
      }).meeting.queryByDay({ day: 1535558400000 }),
    'yunzhijia (fixed token)': () =>
      new wb.YunzhijiaClient({ baseURL: `${base}/yzj`, accessToken: 'yzj-fixed+/=tok', ...extra }).meeting.queryByDay({
        day: 1535558400000,
      }),
    xuanxuan: () =>
      new wb.XuanxuanClient({ serverURL: `${base}/xx`, code: 'app', key: 'xx-key-5566', ...extra }).getGroupChats(),
    ytx: () =>
      new wb.YtxClient({
        baseURL: `${base}/ytx`,
        accountSID: 'sid-1',
        authToken: 'ytx-token-7788',
        appid: 'a',
        ...extra,
      }).queryMeeting({ confid: '002', meetingcount: 1 }),
  };
}
const GIVEN = ['cam-Tok+en/99=', 'yzj-secret+/=1', 'yzj-fixed+/=tok', 'xx-key-5566', 'ytx-token-7788'];

test('redirects are never followed: 301/302/303/307/308 from every vendor reject and the foreign host gets nothing', async () => {
  const foreign = await serve((req, body, res) =>
    res
      .writeHead(200, { 'Content-Type': 'application/json' })
      .end('{"success":true,"errorCode":0,"data":{"accessToken":"x"},"result":"success","statusCode":"0"}'),
  );
  let tried = 0;
  try {
    for (const status of [301, 302, 303, 307, 308]) {
      const vendor = await serve((req, body, res) =>
        res.writeHead(status, { Location: `${foreign.url}/steal${req.url}` }).end(),
      );
      try {
        for (const [name, call] of Object.entries(vendorCalls(vendor.url, { maxRetries: 0 }))) {
          const e = await rejection(call());
          tried += 1;
          assert.equal(e.code, 'HTTP_ERROR', `${name} ${status}: ${e.message}`);
          assert.equal(e.status, status, name);
          assert.ok(e.message.includes(foreign.url), `${name} ${status} names the origin: ${e.message}`);
          assert.ok(!e.message.includes('/steal'), 'only the origin, not the path, is named');
          assertNoSecret(e, GIVEN);
        }
        assert.equal(vendor.seen.length, 5, 'each client asked its own server once');
      } finally {
        await vendor.close();
      }
    }
    assert.equal(foreign.seen.length, 0, `the foreign host received ${JSON.stringify(foreign.seen)}`);
    console.log(`${tried} redirects tried; the foreign host received ${foreign.seen.length} requests`);
  } finally {
    await foreign.close();
  }
});

test("a fetch of the caller's own that follows a redirect anyway is not believed", async () => {
  const following = async () => Object.assign(new Response('{"errors":null,"messageId":"m"}', { status: 200 }), {});
  const fake = async (url, init) => {
    const r = await following(url, init);
    Object.defineProperty(r, 'redirected', { value: true });
    Object.defineProperty(r, 'url', { value: 'http://evil.example:81/x' });
    return r;
  };
  const e = await rejection(
    new wb.CAMAPIClient({ apiToken: 'cam-Tok+en/99=', serverURL: 'http://cam.test', fetch: fake }).sendMessage(
      'messenger',
      'm',
      false,
      ['a@x.com'],
    ),
  );
  assert.equal(e.code, 'HTTP_ERROR');
  assert.match(e.message, /followed a redirect to http:\/\/evil\.example:81/);
});

test('every non-2xx rejects: a 404 with a JSON body is HTTP_ERROR for every vendor, and a token endpoint 404 is not AUTH_FAILED', async () => {
  const server = await serve((req, body, res) => {
    const status = req.url.includes('/forbidden') ? 403 : 404;
    res
      .writeHead(status, { 'Content-Type': 'application/json' })
      .end('{"errors":["no such path"],"success":true,"errorCode":0,"result":"success","statusCode":"0","data":{}}');
  });
  try {
    for (const [name, call] of Object.entries(vendorCalls(server.url))) {
      const e = await rejection(call());
      assert.deepEqual([e.code, e.status], ['HTTP_ERROR', 404], `${name}: ${e.message}`);
      assert.equal(e.retryable, false, name);
    }
    const e = await rejection(vendorCalls(`${server.url}/forbidden`).cam());
    assert.deepEqual([e.code, e.status], ['AUTH_FAILED', 403]);
  } finally {
    await server.close();
  }
});

test('no secret escapes: a server quoting back the URL, headers and body leaks no given, fetched or derived secret in any form', async () => {
  // The fetched tokens have the characters that change under percent-encoding.
  const FETCHED = ['fetched+Access/Tok=1', 'fetched+Refresh/Tok=2'];
  const quoted = [];
  const server = await serve((req, body, res) => {
    if (req.url.includes('getAccessToken')) {
      return res.writeHead(200, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({
          success: true,
          errorCode: 0,
          data: { accessToken: FETCHED[0], refreshToken: FETCHED[1], expireIn: 7200 },
        }),
      );
    }
    // Everything the request carried, and each query value and header also in base64, in the
    // vendor's own error fields.
    const values = [...new URL(req.url, 'http://x').searchParams.values(), ...Object.values(req.headers)];
    const echo = `${req.url} ${JSON.stringify(req.headers)} ${body} ${values.map((v) => Buffer.from(v).toString('base64')).join(' ')}`;
    quoted.push(echo);
    res.writeHead(500, { 'Content-Type': 'application/json' }).end(
      JSON.stringify({
        errors: [echo],
        success: false,
        errorCode: 500,
        error: echo,
        result: 'fail',
        message: echo,
        statusCode: '-1',
        statusMsg: echo,
      }),
    );
  });
  const derived = [];
  try {
    for (const [name, call] of Object.entries(vendorCalls(server.url, { maxRetries: 0 }))) {
      const e = await rejection(call());
      assert.ok(['HTTP_ERROR', 'VENDOR_ERROR'].includes(e.code), `${name}: ${e.code}`);
      assert.ok(e.vendorMessage || e.message, name);
    }
    // The derived secrets, read off what the server saw: XuanXuan's token, YTX's Sign and Authorization.
    for (const q of quoted) {
      for (const m of q.matchAll(/[?&](token|Sign|accessToken)=([^&\s"]+)/g)) derived.push(decodeURIComponent(m[2]));
      const auth = /"authorization":"([^"]+)"/.exec(q);
      if (auth) derived.push(auth[1]);
    }
    assert.ok(derived.length >= 4, `derived secrets found: ${derived}`);
    assert.ok(derived.includes(FETCHED[0]), 'the fetched token was sent');
    for (const e of errors) assertNoSecret(e, [...GIVEN, ...FETCHED, ...derived]);
  } finally {
    await server.close();
  }
});

test('a network error whose text quotes the URL leaks no signature, and a base URL with a password is refused naming the option', async () => {
  const quoting = async (url) => {
    throw new TypeError(`could not fetch ${url} (${Buffer.from(url).toString('base64')})`);
  };
  const e = await rejection(
    new wb.XuanxuanClient({
      serverURL: 'http://xx.test',
      code: 'app',
      key: 'xx-key-5566',
      fetch: quoting,
      maxRetries: 0,
    }).getGroupChats(),
  );
  assert.equal(e.code, 'NETWORK_ERROR');
  assert.match(e.message, /token=\*\*\*/);
  const y = await rejection(
    new wb.YtxClient({
      baseURL: 'http://ytx.test',
      accountSID: 'sid-1',
      authToken: 'ytx-token-7788',
      appid: 'a',
      fetch: quoting,
      maxRetries: 0,
    }).queryMeeting({ confid: '1', meetingcount: 1 }),
  );
  assert.match(y.message, /Sign=\*\*\*/);
  for (const [C, opts, field] of [
    [wb.CAMAPIClient, { apiToken: 't', serverURL: 'http://admin:pw-9911@cam.test:8080' }, 'serverURL'],
    [wb.YunzhijiaClient, { accessToken: 't', baseURL: 'https://u:pw-9911@yzj.test' }, 'baseURL'],
    [wb.XuanxuanClient, { serverURL: 'http://u:pw-9911@xx.test', code: 'c', key: 'k' }, 'serverURL'],
    [wb.YtxClient, { baseURL: 'http://u:pw-9911@ytx.test', accountSID: 's', authToken: 't', appid: 'a' }, 'baseURL'],
  ]) {
    let thrown;
    try {
      new C(opts);
    } catch (x) {
      thrown = x;
    }
    assert.ok(thrown instanceof wb.WorkbridgeError, `${C.name}: ${thrown}`);
    assert.deepEqual([thrown.code, thrown.field], ['INVALID_ARGUMENT', field]);
    assert.ok(!JSON.stringify({ ...thrown, m: thrown.message, s: thrown.stack }).includes('pw-9911'));
    errors.push(thrown);
  }
});

test('a write to a refused port is retried, names host:port, and arrives exactly once when the server comes up during back-off', async () => {
  const probe = createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const port = probe.address().port;
  await new Promise((r) => probe.close(r));
  const client = new wb.CAMAPIClient({
    apiToken: 'sandbox-token',
    serverURL: `http://127.0.0.1:${port}/cam`,
    maxRetries: 8,
  });

  // Nothing listening, no retries: the error says nothing was sent, and that retrying is safe.
  const e = await rejection(client.sendMessage('messenger', 'lost?', false, ['user1@xxx.com'], { maxRetries: 0 }));
  assert.equal(e.code, 'NETWORK_ERROR');
  assert.equal(e.retryable, true);
  assert.match(
    e.message,
    new RegExp(`could not reach 127\\.0\\.0\\.1:${port}: .*\\(ECONNREFUSED\\); nothing was sent`),
  );
  assert.doesNotMatch(e.message, /may have arrived/);

  // The server comes up while the client backs off.
  let sandbox;
  const up = new Promise((r) =>
    setTimeout(async () => {
      sandbox = await sandboxApi.startSandbox({ port, log: null });
      r();
    }, 150),
  );
  const sent = await client.sendMessage('messenger', 'cron alert during a restart', false, ['user1@xxx.com']);
  await up;
  try {
    assert.ok(sent.messageId, JSON.stringify(sent));
    const stored = (await (await fetch(`http://127.0.0.1:${port}/cam/_sandbox/messages`)).json()).messages;
    assert.equal(stored.filter((m) => m.message === 'cron alert during a restart').length, 1, 'arrived exactly once');
  } finally {
    await sandbox.close();
  }
});

test('maxResponseBytes: a 60 MB chunked answer is cut off while streaming; memory stays bounded and the wasm never holds it', async () => {
  const CHUNK = Buffer.alloc(1024 * 1024, 'a');
  const server = await serve((req, body, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    let sent = 0;
    res.write('{"errors":null,"conferenceRooms":"');
    const pump = () => {
      while (sent < 60) {
        sent += 1;
        if (!res.write(CHUNK)) return res.once('drain', pump);
      }
      res.end('"}');
    };
    res.on('error', () => {});
    pump();
  });
  try {
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const wasmBefore = wb.diagnostics.wasmMemoryBytes();
    const client = new wb.CAMAPIClient({ apiToken: 't0', serverURL: server.url });
    const e = await rejection(client.getConferenceMaster());
    const rssGrowth = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    assert.equal(e.code, 'BAD_RESPONSE');
    assert.match(e.message, /maxResponseBytes \(16777216 bytes\)/);
    assert.equal(wb.diagnostics.wasmMemoryBytes(), wasmBefore, 'the wasm memory did not grow');
    console.log(`60 MB answer: rejected at 16 MiB; RSS grew ${rssGrowth.toFixed(1)} MiB`);
    assert.ok(rssGrowth < 150, `RSS grew ${rssGrowth} MiB`);
    // A per-call limit cuts off sooner.
    const small = await rejection(client.getConferenceMaster({ maxResponseBytes: 1000 }));
    assert.match(small.message, /maxResponseBytes \(1000 bytes\)/);
    assert.throws(
      () => new wb.CAMAPIClient({ apiToken: 't', serverURL: server.url, maxResponseBytes: -1 }),
      (x) => x.field === 'maxResponseBytes',
    );
  } finally {
    await server.close();
  }
});

test('a chunked answer whose UTF-8 characters are split across chunks reads back whole, up to exactly maxResponseBytes', async () => {
  // '会议 😀' in UTF-8, sent a byte or two at a time, each write flushed as its own chunk.
  const text = '{"errors":null,"conferenceRooms":"会议 😀 ünï"}';
  const bytes = Buffer.from(text);
  const server = await serve((req, body, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    let at = 0;
    const pump = () => {
      if (at >= bytes.length) return res.end();
      const n = at % 3 === 0 ? 1 : 2;
      res.write(bytes.subarray(at, at + n));
      at += n;
      setImmediate(pump);
    };
    pump();
  });
  try {
    const client = new wb.CAMAPIClient({ apiToken: 't0', serverURL: server.url });
    assert.deepEqual(await client.getConferenceMaster(), JSON.parse(text));
    // The cap counts bytes: an answer of exactly the cap passes, one byte less refuses it.
    assert.deepEqual(await client.getConferenceMaster({ maxResponseBytes: bytes.length }), JSON.parse(text));
    const e = await rejection(client.getConferenceMaster({ maxResponseBytes: bytes.length - 1 }));
    assert.match(e.message, new RegExp(`maxResponseBytes \\(${bytes.length - 1} bytes\\)`));
  } finally {
    await server.close();
  }
});

test('no internals on instances: every own property and prototype member of every export survives random arguments', async () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pool = [
    undefined,
    null,
    0,
    -1,
    1e308,
    NaN,
    '',
    'x',
    '{"a":1}',
    true,
    [],
    [1, 'a'],
    {},
    { id: 1 },
    () => 1,
    Symbol('s'),
    10n,
    new Date(NaN),
    Object.create(null),
    new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    ),
  ];
  const rv = () => pool[Math.floor(rnd() * pool.length)];
  const fetch = async () => new Response('{"errors":null}', { status: 200 });
  const instances = [
    new wb.CAMAPIClient({ apiToken: 'fz-token-1', serverURL: 'http://x.test', fetch }),
    new wb.YunzhijiaClient({ accessToken: 'fz-token-2', baseURL: 'http://y.test', fetch }),
    new wb.XuanxuanClient({ serverURL: 'http://z.test', code: 'c', key: 'fz-key-3', fetch }),
    new wb.YtxClient({ accountSID: 's', authToken: 'fz-token-4', appid: 'a', env: 'sandbox', fetch }),
  ];
  // Every function reachable from the exports and the instances, one level into objects.
  const targets = [];
  // The language's own prototypes are not ours to test (Function.prototype.call, ...).
  const builtin = new Set([
    Object.prototype,
    Function.prototype,
    Array.prototype,
    Promise.prototype,
    Error,
    Error.prototype,
  ]);
  const collect = (owner, label, depth) => {
    const proto = Object.getPrototypeOf(owner);
    const keys = new Set([
      ...Object.getOwnPropertyNames(owner),
      ...(proto && !builtin.has(proto) ? Object.getOwnPropertyNames(proto) : []),
    ]);
    if (typeof owner === 'function')
      for (const k of Object.getOwnPropertyNames(owner.prototype ?? {}))
        if (k !== 'constructor') targets.push([`${label}.prototype.${k}`, owner.prototype, owner.prototype[k]]);
    for (const k of keys) {
      if (['constructor', 'caller', 'callee', 'arguments', 'prototype', 'length', 'name'].includes(k)) continue;
      let v;
      try {
        v = owner[k];
      } catch {
        continue;
      }
      if (typeof v === 'function') targets.push([`${label}.${k}`, owner, v]);
      else if (v && typeof v === 'object' && depth < 2) collect(v, `${label}.${k}`, depth + 1);
    }
  };
  for (const [name, value] of Object.entries(wb)) {
    if (name === 'default') continue;
    if (typeof value === 'function' && !/^[A-Z]/.test(name)) targets.push([name, wb, value]);
    else if (value && typeof value === 'object') collect(value, name, 1);
    if (typeof value === 'function' && /^[A-Z]/.test(name)) collect(value, name, 1);
  }
  instances.forEach((c, i) => collect(c, `client${i}`, 1));
  for (const c of instances)
    assert.deepEqual(
      Object.keys(c).filter((k) => k.startsWith('_')),
      [],
      'no internal property on a client',
    );
  let calls = 0;
  let nonWb = 0;
  for (let round = 0; round < 40; round++) {
    for (const [label, owner, f] of targets) {
      if (label.endsWith('setBridge') || label.endsWith('config')) continue; // reconfigure global state
      const args = Array.from({ length: Math.floor(rnd() * 4) }, rv);
      const self = rnd() < 0.3 ? rv() : owner;
      calls += 1;
      try {
        const out = f.apply(self, args);
        if (out && typeof out.then === 'function')
          await out.then(null, (e) => {
            if (!(e instanceof wb.WorkbridgeError)) {
              nonWb += 1;
              console.log(label, e);
            }
          });
        else if (out && typeof out.next === 'function')
          await out.next().catch((e) => {
            if (!(e instanceof wb.WorkbridgeError)) {
              nonWb += 1;
              console.log(label, e);
            }
          });
      } catch (e) {
        if (!(e instanceof wb.WorkbridgeError)) {
          nonWb += 1;
          console.log(label, String(e));
        }
      }
    }
  }
  console.log(`${targets.length} functions, ${calls} random calls, ${nonWb} non-WorkbridgeError`);
  assert.equal(nonWb, 0);
  assert.ok(targets.length > 40, `${targets.length} functions reached`);
  // The module still works.
  const healthy = new wb.CAMAPIClient({
    apiToken: 't',
    serverURL: 'http://h.test',
    fetch: async () => new Response('{"errors":null,"conferenceRooms":[1]}'),
  });
  assert.deepEqual((await healthy.getConferenceMaster()).conferenceRooms, [1]);
});

after(() => {
  console.log(`${errors.length} errors from this file scanned for secrets`);
});

test('maxResponseBytes counts the bytes of the answer as read, whatever its Content-Length says (a gzip body is larger than its length)', async () => {
  // 50,000 CJK characters: 150,000 bytes of UTF-8, a few hundred gzipped, Content-Length set.
  const { gzipSync } = await import('node:zlib');
  const zipped = gzipSync(JSON.stringify({ success: true, errorCode: 0, data: '云'.repeat(50000) }));
  const server = await serve((req, body, res) => {
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Encoding': 'gzip',
      'Content-Length': zipped.length,
    });
    res.end(zipped);
  });
  try {
    const client = new wb.YunzhijiaClient({ baseURL: server.url, accessToken: 't', maxResponseBytes: 100_000 });
    const e = await rejection(client.meeting.queryByDay({ day: 1_922_000_000_000 }));
    assert.equal(e.code, 'BAD_RESPONSE');
    assert.match(e.message, /maxResponseBytes \(100000 bytes\)/);
    // Under the limit it reads whole.
    const whole = await client.meeting.queryByDay({ day: 1_922_000_000_000 }, { maxResponseBytes: 150_100 });
    assert.equal(whole.length, 50000);
    // A fetch of one's own with no stream: its text is measured in UTF-8 bytes too.
    const text = JSON.stringify({ success: true, errorCode: 0, data: '云'.repeat(50000) });
    const own = new wb.YunzhijiaClient({
      accessToken: 't',
      baseURL: 'http://own.test',
      maxResponseBytes: 100_000,
      fetch: async () => ({ status: 200, headers: { get: () => null }, text: async () => text }),
    });
    assert.equal((await rejection(own.meeting.queryByDay({ day: 1_922_000_000_000 }))).code, 'BAD_RESPONSE');
  } finally {
    await server.close();
  }
});
