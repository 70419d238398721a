// The installed relay as an attacker and a new user would try it: callers with no Origin, the
// bearer token, the authorize hook, the rate, the body limit (the page in Chromium receives the
// 413), forged log lines, start-up mistakes, --help. Nothing refused ever reaches the vendor.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { installPackage, startSandboxBin, startRelayBin } from './helpers.mjs';

const PAGE = 'https://app.example.com';
let work;
let sandbox;
let env;

const relayBin = (args, extraEnv = {}) => startRelayBin(work, args, { ...env, ...extraEnv });

before(async () => {
  work = installPackage('relay');
  sandbox = await startSandboxBin(work);
  env = {
    WORKBRIDGE_CAM_API_TOKEN: 'sandbox-token',
    WORKBRIDGE_CAM_SERVER_URL: `${sandbox.url}/cam`,
    WORKBRIDGE_YUNZHIJIA_BASE_URL: `${sandbox.url}/yunzhijia`,
    WORKBRIDGE_YUNZHIJIA_EID: '10109',
    WORKBRIDGE_YUNZHIJIA_SECRET: 'sandbox-secret',
  };
});
after(async () => {
  await sandbox?.stop();
});

const bin = () => join(work, 'node_modules', '.bin', 'workbridge');
const messages = async () => (await (await fetch(`${sandbox.url}/cam/_sandbox/messages`)).json()).messages.length;

