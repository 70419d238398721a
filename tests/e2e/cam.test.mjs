// Chat&Messenger end to end: the packed npm tarball, installed into a fresh project, loaded
// with `import` and `require`, calling the installed `workbridge sandbox` over real HTTP.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { installPackage, loadBoth, startSandboxBin, countingFetch, runBin } from './helpers.mjs';

const TOKEN = 'sandbox-token';
let work;
let sandbox;
let wb;
let client;

async function sentMessages() {
  const r = await fetch(`${sandbox.url}/cam/_sandbox/messages`);
  return (await r.json()).messages;
}

before(async () => {
  work = installPackage('cam');
  sandbox = await startSandboxBin(work);
  // CAM's own entry: the CAM tests run against the wasm an app that uses only CAM ships.
  const { esm, cjs } = await loadBoth(work, 'workbridge/cam');
  wb = esm;
  assert.equal(esm.CAMAPIClient, cjs.CAMAPIClient, 'import and require share one instance');
  client = new wb.CAMAPIClient({ apiToken: TOKEN, serverURL: `${sandbox.url}/cam` });
});

after(async () => {
  await sandbox?.stop();
});

test('the package and workbridge/cam export the documented names through import and require', async () => {
  for (const entry of ['workbridge', 'workbridge/cam']) {
    const { esm, cjs } = await loadBoth(work, entry);
    for (const name of ['CAMAPIClient', 'WorkbridgeError', 'setAPIClient', 'getAPIClient']) {
      assert.equal(typeof esm[name], 'function', `${entry} ${name}`);
      assert.equal(typeof cjs[name], 'function', `${entry} ${name}`);
    }
    assert.equal(esm.default.CAMAPIClient, esm.CAMAPIClient);
  }
  const { esm: cam } = await loadBoth(work, 'workbridge/cam');
  assert.deepEqual(Object.keys(cam.operations), ['cam'], 'the CAM entry holds CAM alone');
  assert.equal(cam.YunzhijiaClient, undefined);
});

test('getConferenceRooms resolves with the body the sample reads', async () => {
  const response = await client.getConferenceRooms();
  assert.equal(response.conferenceRooms.length, 3);
  assert.deepEqual(
    response.conferenceRooms.map((r) => r.id),
    ['room-a', 'room-b', 'room-c'],
  );
});

test('sendMessage delivers a message with & + = newline CJK and emoji intact', async () => {
  const text = 'deploy a&b+c=d\n第二行 会议室 😀🚀 100%';
  const before = (await sentMessages()).length;
  const response = await client.sendMessage('messenger', text, false, ['user1@xxx.com', 'user2@xxx.com']);
  assert.equal(response.errors, null);
  assert.match(response.messageId, /^msg-\d+$/);
  const sent = await sentMessages();
  assert.equal(sent.length, before + 1);
  const last = sent.at(-1);
  assert.equal(last.message, text);
  assert.equal(last.panelName, 'messenger');
  assert.equal(last.isOpened, false);
  assert.deepEqual(last.users, ['user1@xxx.com', 'user2@xxx.com']);
});

test('sendMessage to a chat room takes a comma-separated users string too', async () => {
  const response = await client.sendMessage('Secret meeting', 'Hello!', true, 'user1@xxx.com,user2@xxx.com');
  assert.equal(response.errors, null);
  const last = (await sentMessages()).at(-1);
  assert.equal(last.panelName, 'Secret meeting');
  assert.equal(last.isOpened, true);
  assert.deepEqual(last.users, ['user1@xxx.com', 'user2@xxx.com']);
});

test('a send the server refuses with HTTP 400 rejects, carrying its errors', async () => {
  const e = await client.sendMessage('no-such-room', 'Hello!', false, ['user1@xxx.com']).catch((x) => x);
  assert.ok(e instanceof wb.WorkbridgeError, String(e));
  assert.deepEqual(
    [e.code, e.status, e.vendorMessage, e.retryable],
    ['HTTP_ERROR', 400, 'no chat room by that panelName', false],
  );
});

