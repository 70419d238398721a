// qing.call in Node against the sandbox, the native-bridge rules, and the relay end to end.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { installPackage, loadBoth, startSandboxBin } from './helpers.mjs';

let work;
let sandbox;
let wb;

function sandboxConfig(url) {
  return {
    cam: { apiToken: 'sandbox-token', serverURL: `${url}/cam` },
    yunzhijia: { baseURL: `${url}/yunzhijia`, eid: '10109', secret: 'sandbox-secret' },
    xuanxuan: {
      serverURL: `${url}/xuanxuan`,
      code: 'sandbox',
      key: 'sandbox-key',
      sender: { id: 'qing', avatar: 'https://x/q.png' },
    },
    ytx: { baseURL: `${url}/ytx`, accountSID: 'sandbox-sid', authToken: 'sandbox-token', appid: 'sandbox-app' },
  };
}

before(async () => {
  work = installPackage('qing');
  sandbox = await startSandboxBin(work);
  ({ esm: wb } = await loadBoth(work));
  wb.qing.config(sandboxConfig(sandbox.url));
});
after(async () => {
  await sandbox?.stop();
});

test('every vendor is reachable by name; callbacks run once each, complete last; the promise resolves the same res', async () => {
  const calls = [
    ['meeting.queryByDay', { day: 1535558400000 }],
    ['cam.sendMessage', { panelName: 'messenger', message: 'hi from qing', isOpened: false, users: ['user1@xxx.com'] }],
    ['xuanxuan.sendNotification', { users: [1], title: 't', contentType: 'plain' }],
    ['ytx.queryMeeting', { confid: '002', meetingcount: 1 }],
    ['roomBook.hasNew', { eid: '10109' }],
  ];
  for (const [name, params] of calls) {
    const seen = [];
    const res = await wb.qing.call(name, {
      ...params,
      success: (r) => seen.push(['success', r]),
      error: (r) => seen.push(['error', r]),
      complete: (r) => seen.push(['complete', r]),
    });
    assert.equal(res.success, 'true', `${name}: ${JSON.stringify(res)}`);
    assert.equal(res.errorCode, '');
    assert.deepEqual(
      seen.map(([k]) => k),
      ['success', 'complete'],
      name,
    );
    assert.equal(seen[0][1], res);
  }
  const sent = await (await fetch(`${sandbox.url}/cam/_sandbox/messages`)).json();
  assert.equal(sent.messages.at(-1).message, 'hi from qing');
});

test('failures call error then complete and never reject; unknown names are 404', async () => {
  const seen = [];
  const res = await wb.qing.call('meeting.create', {
    openid: 'o',
    error: () => seen.push('error'),
    complete: () => seen.push('complete'),
    success: () => seen.push('success'),
  });
  assert.deepEqual(seen, ['error', 'complete']);
  assert.deepEqual([res.success, res.errorCode, res.field], ['false', 'INVALID_ARGUMENT', 'title']);
  assert.deepEqual(await wb.qing.call('meeting.explode', {}), {
    success: 'false',
    errorCode: '404',
    code: '404',
    error: 'no such operation: meeting.explode',
    data: null,
  });
  assert.equal((await wb.qing.call('cam.nothing')).errorCode, '404');
  assert.equal((await wb.qing.call(undefined)).errorCode, '404');
  const throwing = await wb.qing
    .call('roomBook.hasNew', {
      eid: '10109',
      success: () => {
        throw new Error('user bug');
      },
    })
    .catch((e) => e);
  assert.equal(throwing.success, 'true', 'a throwing callback does not turn into a rejection');
});

test('a page that passes only success hears of failures there, as the vendor docs write it', async () => {
  const seen = [];
  const res = await wb.qing.call('meeting.create', {
    openid: 'o',
    success: (r) => seen.push(['success', r.success == 'true']),
    complete: () => seen.push(['complete']),
  });
  assert.deepEqual(seen, [['success', false], ['complete']]);
  assert.equal(res.success, 'false');
});

test('callbacks are never sent over the wire', async () => {
  const bodies = [];
  const f = (url, init) => {
    bodies.push(init.body);
    return fetch(url, init);
  };
  wb.qing.config({
    ...sandboxConfig(sandbox.url),
    xuanxuan: { ...sandboxConfig(sandbox.url).xuanxuan, fetch: f },
  });
  await wb.qing.call('xuanxuan.sendChatMessage', {
    gid: '64da14c3-c07a-45af-9c61-4e638de4af26',
    title: 't',
    contentType: 'plain',
    success() {},
    complete() {},
  });
  assert.equal(bodies.length, 1);
  // The client's `sender` option fills the sender the server requires.
  assert.deepEqual(Object.keys(JSON.parse(bodies[0])), ['gid', 'title', 'contentType', 'sender']);
  wb.qing.config(sandboxConfig(sandbox.url));
});

