// ---- YTX 云通信 --------------------------------------------------------------------------
// Hand-written: the options, the results and the JSON parameters' shapes. The params, methods
// and qing.call names are generated from the table (generated/ytx.d.ts).

export type YtxOptions = CommonOptions & {
  accountSID: string;
  authToken: string;
  appid: string;
} & ({ env: 'sandbox' | 'production'; baseURL?: string } | { baseURL: string; env?: 'sandbox' | 'production' });

/** One record of `queryMeeting`'s `data` (the vendor documents it only as 会议室详细信息). */
export type YtxMeeting = Record<string, unknown>;

/** What an operation resolves with, where it is more than the generic `YtxResult`. */
export interface YtxResults {
  queryMeeting: YtxMeeting[] | YtxMeeting | null;
}
/** What any other operation resolves with: the answer's `data`. */
export type YtxResult = unknown;

/** The JSON parameters' shapes, by `operation.param`. */
export interface YtxJsonParams {}

/** YTX 云通信: meeting query with its MD5 Sign and base64 Authorization. */
export class YtxClient {
  constructor(options: YtxOptions);
}

export interface QingConfig {
  ytx?: YtxOptions;
}

/** YTX's Sign: `MD5(accountSID + authToken + timestamp)`, 32 uppercase hex digits. */
export function ytxSign(accountSID: string, authToken: string, timestamp: string): string;
/** YTX's Authorization header: `base64(accountSID + "|" + timestamp)`. */
export function ytxAuthorization(accountSID: string, timestamp: string): string;
