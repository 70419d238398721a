// What a new user found trying the packed tarball from its README alone, each pinned as it was
// reproduced: a non-AbortSignal `signal`, credentials echoed inside a successful CAM answer (the
// CLI prints it, the relay hands it to a page), a relay URL with a password, CAM's `errors`
// through qing.call, ISO dates that meant two different instants, unknown names dropped on the
// way to positional methods, and validation messages that contradicted the input.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { installPackage, loadBoth, runBin, startSandboxBin } from './helpers.mjs';

const TOKEN = 'CAMSECRET-ab+/=c';
const FORMS = [TOKEN, encodeURIComponent(TOKEN), Buffer.from(TOKEN).toString('base64')];
let work;
let wb;
let sandbox;
let echo;

before(async () => {
  work = installPackage('newuser');
  ({ esm: wb } = await loadBoth(work));
  sandbox = await startSandboxBin(work);
  // A CAM server that refuses in a 200 body, quoting the request's headers (the token in them).
  echo = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const quoted = JSON.stringify(req.headers);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({
          errors: [`refused: ${quoted} ${Buffer.from(req.headers['x-cam-apitoken'] ?? '').toString('base64')}`],
        }),
      );
    });
  });
  await new Promise((r) => echo.listen(0, '127.0.0.1', r));
});
after(async () => {
  await sandbox?.stop();
  await new Promise((r) => echo.close(r));
});

const echoURL = () => `http://127.0.0.1:${echo.address().port}/cam`;
const noSecret = (text, where) => {
  for (const f of FORMS) assert.ok(!text.includes(f), `${f} in ${where}: ${text}`);
};

test('a signal that is not an AbortSignal is INVALID_ARGUMENT, not a false ABORTED and a crash', async () => {
  const cam = new wb.CAMAPIClient({ apiToken: 'sandbox-token', serverURL: `${sandbox.url}/cam` });
  for (const signal of ['x', 42, {}, { aborted: false }]) {
    const e = await cam.getConferenceRooms({ signal }).catch((x) => x);
    assert.deepEqual([e.code, e.field], ['INVALID_ARGUMENT', 'signal'], String(signal));
  }
  // The process is still healthy a moment later (the old path threw from a timer).
  await new Promise((r) => setTimeout(r, 300));
  assert.ok((await cam.getConferenceRooms({ signal: new AbortController().signal })).conferenceRooms);
});

test('the CLI prints a CAM refusal that quotes the token, with the token masked in every form', async () => {
  const run = await runBin(work, ['cam', 'getConferenceRooms'], {
    WORKBRIDGE_CAM_API_TOKEN: TOKEN,
    WORKBRIDGE_CAM_SERVER_URL: echoURL(),
  });
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /refused/);
  noSecret(run.stdout + run.stderr, 'the CLI output');
});

