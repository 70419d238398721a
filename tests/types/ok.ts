// Correct uses of the public API: this file must compile under `strict`.
import {
  CAMAPIClient,
  YunzhijiaClient,
  XuanxuanClient,
  YtxClient,
  WorkbridgeError,
  qing,
  setAPIClient,
  getAPIClient,
  xuanxuanToken,
  ytxSign,
  ytxAuthorization,
  operations,
  type WorkbridgeErrorCode,
  type Meeting,
  type Booking,
  type QingResult,
  type TokenStore,
  type WorkbridgeEvent,
} from 'workbridge';
import { startSandbox, createSandbox, sandboxFetch } from 'workbridge/sandbox';
import camAlone, { CAMAPIClient as CAMAlone, qing as camQing, type CAMSendMessageParams } from 'workbridge/cam';
import { YunzhijiaClient as YunzhijiaAlone, type MeetingCreateParams } from 'workbridge/yunzhijia';
import { xuanxuanToken as tokenAlone } from 'workbridge/xuanxuan';
import { ytxSign as signAlone, operations as ytxTables } from 'workbridge/ytx';

export async function uses(): Promise<void> {
  const cam = new CAMAPIClient({ apiToken: 't', serverURL: 'http://127.0.0.1:8080/cam', timeoutMs: 5000 });
  setAPIClient(cam);
  const sent = await getAPIClient().sendMessage('messenger', 'Hello!', false, ['user1@xxx.com']);
  const errors: unknown = sent.errors;
  await cam.sendMessages([
    { message: 'hello 1', users: 'a@x.com' },
    { send: 'room', message: 'test 1' },
  ]);
  await cam.createQuickCall(new Date(), 'pw', { signal: new AbortController().signal });
  await cam.getConferenceRoomStatus('201908');

  const yzj = new YunzhijiaClient({ eid: '10109', secret: 's' });
  const viaFn = new YunzhijiaClient({ accessToken: async () => 'token', baseURL: 'https://yzj.example.com' });
  const { meetingId }: { meetingId: string } = await yzj.meeting.create({
    openid: 'o',
    title: 't',
    startDate: new Date(),
    endDate: Date.now() + 1000,
    noticeTime: 15,
    topState: 1,
    type: 'sign',
    actors: ['a'],
  });
  const day: Meeting[] = await viaFn.meeting.queryByDay({ day: Date.now() });
  const start: number = day[0].startDate;
  await yzj.meeting.repeatMeeting({ openid: 'o', title: 't', startDate: 1, endDate: 2, repeat: 3, repeatEndDate: 9 });
  for await (const page of yzj.roomBook.sync({ eid: '10109', lastTime: 0 })) {
    const added: Booking[] = page.add;
    const next: number | undefined = page.lastTime;
  }
  const users: { managerIds: string[]; participantIds: string[] } = await yzj.group.groupUsers({
    currentUid: 'u',
    groupId: 'g',
  });
  const mergeId: string = await yzj.message.createForCloudflow({ currentUid: 'u', groupId: 'g' });
  const link: string = YunzhijiaClient.historyUrl({ mid: mergeId, eid: '10109' });

  const xx = new XuanxuanClient({ serverURL: 'https://xxb.example.com', code: 'c', key: 'k' });
  const groups: Record<string, string> = await xx.getGroupChats();
  await xx.getChatUsers('gid');
  await xx.sendNotification({
    users: [1, 'admin'],
    title: 't',
    contentType: 'text',
    actions: [{ label: 'l', url: 'u', type: 'danger' }],
    sender: { id: 1, avatar: 'a' },
  });
  await xx.sendChatMessage({ gid: 'g', title: 't', contentType: 'plain' });

  const ytx = new YtxClient({ accountSID: 's', authToken: 't', appid: 'a', env: 'sandbox' });
  await ytx.queryMeeting({ confid: '002', meetingcount: 1 });
  const sign: string =
    ytxSign('s', 't', '20140416142030') + ytxAuthorization('s', '20140416142030') + xuanxuanToken('q', 'k');

  qing.config({ yunzhijia: { eid: '10109', secret: 's' }, relay: 'https://relay.example.com' });
  const res: QingResult<{ meetingId: string }> = await qing.call('meeting.create', {
    openid: 'o',
    title: 't',
    startDate: 1,
    endDate: 2,
    success(r) {
      const id: string | undefined = r.data?.meetingId;
    },
    complete() {},
  });
  await qing.call('createLive', { groupId: 'g', success() {} });
  const inApp: boolean = qing.isInApp();
  // The page API of the vendor's qing.js, as its README writes a page.
  qing.config({ debug: false, jsApiList: ['getPersonInfo'], jsEventList: ['appear', 'disappear'], lang: 'zh' });
  qing.ready(
    () =>
      void qing.call('getPersonInfo', {
        success(r) {
          void r;
        },
      }),
  );
  qing.on('appear', {
    success(data) {
      void data;
    },
  });
  qing.once('disappear', (data) => void data);
  qing.off('appear');
  await qing.call('ui.toast', { message: '已保存' });
  const supported: boolean =
    qing.checkJsApi('createLive') && qing.isSupportNativeJsBridge && qing.checkVersion('0.9.50');
  const bridgeVersion: string | undefined = qing.nativeJsBridgeVersion;
  const refused = await qing.call('meeting.cancel', { id: 'i', openid: 'o' });
  if (refused.errorCode == '10027' && refused.code === 'VENDOR_ERROR') void refused.detail;
  void [supported, bridgeVersion, qing.version];
  // As the vendor's docs write it: success is the String.
  await qing.call('roomBook.hasNew', {
    eid: '10109',
    success(r) {
      if (r.success == 'true') {
        const has: boolean | undefined = r.data?.hasNew;
        void has;
      }
    },
  });
  await qing.call('selectPersons', {
    timeoutMs: 30_000,
    success(r) {
      if (r.success === true || r.success == 'true') void r.data;
    },
  });
  // Seed samples as written: a room post without mentions, messages.json items, "repeat": "1", a Beijing day.
  await cam.sendMessage('Secret meeting', 'Hello!', false);
  await cam.sendMessages([{ message: 'hello 1', property: { users: 'user1@test.com,user2@test.com' } }]);
  await yzj.meeting.batchModify({ id: 'i', openid: 'o', repeat: '1', repeatEndDate: 1533549600000 });
  await yzj.meeting.queryByDay({ day: '2018-08-30' });
  const status = (await cam.getConferenceRoomStatus('201908')).conferenceRoomStatus?.conferenceRooms[0]
    ?.reservedSchedules;
  const dry: string =
    cam.dryRun('sendMessage', 'messenger', 'hi', false, ['a@x.com']).url +
    yzj.dryRun('meeting.cancel', { id: 'i', openid: 'o' }).method;
  new CAMAPIClient({ apiToken: 'x', serverURL: 'http://h', maxResponseBytes: 1 << 20 });
  void [status, dry];

  try {
    await cam.getConferenceRooms();
  } catch (e) {
    if (e instanceof WorkbridgeError) {
      const code: WorkbridgeErrorCode = e.code;
      const field: string | undefined = e.field;
      const retry: boolean = e.retryable;
    }
  }
  const names: string[] = operations.yunzhijia.map((o) => o.name);
  const server = await startSandbox({ port: 0, faults: 'cam:503x1' });
  const fetchFn = sandboxFetch(createSandbox({ cam: { apiToken: 'x' } }));
  new CAMAPIClient({ apiToken: 'x', serverURL: 'http://sb/cam', fetch: fetchFn });
  await server.close();

  const kept = new Map<string, string>();
  const tokenStore: TokenStore = {
    get: async (key) => kept.get(key),
    set: async (key, token, ttlMs) => {
      kept.set(key, token);
      setTimeout(() => kept.delete(key), ttlMs);
    },
    lock: async () => async () => {},
  };
  const onEvent = (e: WorkbridgeEvent): void => {
    if (e.type === 'response') {
      const status: number = e.status;
      const ms: number = e.durationMs;
      void [status, ms];
    }
    if (e.type === 'error') {
      const code: WorkbridgeErrorCode = e.code;
      const url: string | undefined = e.url;
      void [code, url];
    }
    if (e.type === 'store-error') {
      const why: string = e.message;
      void why;
    }
    const where: string = `${e.vendor} ${e.operation}`;
    void where;
  };
  new YunzhijiaClient({ eid: '10109', secret: 's', tokenStore, onEvent });
  new YunzhijiaClient({
    appId: 'a',
    secret: 's',
    scope: 'app',
    tokenStore: { get: async () => null, set: async () => 'OK' },
  });
  new CAMAPIClient({
    apiToken: 'x',
    serverURL: 'http://sb/cam',
    onEvent: async (e) => {
      await Promise.resolve(e.type);
    },
  });
  // The vendor entries: the same types, for their own vendor.
  const alone = new CAMAlone({ apiToken: 't', serverURL: 'http://h' });
  const roomsAlone = (await alone.getConferenceRooms()).conferenceRooms;
  camQing.config({ cam: { apiToken: 't', serverURL: 'http://h' } });
  const params: CAMSendMessageParams = { panelName: 'messenger', message: 'hi', users: 'a@x.com' };
  const viaQing: QingResult<unknown> = await camQing.call('cam.sendMessage', params);
  const plan: MeetingCreateParams = { openid: 'o', title: 't', startDate: '2018-08-30', endDate: 2, type: null };
  await new YunzhijiaAlone({ eid: 'e', secret: 's' }).meeting.create(plan);
  const ytxNames: string[] = ytxTables.ytx.map((o) => o.name);
  const signs: string = tokenAlone('q', 'k') + signAlone('s', 't', '1');
  new camAlone.CAMAPIClient({ apiToken: 't', serverURL: 'http://h' });
  // Optional params may be null, as the validation reads null as absent.
  await cam.sendMessage('messenger', 'hi', null, ['a@x.com']);
  await yzj.roomBook.bookInfo({ eid: 'e', lastTime: null, pageIndex: '2', pageSize: 10 });
  void [errors, start, users, link, groups, sign, res, inApp, names, meetingId, roomsAlone, viaQing, ytxNames, signs];
}

