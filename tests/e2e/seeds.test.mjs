// The vendors' own samples, copied as literally as JavaScript allows, run against the sandbox
// from the installed package: what a user pastes from seed 000 (Chat&Messenger) and seed 001
// (Yunzhijia) must run unchanged. Only the placeholders (`******`, `xxxxxx`, ids) are filled in.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { installPackage, startSandboxBin } from './helpers.mjs';

let work;
let sandbox;
let wb;

before(async () => {
  work = installPackage('seeds');
  sandbox = await startSandboxBin(work);
  wb = await import(`${work}/esm.mjs`);
});
after(async () => {
  await sandbox?.stop();
});

async function stored() {
  return (await (await fetch(`${sandbox.url}/cam/_sandbox/messages`)).json()).messages;
}

test('seed 000: new CAMAPIClient(config), then getAPIClient() as the samples call it', async () => {
  const { CAMAPIClient, getAPIClient } = wb;
  // ---- as in seed 000 ----
  let config = {
    apiToken: 'sandbox-token',
    serverURL: `${sandbox.url}/cam`,
  };
  let client = new CAMAPIClient(config);
  let response = await client.getConferenceRooms();
  // ----
  assert.ok(Array.isArray(response.conferenceRooms), JSON.stringify(response));

  // ---- 用 Messenger 中的用户 ID 发送 ----
  response = await getAPIClient().sendMessage('messenger', 'Hello!', false, ['user1@xxx.com', 'user2@xxx.com']);
  let errors = response['errors'];
  if (errors) {
    console.log(errors);
  }
  // ----
  assert.equal(errors, null);
  assert.ok(response.messageId);
  assert.equal(getAPIClient(), client, 'the first client constructed is the default');

  // ---- 通过指定聊天室发送 (a room post; mentions optional) ----
  response = await getAPIClient().sendMessage('Secret meeting', 'Hello!', false);
  assert.equal(response['errors'], null, JSON.stringify(response));
  const last = (await stored()).at(-1);
  assert.deepEqual([last.panelName, last.message, last.users], ['Secret meeting', 'Hello!', []]);

  // ---- messages.json, items as the file writes them ----
  const before = (await stored()).length;
  response = await getAPIClient().sendMessages([
    { message: 'hello 1', property: { users: 'user1@test.com,user2@test.com' } },
    { message: 'hello 2', property: { users: 'user1@test.com,user2@test.com' } },
    { send: 'Secret meeting', message: 'test 1' },
  ]);
  assert.equal(response['errors'], null, JSON.stringify(response));
  const sent = (await stored()).slice(before);
  assert.deepEqual(
    sent.map((m) => [m.panelName, m.message, m.users.length]),
    [
      ['messenger', 'hello 1', 2],
      ['messenger', 'hello 2', 2],
      ['Secret meeting', 'test 1', 0],
    ],
  );

  // ---- createQuickCall, updateChatRoom, getConferenceMaster, getConferenceRoomStatus ----
  response = await getAPIClient().createQuickCall(
    Date.now() + 3_600_000, // 快速会议截止时间(UnixTime 毫米)
    'password!',
  );
  assert.equal(response['errors'], null, JSON.stringify(response));
  let chatRoom = {
    name: 'Seed room',
    createUserId: '11u1pu9d32p8vuvjoZdd',
    adminUserId: '11u1pu9d32p8vuvjoZdd',
    isMessageThread: true,
    isPublic: false,
    memberUids: {
      '11u1pu9d32p8vuvjoZdd': true,
      '1lmn7hoh3s1ja26fsazw': false,
      '309d32p8vuvjo5euuuwx': false,
    },
  };
  response = await getAPIClient().updateChatRoom(chatRoom);
  assert.equal(response['errors'], null, JSON.stringify(response));
  assert.equal(response['chatRoom'].name, 'Seed room');
  response = await getAPIClient().getConferenceMaster();
  assert.ok(response['conferenceRooms'].length > 0);
  response = await getAPIClient().getConferenceRoomStatus('201908');
  assert.ok(response['conferenceRoomStatus'], JSON.stringify(response));
});

test('seed 001: repeatMeeting then batchModify with "repeat": "1" as the sample writes it', async () => {
  const yzj = new wb.YunzhijiaClient({ baseURL: `${sandbox.url}/yunzhijia`, eid: '10109', secret: 'sandbox-secret' });
  const start = Date.now() + 86_400_000;
  const created = await yzj.meeting.repeatMeeting({
    openid: '5a67e08d00b0e8dfe4aab4fa',
    title: '测试会议',
    content: '批量修改重复日程接口',
    startDate: start,
    endDate: start + 3_600_000,
    noticeTime: 0,
    topState: 0,
    actors: ['5a67e08d00b0e8dfe4aab4fb', '5a67e08d00b0e8dfe4aab4fc'],
    submitExperience: true,
    repeat: 1,
    repeatEndDate: start + 5 * 86_400_000,
  });
  const [parent, child] = created.meetingIds;
  assert.ok(parent && child, JSON.stringify(created));
  const modified = await yzj.meeting.batchModify({
    id: child,
    openid: '5a67e08d00b0e8dfe4aab4fa',
    title: '测试会议',
    content: '在京举行还很好',
    startDate: start,
    endDate: start + 7_200_000,
    noticeTime: 0,
    topState: 0,
    actors: ['5a67e08d00b0e8dfe4aab4fb'],
    addActors: ['5a67e08d00b0e8dfe4aab4fd'],
    delActors: ['5a67e08d00b0e8dfe4aab4fc'],
    submitExperience: true,
    repeat: '1',
    repeatEndDate: start + 5 * 86_400_000,
    batchId: parent,
  });
  assert.notEqual(modified, undefined);
  // The same day as a Date, a number, a digit string or an ISO date (a Beijing day).
  const day = new Date(start);
  const beijing = new Date(start + 8 * 3_600_000).toISOString().slice(0, 10);
  const midnight = Date.parse(`${beijing}T00:00:00+08:00`);
  const lists = await Promise.all(
    [midnight, String(midnight), new Date(midnight), beijing].map((d) => yzj.meeting.queryByDay({ day: d })),
  );
  for (const list of lists)
    assert.ok(
      list.some((m) => m.title === '测试会议' && m.content === '在京举行还很好'),
      `${day}: ${JSON.stringify(list)}`,
    );
});
