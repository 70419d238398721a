// The JS half of the transport alone (pkg-template/src/transport.js), with a fake fetch and a
// fake wasm client: one attempt's outcomes, and the loop that steps a call through its attempts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = readFileSync(fileURLToPath(new URL('../../pkg-template/src/transport.js', import.meta.url)), 'utf8');
const { WB_IO, wbDrive, WB_BODY, WB_DATA } = new Function(`${source}\nreturn { WB_IO, wbDrive, WB_BODY, WB_DATA };`)();

const HEAD = 'POST\nhttp://vendor.test/send\ncontent-type\napplication/json\nx-k\nv';
const rejection = (p) =>
  p.then(
    () => assert.fail('resolved'),
    (e) => e,
  );

test('an attempt sends the head and body the wasm wrote, refuses redirects, and settles with [status, retryAfter, text]', async () => {
  let seen;
  const fetch = async (url, init) => {
    seen = { url, ...init };
    return new Response('{"ok":1}', { status: 429, headers: { 'retry-after': '3' } });
  };
  const answer = await WB_IO.attempt(fetch, HEAD, '{"a":1}', 1000, undefined, 1e6);
  assert.deepEqual(answer, [429, '3', '{"ok":1}']);
  assert.equal(seen.url, 'http://vendor.test/send');
  assert.equal(seen.method, 'POST');
  assert.deepEqual(seen.headers, { 'content-type': 'application/json', 'x-k': 'v' });
  assert.equal(seen.body, '{"a":1}');
  assert.equal(seen.redirect, 'manual');
  assert.equal(seen.signal.aborted, false);
});

test('an attempt that outlives its timeout rejects with the timer tag and aborts its own request', async () => {
  let signal;
  const fetch = (url, init) => {
    signal = init.signal;
    return new Promise(() => {});
  };
  const started = Date.now();
  assert.equal(await rejection(WB_IO.attempt(fetch, HEAD, undefined, 40, undefined, 1e6)), 'workbridge:timer');
  assert.ok(Date.now() - started >= 35);
  assert.equal(signal.aborted, true);
});

test("the caller's signal aborts an attempt, and an aborted one sends nothing", async () => {
  let calls = 0;
  const fetch = () => {
    calls += 1;
    return new Promise(() => {});
  };
  const c = new AbortController();
  const p = WB_IO.attempt(fetch, HEAD, undefined, 10_000, c.signal, 1e6);
  c.abort();
  assert.equal(await rejection(p), 'workbridge:abort');
  assert.equal(await rejection(WB_IO.attempt(fetch, HEAD, undefined, 10_000, c.signal, 1e6)), 'workbridge:abort');
  assert.equal(calls, 1);
});

test('a redirect, an answer over maxBytes and a fetch that gives no Response reject with their tags', async () => {
  const redirect = async () => new Response('', { status: 302, headers: { location: 'https://elsewhere.test/x' } });
  assert.equal(
    await rejection(WB_IO.attempt(redirect, HEAD, undefined, 1000, undefined, 1e6)),
    'workbridge:redirect:302\nhttps://elsewhere.test/x',
  );
  const big = async () => new Response('x'.repeat(2000), { status: 200 });
  assert.equal(await rejection(WB_IO.attempt(big, HEAD, undefined, 1000, undefined, 1000)), 'workbridge:big:1000');
  const odd = async () => ({ status: 200 });
  assert.match(await rejection(WB_IO.attempt(odd, HEAD, undefined, 1000, undefined, 1e6)), /^workbridge:bad:/);
  const refused = async () => {
    throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED', message: 'connect refused' } });
  };
  assert.equal(
    await rejection(WB_IO.attempt(refused, HEAD, undefined, 1000, undefined, 1e6)),
    'workbridge:net:ECONNREFUSED\nfetch failed: connect refused (ECONNREFUSED)',
  );
});

/** A fake wasm client that answers `step` from a script: what each attempt's outcome becomes. */
function fakeClient(decide) {
  const log = [];
  return {
    log,
    send(id, now) {
      log.push(['send', id]);
      assert.equal(typeof now, 'number');
      return Promise.resolve([200, null, `{"data":{"n":${log.length}}}`]);
    },
    step(id, what, text, why, status) {
      log.push(['step', what, status]);
      return decide(log);
    },
    delay() {
      return 5;
    },
  };
}

test('the loop sends again after the delay step asks for, and parses the answer when step says so', async () => {
  let steps = 0;
  const client = fakeClient(() => (++steps < 3 ? undefined : WB_DATA));
  const out = await wbDrive(client, 7, undefined, (e) => e);
  assert.deepEqual(out, { n: 5 }); // the third answer: sent when the log held five entries
  assert.deepEqual(
    client.log.map(([k]) => k),
    ['send', 'step', 'send', 'step', 'send', 'step'],
  );
  const whole = await wbDrive(
    fakeClient(() => WB_BODY),
    1,
    undefined,
    (e) => e,
  );
  assert.deepEqual(whole, { data: { n: 1 } });
  const direct = await wbDrive(
    fakeClient(() => 'a result'),
    1,
    undefined,
    (e) => e,
  );
  assert.equal(direct, 'a result');
});

test("the loop rejects with what fail makes of step's throw, and a backoff the caller aborts ends the call", async () => {
  const failing = fakeClient(() => {
    throw { code: 'HTTP_ERROR' };
  });
  const e = await rejection(wbDrive(failing, 1, undefined, (x) => new Error(x.code)));
  assert.equal(e.message, 'HTTP_ERROR');

  const c = new AbortController();
  const client = fakeClient((log) => {
    if (log.at(-1)[1] === 2) throw { code: 'ABORTED' };
    c.abort();
    return undefined;
  });
  const aborted = await rejection(wbDrive(client, 1, c.signal, (x) => x));
  assert.equal(aborted.code, 'ABORTED');
  assert.deepEqual(client.log.at(-1), ['step', 2, undefined]);
  assert.equal(client.log.filter(([k]) => k === 'send').length, 1, 'nothing sent after the abort');
});