/** The relay run to completion (for start-up errors and --help): {code, out, err}. */
function runRelay(args, extraEnv = {}, replaceEnv) {
  const run = spawnSync(bin(), ['relay', ...args], {
    env: replaceEnv ?? { ...process.env, ...env, ...extraEnv },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

const call = (url, name, body, headers = {}) =>
  fetch(`${url}/call/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const SEND = { panelName: 'messenger', message: 'from the relay test', isOpened: false, users: ['user1@xxx.com'] };

test('relay --help prints the usage and starts nothing; start-up mistakes exit 2 and say what to do', () => {
  const help = runRelay(['--help', '--port', '0', '--allow', 'cam.sendMessage', '--origin', PAGE]);
  assert.equal(help.code, 0);
  assert.match(help.out, /usage: workbridge relay --allow OPS/);
  for (const flag of ['--allow-no-origin', '--token-env NAME', '--authorize FILE', '--rate N', '--max-body SIZE'])
    assert.ok(help.out.includes(flag), flag);
  assert.doesNotMatch(help.out, /listening/);

  const wrongCase = runRelay(['--port', '0', '--allow', 'meeting.querybyday', '--origin', PAGE]);
  assert.equal(wrongCase.code, 2);
  assert.match(wrongCase.err, /"meeting\.querybyday" is not an operation; did you mean meeting\.queryByDay\?/);
  const unknown = runRelay(['--port', '0', '--allow', 'cam.explode', '--origin', PAGE]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /"cam\.explode" is not an operation/);

  for (const size of ['64q', 'NaN', '-1', '1.5.2k', '']) {
    const bad = runRelay(['--port', '0', '--allow', 'cam.sendMessage', '--origin', PAGE, '--max-body', size]);
    assert.equal(bad.code, 2, `--max-body ${JSON.stringify(size)}`);
    assert.match(bad.err, /--max-body takes a size such as 65536, 64k or 1m|--max-body needs a value/);
  }

  const noCredentials = runRelay(
    ['--port', '0', '--allow', 'meeting.queryByDay,cam.sendMessage', '--origin', PAGE],
    {},
    { PATH: process.env.PATH },
  );
  assert.equal(noCredentials.code, 2);
  assert.match(noCredentials.err, /no credentials for yunzhijia, cam/);
  assert.match(noCredentials.err, /WORKBRIDGE_YUNZHIJIA_SECRET/);
  assert.match(noCredentials.err, /WORKBRIDGE_CAM_API_TOKEN and WORKBRIDGE_CAM_SERVER_URL/);
  assert.doesNotMatch(noCredentials.err, /qing\.config/);

  const tokenEnv = (name, env) =>
    runRelay(['--port', '0', '--allow', 'cam.sendMessage', '--origin', PAGE, '--token-env', name], env);
  const noToken = tokenEnv('RELAY_TOKEN_UNSET_HERE');
  assert.equal(noToken.code, 2);
  assert.match(noToken.err, /--token-env: RELAY_TOKEN_UNSET_HERE is not set or is empty/);
  const emptyToken = tokenEnv('RELAY_TOKEN_EMPTY_HERE', { RELAY_TOKEN_EMPTY_HERE: '' });
  assert.equal(emptyToken.code, 2);
  assert.match(emptyToken.err, /--token-env: RELAY_TOKEN_EMPTY_HERE is not set or is empty/);
  // A token pasted by mistake is never echoed: not when it could be a name, nor when it cannot.
  const nameShaped = tokenEnv('ghp_9fXk2QpLw7');
  assert.equal(nameShaped.code, 2);
  assert.match(nameShaped.err, /--token-env: the variable it names is not set/);
  assert.ok(!nameShaped.err.includes('ghp_9fXk2QpLw7'), nameShaped.err);
  const pasted = tokenEnv('tok-3f9a/x');
  assert.equal(pasted.code, 2);
  assert.match(pasted.err, /--token-env takes the NAME of an environment variable/);
  assert.ok(!pasted.err.includes('tok-3f9a'), pasted.err);
  const noOrigin = runRelay(['--port', '0', '--allow', 'cam.sendMessage']);
  assert.equal(noOrigin.code, 2);
  assert.match(noOrigin.err, /--origin/);
});

test('callers with no Origin are refused unless --allow-no-origin; preflights carry Access-Control-Max-Age', async () => {
  const strict = await relayBin(['--allow', 'cam.sendMessage', '--origin', PAGE]);
  const open = await relayBin(['--allow', 'cam.sendMessage', '--origin', PAGE, '--allow-no-origin']);
  try {
    const before = await messages();
    const refused = await call(strict.url, 'cam.sendMessage', SEND);
    assert.equal(refused.status, 403);
    assert.match((await refused.json()).error, /--allow-no-origin/);
    assert.equal(await messages(), before, 'the no-Origin call was not forwarded');

    const page = await call(strict.url, 'cam.sendMessage', SEND, { Origin: PAGE });
    assert.equal(page.status, 200);
    assert.equal((await page.json()).success, 'true');
    const script = await call(open.url, 'cam.sendMessage', SEND);
    assert.equal(script.status, 200);
    assert.equal(await messages(), before + 2);

    const preflight = await fetch(`${strict.url}/call/cam.sendMessage`, {
      method: 'OPTIONS',
      headers: {
        Origin: PAGE,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,authorization',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-max-age'), '600');
    assert.match(preflight.headers.get('access-control-allow-headers'), /Authorization/);
  } finally {
    await strict.stop();
    await open.stop();
  }
});

test('--token-env requires Authorization: Bearer <token>; the token is never logged or echoed', async () => {
  const TOKEN = 'relay-bearer-7f3a9c';
  const relay = await relayBin(['--allow', 'cam.sendMessage', '--origin', PAGE, '--token-env', 'MY_RELAY_TOKEN'], {
    MY_RELAY_TOKEN: TOKEN,
  });
  try {
    const before = await messages();
    const bodies = [];
    for (const auth of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, TOKEN]) {
      const res = await call(relay.url, 'cam.sendMessage', SEND, {
        Origin: PAGE,
        ...(auth ? { Authorization: auth } : {}),
      });
      assert.equal(res.status, 401, String(auth));
      assert.equal(res.headers.get('www-authenticate'), 'Bearer');
      bodies.push(await res.text());
    }
    assert.equal(await messages(), before, 'nothing unauthenticated was forwarded');
    const ok = await call(relay.url, 'cam.sendMessage', SEND, { Origin: PAGE, Authorization: `Bearer ${TOKEN}` });
    assert.equal(ok.status, 200);
    assert.equal(await messages(), before + 1);
    const text = [relay.out(), ...bodies].join('\n');
    assert.ok(!text.includes(TOKEN), 'the token is in a log line or an answer');
    assert.match(relay.out(), / -> 401 401 /);
  } finally {
    await relay.stop();
  }
});

test('--authorize: the hook gets {operation, params, headers, ip}; false is 403, a throw is 500, true runs the call', async () => {
  const seen = join(work, 'hook-seen.jsonl');
  writeFileSync(seen, '');
  const hook = join(work, 'hook.mjs');
  writeFileSync(
    hook,
    `import { appendFileSync } from 'node:fs';
export default async function authorize({ operation, params, headers, ip }) {
  appendFileSync(${JSON.stringify(seen)}, JSON.stringify({ operation, params, ticket: headers['x-ticket'] ?? null, ip }) + '\\n');
  await new Promise((r) => setTimeout(r, 5));
  if (headers['x-ticket'] === 'explode')
    throw new TypeError('ticket server down for ' + JSON.stringify(params) + ' auth=' + headers.authorization);
  return headers['x-ticket'] === 'good-ticket';
}
`,
  );
  const relay = await relayBin(['--allow', 'cam.sendMessage', '--origin', PAGE, '--authorize', hook]);
  try {
    const before = await messages();
    const no = await call(relay.url, 'cam.sendMessage', SEND, { Origin: PAGE, 'X-Ticket': 'forged' });
    assert.equal(no.status, 403);
    assert.match((await no.json()).error, /authorize hook/);
    const broken = await call(relay.url, 'cam.sendMessage', SEND, {
      Origin: PAGE,
      'X-Ticket': 'explode',
      Authorization: 'Bearer page-bearer-123',
    });
    assert.equal(broken.status, 500);
    assert.equal(await messages(), before, 'nothing the hook did not allow was forwarded');
    const yes = await call(relay.url, 'cam.sendMessage', SEND, { Origin: PAGE, 'X-Ticket': 'good-ticket' });
    assert.equal(yes.status, 200);
    assert.equal(await messages(), before + 1);
    const calls = readFileSync(seen, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      calls.map((c) => c.ticket),
      ['forged', 'explode', 'good-ticket'],
    );
    assert.deepEqual(calls[0].params, SEND);
    assert.equal(calls[0].operation, 'cam.sendMessage');
    assert.match(calls[0].ip, /127\.0\.0\.1/);
    // The hook's message may quote params and credentials: only the error's class is logged.
    assert.match(relay.out(), /the authorize hook failed: TypeError/);
    for (const leak of ['ticket server down', 'page-bearer-123', 'from the relay test', 'user1@xxx.com'])
      assert.ok(!relay.out().includes(leak), `the log holds ${leak}: ${relay.out()}`);
  } finally {
    await relay.stop();
  }
  const missing = runRelay([
    '--port',
    '0',
    '--allow',
    'cam.sendMessage',
    '--origin',
    PAGE,
    '--authorize',
    join(work, 'no-such-hook.mjs'),
  ]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /--authorize: cannot load/);
});

test('--rate N: the N+1st call in a minute from one address is 429 with Retry-After, and not forwarded', async () => {
  const relay = await relayBin(['--allow', 'meeting.queryByDay', '--origin', PAGE, '--rate', '3']);
  try {
    const statuses = [];
    let retryAfter;
    for (let i = 0; i < 5; i++) {
      const res = await call(relay.url, 'meeting.queryByDay', { day: 1535558400000 }, { Origin: PAGE });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
      await res.arrayBuffer();
    }
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 60, `Retry-After ${retryAfter}`);
  } finally {
    await relay.stop();
  }
  const bad = runRelay(['--port', '0', '--allow', 'cam.sendMessage', '--origin', PAGE, '--rate', 'lots']);
  assert.equal(bad.code, 2);
});

test('--max-body 64k: a page in Chromium receives the 413 for a 1 MB body, 5 of 5; nothing is forwarded', async () => {
  // The page is served from its own origin, so the browser sends Origin and a CORS preflight.
  const pageServer = createServer((req, res) =>
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>page</title>'),
  );
  await new Promise((r) => pageServer.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${pageServer.address().port}`;
  const relay = await relayBin([
    '--allow',
    'cam.sendMessage',
    '--origin',
    origin,
    '--max-body',
    '64k',
    '--allow-no-origin',
  ]);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const before = await messages();
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    const results = await page.evaluate(async (url) => {
      const out = [];
      const big = JSON.stringify({
        panelName: 'messenger',
        message: 'x'.repeat(1024 * 1024),
        isOpened: false,
        users: ['user1@xxx.com'],
      });
      for (let i = 0; i < 5; i++) {
        try {
          const res = await fetch(`${url}/call/cam.sendMessage`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: big,
          });
          out.push([res.status, (await res.json()).errorCode]);
        } catch (e) {
          out.push(['failed', String(e)]);
        }
      }
      const small = await fetch(`${url}/call/cam.sendMessage`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          panelName: 'messenger',
          message: 'x'.repeat(60 * 1024),
          isOpened: false,
          users: ['user1@xxx.com'],
        }),
      });
      out.push([small.status, (await small.json()).success]);
      return out;
    }, relay.url);
    assert.deepEqual(results, [
      [413, '413'],
      [413, '413'],
      [413, '413'],
      [413, '413'],
      [413, '413'],
      [200, 'true'],
    ]);
    assert.equal(await messages(), before + 1, 'only the body under the limit was forwarded');

    // Node's fetch too, with a body well past the limit.
    const node = [];
    for (let i = 0; i < 5; i++) {
      const res = await call(relay.url, 'cam.sendMessage', { ...SEND, message: 'y'.repeat(1024 * 1024) });
      node.push(res.status);
      await res.arrayBuffer();
    }
    assert.deepEqual(node, [413, 413, 413, 413, 413]);
    assert.equal(await messages(), before + 1);
  } finally {
    await browser.close();
    await relay.stop();
    await new Promise((r) => pageServer.close(r));
  }
});

