// Yunzhijia end to end: the installed tarball against the sandbox over HTTP — tokens (one
// request for concurrent first calls, refresh after expiry, provider functions), meetings,
// room-booking sync, groups and notices.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { installPackage, loadBoth, startSandboxBin, countingFetch } from './helpers.mjs';

let work;
let sandbox;
let wb;
let base;
const creds = () => ({ baseURL: base, eid: '10109', secret: 'sandbox-secret' });
const stats = async () => (await fetch(`${base}/_sandbox/stats`)).json();
const ROOM = '5c121cfd7453ed63750a9767';
const DAY = Date.UTC(2026, 11, 1, 2); // 2026-12-01 10:00 in Beijing

before(async () => {
  work = installPackage('yunzhijia');
  sandbox = await startSandboxBin(work);
  base = `${sandbox.url}/yunzhijia`;
  ({ esm: wb } = await loadBoth(work, 'workbridge/yunzhijia')); // Yunzhijia's own entry and wasm
});
after(async () => {
  await sandbox?.stop();
});

test('five concurrent first calls make one token request', async () => {
  const before = (await stats()).tokenRequests;
  const yzj = new wb.YunzhijiaClient(creds());
  const days = await Promise.all(Array.from({ length: 5 }, () => yzj.meeting.queryByDay({ day: 1535558400000 })));
  assert.equal((await stats()).tokenRequests - before, 1);
  assert.deepEqual(
    days.map((d) => d[0].id),
    Array(5).fill('5b86ed2fbeb7cc35af769eb8'),
  );
  await yzj.meeting.queryByDay({ day: 1535558400000 });
  assert.equal((await stats()).tokenRequests - before, 1, 'the cached token is reused');
});

test('a rejected token is refreshed once and the call goes through', async () => {
  const yzj = new wb.YunzhijiaClient(creds());
  await yzj.meeting.queryByDay({ day: '2030-12-03' });
  const before = await stats();
  await fetch(`${base}/_sandbox/expireTokens`, { method: 'POST' });
  assert.deepEqual(await yzj.meeting.queryByDay({ day: '2030-12-03' }), []);
  const after = await stats();
  assert.equal(after.refreshRequests - before.refreshRequests, 1);
  assert.equal(after.tokenRequests - before.tokenRequests, 0);
});

test('a token refused in HTTP 200 under another code is recognised by its words, refreshed once, and a refusal a fresh token does not cure says so', async () => {
  const refusal = (body) => fetch(`${base}/_sandbox/tokenRefusal`, { method: 'POST', body: JSON.stringify(body) });
  const yzj = new wb.YunzhijiaClient(creds());
  try {
    await yzj.meeting.queryByDay({ day: '2030-12-03' });
    // Not 401: a code of the gateway's own, with words naming the token.
    for (const [errorCode, error] of [
      [10000023, 'accessToken已过期'],
      [40001, 'invalid access_token'],
    ]) {
      await refusal({ errorCode, error });
      await fetch(`${base}/_sandbox/expireTokens`, { method: 'POST' });
      const before = await stats();
      assert.deepEqual(await yzj.meeting.queryByDay({ day: '2030-12-03' }), [], error);
      const after = await stats();
      assert.equal(
        after.refreshRequests + after.tokenRequests - before.refreshRequests - before.tokenRequests,
        1,
        error,
      );
    }
    // Every token refused, fresh ones too (a revoked secret): one refresh, then an error that says
    // a fresh token did not cure it, with the server's code and words.
    await refusal({ errorCode: 10000023, error: 'accessToken已失效', always: true });
    const before = await stats();
    await assert.rejects(yzj.meeting.queryByDay({ day: '2030-12-03' }), (e) => {
      assert.equal(e.code, 'AUTH_FAILED');
      assert.equal(e.vendorCode, '10000023');
      assert.equal(e.vendorMessage, 'accessToken已失效');
      assert.match(e.message, /accessToken已失效/);
      assert.match(e.message, /a freshly fetched token was refused too/);
      return true;
    });
    const after = await stats();
    assert.equal(after.refreshRequests + after.tokenRequests - before.refreshRequests - before.tokenRequests, 1);
  } finally {
    await refusal({});
  }
});