test('outside the app, native names fail with NOT_IN_APP; a bridge set for tests is used and normalised', async () => {
  assert.equal(wb.qing.isInApp(), false);
  const res = await wb.qing.call('createLive', { groupId: 'g1' });
  assert.equal(res.errorCode, 'NOT_IN_APP');
  assert.match(res.error, /not running inside the Yunzhijia app/);
  const received = [];
  wb.qing.setBridge((name, params) => {
    received.push([name, params]);
    return { success: 'true', errorCode: '', error: '', data: '{"liveId":"l-1"}' };
  });
  const live = await wb.qing.call('createLive', { groupId: 'g1', success() {} });
  assert.deepEqual(
    live,
    { success: 'true', errorCode: '', error: '', data: '{"liveId":"l-1"}' },
    'passed through as the app gave it',
  );
  assert.deepEqual(received, [['createLive', { groupId: 'g1' }]]);
  wb.qing.setBridge(async () => '{"success":"false","errorCode":"1","error":"用户取消"}');
  const seen = [];
  const cancelled = await wb.qing.call('createVoiceMeeting', {
    error: () => seen.push('error'),
    success: () => seen.push('success'),
  });
  assert.deepEqual(
    [cancelled.success, cancelled.error, seen],
    ['false', '用户取消', ['error']],
    'a JSON text is parsed',
  );
  wb.qing.setBridge(() => ({ success: true, data: { n: 1 } }));
  assert.deepEqual(
    await wb.qing.call('chat', {}),
    { success: true, data: { n: 1 } },
    'a boolean success stays as the app gave it',
  );
  wb.qing.setBridge(null);
});

test('a native call whose app never answers ends with TIMEOUT after timeoutMs, error then complete', async () => {
  const received = [];
  wb.qing.setBridge((name, params) => {
    received.push(params);
    return new Promise(() => {});
  });
  const seen = [];
  const started = Date.now();
  const res = await wb.qing.call('selectPersons', {
    multi: true,
    timeoutMs: 150,
    error: (r) => seen.push(['error', r.errorCode]),
    complete: () => seen.push(['complete']),
  });
  assert.ok(Date.now() - started >= 140, 'waited for the timeout');
  assert.deepEqual([res.success, res.errorCode], ['false', 'TIMEOUT']);
  assert.deepEqual(seen, [['error', 'TIMEOUT'], ['complete']]);
  assert.deepEqual(received, [{ multi: true }], 'timeoutMs is never forwarded to the app');
  wb.qing.setBridge(null);
});

function startRelayBin(env, args) {
  const bin = join(work, 'node_modules', '.bin', 'workbridge');
  const child = spawn(bin, ['relay', '--port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => lines.push(String(d)));
    child.stdout.on('data', (d) => {
      lines.push(...String(d).split('\n').filter(Boolean));
      const m = /listening on (http:\/\/[\d.:]+)/.exec(String(d));
      if (m)
        resolve({
          url: m[1],
          lines,
          stop: () =>
            new Promise((r) => {
              child.once('exit', r);
              child.kill();
            }),
        });
    });
    child.once('exit', (code) => reject(new Error(`relay exited ${code}: ${lines.join('')}`)));
  });
}

