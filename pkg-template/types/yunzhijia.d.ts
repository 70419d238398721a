// ---- Yunzhijia 云之家 -----------------------------------------------------------------------
// Hand-written: the options, the results and the JSON parameters' shapes. The params, methods
// and qing.call names are generated from the table (generated/yunzhijia.d.ts).

/**
 * Shares the token a YunzhijiaClient gets with its credentials across processes (a cluster,
 * relays behind a load balancer, cron jobs), e.g. over Redis. Each call is cut at one second;
 * a store that throws, rejects or hangs never breaks a call (the client fetches the token
 * itself and reports a `store-error` event).
 */
export interface TokenStore {
  /** The token stored under `key`, or null/undefined. */
  get(key: string): Promise<string | null | undefined>;
  /** Stores `token` under `key` for `ttlMs` (the token's life less the safety margin). Its value is ignored. */
  set(key: string, token: string, ttlMs: number): Promise<unknown>;
  /**
   * Optional: takes a lock named after `key` for `ttlMs`, resolving with the function that
   * releases it, or null when another process holds it. With it, one process fetches or
   * refreshes the token while the others poll `get` until it is stored.
   */
  lock?(key: string, ttlMs: number): Promise<(() => Promise<unknown>) | null | undefined>;
}

/** `tokenStore` shares a token the client gets with credentials; with accessToken there is none to share. */
interface SharedToken {
  tokenStore?: TokenStore;
}

export type YunzhijiaAuth =
  | {
      /** A fixed token, or a function returning one (a fleet's shared store). */ accessToken:
        string | (() => string | Promise<string>);
      tokenStore?: never;
    }
  | ({ eid: string; secret: string; scope?: 'resGroupSecret'; appId?: string } & SharedToken)
  | ({ appId: string; secret: string; scope: 'app'; eid?: string } & SharedToken)
  | ({ appId: string; eid: string; secret: string; scope: 'team' } & SharedToken);

export type YunzhijiaOptions = CommonOptions &
  YunzhijiaAuth & {
    /** Default `https://www.yunzhijia.com`; private deployments use their own host. */
    baseURL?: string;
  };

/** -1 no reminder, 0 at the start, 15 or 60 minutes before. */
export type NoticeTime = NonNullable<YunzhijiaMeetingCreateParams['noticeTime']>;
/** 0 no repeat, 1 workdays, 2 daily, 3 weekly, 4 every two weeks, 5 monthly. */
export type RepeatCycle = YunzhijiaMeetingRepeatMeetingParams['repeat'];
/** Absent or null: an ordinary meeting; 'sign': check-in; 'voice': a voice meeting. */
export type MeetingType = NonNullable<YunzhijiaMeetingCreateParams['type']> | null;

/** The params of the meeting operations, under their former names. */
export type MeetingCreateParams = YunzhijiaMeetingCreateParams;
export type MeetingModifyParams = YunzhijiaMeetingModifyParams;
export type RepeatMeetingParams = YunzhijiaMeetingRepeatMeetingParams;
export type BatchModifyParams = YunzhijiaMeetingBatchModifyParams;

/** A meeting as queryByDay returns it (timestamps are Unix ms). */
export interface Meeting {
  id: string;
  openid: string;
  type: MeetingType;
  title: string;
  content: string | null;
  meetingPlace: string | null;
  /** 0 open, 1 done, 2 deleted. */
  meetingStatus: 0 | 1 | 2;
  readStatus: 0 | 1;
  acceptStatus: 0 | 1 | 2;
  personName: string;
  doneTime: number;
  noticeTime: NoticeTime;
  startDate: number;
  endDate: number;
  createDate: number;
  roomId: string | null;
  roomOrderId: string;
  [key: string]: unknown;
}

/** A room booking as bookInfo returns it. */
export interface Booking {
  orderId: string;
  roomName: string;
  roomDetail: string | null;
  /** `YYYY-MM-DD`. */
  day: string;
  userName: string;
  eid: string;
  startTime: number;
  endTime: number;
  createTime: number;
  updateTime: number;
  meetingTopic: string;
  meetingContent: string;
}

export interface Room {
  roomId: string;
  roomName: string;
  roomDetail: string;
  note: string;
  tagId: string | null;
  limitCount: number;
  approve: boolean;
}

export interface Actor {
  openId: string;
  headerUrl: string;
  userName: string;
}

export interface GroupInfo {
  groupId: string;
  groupName: string;
  groupType: number;
  status: number;
}

export interface BannerParams {
  content?: string;
  title?: string;
  lightAppId?: string;
  thumbUrl?: string;
  webpageUrl?: string;
  primaryContent?: string;
  contentUrl?: string;
}

/** What an operation resolves with (the envelope's `data`), where it is more than the generic `YunzhijiaResult`. */
export interface YunzhijiaResults {
  'meeting.create': { meetingId: string };
  'meeting.modify': null;
  /** Only the creator may cancel. */
  'meeting.cancel': null;
  /** The first id is the parent's. */
  'meeting.repeatMeeting': { meetingIds: string[] };
  'meeting.batchModify': null;
  'meeting.batchCancel': null;
  'meeting.queryByDay': Meeting[];
  'roomBook.hasNew': { hasNew: boolean };
  'roomBook.bookInfo': { add: Booking[]; delete: Booking[] };
  'roomBook.freeRooms': Room[];
  'roomBook.getActors': Actor[];
  'group.createGroup': GroupInfo;
  'group.addGroupUser': GroupInfo;
  'group.groupUsers': { managerIds: string[]; participantIds: string[] };
  'notice.create': { noticeId: string; creator: string; title: string; content: string; createTime: number };
  'banner.create': { bannerId: string };
  /** The mergeId. */
  'message.createForCloudflow': string;
}
/** What any other operation resolves with: the envelope's `data`. */
export type YunzhijiaResult = unknown;

/** The JSON parameters' shapes, by `operation.param`. */
export interface YunzhijiaJsonParams {
  'banner.create.params': BannerParams;
}

/** Yunzhijia: `client.<area>.<name>(params)` for `…/<area>/<name>`; each resolves with the envelope's `data`. */
export class YunzhijiaClient {
  constructor(options: YunzhijiaOptions);
  /** The chat-history link of seed 004, for a QR code. */
  static historyUrl(params: { mid: string; eid: string; baseURL?: string }): string;
}

export interface YunzhijiaRoomBookArea {
  /**
   * Every bookInfo page after `lastTime`. Persist each yielded `lastTime` and pass it next
   * time: resuming from it never loses a booking. With `store`, the cursor is kept there and a
   * lease is held while it runs: another poller's sync yields nothing until this one ends or
   * dies (after `leaseMs`, default 30000), then resumes from the saved cursor. A page's cursor
   * is saved when the next page is asked for, or the loop ends.
   */
  sync(
    params: { eid: string; lastTime?: Timestamp; pageSize?: number },
    options?: CallOptions & { store?: Store; leaseMs?: number },
  ): AsyncGenerator<{ add: Booking[]; delete: Booking[]; lastTime: number | undefined }, void, void>;
}

export interface QingConfig {
  yunzhijia?: YunzhijiaOptions;
}