test('a wrong secret is AUTH_FAILED and never appears in the error', async () => {
  const yzj = new wb.YunzhijiaClient({ ...creds(), secret: 'wrong-secret-93f1' });
  await assert.rejects(yzj.meeting.queryByDay({ day: '2030-12-03' }), (e) => {
    assert.equal(e.code, 'AUTH_FAILED');
    assert.equal(e.operation, 'meeting.queryByDay');
    assert.ok(!JSON.stringify({ ...e, m: e.message }).includes('wrong-secret-93f1'));
    return true;
  });
  assert.ok(!sandbox.lines.join('\n').includes('wrong-secret-93f1'));
});

test('an accessToken function is asked for the token; a fixed token is used as given', async () => {
  const shared = new wb.YunzhijiaClient(creds());
  await shared.meeting.queryByDay({ day: '2030-12-03' });
  // A fleet's own store: here, a token another client obtained.
  let asked = 0;
  const tokenRes = await fetch(`${base}/gateway/oauth2/token/getAccessToken`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ eid: '10109', secret: 'sandbox-secret', timestamp: Date.now(), scope: 'resGroupSecret' }),
  });
  const token = (await tokenRes.json()).data.accessToken;
  const viaFn = new wb.YunzhijiaClient({
    baseURL: base,
    accessToken: async () => {
      asked += 1;
      return token;
    },
  });
  assert.deepEqual(await viaFn.meeting.queryByDay({ day: '2030-12-03' }), []);
  assert.equal(asked, 1);
  const fixed = new wb.YunzhijiaClient({ baseURL: base, accessToken: token });
  assert.deepEqual(await fixed.meeting.queryByDay({ day: '2030-12-03' }), []);
  const bad = new wb.YunzhijiaClient({ baseURL: base, accessToken: 'forged' });
  // The sandbox refuses a bad token as Yunzhijia answers everything: HTTP 200, errorCode 401.
  await assert.rejects(bad.meeting.queryByDay({ day: '2030-12-03' }), (e) => e.code === 'AUTH_FAILED');
});

test('a meeting created with Dates shows up in queryByDay with plain numbers, and only its creator cancels it', async () => {
  const yzj = new wb.YunzhijiaClient(creds());
  const { meetingId } = await yzj.meeting.create({
    openid: '5a67e08d00b0e8dfe4aab4fa',
    title: '测试会议',
    content: '新增会议测试',
    meetingPlace: '云8会议室',
    startDate: new Date(DAY),
    endDate: new Date(DAY + 3600_000),
    noticeTime: 15,
    topState: 1,
    actors: ['a1', 'a2'],
    type: 'sign',
  });
  const day = await yzj.meeting.queryByDay({ day: new Date(DAY + 7200_000) });
  const m = day.find((x) => x.id === meetingId);
  assert.equal(m.title, '测试会议');
  assert.equal(typeof m.startDate, 'number');
  assert.equal(m.startDate, DAY);
  assert.equal(m.noticeTime, 15);
  await yzj.meeting.modify({
    id: meetingId,
    openid: '5a67e08d00b0e8dfe4aab4fa',
    title: '改期',
    addActors: ['a3'],
    delActors: ['a1'],
  });
  const changed = (await yzj.meeting.queryByDay({ day: DAY })).find((x) => x.id === meetingId);
  assert.equal(changed.title, '改期');
  // queryByDay lists the seed's members only (no actors): the attendees show in roomBook.getActors.
  assert.deepEqual(Object.keys(changed), Object.keys(m));
  await assert.rejects(
    yzj.meeting.cancel({ id: meetingId, openid: 'intruder' }),
    (e) => e.code === 'VENDOR_ERROR' && e.vendorCode === '403',
  );
  assert.equal(await yzj.meeting.cancel({ id: meetingId, openid: '5a67e08d00b0e8dfe4aab4fa' }), null);
  assert.equal(
    (await yzj.meeting.queryByDay({ day: DAY })).some((x) => x.id === meetingId),
    false,
  );
});