// Batches, limits, the file store and a leased sync.
import { fileStore } from 'workbridge/store';
import type { BatchReport, Store } from 'workbridge';
export async function bulk(): Promise<void> {
  const store: Store = fileStore('/tmp/wb-types.json');
  const xx = new XuanxuanClient({
    serverURL: 'https://x',
    code: 'c',
    key: 'k',
    limits: { concurrency: 4, perMinute: 600, store },
  });
  const report: BatchReport = await xx.batch('sendChatMessage', [{ gid: 'g', title: 't', contentType: 'plain' }], {
    concurrency: 8,
    onProgress: ({ done, total }) => void [done, total],
  });
  const again = await xx.batch('sendChatMessage', [{ gid: 'g', title: 't', contentType: 'plain' }], { from: report });
  const cam = new CAMAPIClient({ apiToken: 't', serverURL: 'https://cam.example' });
  const seed = await cam.batch('sendMessages', [{ message: 'm', users: ['a@x.com'] }], { chunk: 100, from: 0 });
  const one = await cam.batch('sendMessage', [{ panelName: 'messenger', message: 'm', users: ['a@x.com'] }]);
  const yzj = new YunzhijiaClient({ eid: 'e', secret: 's', tokenStore: store });
  for await (const page of yzj.roomBook.sync({ eid: 'e' }, { store, leaseMs: 10_000 })) void page.add;
  const ranges: Array<[number, number]> = [
    ...again.delivered,
    ...seed.unknown,
    ...one.notSent,
    ...(report.skipped ?? []),
  ];
  void [ranges, report.refused.map((r) => r.code)];
}