test('the relay runs allowed operations only, for allowed origins, and forwards nothing it refuses', async () => {
  const env = {
    WORKBRIDGE_YUNZHIJIA_BASE_URL: `${sandbox.url}/yunzhijia`,
    WORKBRIDGE_YUNZHIJIA_EID: '10109',
    WORKBRIDGE_YUNZHIJIA_SECRET: 'relay-secret-5e1',
    WORKBRIDGE_CAM_API_TOKEN: 'sandbox-token',
    WORKBRIDGE_CAM_SERVER_URL: `${sandbox.url}/cam`,
  };
  // The relay holds a wrong secret on purpose for one check; a second relay holds the right one.
  // Node's fetch sends no Origin: these callers are servers, so the relays allow that.
  const wrong = await startRelayBin(env, ['--allow', 'meeting.queryByDay', '--allow-no-origin']);
  const relay = await startRelayBin({ ...env, WORKBRIDGE_YUNZHIJIA_SECRET: 'sandbox-secret' }, [
    '--allow',
    'meeting.queryByDay,cam.sendMessage',
    '--origin',
    'https://app.example.com',
    '--allow-no-origin',
    '--max-body',
    '2048',
  ]);
  try {
    const post = (url, name, body, headers = {}) =>
      fetch(`${url}/call/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body,
      });
    const before = (await (await fetch(`${sandbox.url}/cam/_sandbox/messages`)).json()).messages.length;

    const ok = await post(relay.url, 'meeting.queryByDay', JSON.stringify({ day: 1535558400000 }), {
      Origin: 'https://app.example.com',
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://app.example.com');
    const res = await ok.json();
    assert.equal(res.success, 'true');
    assert.equal(res.data[0].id, '5b86ed2fbeb7cc35af769eb8');

    const notAllowed = await post(relay.url, 'meeting.cancel', '{"id":"x","openid":"y"}');
    assert.equal(notAllowed.status, 403);
    assert.match((await notAllowed.json()).error, /not allowed by this relay/);

    const badOrigin = await post(
      relay.url,
      'cam.sendMessage',
      JSON.stringify({ panelName: 'messenger', message: 'evil', users: ['a@x.com'] }),
      { Origin: 'https://evil.example' },
    );
    assert.equal(badOrigin.status, 403);
    assert.equal(badOrigin.headers.get('access-control-allow-origin'), null);

    const big = await post(
      relay.url,
      'cam.sendMessage',
      JSON.stringify({ panelName: 'messenger', message: 'x'.repeat(5000), users: ['a@x.com'] }),
    );
    assert.equal(big.status, 413);
    const notJson = await post(relay.url, 'cam.sendMessage', 'not json');
    assert.equal(notJson.status, 400);
    const after = (await (await fetch(`${sandbox.url}/cam/_sandbox/messages`)).json()).messages.length;
    assert.equal(after, before, 'nothing refused reached the vendor');

    // A page configured with the relay: qing.call goes through it.
    wb.qing.config({ relay: relay.url });
    const viaPage = await wb.qing.call('cam.sendMessage', {
      panelName: 'messenger',
      message: 'via relay',
      isOpened: false,
      users: ['user1@xxx.com'],
      success() {},
    });
    assert.equal(viaPage.success, 'true', JSON.stringify(viaPage));
    assert.equal((await wb.qing.call('meeting.cancel', { id: 'x', openid: 'y' })).errorCode, '403');
    wb.qing.config(sandboxConfig(sandbox.url));

    const authFailed = await (await post(wrong.url, 'meeting.queryByDay', '{"day":"2030-12-03"}')).json();
    assert.equal(authFailed.errorCode, 'AUTH_FAILED');
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(
      wrong.lines.some((l) =>
        /relay upstream error yunzhijia\.token\.getAccessToken .*AUTH_FAILED|relay upstream error yunzhijia\.meeting\.queryByDay .*AUTH_FAILED/.test(
          l,
        ),
      ),
      `the relay logs the vendor side from onEvent: ${wrong.lines.join('\n')}`,
    );
    const logs = [...relay.lines, ...wrong.lines, ...sandbox.lines].join('\n');
    assert.ok(!logs.includes('relay-secret-5e1') && !logs.includes('sandbox-secret'), 'no secret in any log line');
  } finally {
    await relay.stop();
    await wrong.stop();
  }
});

test("a vendor's refusal: errorCode is the vendor's code as a String, code the package's; English outside the app", async () => {
  const res = await wb.qing.call('group.groupUsers', { currentUid: 'u-1', groupId: 'no-such-group' });
  assert.deepEqual(
    [res.success, res.errorCode, res.code, res.vendorCode, res.vendorMessage],
    ['false', '100', 'VENDOR_ERROR', '100', '群组不存在 (no such group)'],
  );
  assert.match(res.error, /群组不存在/, "the English message quotes the vendor's words");
  assert.equal(res.detail, undefined);
  // In Chinese: the vendor's words as they are, and the package's English kept as `detail`.
  wb.qing.config({ lang: 'zh' });
  const zh = await wb.qing.call('group.groupUsers', { currentUid: 'u-1', groupId: 'no-such-group' });
  assert.deepEqual([zh.errorCode, zh.error, zh.detail], ['100', '群组不存在 (no such group)', res.error]);
  const bad = await wb.qing.call('meeting.create', { openid: 'o' });
  assert.deepEqual(
    [bad.errorCode, bad.code, bad.field, bad.error],
    ['INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'title', '参数 title 不正确'],
  );
  assert.throws(
    () => wb.qing.config({ lang: 'fr' }),
    (e) => e.code === 'INVALID_ARGUMENT' && e.field === 'lang',
  );
  wb.qing.config({ lang: 'en' });
  assert.match((await wb.qing.call('meeting.create', { openid: 'o' })).error, /title/);
});
