// ---- XuanXuan 喧喧 -----------------------------------------------------------------------
// Hand-written: the options, the results and the JSON parameters' shapes. The params, methods
// and qing.call names are generated from the table (generated/xuanxuan.d.ts).

export interface XuanxuanOptions extends CommonOptions {
  /** e.g. `https://xxb.example.com`; requests go to `{serverURL}/x.php`. */
  serverURL: string;
  /** The app's code (应用代号). */
  code: string;
  /** The app's key, used only to sign: it is never sent. */
  key: string;
  /**
   * The sender of every send that names none. The server refuses a send without a sender
   * (应当设置发送方信息。), so a send with neither is refused before anything is sent.
   */
  sender?: XuanxuanSender;
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

/** What an operation resolves with, where it is more than the generic `XuanxuanResult`. */
export interface XuanxuanResults {
  /** The group chats: `{gid: name}`. */
  getGroupChats: Record<string, string>;
  /** A group chat's members, or every user: `{id: name}`. */
  getChatUsers: Record<string, string>;
  sendNotification: null;
  sendChatMessage: null;
}
/** What any other operation resolves with: the answer's `data`. */
export type XuanxuanResult = unknown;

/** The JSON parameters' shapes, by `operation.param`. */
export interface XuanxuanJsonParams {
  /** User ids or accounts; not empty. */
  'sendNotification.users': Array<string | number>;
  'sendNotification.actions': XuanxuanAction[];
  'sendNotification.sender': XuanxuanSender;
  'sendChatMessage.actions': XuanxuanAction[];
  'sendChatMessage.sender': XuanxuanSender;
}

/** The params of `sendNotification` and `sendChatMessage`, under their former names. */
export type XuanxuanNotification = XuanxuanSendNotificationParams;
export type XuanxuanChatMessage = XuanxuanSendChatMessageParams;

/**
 * XuanXuan 喧喧: every request signed with `md5(md5(query) + key)`, the query written as the
 * server rewrites it before hashing (PHP `http_build_query`: a space as `+`, `~` and `*` as
 * `%7E` and `%2A`).
 */
export class XuanxuanClient {
  constructor(options: XuanxuanOptions);
}

export interface QingConfig {
  xuanxuan?: XuanxuanOptions;
}

/**
 * XuanXuan's token, lowercase hex: `md5(md5(Q) + key)`, where Q is `query` as the server hashes
 * it: parsed as PHP's `parse_str`, `token` dropped, written again by `http_build_query`. So the
 * token is right for `query` however its values are encoded (`%20` or `+`, `~` or `%7E`).
 */
export function xuanxuanToken(query: string, key: string): string;
