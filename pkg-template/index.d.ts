// Types of the workbridge package: the JS surface the README describes.

/** The stable codes every failure carries; switch on `err.code` (see the README's "Errors"). */
export type WorkbridgeErrorCode =
  | 'INVALID_ARGUMENT' | 'AUTH_FAILED' | 'VENDOR_ERROR' | 'HTTP_ERROR' | 'NETWORK_ERROR'
  | 'TIMEOUT' | 'ABORTED' | 'BAD_RESPONSE' | 'NOT_IN_APP';

export type Vendor = 'cam' | 'yunzhijia' | 'xuanxuan' | 'ytx';

/** Every failure of a workbridge call. It never holds a credential. */
export class WorkbridgeError extends Error {
  readonly name: 'WorkbridgeError';
  readonly code: WorkbridgeErrorCode;
  readonly vendor?: Vendor;
  /** The method, e.g. `'sendMessage'` or `'meeting.create'`. */
  readonly operation?: string;
  /** For INVALID_ARGUMENT: the offending parameter path, e.g. `'users[2]'`. */
  readonly field?: string;
  /** The HTTP status, where there was a response. */
  readonly status?: number;
  readonly vendorCode?: string;
  readonly vendorMessage?: string;
  /** Whether retrying the same call could succeed. */
  readonly retryable: boolean;
}

/** Options every client constructor accepts besides its vendor fields. */
export interface CommonOptions {
  /** Per attempt, in ms (default 10000); on expiry the request is aborted with TIMEOUT. */
  timeoutMs?: number;
  /** Extra attempts after a failure that retrying can cure (default 2). */
  maxRetries?: number;
  /** The whole call, attempts and backoff included (default 60000). */
  deadlineMs?: number;
  /** A fetch-compatible function (default: globalThis.fetch): tests, proxies, custom agents. */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** An answer larger than this is cut off while streaming and rejects with BAD_RESPONSE (default 16 MiB). */
  maxResponseBytes?: number;
  /**
   * Called with every request, response, retry and failed call (logs, metrics, tracing), and
   * with a Yunzhijia `tokenStore`'s failures. Nothing in an event is a credential: the URL is
   * masked as errors mask it. What the hook throws or rejects with never breaks a call.
   * Without a hook no event is built.
   */
  onEvent?: (event: WorkbridgeEvent) => void;
}

interface EventOf<T extends string> {
  type: T;
  vendor: Vendor;
  /** The method (`'meeting.create'`), or `'token.getAccessToken'` / `'token.refreshToken'` for Yunzhijia's token requests. */
  operation: string;
}
interface AttemptEvent<T extends string> extends EventOf<T> {
  /** 1 for the first attempt of the call, counted across a resend with a fresh token. */
  attempt: number;
  method: 'GET' | 'POST';
  /** As sent, with every credential masked (`accessToken=***`, `token=***`, `Sign=***`). */
  url: string;
}
/** An attempt is about to be sent. */
export interface RequestEvent extends AttemptEvent<'request'> {}
/** An attempt got an HTTP answer, of any status. */
export interface ResponseEvent extends AttemptEvent<'response'> { status: number; durationMs: number }
/**
 * An attempt failed and another follows after `delayMs` (`HTTP_ERROR` with `status`,
 * `TIMEOUT`, `NETWORK_ERROR`); or Yunzhijia refused the access token and the call is sent again
 * with a fresh one (`AUTH_FAILED`).
 */
export interface RetryEvent extends AttemptEvent<'retry'> {
  code: 'HTTP_ERROR' | 'TIMEOUT' | 'NETWORK_ERROR' | 'AUTH_FAILED';
  status?: number;
  durationMs?: number;
  delayMs?: number;
}
/** The call failed (once per failed call): the code and status of the WorkbridgeError it rejected with. */
export interface CallErrorEvent extends EventOf<'error'> {
  code: WorkbridgeErrorCode;
  /** Attempts sent; 0 when the call's request never went out (INVALID_ARGUMENT, or no Yunzhijia token could be had), and then no method or url. */
  attempt: number;
  method?: 'GET' | 'POST';
  url?: string;
  status?: number;
  /** The whole call. */
  durationMs: number;
}
/**
 * A Yunzhijia `tokenStore` call threw, rejected, answered something outside its contract
 * (`STORE_ERROR`) or took over a second (`TIMEOUT`): the client went on without the store.
 */
