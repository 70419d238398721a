// Wrong uses: every line marked below must be a type error. If the types let one through,
// TypeScript reports the unused @ts-expect-error and the type test fails.
import { CAMAPIClient, YunzhijiaClient, XuanxuanClient, YtxClient, qing, type WorkbridgeErrorCode, type Meeting } from 'workbridge';
import { qing as camQing, CAMAPIClient as CAMAlone } from 'workbridge/cam';
import { YtxClient as YtxAlone } from 'workbridge/ytx';

export async function misuses(yzj: YunzhijiaClient, cam: CAMAPIClient, xx: XuanxuanClient): Promise<void> {
  // @ts-expect-error a missing required option
  new CAMAPIClient({ apiToken: 't' });
  // @ts-expect-error wrong parameter type: isOpened is a boolean
  await cam.sendMessage('messenger', 'hi', 'no', ['a@x.com']);
  // @ts-expect-error a batch item needs users or send, not both
  await cam.sendMessages([{ message: 'm', users: 'a@x.com', send: 'room' }]);
  // @ts-expect-error a missing required field (title)
  await yzj.meeting.create({ openid: 'o', startDate: 1, endDate: 2 });
  // @ts-expect-error a wrong literal: noticeTime is -1, 0, 15 or 60
  await yzj.meeting.create({ openid: 'o', title: 't', startDate: 1, endDate: 2, noticeTime: 30 });
  // @ts-expect-error a wrong literal: type is 'sign', 'voice' or null
  await yzj.meeting.create({ openid: 'o', title: 't', startDate: 1, endDate: 2, type: 'video' });
  // @ts-expect-error repeat is 0 to 5
  await yzj.meeting.repeatMeeting({ openid: 'o', title: 't', startDate: 1, endDate: 2, repeat: 7, repeatEndDate: 9 });
  // @ts-expect-error a result assigned to the wrong type
  const id: number = (await yzj.meeting.create({ openid: 'o', title: 't', startDate: 1, endDate: 2 })).meetingId;
  // @ts-expect-error queryByDay resolves Meeting[], not one Meeting
  const one: Meeting = await yzj.meeting.queryByDay({ day: 1 });
  // @ts-expect-error contentType is 'plain' or 'text'
  await xx.sendNotification({ users: [1], title: 't', contentType: 'html' });
  // @ts-expect-error an action type outside the seven
  await xx.sendNotification({ users: [1], title: 't', contentType: 'text', actions: [{ label: 'l', url: 'u', type: 'normal' }] });
  // @ts-expect-error sendChatMessage needs gid
  await xx.sendChatMessage({ title: 't', contentType: 'plain' });
  // @ts-expect-error YTX needs env or baseURL
  new YtxClient({ accountSID: 's', authToken: 't', appid: 'a' });
  // @ts-expect-error meetingcount is a number, or its digits
  await new YtxClient({ accountSID: 's', authToken: 't', appid: 'a', env: 'sandbox' }).queryMeeting({ meetingcount: 'one' });
  // @ts-expect-error an error code outside the union
  const code: WorkbridgeErrorCode = 'OOPS';
  // @ts-expect-error qing.call params of a known operation are checked too
  await qing.call('meeting.cancel', { id: 'x' });
  // @ts-expect-error scope 'app' needs appId
  new YunzhijiaClient({ eid: '10109', secret: 's', scope: 'app' });
  // @ts-expect-error a wrong-case operation name is not a native name: dotted names must be operations
  await qing.call('meeting.querybyday', { day: 1 });
  // @ts-expect-error qing.call's success is the String 'true' or 'false', as the vendor documents it
  await qing.call('roomBook.hasNew', { eid: 'e', success: (r) => { const b: boolean = r.success; void b; } });
  // @ts-expect-error a direct message's batch item needs users or property.users
  await cam.sendMessages([{ message: 'm', property: {} }]);
  // @ts-expect-error dryRun takes an operation of this vendor
  cam.dryRun('meeting.create', {});
  // @ts-expect-error repeat '7' is outside 0 to 5, as a string too
  await yzj.meeting.repeatMeeting({ openid: 'o', title: 't', startDate: 1, endDate: 2, repeat: '7', repeatEndDate: 9 });
  // @ts-expect-error tokenStore shares a fetched token: not with a fixed accessToken
  new YunzhijiaClient({ accessToken: 't', tokenStore: { get: async () => null, set: async () => {} } });
  // @ts-expect-error a tokenStore needs set
  new YunzhijiaClient({ eid: '10109', secret: 's', tokenStore: { get: async () => null } });
  // @ts-expect-error get resolves with a string, null or undefined
  new YunzhijiaClient({ eid: '10109', secret: 's', tokenStore: { get: async () => 42, set: async () => {} } });
  // @ts-expect-error status is not on every event: narrow on type first
  new CAMAPIClient({ apiToken: 't', serverURL: 'http://h', onEvent: (e) => { const s: number = e.status; void s; } });
  // @ts-expect-error a misspelt parameter name (isOpend) is refused, in qing.call too
  await qing.call('cam.sendMessage', { panelName: 'messenger', message: 'hi', isOpend: true });
  // @ts-expect-error a wrong-case qing.call name of a vendor (cam.sendmessage)
  await qing.call('cam.sendmessage', { panelName: 'messenger', message: 'hi' });
  // @ts-expect-error a missing required param of a positional method: message
  await cam.sendMessage('messenger');
  // @ts-expect-error notice titles are strings: a number is not one
  await yzj.notice.create({ currentUid: 'u', groupId: 'g', title: 1, content: 'c' });
  // @ts-expect-error workbridge/cam's qing.call knows CAM's operations only
  await camQing.call('meeting.cancel', { id: 'i', openid: 'o' });
  // @ts-expect-error qing.js's jsEventList is a list of names
  qing.config({ jsEventList: 'appear' });
  // @ts-expect-error a dotted name that is neither an operation nor a CloudHubJSBridge method
  await qing.call('ui.nothing', {});
  // @ts-expect-error workbridge/cam's qing.config takes no other vendor
  camQing.config({ yunzhijia: { eid: 'e', secret: 's' } });
  // @ts-expect-error workbridge/cam's client has CAM's methods only
  await new CAMAlone({ apiToken: 't', serverURL: 'http://h' }).queryMeeting({ meetingcount: 1 });
  // @ts-expect-error workbridge/ytx's client checks its params as the full package does
  await new YtxAlone({ accountSID: 's', authToken: 't', appid: 'a', env: 'sandbox' }).queryMeeting({ confid: '1' });
  // @ts-expect-error batch runs writes only
  await xx.batch('getGroupChats', []);
  // @ts-expect-error a batch item is the operation's params
  await xx.batch('sendChatMessage', [{ title: 'no gid', contentType: 'plain' }]);
  // @ts-expect-error limits take numbers
  new XuanxuanClient({ serverURL: 'https://x', code: 'c', key: 'k', limits: { concurrency: 'many' } });
  // @ts-expect-error chunk is an option of batch, not of a call
  await cam.sendMessage('messenger', 'hi', false, ['a@x.com'], { chunk: 5 });
  void [id, one, code];
}