test('a repeat meeting returns the parent first; batch changes act on the series', async () => {
  const yzj = new wb.YunzhijiaClient(creds());
  const start = DAY + 30 * 86_400_000;
  const { meetingIds } = await yzj.meeting.repeatMeeting({
    openid: 'o-series',
    title: '站会',
    startDate: start,
    endDate: start + 900_000,
    repeat: 2,
    repeatEndDate: start + 4 * 86_400_000,
  });
  assert.equal(meetingIds.length, 5);
  await yzj.meeting.batchModify({ id: meetingIds[2], openid: 'o-series', title: '站会 v2' });
  const third = await yzj.meeting.queryByDay({ day: start + 3 * 86_400_000 });
  assert.equal(third.find((m) => m.id === meetingIds[3]).title, '站会 v2');
  await yzj.meeting.batchCancel({ id: meetingIds[0], openid: 'o-series' });
  assert.deepEqual(await yzj.meeting.queryByDay({ day: start + 86_400_000 }), []);
});

test('every meeting rule rejects with INVALID_ARGUMENT naming the field, and nothing is sent', async () => {
  const f = countingFetch();
  const yzj = new wb.YunzhijiaClient({ ...creds(), fetch: f });
  const ok = { openid: 'o', title: 't', startDate: DAY, endDate: DAY + 1000 };
  const cases = [
    [yzj.meeting.create({ ...ok, noticeTime: 30 }), 'noticeTime'],
    [yzj.meeting.create({ ...ok, topState: 2 }), 'topState'],
    [yzj.meeting.create({ ...ok, type: 'video' }), 'type'],
    [yzj.meeting.create({ ...ok, endDate: DAY }), 'endDate'],
    [yzj.meeting.create({ ...ok, startDate: new Date('nope') }), 'startDate'],
    [yzj.meeting.repeatMeeting({ ...ok, repeat: 6, repeatEndDate: DAY + 9e6 }), 'repeat'],
    [yzj.meeting.repeatMeeting({ ...ok, repeat: 1, repeatEndDate: DAY - 1 }), 'repeatEndDate'],
    [yzj.meeting.cancel({ openid: 'o', id: '' }), 'id'],
    [yzj.notice.create({ currentUid: 'u', groupId: 'g', title: '会'.repeat(41), content: 'x' }), 'title'],
    [yzj.notice.create({ currentUid: 'u', groupId: 'g', title: 't', content: '字'.repeat(2001) }), 'content'],
    [yzj.group.createGroup({ currentUid: 'u', userIds: [] }), 'userIds'],
  ];
  for (const [promise, field] of cases) {
    await assert.rejects(
      promise,
      (e) => e.code === 'INVALID_ARGUMENT' && e.field === field && e.vendor === 'yunzhijia',
    );
  }
  assert.equal(f.calls, 0, 'not even a token request');
});

test('sync walks 120 bookings over 3 pages with none lost or repeated, and resumes from lastTime', async () => {
  const yzj = new wb.YunzhijiaClient(creds());
  const eid = '10109';
  let cursor;
  for await (const page of yzj.roomBook.sync({ eid })) cursor = page.lastTime; // drain what exists
  const created = [];
  for (let i = 0; i < 120; i++) {
    const start = Date.UTC(2027, 0, 4) + i * 3600_000;
    const { meetingId } = await yzj.meeting.create({
      openid: 'o-sync',
      title: `booking ${i}`,
      startDate: start,
      endDate: start + 1800_000,
      roomId: ROOM,
    });
    created.push(meetingId);
  }
  const pages = [];
  const seen = new Set();
  for await (const page of yzj.roomBook.sync({ eid, lastTime: cursor, pageSize: 50 })) {
    pages.push(page.add.length + page.delete.length);
    for (const b of page.add) {
      assert.ok(!seen.has(b.orderId), `repeated ${b.orderId}`);
      seen.add(b.orderId);
    }
    assert.equal(typeof page.lastTime, 'number');
    cursor = page.lastTime;
  }
  assert.deepEqual(pages, [50, 50, 20]);
  assert.equal(seen.size, 120);
  assert.equal((await yzj.roomBook.hasNew({ eid, lastTime: cursor })).hasNew, false);
  await yzj.meeting.cancel({ id: created[0], openid: 'o-sync' });
  assert.equal((await yzj.roomBook.hasNew({ eid, lastTime: cursor })).hasNew, true);
  const resumed = [];
  for await (const page of yzj.roomBook.sync({ eid, lastTime: cursor })) resumed.push(page);
  assert.equal(resumed.length, 1);
  assert.equal(resumed[0].add.length, 0);
  assert.equal(resumed[0].delete.length, 1);
  assert.equal(resumed[0].delete[0].meetingTopic, 'booking 0');
});