export interface StoreErrorEvent extends EventOf<'store-error'> {
  vendor: 'yunzhijia';
  operation: 'tokenStore.get' | 'tokenStore.set' | 'tokenStore.lock' | 'tokenStore.unlock';
  code: 'STORE_ERROR' | 'TIMEOUT';
  /** The store's own words, credentials masked. */
  message: string;
  durationMs: number;
}
/** What `onEvent` receives: switch on `event.type`. */
export type WorkbridgeEvent = RequestEvent | ResponseEvent | RetryEvent | CallErrorEvent | StoreErrorEvent;

/** The optional last argument of every method. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Per attempt. */
  timeoutMs?: number;
  /** The whole call, attempts and backoff included (default 60000). */
  deadlineMs?: number;
  maxRetries?: number;
  maxResponseBytes?: number;
}

/** For monitoring a long-running process. */
export const diagnostics: {
  wasmMemoryBytes(): number;
  /** A request with every credential masked, as errors and logs mask them. */
  maskRequest(request: { method?: string; url?: string; headers?: Record<string, string>; body?: string | null }): { method: string; url: string; headers: Record<string, string>; body: string | null };
};

/**
 * Unix milliseconds, a Date, a string of digits (as some vendor samples write them), or an ISO
 * date: `'2018-08-30'` is that day in Beijing time (UTC+8), as the vendors count days; a
 * date-time without an offset is Beijing time too.
 */
export type Timestamp = number | Date | string;
/** An integer parameter, or its digits as a string, as the seeds' samples write some (`"repeat": "1"`). */
type Int<N extends number> = N | `${N}`;

export interface CAMOptions extends CommonOptions {
  apiToken: string;
  /** e.g. `https://….chat-messenger.com` or an on-premise `http://host:8080`. */
  serverURL: string;
}

/** A batch item as the seed's messages.json writes it: to people (`property.users`, or a flat `users`) or to every member of a chat room (`send`). */
export type CAMBatchItem =
  | { message: string; property: { users: string[] | string }; users?: never; send?: never }
  | { message: string; users: string[] | string; property?: never; send?: never }
  | { message: string; send: string; users?: never; property?: never };

export interface CAMChatRoom {
  /** Absent for a new room. */
  id?: string;
  name?: string;
  createUserId?: string;
  adminUserId?: string;
  isMessageThread?: boolean;
  isPublic?: boolean;
  memberUids?: Record<string, boolean>;
  [key: string]: unknown;
}

/** The server's JSON body, as the seed's samples read it: `response['errors']` is set on a refusal. */
export interface CAMResponse {
  errors?: string[] | string | null;
  [key: string]: unknown;
}

/** A conference room, as `getConferenceRooms` / `getConferenceMaster` list them. */
export interface CAMConferenceRoom {
  id: string;
  name?: string;
  [key: string]: unknown;
}

/** A month's or day's reservations (`response["conferenceRoomStatus"]`). */
export interface CAMConferenceRoomStatus {
  yyyyMMdd: string;
  conferenceRooms: Array<CAMConferenceRoom & { reservedSchedules: unknown[] }>;
}