test('log lines escape control characters: %0A cannot forge a line, ESC cannot erase one', async () => {
  const relay = await relayBin(['--allow', 'cam.sendMessage', '--origin', PAGE]);
  try {
    const forged = [
      'x%0A2031-01-01T00:00:00.000Z%20relay%20127.0.0.1%20POST%20cam.sendMessage%20-%3E%20200%20ok%200ms',
      'cam.sendMessage%1B%5B2K%1B%5B1A%0D',
      'a%E2%80%A8b%C2%85c%E2%80%AEd',
    ];
    for (const name of forged) {
      const res = await fetch(`${relay.url}/call/${name}`, { method: 'POST', headers: { Origin: PAGE }, body: '{}' });
      assert.equal(res.status, 403);
      await res.arrayBuffer();
    }
    const evilOrigin = await fetch(`${relay.url}/call/cam.sendMessage`, {
      method: 'POST',
      headers: { Origin: 'https://evil.example' },
      body: '{}',
    });
    assert.equal(evilOrigin.status, 403);
    await new Promise((r) => setTimeout(r, 100));
    const lines = relay
      .out()
      .split('\n')
      .filter((l) => /^\d{4}-\d\d-\d\dT\S+ relay /.test(l));
    assert.equal(lines.length, 4, relay.out());
    assert.ok(
      lines.every((l) => / -> 403 403 \d+ms$/.test(l)),
      lines.join('\n'),
    );
    assert.ok(
      !/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202e]/.test(relay.out()),
      'a raw control character reached the log',
    );
    assert.ok(lines[0].includes('x\\x0a2031-01-01T00:00:00.000Z relay'), lines[0]);
    assert.ok(lines[1].includes('cam.sendMessage\\x1b[2K\\x1b[1A\\x0d'), lines[1]);
    assert.ok(lines[2].includes('a\\u2028b\\x85c\\u202ed'), lines[2]);
    assert.equal(
      relay
        .out()
        .split('\n')
        .filter((l) => /-> 200 ok \d+ms$/.test(l)).length,
      0,
      'no forged success line',
    );
  } finally {
    await relay.stop();
  }
});

test('--max-body 1k is 1024 bytes, and the refusal is a qing.call result', async () => {
  const relay = await relayBin(['--allow', 'cam.sendMessage', '--origin', PAGE, '--max-body', '1k']);
  try {
    const big = await call(relay.url, 'cam.sendMessage', { ...SEND, message: 'z'.repeat(2000) }, { Origin: PAGE });
    assert.equal(big.status, 413);
    assert.deepEqual(await big.json(), {
      success: 'false',
      errorCode: '413',
      error: 'the body is over 1024 bytes',
      data: null,
    });
  } finally {
    await relay.stop();
  }
});
