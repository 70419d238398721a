// Yunzhijia 云之家: book a meeting with a room and invite people, post a group notice, and sync
// room bookings the way a poller run every minute would. Run by `make demo` on the sandbox.

import { YunzhijiaClient } from '../pkg/index.mjs';

export async function main({ baseURL, log = console.log }) {
  // Credentials: the client gets, caches and refreshes the access token itself.
  const yzj = new YunzhijiaClient({ baseURL, eid: '10109', secret: 'sandbox-secret' });

  const start = new Date(Date.now() + 86_400_000);
  start.setUTCHours(2, 0, 0, 0); // 10:00 in Beijing, tomorrow
  const { meetingId } = await yzj.meeting.create({
    openid: '5a67e08d00b0e8dfe4aab4fa',
    title: '项目周会 Weekly sync',
    content: '议程见群公告',
    startDate: start,
    endDate: new Date(start.getTime() + 3600_000),
    roomId: '5c121cfd7453ed63750a9767',
    noticeTime: 15,
    actors: ['5c32b90b84aef86b358bc9cc', '5b652863e4b0689c4f38b1d3'],
  });
  log('meeting.create        ->', meetingId);
  const day = await yzj.meeting.queryByDay({ day: start });
  log(
    'meeting.queryByDay    ->',
    day.map((m) => `${m.title} @ ${new Date(m.startDate).toISOString()}`),
  );

  const group = await yzj.group.createGroup({
    currentUid: '5b503ee9e4b02abb5318b23e',
    groupName: '项目组',
    userIds: ['5b6cea82e4b05df05b3efc2b'],
  });
  await yzj.notice.create({
    currentUid: '5b503ee9e4b02abb5318b23e',
    groupId: group.groupId,
    title: '周会议程',
    content: '1. 进度 2. 风险',
  });
  log('group + notice        ->', group.groupId);

  // A poller keeps `lastTime` between runs; here, one run.
  let lastTime;
  for await (const page of yzj.roomBook.sync({ eid: '10109', lastTime })) {
    log(`roomBook.sync         -> ${page.add.length} added, ${page.delete.length} deleted`);
    lastTime = page.lastTime;
  }
  log('next run resumes from ->', lastTime);
  return { meetingId, lastTime };
}