test('freeRooms leaves out rooms booked for the interval; getActors lists a booking', async () => {
  const yzj = new wb.YunzhijiaClient(creds());
  const start = Date.UTC(2027, 2, 1, 2);
  const before = await yzj.roomBook.freeRooms({ openId: 'o', startTime: start, endTime: start + 3600_000 });
  assert.ok(before.some((r) => r.roomId === ROOM));
  await yzj.meeting.create({
    openid: 'o',
    title: 'busy',
    startDate: start,
    endDate: start + 3600_000,
    roomId: ROOM,
    actors: ['5c32b90b84aef86b358bc9cc'],
  });
  const during = await yzj.roomBook.freeRooms({ openId: 'o', startTime: start + 600_000, endTime: start + 1200_000 });
  assert.equal(
    during.some((r) => r.roomId === ROOM),
    false,
  );
  assert.equal(during.length, before.length - 1);
  const info = await yzj.roomBook.bookInfo({ eid: '10109', lastTime: start - 1e12, pageSize: 500 });
  const order = info.add.find((b) => b.meetingTopic === 'busy');
  const actors = await yzj.roomBook.getActors({ orderId: order.orderId });
  assert.deepEqual(
    actors.map((a) => a.openId),
    ['5c32b90b84aef86b358bc9cc'],
  );
});

test('groups: members, a notice of 40 CJK characters, a banner, a merged history, the history link', async () => {
  const yzj = new wb.YunzhijiaClient(creds());
  const g = await yzj.group.createGroup({
    currentUid: '5b503ee9e4b02abb5318b23e',
    groupName: '讨论组',
    userIds: ['5b6cea82e4b05df05b3efc2b'],
  });
  assert.equal(g.groupName, '讨论组');
  await yzj.group.addGroupUser({
    currentUid: '5b503ee9e4b02abb5318b23e',
    groupId: g.groupId,
    userIds: ['5b90c663e4b0216ee04a768c'],
  });
  const users = await yzj.group.groupUsers({ currentUid: '5b503ee9e4b02abb5318b23e', groupId: g.groupId });
  assert.deepEqual(users, {
    managerIds: ['5b503ee9e4b02abb5318b23e'],
    participantIds: ['5b503ee9e4b02abb5318b23e', '5b6cea82e4b05df05b3efc2b', '5b90c663e4b0216ee04a768c'],
  });
  const notice = await yzj.notice.create({
    currentUid: '5b503ee9e4b02abb5318b23e',
    groupId: g.groupId,
    title: '公'.repeat(40),
    content: '群公告内容 😀',
  });
  assert.equal(notice.title.length, 40);
  const { bannerId } = await yzj.banner.create({
    currentUid: '5b503ee9e4b02abb5318b23e',
    groupId: g.groupId,
    params: { title: 'string', webpageUrl: 'https://example.com' },
  });
  assert.match(bannerId, /^[0-9a-f]{24}$/);
  const mergeId = await yzj.message.createForCloudflow({ currentUid: '5b503ee9e4b02abb5318b23e', groupId: g.groupId });
  assert.match(mergeId, /^[0-9a-f]{24}$/);
  await assert.rejects(
    yzj.group.groupUsers({ currentUid: 'stranger', groupId: g.groupId }),
    (e) => e.code === 'VENDOR_ERROR',
  );
  assert.equal(
    wb.YunzhijiaClient.historyUrl({ mid: mergeId, eid: '10109' }),
    `https://www.yunzhijia.com/imbu/chat/history.html?mid=${mergeId}&eid=10109`,
  );
});