/** What `request` would send, credentials masked. */
export interface DryRun {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

/** Chat&Messenger: the documented client's methods and positional signatures. */
export class CAMAPIClient {
  constructor(options: CAMOptions);
  getConferenceRooms(options?: CallOptions): Promise<CAMResponse & { conferenceRooms?: CAMConferenceRoom[] }>;
  /**
   * `panelName` is `"messenger"` for direct messages, or a chat room's name. `users`: the
   * recipients for `"messenger"` (required there), the people mentioned in a room (optional).
   */
  sendMessage(panelName: string, message: string, isOpened?: boolean, users?: string[] | string, options?: CallOptions): Promise<CAMResponse & { messageId?: string }>;
  sendMessages(items: CAMBatchItem[], options?: CallOptions): Promise<CAMResponse & { messageIds?: string[] }>;
  createQuickCall(expireDate: Timestamp, password?: string, options?: CallOptions): Promise<CAMResponse & { url?: string }>;
  updateChatRoom(chatRoom: CAMChatRoom, options?: CallOptions): Promise<CAMResponse & { chatRoom?: CAMChatRoom }>;
  getConferenceMaster(options?: CallOptions): Promise<CAMResponse & { conferenceRooms?: CAMConferenceRoom[] }>;
  /** `yyyyMMdd`: a month `YYYYMM` or a day `YYYYMMDD`; absent gives the master list. */
  getConferenceRoomStatus(yyyyMMdd?: string, options?: CallOptions): Promise<CAMResponse & { conferenceRoomStatus?: CAMConferenceRoomStatus }>;
  /** The request an operation would send, credentials masked; nothing is sent. */
  dryRun<K extends CAMOperation>(operation: K, ...args: Parameters<CAMAPIClient[K]>): DryRun;
}
/** The names of CAM's operations. */
export type CAMOperation = 'getConferenceRooms' | 'sendMessage' | 'sendMessages' | 'createQuickCall' | 'updateChatRoom' | 'getConferenceMaster' | 'getConferenceRoomStatus';

export interface XuanxuanOptions extends CommonOptions {
  /** e.g. `https://xxb.example.com`; requests go to `{serverURL}/x.php`. */
  serverURL: string;
  /** The app's code (应用代号). */
  code: string;
  /** The app's key, used only to sign: it is never sent. */
  key: string;
}

/** An action button's look. */
export type XuanxuanActionType = 'primary' | 'success' | 'danger' | 'warning' | 'info' | 'important' | 'special';

export interface XuanxuanAction {
  label: string;
  url: string;
  icon?: string;
  type?: XuanxuanActionType;
}

export interface XuanxuanSender {
  id: string | number;
  avatar: string;
  name?: string;
}

interface XuanxuanMessage {
  title: string;
  subtitle?: string;
  content?: string;
  /** `'plain'` text or `'text'` (Markdown). */
  contentType: 'plain' | 'text';
  url?: string;
  actions?: XuanxuanAction[];
  sender?: XuanxuanSender;
}

export interface XuanxuanNotification extends XuanxuanMessage {
  /** User ids or accounts; not empty. */
  users: Array<string | number>;
}

export interface XuanxuanChatMessage extends XuanxuanMessage {
  /** The group chat's GID. */
  gid: string;
}

/** XuanXuan 喧喧: every request signed with `md5(md5(query) + key)`. */
export class XuanxuanClient {
  constructor(options: XuanxuanOptions);
  /** The group chats: `{gid: name}`. */
  getGroupChats(options?: CallOptions): Promise<Record<string, string>>;
  /** A group chat's members, or every user: `{id: name}`. */
  getChatUsers(gid?: string, options?: CallOptions): Promise<Record<string, string>>;
  sendNotification(params: XuanxuanNotification, options?: CallOptions): Promise<null>;
  sendChatMessage(params: XuanxuanChatMessage, options?: CallOptions): Promise<null>;
  dryRun<K extends 'getGroupChats' | 'getChatUsers' | 'sendNotification' | 'sendChatMessage'>(operation: K, ...args: Parameters<XuanxuanClient[K]>): DryRun;
}

export type YtxOptions = CommonOptions & {
  accountSID: string;
  authToken: string;
  appid: string;
} & ({ env: 'sandbox' | 'production'; baseURL?: string } | { baseURL: string; env?: 'sandbox' | 'production' });

/** One record of `queryMeeting`'s `data` (the vendor documents it only as 会议室详细信息). */
export type YtxMeeting = Record<string, unknown>;

/** YTX 云通信: meeting query with its MD5 Sign and base64 Authorization. */
export class YtxClient {
  constructor(options: YtxOptions);
  /** `meetingcount`: 1 for one conference (`confid`), more for a user's records. */
  queryMeeting(params: { confid?: string; meetingcount: Int<number> }, options?: CallOptions): Promise<YtxMeeting[] | YtxMeeting | null>;
  dryRun(operation: 'queryMeeting', params: { confid?: string; meetingcount: Int<number> }): DryRun;
}

/** XuanXuan's token: `md5(md5(query) + key)`, lowercase hex. */
export function xuanxuanToken(query: string, key: string): string;
/** YTX's Sign: `MD5(accountSID + authToken + timestamp)`, 32 uppercase hex digits. */
export function ytxSign(accountSID: string, authToken: string, timestamp: string): string;
/** YTX's Authorization header: `base64(accountSID + "|" + timestamp)`. */
export function ytxAuthorization(accountSID: string, timestamp: string): string;


// ---- Yunzhijia 云之家 -----------------------------------------------------------------------

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
interface SharedToken { tokenStore?: TokenStore }

export type YunzhijiaAuth =
  | { /** A fixed token, or a function returning one (a fleet's shared store). */ accessToken: string | (() => string | Promise<string>); tokenStore?: never }
  | ({ eid: string; secret: string; scope?: 'resGroupSecret'; appId?: string } & SharedToken)
  | ({ appId: string; secret: string; scope: 'app'; eid?: string } & SharedToken)
  | ({ appId: string; eid: string; secret: string; scope: 'team' } & SharedToken);

export type YunzhijiaOptions = CommonOptions & YunzhijiaAuth & {
  /** Default `https://www.yunzhijia.com`; private deployments use their own host. */
  baseURL?: string;
};

/** -1 no reminder, 0 at the start, 15 or 60 minutes before. */
export type NoticeTime = Int<-1 | 0 | 15 | 60>;
/** 0 no repeat, 1 workdays, 2 daily, 3 weekly, 4 every two weeks, 5 monthly. */
export type RepeatCycle = Int<0 | 1 | 2 | 3 | 4 | 5>;
/** Absent or null: an ordinary meeting; 'sign': check-in; 'voice': a voice meeting. */
export type MeetingType = 'sign' | 'voice' | null;

interface MeetingFields {
  content?: string;
  noticeTime?: NoticeTime;
  topState?: Int<0 | 1>;
  /** Collaborators' oids. */
  actors?: string[];
  submitExperience?: boolean;
}

export interface MeetingCreateParams extends MeetingFields {
  /** The creator's oid. */
  openid: string;
  title: string;
  meetingPlace?: string;
  startDate: Timestamp;
  /** After startDate. */
  endDate: Timestamp;
  roomId?: string;
  type?: MeetingType;
}

export interface MeetingModifyParams extends MeetingFields {
  id: string;
  openid: string;
  title?: string;
  meetingPlace?: string;
  startDate?: Timestamp;
  endDate?: Timestamp;
  roomId?: string;
  addActors?: string[];
  delActors?: string[];
}

export interface RepeatMeetingParams extends MeetingFields {
  openid: string;
  title: string;
  startDate: Timestamp;
  endDate: Timestamp;
  repeat: RepeatCycle;
  /** After startDate. */
  repeatEndDate: Timestamp;
}

export interface BatchModifyParams extends MeetingFields {
  id: string;
  openid: string;
  title?: string;
  startDate?: Timestamp;
  endDate?: Timestamp;
  addActors?: string[];
  delActors?: string[];
  repeat?: RepeatCycle;
  repeatEndDate?: Timestamp;
  /** The series' batch id; absent for the parent meeting. */
  batchId?: string;
}

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

/** Yunzhijia: `client.<area>.<name>(params)` for `…/<area>/<name>`; each resolves with the envelope's `data`. */
export class YunzhijiaClient {
  constructor(options: YunzhijiaOptions);
  readonly meeting: {
    create(params: MeetingCreateParams, options?: CallOptions): Promise<{ meetingId: string }>;
    modify(params: MeetingModifyParams, options?: CallOptions): Promise<null>;
    /** Only the creator may cancel. */
    cancel(params: { id: string; openid: string }, options?: CallOptions): Promise<null>;
    /** The first id is the parent's. */
    repeatMeeting(params: RepeatMeetingParams, options?: CallOptions): Promise<{ meetingIds: string[] }>;
    batchModify(params: BatchModifyParams, options?: CallOptions): Promise<null>;
    batchCancel(params: { id: string; openid: string; batchId?: string }, options?: CallOptions): Promise<null>;
    /** `day`: a day in Beijing time (UTC+8), as Yunzhijia counts it: `'2018-08-30'`, or any moment of that day. */
    queryByDay(params: { day: Timestamp }, options?: CallOptions): Promise<Meeting[]>;
  };
  readonly roomBook: {
    hasNew(params: { eid: string; lastTime?: Timestamp }, options?: CallOptions): Promise<{ hasNew: boolean }>;
    bookInfo(params: { eid: string; lastTime?: Timestamp; pageIndex?: number; pageSize?: number }, options?: CallOptions): Promise<{ add: Booking[]; delete: Booking[] }>;
    freeRooms(params: { openId: string; startTime: Timestamp; endTime: Timestamp; pageIndex?: number; pageSize?: number }, options?: CallOptions): Promise<Room[]>;
    getActors(params: { orderId: string }, options?: CallOptions): Promise<Actor[]>;
    /**
     * Every bookInfo page after `lastTime`. Persist each yielded `lastTime` and pass it next
     * time: resuming from it never loses a booking.
     */
    sync(params: { eid: string; lastTime?: Timestamp; pageSize?: number }, options?: CallOptions): AsyncGenerator<{ add: Booking[]; delete: Booking[]; lastTime: number | undefined }, void, void>;
  };
  readonly group: {
    createGroup(params: { currentUid: string; groupName?: string; userIds: string[] }, options?: CallOptions): Promise<GroupInfo>;
    addGroupUser(params: { currentUid: string; groupId: string; userIds: string[] }, options?: CallOptions): Promise<GroupInfo>;
    groupUsers(params: { currentUid: string; groupId: string }, options?: CallOptions): Promise<{ managerIds: string[]; participantIds: string[] }>;
  };
  readonly notice: {
    /** `title` 1–40 and `content` 1–2000 characters. */
    create(params: { currentUid: string; groupId: string; title: string; content: string }, options?: CallOptions): Promise<{ noticeId: string; creator: string; title: string; content: string; createTime: number }>;
  };
  readonly banner: {
    create(params: { currentUid: string; groupId: string; params: BannerParams }, options?: CallOptions): Promise<{ bannerId: string }>;
  };
  readonly message: {
    /** Resolves with the mergeId. */
    createForCloudflow(params: { currentUid: string; groupId: string }, options?: CallOptions): Promise<string>;
  };
  /** The request an operation (e.g. `'meeting.create'`) would send, without its token; nothing is sent. */
  dryRun<N extends YunzhijiaOperation>(operation: N, params: QingOperations[N][0]): DryRun;
  /** The chat-history link of seed 004, for a QR code. */
  static historyUrl(params: { mid: string; eid: string; baseURL?: string }): string;
}


// ---- qing.call ---------------------------------------------------------------------------

/**
 * What a server operation's qing.call resolves with (and passes to its callbacks), in the shape
 * of Yunzhijia's JS-API: `success` is the String, as the vendor documents it, so
 * `if (result.success == 'true')` works as written.
 */
export interface QingResult<T = unknown> {
  success: 'true' | 'false';
  /** `''` on success; a WorkbridgeErrorCode, or `'404'` for an unknown name. */
  errorCode: '' | '404' | WorkbridgeErrorCode | (string & {});
  /** `''` on success; what went wrong otherwise. */
  error: string;
  data: T | null;
  field?: string;
  status?: number;
  vendorCode?: string;
  vendorMessage?: string;
}

/**
 * A success goes to `success`; a failure to `error` when one is given, else to `success` (check
 * `res.success == 'true'` there, as the vendor's docs do); `complete` runs last. Each runs once.
 */
export interface QingCallbacks<R = QingResult> {
  success?: (res: R) => void;
  error?: (res: R) => void;
  complete?: (res: R) => void;
}

/** A native JS-API answer, as the app gave it (a JSON text is parsed, nothing else changed). */
export interface NativeResult {
  success: boolean | 'true' | 'false';
  errorCode?: string | number;
  error?: string;
  data?: unknown;
  [key: string]: unknown;
}

/** Yunzhijia's operation names (`client.<area>.<name>`, and qing.call's names without a prefix). */
export type YunzhijiaOperation = Exclude<keyof QingOperations, `${'cam' | 'xuanxuan' | 'ytx'}.${string}`>;

/** The server operations by qing.call name, with their params and data. */
export interface QingOperations {
  'meeting.create': [MeetingCreateParams, { meetingId: string }];
  'meeting.modify': [MeetingModifyParams, null];
  'meeting.cancel': [{ id: string; openid: string }, null];
  'meeting.repeatMeeting': [RepeatMeetingParams, { meetingIds: string[] }];
  'meeting.batchModify': [BatchModifyParams, null];
  'meeting.batchCancel': [{ id: string; openid: string; batchId?: string }, null];
  'meeting.queryByDay': [{ day: Timestamp }, Meeting[]];
  'roomBook.hasNew': [{ eid: string; lastTime?: Timestamp }, { hasNew: boolean }];
  'roomBook.bookInfo': [{ eid: string; lastTime?: Timestamp; pageIndex?: number; pageSize?: number }, { add: Booking[]; delete: Booking[] }];
  'roomBook.freeRooms': [{ openId: string; startTime: Timestamp; endTime: Timestamp; pageIndex?: number; pageSize?: number }, Room[]];
  'roomBook.getActors': [{ orderId: string }, Actor[]];
  'group.createGroup': [{ currentUid: string; groupName?: string; userIds: string[] }, GroupInfo];
  'group.addGroupUser': [{ currentUid: string; groupId: string; userIds: string[] }, GroupInfo];
  'group.groupUsers': [{ currentUid: string; groupId: string }, { managerIds: string[]; participantIds: string[] }];
  'notice.create': [{ currentUid: string; groupId: string; title: string; content: string }, { noticeId: string; creator: string; title: string; content: string; createTime: number }];
  'banner.create': [{ currentUid: string; groupId: string; params: BannerParams }, { bannerId: string }];
  'message.createForCloudflow': [{ currentUid: string; groupId: string }, string];
  'cam.getConferenceRooms': [{}, CAMResponse];
  'cam.sendMessage': [{ panelName: string; message: string; isOpened?: boolean; users?: string[] | string }, CAMResponse];
  'cam.sendMessages': [{ items: CAMBatchItem[] }, CAMResponse];
  'cam.createQuickCall': [{ expireDate: Timestamp; password?: string }, CAMResponse];
  'cam.updateChatRoom': [{ chatRoom: CAMChatRoom }, CAMResponse];
  'cam.getConferenceMaster': [{}, CAMResponse];
  'cam.getConferenceRoomStatus': [{ yyyyMMdd?: string }, CAMResponse];
  'xuanxuan.getGroupChats': [{}, Record<string, string>];
  'xuanxuan.getChatUsers': [{ gid?: string }, Record<string, string>];
  'xuanxuan.sendNotification': [XuanxuanNotification, null];
  'xuanxuan.sendChatMessage': [XuanxuanChatMessage, null];
  'ytx.queryMeeting': [{ confid?: string; meetingcount: Int<number> }, YtxMeeting[] | YtxMeeting | null];
}

export interface QingConfig {
  cam?: CAMOptions;
  yunzhijia?: YunzhijiaOptions;
  xuanxuan?: XuanxuanOptions;
  ytx?: YtxOptions;
  /** Send every server operation to `POST {relay}/call/<name>` instead (light-app pages hold no secrets). */
  relay?: string;
  /** The fetch the relay is reached with (default globalThis.fetch). */
  fetch?: CommonOptions['fetch'];
  /** Sent as `Authorization: Bearer <relayToken>` to a relay started with `--token-env`. */
  relayToken?: string;
}

export const qing: {
  config(config: QingConfig): void;
  call<N extends keyof QingOperations>(name: N, params: QingOperations[N][0] & QingCallbacks<QingResult<QingOperations[N][1]>>): Promise<QingResult<QingOperations[N][1]>>;
  /**
   * A native JS-API name (`createLive`, `createVoiceMeeting`, `chat`, `selectPersons`, …: no dot),
   * forwarded to the app's bridge. `timeoutMs` (never forwarded) bounds an app that never answers.
   */
  call<N extends string>(name: N extends `${string}.${string}` ? never : N, params?: Record<string, unknown> & { timeoutMs?: number } & QingCallbacks<NativeResult | QingResult>): Promise<NativeResult | QingResult>;
  /** Whether the page runs inside the Yunzhijia app (user agent `Qing/x.y`, or `window.XuntongJSBridge`). */
  isInApp(): boolean;
  /** A bridge for native names, for tests and demos; `null` removes it. */
  setBridge(bridge: ((name: string, params: Record<string, unknown>) => unknown) | null): void;
};

/** Sets the module-level client that the seed's samples reach through `getAPIClient()`. */
export function setAPIClient(client: CAMAPIClient): void;
export function getAPIClient(): CAMAPIClient;

/** One parameter of an operation, as the CLI and the docs describe it. */
export interface OperationParam {
  name: string;
  type: 'string' | 'boolean' | 'integer' | 'time' | 'string[]' | 'json';
  required: boolean;
}

/**
 * The operation tables the clients and `qing.call` are derived from: names, kinds and parameter
 * lists. The docs and rules are in `workbridge/operations.json` (`loadTables()` of
 * `workbridge/tables` in Node), so that no app ships them.
 */
export const operations: Record<Vendor, Array<{ name: string; kind: 'read' | 'write'; positional: boolean; params: OperationParam[] }>>;

declare const _default: {
  operations: typeof operations;
  diagnostics: typeof diagnostics;
  qing: typeof qing;
  YunzhijiaClient: typeof YunzhijiaClient;
  XuanxuanClient: typeof XuanxuanClient;
  YtxClient: typeof YtxClient;
  xuanxuanToken: typeof xuanxuanToken;
  ytxSign: typeof ytxSign;
  ytxAuthorization: typeof ytxAuthorization;
  CAMAPIClient: typeof CAMAPIClient;
  WorkbridgeError: typeof WorkbridgeError;
  setAPIClient: typeof setAPIClient;
  getAPIClient: typeof getAPIClient;
};
export default _default;