test('sendMessages sends a batch of both item shapes in one request', async () => {
  const before = (await sentMessages()).length;
  const response = await client.sendMessages([
    { message: 'hello 1', users: ['user1@test.com', 'user2@test.com'] },
    { message: 'hello 2', users: 'user1@test.com' },
    { send: 'Secret meeting', message: 'test 1' },
  ]);
  assert.equal(response.messageIds.length, 3);
  const sent = (await sentMessages()).slice(before);
  assert.deepEqual(
    sent.map((m) => [m.panelName, m.message]),
    [
      ['messenger', 'hello 1'],
      ['messenger', 'hello 2'],
      ['Secret meeting', 'test 1'],
    ],
  );
});

test('createQuickCall takes Unix ms or a Date, with and without a password', async () => {
  const expire = Date.now() + 3_600_000;
  const a = await client.createQuickCall(expire, 'password!');
  assert.equal(a.quickCall.expireDate, expire);
  assert.equal(a.quickCall.hasPassword, true);
  const b = await client.createQuickCall(new Date(expire));
  assert.equal(b.quickCall.expireDate, expire);
  assert.equal(b.quickCall.hasPassword, false);
  assert.notEqual(a.quickCall.url, b.quickCall.url);
});

test('updateChatRoom creates a room without id, then updates it by id', async () => {
  const created = await client.updateChatRoom({
    name: '运维 Ops',
    isPublic: false,
    memberUids: { u1: true, u2: false },
  });
  assert.match(created.chatRoom.id, /^\d+$/);
  assert.equal(created.chatRoom.name, '运维 Ops');
  const updated = await client.updateChatRoom({ id: created.chatRoom.id, name: '运维 Ops 2' });
  assert.equal(updated.chatRoom.id, created.chatRoom.id);
  assert.equal(updated.chatRoom.name, '运维 Ops 2');
  assert.deepEqual(updated.chatRoom.memberUids, { u1: true, u2: false });
  const sent = await client.sendMessage('运维 Ops 2', 'room works', false, ['user1@xxx.com']);
  assert.equal(sent.errors, null);
});

test('getConferenceMaster and getConferenceRoomStatus read rooms and reservations', async () => {
  const master = await client.getConferenceMaster();
  assert.equal(master.conferenceRooms.length, 3);
  const month = await client.getConferenceRoomStatus('201908');
  const rooms = month.conferenceRoomStatus.conferenceRooms;
  assert.deepEqual(
    rooms.map((r) => r.reservedSchedules.length),
    [2, 1, 0],
  );
  const day = await client.getConferenceRoomStatus('20190815');
  assert.deepEqual(
    day.conferenceRoomStatus.conferenceRooms[0].reservedSchedules.map((s) => s.title),
    ['月度例会'],
  );
});

test('bad input rejects with INVALID_ARGUMENT naming the field, and nothing is sent', async () => {
  const f = countingFetch();
  const c = new wb.CAMAPIClient({ apiToken: TOKEN, serverURL: `${sandbox.url}/cam`, fetch: f });
  const cases = [
    [() => c.getConferenceRoomStatus('2019-08'), 'yyyyMMdd'],
    [() => c.getConferenceRoomStatus('201913'), 'yyyyMMdd'],
    [() => c.sendMessage('messenger', 'hi', false, []), 'users'],
    [() => c.sendMessage('messenger', 'hi', false, ['user1@xxx.com', 'bob']), 'users[1]'],
    [() => c.sendMessage('messenger', 42, false, ['user1@xxx.com']), 'message'],
    [() => c.sendMessages([{ message: 'a', send: 'Secret meeting' }, { message: 'b' }]), 'items[1]'],
    [() => c.createQuickCall(new Date('not a date')), 'expireDate'],
    [() => c.createQuickCall(10n), 'expireDate'],
    [() => c.updateChatRoom({ isPublic: true }), 'chatRoom.name'],
  ];
  for (const [call, field] of cases) {
    await assert.rejects(call(), (e) => {
      assert.ok(e instanceof wb.WorkbridgeError, `${field}: ${e}`);
      assert.equal(e.code, 'INVALID_ARGUMENT');
      assert.equal(e.field, field);
      assert.equal(e.vendor, 'cam');
      assert.match(e.message, new RegExp(field.replace(/[[\]]/g, '\\$&')));
      return true;
    });
  }
  assert.equal(f.calls, 0);
});

