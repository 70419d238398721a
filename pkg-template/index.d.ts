// Types of the workbridge package: the JS contract of API.md.

/** The stable codes every failure carries; switch on `err.code`. */
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
  /** A fetch-compatible function (default: globalThis.fetch). */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
}

/** The optional last argument of every method. */
export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
}

/** Unix milliseconds or a Date. */
export type Timestamp = number | Date;

export interface CAMOptions extends CommonOptions {
  apiToken: string;
  /** e.g. `https://….chat-messenger.com` or an on-premise `http://host:8080`. */
  serverURL: string;
}

/** A batch item: to people (`users`) or to every member of a chat room (`send`). */
export type CAMBatchItem =
  | { message: string; users: string[] | string; send?: never }
  | { message: string; send: string; users?: never };

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

/** The server's JSON body, as the seed's samples read it (`errors` set on a refusal). */
export interface CAMResponse {
  errors?: unknown;
  [key: string]: unknown;
}

/** Chat&Messenger: the documented client's methods and positional signatures. */
export class CAMAPIClient {
  constructor(options: CAMOptions);
  getConferenceRooms(options?: CallOptions): Promise<CAMResponse & { conferenceRooms?: unknown[] }>;
  /** `panelName` is `"messenger"` for direct messages, or a chat room's name. */
  sendMessage(panelName: string, message: string, isOpened: boolean, users: string[] | string, options?: CallOptions): Promise<CAMResponse>;
  sendMessages(items: CAMBatchItem[], options?: CallOptions): Promise<CAMResponse>;
  createQuickCall(expireDate: Timestamp, password?: string, options?: CallOptions): Promise<CAMResponse>;
  updateChatRoom(chatRoom: CAMChatRoom, options?: CallOptions): Promise<CAMResponse & { chatRoom?: CAMChatRoom }>;
  getConferenceMaster(options?: CallOptions): Promise<CAMResponse & { conferenceRooms?: unknown[] }>;
  /** `yyyyMMdd`: a month `YYYYMM` or a day `YYYYMMDD`; absent gives the master list. */
  getConferenceRoomStatus(yyyyMMdd?: string, options?: CallOptions): Promise<CAMResponse & { conferenceRoomStatus?: unknown }>;
  /** The request an operation would send, credentials masked; nothing is sent. */
  dryRun(operation: string, ...args: unknown[]): { method: string; url: string; headers: Record<string, string>; body: string | null };
}

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
  dryRun(operation: string, ...args: unknown[]): { method: string; url: string; headers: Record<string, string>; body: string | null };
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
  queryMeeting(params: { confid?: string; meetingcount: number }, options?: CallOptions): Promise<YtxMeeting[] | YtxMeeting | null>;
  dryRun(operation: string, ...args: unknown[]): { method: string; url: string; headers: Record<string, string>; body: string | null };
}

/** XuanXuan's token: `md5(md5(query) + key)`, lowercase hex. */
export function xuanxuanToken(query: string, key: string): string;
/** YTX's Sign: `MD5(accountSID + authToken + timestamp)`, 32 uppercase hex digits. */
export function ytxSign(accountSID: string, authToken: string, timestamp: string): string;
/** YTX's Authorization header: `base64(accountSID + "|" + timestamp)`. */
export function ytxAuthorization(accountSID: string, timestamp: string): string;

/** Sets the module-level client that the seed's samples reach through `getAPIClient()`. */
export function setAPIClient(client: CAMAPIClient): void;
export function getAPIClient(): CAMAPIClient;

/** One parameter of an operation, as the CLI and the docs describe it. */
export interface OperationParam {
  name: string;
  type: 'string' | 'boolean' | 'integer' | 'time' | 'string[]' | 'json';
  required: boolean;
  doc: string;
}

/** The operation tables the clients, `qing.call` and the CLI are derived from. */
export const operations: Record<Exclude<Vendor, 'yunzhijia'>, Array<{ name: string; kind: 'read' | 'write'; positional: boolean; doc: string; params: OperationParam[] }>>;

declare const _default: {
  operations: typeof operations;
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