test('the relay hands a page no credential quoted inside a successful answer', async () => {
  const bin = join(work, 'node_modules', '.bin', 'workbridge');
  const child = spawn(bin, ['relay', '--port', '0', '--allow', 'cam.getConferenceRooms', '--allow-no-origin'], {
    env: { ...process.env, WORKBRIDGE_CAM_API_TOKEN: TOKEN, WORKBRIDGE_CAM_SERVER_URL: echoURL() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`relay did not start: ${out}`)), 10_000);
      child.stdout.on('data', () => {
        const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    const res = await fetch(`${url}/call/cam.getConferenceRooms`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    const body = await res.text();
    assert.match(body, /"success":"false"/, 'CAM errors are a failure in the qing.call shape');
    assert.match(body, /x-cam-apitoken/, 'the echo is there');
    noSecret(body + out, 'the relay answer and log');
  } finally {
    await new Promise((r) => {
      child.once('exit', r);
      child.kill();
    });
  }
});

test('qing.call: a relay URL with a password is refused at config; CAM errors are a failure; unknown names are refused', async () => {
  assert.throws(
    () => wb.qing.config({ relay: 'http://alice:hunter2pw@127.0.0.1:1/' }),
    (e) => e.code === 'INVALID_ARGUMENT' && e.field === 'relay' && !e.message.includes('hunter2pw'),
  );
  assert.throws(
    () => wb.qing.config('x'),
    (e) => e.field === 'config',
  );
  wb.qing.config({ cam: { apiToken: TOKEN, serverURL: echoURL() } });
  const res = await wb.qing.call('cam.getConferenceRooms', {});
  assert.equal(res.success, 'false');
  assert.equal(res.errorCode, 'VENDOR_ERROR');
  noSecret(JSON.stringify(res), 'the qing.call result');
  wb.qing.config({ cam: { apiToken: 'sandbox-token', serverURL: `${sandbox.url}/cam` } });
  const typo = await wb.qing.call('cam.sendMessage', {
    panelName: 'messenger',
    message: 'x',
    users: 'a@x.com',
    userz: 'b@x.com',
  });
  assert.deepEqual([typo.success, typo.errorCode, typo.field], ['false', 'INVALID_ARGUMENT', 'userz']);
  const opt = await new wb.CAMAPIClient({ apiToken: 'sandbox-token', serverURL: `${sandbox.url}/cam` })
    .getConferenceRooms({ timeout: 5 })
    .catch((e) => e);
  assert.deepEqual([opt.code, opt.field], ['INVALID_ARGUMENT', 'options.timeout']);
});

test('one ISO date means one instant, from the CLI flags, --json and JS alike (a Beijing day)', async () => {
  const env = { WORKBRIDGE_CAM_API_TOKEN: 'sandbox-token', WORKBRIDGE_CAM_SERVER_URL: `${sandbox.url}/cam` };
  const flag = await runBin(work, ['cam', 'createQuickCall', '--expireDate', '2031-01-01', '--dry-run'], env);
  const json = await runBin(
    work,
    ['cam', 'createQuickCall', '--json', '{"expireDate":"2031-01-01"}', '--dry-run'],
    env,
  );
  const js = new wb.CAMAPIClient({ apiToken: 't', serverURL: 'http://h' }).dryRun('createQuickCall', '2031-01-01');
  const sent = (text) => /expireDate=(\d+)/.exec(text)[1];
  const beijingMidnight = String(Date.parse('2031-01-01T00:00:00+08:00'));
  assert.deepEqual(
    [sent(flag.stdout), sent(json.stdout), sent(js.body)],
    [beijingMidnight, beijingMidnight, beijingMidnight],
  );
  const stray = await runBin(
    work,
    ['cam', 'sendMessage', '--json', '{"panelName":"messenger","message":"x","users":"a@x.com","apiToken":"leak123"}'],
    env,
  );
  assert.equal(stray.code, 2, 'an unknown --json name is a usage error, not silently dropped');
  assert.ok(!stray.stderr.includes('leak123'));
});

test('validation messages say what is wrong with the value given', async () => {
  const cam = new wb.CAMAPIClient({ apiToken: 't', serverURL: 'http://h' });
  const why = async (p) => {
    const e = await p.catch((x) => x);
    return [e.code, e.field, e.message];
  };
  const [, f1, m1] = await why(cam.createQuickCall(new Date(NaN)));
  assert.deepEqual([f1, /invalid Date/.test(m1)], ['expireDate', true]);
  const [, f2, m2] = await why(cam.createQuickCall(Infinity));
  assert.deepEqual([f2, /finite number/.test(m2)], ['expireDate', true]);
  const [, f3, m3] = await why(cam.sendMessage('messenger', 1n, false, ['a@x.com']));
  assert.deepEqual([f3, /BigInt/.test(m3), /must be a number/.test(m3)], ['message', true, false]);
  const [, f4, m4] = await why(cam.sendMessage('messenger', 'x', false, () => 1));
  assert.deepEqual([f4, /function/.test(m4)], ['users', true]);
});

test('a yyyyMMdd day or Unix seconds where milliseconds belong is refused, not read as 1970', async () => {
  const sent = [];
  const fetch = (url, init) => {
    sent.push(url);
    return globalThis.fetch(url, init);
  };
  const yzj = new wb.YunzhijiaClient({ baseURL: `${sandbox.url}/yunzhijia`, eid: '10109', secret: 'x', fetch });
  const meeting = { openid: 'o', title: 't', startDate: 1_700_000_000, endDate: 1_700_003_600 };
  for (const [call, field] of [
    [yzj.meeting.queryByDay({ day: '20301203' }), 'day'],
    [yzj.meeting.create(meeting), 'startDate'],
  ]) {
    const e = await call.catch((x) => x);
    assert.deepEqual([e.code, e.field, /before 2000/.test(e.message)], ['INVALID_ARGUMENT', field, true]);
  }
  assert.deepEqual(sent, [], 'nothing was sent, not even the token request');
});

test('unknown constructor options, extra positional arguments and lone surrogates are refused, nothing sent', async () => {
  const sent = [];
  const fetch = (url, init) => {
    sent.push(url);
    return globalThis.fetch(url, init);
  };
  const opts = { apiToken: 'sandbox-token', serverURL: `${sandbox.url}/cam`, fetch };
  for (const [name, extra] of [
    ['timeoutMS', { timeoutMS: 5 }],
    ['onevent', { onevent: () => {} }],
    ['apitoken', { apitoken: 'x' }],
  ]) {
    assert.throws(
      () => new wb.CAMAPIClient({ ...opts, ...extra }),
      (e) => e.code === 'INVALID_ARGUMENT' && e.field === name,
      name,
    );
  }
  assert.throws(
    () => new wb.YunzhijiaClient({ accessToken: 'a', retries: 3 }),
    (e) => e.code === 'INVALID_ARGUMENT' && e.field === 'retries',
  );
  assert.throws(
    () => wb.qing.config({ cam: opts, relai: 'https://relay.example' }),
    (e) => e.code === 'INVALID_ARGUMENT' && e.field === 'relai',
  );
  const cam = new wb.CAMAPIClient(opts);
  const extra = await cam.sendMessage('messenger', 'x', false, 'a@x.com', {}, 'extra').catch((e) => e);
  assert.deepEqual([extra.code, /at most 5 arguments/.test(extra.message)], ['INVALID_ARGUMENT', true], extra.message);
  const yzj = new wb.YunzhijiaClient({ baseURL: `${sandbox.url}/yunzhijia`, accessToken: 'a', fetch });
  const extra2 = await yzj.meeting.queryByDay({ day: '2030-12-03' }, {}, 'extra').catch((e) => e);
  assert.equal(extra2.code, 'INVALID_ARGUMENT');
  for (const [call, field] of [
    [() => cam.sendMessage('messenger', 'x', false, 'a\uDC00@x.com'), 'users'],
    [() => cam.sendMessage('messenger', 'half \uD83D of an emoji', false, 'a@x.com'), 'message'],
  ]) {
    const e = await call().catch((x) => x);
    assert.deepEqual([e.code, e.field, /lone surrogate/.test(e.message)], ['INVALID_ARGUMENT', field, true], e.message);
  }
  assert.equal((await cam.sendMessage('messenger', 'a whole 😀 emoji', false, 'a@x.com')).errors, null);
  assert.equal(sent.length, 1, 'only the last, valid call was sent');
});

test('a port fetch blocks says so and that nothing was sent; a deadline shorter than timeoutMs is named', async () => {
  const blocked = new wb.CAMAPIClient({ apiToken: 't', serverURL: 'http://127.0.0.1:1/cam', maxRetries: 0 });
  const e = await blocked.sendMessage('messenger', 'x', false, 'a@x.com').catch((x) => x);
  assert.equal(e.code, 'NETWORK_ERROR');
  assert.match(e.message, /bad port/);
  assert.match(e.message, /nothing was sent/);
  assert.doesNotMatch(e.message, /may have arrived/);

  const slow = createServer(() => {}); // never answers
  await new Promise((r) => slow.listen(0, '127.0.0.1', r));
  try {
    const cam = new wb.CAMAPIClient({ apiToken: 't', serverURL: `http://127.0.0.1:${slow.address().port}/cam` });
    const t = await cam.getConferenceRooms({ timeoutMs: 5000, deadlineMs: 300 }).catch((x) => x);
    assert.equal(t.code, 'TIMEOUT');
    assert.match(t.message, /deadlineMs \(300 ms\)/);
    assert.doesNotMatch(t.message, /5000/);
  } finally {
    slow.closeAllConnections();
    slow.close();
  }
});