test('a wrong apiToken is AUTH_FAILED and the token appears nowhere in the error', async () => {
  const secret = 'wrong-token-4f9a7c';
  const c = new wb.CAMAPIClient({ apiToken: secret, serverURL: `${sandbox.url}/cam` });
  await assert.rejects(c.getConferenceRooms(), (e) => {
    assert.equal(e.code, 'AUTH_FAILED');
    assert.equal(e.status, 401);
    assert.equal(e.operation, 'getConferenceRooms');
    assert.ok(!JSON.stringify({ ...e, message: e.message, stack: e.stack }).includes(secret));
    return true;
  });
  assert.ok(!sandbox.lines.join('\n').includes(secret), 'the sandbox log masks it too');
});

test('constructor errors are thrown synchronously with the option named', () => {
  assert.throws(
    () => new wb.CAMAPIClient({ serverURL: 'http://x' }),
    (e) => e.code === 'INVALID_ARGUMENT' && e.field === 'apiToken',
  );
  assert.throws(
    () => new wb.CAMAPIClient({ apiToken: 't', serverURL: 'x:8080' }),
    (e) => e.field === 'serverURL',
  );
  assert.throws(
    () => new wb.CAMAPIClient(),
    (e) => e.field === 'options',
  );
  assert.throws(
    () => new wb.CAMAPIClient({ apiToken: 't', serverURL: 'http://x', timeoutMs: -1 }),
    (e) => e.field === 'timeoutMs',
  );
});

test('getAPIClient is the first client constructed until setAPIClient replaces it', async () => {
  assert.equal(wb.getAPIClient(), client, 'the first CAMAPIClient of this module is the default');
  const other = new wb.CAMAPIClient({ apiToken: TOKEN, serverURL: `${sandbox.url}/cam` });
  assert.equal(wb.getAPIClient(), client, 'a later client does not replace it');
  wb.setAPIClient(other);
  assert.equal(wb.getAPIClient(), other);
  const response = await wb.getAPIClient().getConferenceMaster();
  assert.equal(response.conferenceRooms.length, 3);
  assert.throws(
    () => wb.setAPIClient({ sendMessage() {} }),
    (e) => e.code === 'INVALID_ARGUMENT' && e.field === 'client',
  );
  wb.setAPIClient(client);
});

test('concurrent calls on one client all succeed', async () => {
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) => client.sendMessage('messenger', `n${i}`, false, ['user1@xxx.com'])),
  );
  assert.equal(new Set(results.map((r) => r.messageId)).size, 50);
});

test('the CLI runs an operation, refuses secret flags, and exits 2 on bad input', async () => {
  const env = { WORKBRIDGE_CAM_API_TOKEN: TOKEN, WORKBRIDGE_CAM_SERVER_URL: `${sandbox.url}/cam` };
  const ok = await runBin(work, ['cam', 'getConferenceRoomStatus', '--yyyyMMdd', '201908'], env);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).conferenceRoomStatus.yyyyMMdd, '201908');
  const sent = await runBin(
    work,
    [
      'cam',
      'sendMessage',
      '--panelName',
      'messenger',
      '--message',
      'from cron',
      '--users',
      'user1@xxx.com,user2@xxx.com',
    ],
    env,
  );
  assert.equal(sent.code, 0, sent.stderr);
  assert.deepEqual((await sentMessages()).at(-1).users, ['user1@xxx.com', 'user2@xxx.com']);
  const secret = await runBin(work, ['cam', 'getConferenceRooms', '--apiToken', 'leak'], env);
  assert.equal(secret.code, 2);
  assert.match(secret.stderr, /environment/);
  const bad = await runBin(work, ['cam', 'getConferenceRoomStatus', '--yyyyMMdd', '2019-08'], env);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /INVALID_ARGUMENT \(yyyyMMdd\)/);
  const auth = await runBin(work, ['cam', 'getConferenceRooms'], { ...env, WORKBRIDGE_CAM_API_TOKEN: 'nope-nope' });
  assert.equal(auth.code, 1);
  assert.ok(!auth.stderr.includes('nope-nope'));
  const dry = await runBin(
    work,
    ['cam', 'sendMessage', '--panelName', 'messenger', '--message', 'x', '--users', 'a@x.com', '--dry-run'],
    env,
  );
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal(JSON.parse(dry.stdout).headers['x-cam-apiToken'], '***');
});
