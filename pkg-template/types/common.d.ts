// Types of the workbridge package, the part every entry shares. build.mjs assembles pkg/index.d.ts
// (and each vendor entry's) from this, pkg-template/types/<vendor>.d.ts (hand-written: options,
// results, JSON parameters' shapes) and pkg-template/types/generated/<vendor>.d.ts (generated
// from the operation tables: params, methods, qing.call names).

// ---- the runtime's fetch and AbortSignal, without naming the DOM library or @types/node ----
// Where the project has either, these are the runtime's own types (read off \`typeof globalThis\`);
// in a project with neither, the structural shapes below: what a client hands its \`fetch\`,
// reads from the answer, and does with a signal.

/** What a client passes to its \`fetch\` (in a project without the DOM library or @types/node). */
export interface FetchInitLike {
  method: string;
  headers: Record<string, string>;
  body?: string;
  redirect?: 'manual';
  signal?: AbortSignalLike;
}
/** What a client reads from the answer of its \`fetch\` (idem). */
export interface FetchResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  readonly redirected?: boolean;
  readonly url?: string;
  readonly type?: string;
}
/** An AbortSignal as a call uses it (idem). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
/** A fetch-compatible function: called with a URL string and an init object. */
export type FetchFunction = typeof globalThis extends {
  fetch: (input: infer _I, init?: infer Init) => infer Answer;
}
  ? (input: string, init?: Init) => Answer
  : (input: string, init?: FetchInitLike) => Promise<FetchResponseLike>;
/** The runtime's AbortSignal, or the structural one where the project types none. */
export type SignalLike = typeof globalThis extends { AbortSignal: { prototype: infer S } } ? S : AbortSignalLike;

/** The stable codes every failure carries; switch on `err.code` (see the README's "Errors"). */
export type WorkbridgeErrorCode =
  | 'INVALID_ARGUMENT'
  | 'AUTH_FAILED'
  | 'VENDOR_ERROR'
  | 'HTTP_ERROR'
  | 'NETWORK_ERROR'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'BAD_RESPONSE'
  | 'NOT_IN_APP'
  /** A relay refused the caller (not signed in as the person the params name, an operation not allowed). */
  | 'FORBIDDEN'
  /** A fault of the package itself, never a vendor's. */
  | 'INTERNAL'
  /** In a page, the WebAssembly is not loaded yet (await `ready`), or could not be loaded. */
  | 'NOT_READY';

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
  /** On a 429 the call could not wait out: how long the server still asks to wait (ms). */
  readonly retryAfterMs?: number;
}

/**
 * The one store interface of the package: a Yunzhijia `tokenStore`, `limits.store` and
 * `roomBook.sync`'s `store` all take it (Redis in a few lines, or `fileStore` of
 * `workbridge/store` for one machine). `ttlMs` is always a positive whole number.
 */
export interface Store {
  /** The value under `key`, or null/undefined when there is none (or it expired). */
  get(key: string): Promise<string | null | undefined>;
  /** Stores `value` under `key` for `ttlMs`. */
  set(key: string, value: string, ttlMs: number): Promise<unknown>;
  /** Takes the lock `key` for `ttlMs`: the function that releases it, or null when it is held. Needed by `roomBook.sync`. */
  lock?(key: string, ttlMs: number): Promise<(() => Promise<unknown>) | null | undefined>;
  /** Adds 1 to `key` (created at 1, living `ttlMs`) and resolves with the new value. Needed by `limits.perMinute` with a store. */
  incr?(key: string, ttlMs: number): Promise<number>;
}

/** `limits`: what every call of the client waits for. */
export interface Limits {
  /** At most this many calls of the client under way at once (per process). */
  concurrency?: number;
  /** At most this many calls begun per minute, spread over it (with `store`: by every process sharing it). */
  perMinute?: number;
  /** Shares the per-minute budget and a 429's pause across processes. */
  store?: Store;
  /** Names the shared budget in the store (default: the vendor and the server's URL). */
  key?: string;
}

/** The options of `client.batch`. */
export interface BatchOptions {
  /** Writes under way at once (default 8). */
  concurrency?: number;
  /** Resume: an item index (the items before it are `skipped`), or the report of an earlier run of the same items (its notSent items are sent, the rest kept as they were). */
  from?: number | BatchReport;
  /** CAM `sendMessages` only: items per request (default 500). */
  chunk?: number;
  /** Called as items finish. */
  onProgress?(progress: { done: number; total: number; delivered: number; unknown: number; notSent: number }): void;
  signal?: SignalLike;
  timeoutMs?: number;
  deadlineMs?: number;
  maxRetries?: number;
}

/** Inclusive ranges of item indices: `[[0, 499], [700, 700]]`. */
export type ItemRanges = Array<[number, number]>;

/** What `client.batch` resolves with, and the CLI's `--file` prints. */
export interface BatchReport {
  total: number;
  /** Arrived. */
  delivered: ItemRanges;
  /** May have arrived (a dropped connection, a timeout or a 5xx after sending): check before sending again. */
  unknown: ItemRanges;
  /** Did not arrive: safe to send again (`from: report` does). */
  notSent: ItemRanges;
  /** The notSent items the vendor refused, with its code and message. */
  refused: Array<{ items: [number, number]; code: string; message: string; status?: number; errors?: string[] }>;
  /** Items this run did not try (`from`). */
  skipped?: ItemRanges;
  /** Why the unknown items, and the notSent ones that no vendor refused, failed. */
  errors?: Array<{ items: [number, number]; code: WorkbridgeErrorCode; message: string; status?: number }>;
}

/** Options every client constructor accepts besides its vendor fields. */
export interface CommonOptions {
  /** Calls wait for a slot, a share of a per-minute budget and any 429's Retry-After (shared with a store). */
  limits?: Limits;
  /** Per attempt, in ms (default 10000); on expiry the request is aborted with TIMEOUT. */
  timeoutMs?: number;
  /** Extra attempts after a failure that retrying can cure (default 2). */
  maxRetries?: number;
  /** The whole call, attempts and backoff included (default 60000). */
  deadlineMs?: number;
  /** A fetch-compatible function (default: globalThis.fetch): tests, proxies, custom agents. */
  fetch?: FetchFunction;
  /** An answer larger than this is cut off while streaming and rejects with BAD_RESPONSE (default 16 MiB). */
  maxResponseBytes?: number;
  /**
   * Mask every credential in resolved results too (raw, percent-encoded, base64), as errors always
   * are: for results a person or a page reads, when a server may quote the request back (CAM's
   * `errors`). The CLI, the relay and `qing.call` turn it on. Default false.
   */
  redactSecrets?: boolean;
  /** More values to mask as the credentials are, e.g. the password of a proxy your own `fetch` uses. */
  secrets?: string[];
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
export interface ResponseEvent extends AttemptEvent<'response'> {
  status: number;
  durationMs: number;
}
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
  signal?: SignalLike;
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
  maskRequest(request: { method?: string; url?: string; headers?: Record<string, string>; body?: string | null }): {
    method: string;
    url: string;
    headers: Record<string, string>;
    body: string | null;
  };
};

/**
 * Unix milliseconds, a Date, a string of digits (as some vendor samples write them), or an ISO
 * date: `'2018-08-30'` is that day in Beijing time (UTC+8), as the vendors count days; a
 * date-time without an offset is Beijing time too. Times before 2000 are refused (seconds or a
 * yyyyMMdd day passed as milliseconds), `0` excepted.
 */
export type Timestamp = number | Date | string;
/** An integer parameter, or its digits as a string, as the seeds' samples write some (`"repeat": "1"`). */
type Int<N extends number> = N | `${N}`;

/** What `request` would send, credentials masked. */
export interface DryRun {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

/** What an operation resolves with: its type in the vendor's hand-written results `R`, else the vendor's generic `D`. */
type ResultOf<R, K extends PropertyKey, D> = K extends keyof R ? R[K] : D;
/** A JSON parameter: its shape in the vendor's hand-written `M` (keyed `operation.param`), else any object or array. */
type JsonParam<M, K extends PropertyKey> = K extends keyof M ? M[K] : Record<string, unknown> | unknown[];
/** Compiles only for `never`: the hand-written results and shapes name only operations and params of the tables. */
type Known<T extends never> = T;

// ---- qing.call ---------------------------------------------------------------------------

/**
 * What a server operation's qing.call resolves with (and passes to its callbacks), in the shape
 * of Yunzhijia's JS-API: `success` is the String, as the vendor documents it, so
 * `if (result.success == 'true')` works as written, and narrows `data` to the result.
 */
export type QingResult<T = unknown> = QingSuccess<T> | QingFailure;
/** A qing.call that succeeded: `data` is what the operation resolved with. */
export interface QingSuccess<T = unknown> {
  success: 'true';
  errorCode: '';
  error: '';
  data: T;
  // A failure's other fields, absent here: readable on a result not yet narrowed.
  code?: undefined;
  detail?: undefined;
  field?: undefined;
  status?: undefined;
  vendorCode?: undefined;
  vendorMessage?: undefined;
}
/** A qing.call that failed: `data` is null, `errorCode` and `error` say why. */
export interface QingFailure {
  success: 'false';
  /**
   * For a vendor's refusal, the vendor's own code as a String (`'10027'`, as the vendor's
   * documents name it: `if (res.errorCode == '10027')`); for every other failure the package's
   * code (a WorkbridgeErrorCode, or `'404'` for an unknown name).
   */
  errorCode: '404' | WorkbridgeErrorCode | (string & {});
  /** Always the package's code (`'VENDOR_ERROR'` for a vendor's refusal). */
  code?: '404' | WorkbridgeErrorCode | (string & {});
  /**
   * What went wrong, in the page's language (`qing.config({ lang })`: Chinese by default inside
   * the app); a vendor's refusal in the vendor's own words.
   */
  error: string;
  /** Where `error` is in Chinese: the package's English message, for the page's developer. */
  detail?: string;
  data: null;
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

/** Each vendor's client options (`{ cam: {...} }`, ...), or a relay; and qing.js's own keys. */
export interface QingConfig {
  /** Send every server operation to `POST {relay}/call/<name>` instead (light-app pages hold no secrets). */
  relay?: string;
  /** The fetch the relay is reached with (default globalThis.fetch). */
  fetch?: CommonOptions['fetch'];
  /** Sent as `Authorization: Bearer <relayToken>` to a relay started with `--token-env`. */
  relayToken?: string;
  /**
   * The light-app ticket to sign on to a relay started with `--sign-on yunzhijia` (default: the
   * `ticket` of the page's URL). The page signs on before its first call and again after expiry.
   */
  ticket?: string;
  /** The language of the package's messages: Chinese by default inside the app, English outside. */
  lang?: 'zh' | 'en' | (string & {});
  /** qing.js's debug switch: each call's name and outcome (never its data) is logged. */
  debug?: boolean;
  /** qing.js's list of the JS-APIs the page uses (kept, as qing.js keeps it; nothing is refused by it). */
  jsApiList?: string[];
  /** App events (`appear`, `disappear`, ...) also dispatched on `document`, the app's data as `event.data`. */
  jsEventList?: string[];
}

/** The methods the app takes through CloudHubJSBridge (as the vendor's qing.js routes them). */
export type QingCloudHubMethod =
  | `cloudoffice.${string}`
  | 'ui.changeNavBarStyle'
  | 'ui.toast'
  | 'ui.webViewScrollTo'
  | 'runtime.jsReady'
  | 'runtime.auth';

/** An app event handler: a function of the event's data, or, as qing.js's README writes one, callbacks. */
export type QingEventHandler =
  ((data: unknown) => void) | { success?: (data: unknown) => void; complete?: (data: unknown) => void };

export const qing: {
  /** Options; a config of qing.js's keys alone (debug, jsApiList, jsEventList, lang) leaves the relay and vendors as they were. */
  config(config: QingConfig): void;
  call<N extends keyof QingOperations>(
    name: N,
    params: QingOperations[N][0] & QingCallbacks<QingResult<QingOperations[N][1]>>,
  ): Promise<QingResult<QingOperations[N][1]>>;
  /**
   * A native JS-API name (`createLive`, `createVoiceMeeting`, `chat`, `selectPersons`, …: no dot,
   * or a CloudHubJSBridge method such as `ui.toast`), sent to the app over its own protocol.
   * `timeoutMs` (never forwarded) bounds an app that never answers.
   */
  call<N extends string>(
    name: N extends `${string}.${string}` ? (N extends QingCloudHubMethod ? N : never) : N,
    params?: Record<string, unknown> & { timeoutMs?: number } & QingCallbacks<NativeResult | QingResult>,
  ): Promise<NativeResult | QingResult>;
  /** Runs `fn` once the page can call the app (at once: no handshake is needed). */
  ready(fn?: () => void): Promise<unknown>;
  /** Hears an app event (`appear`, `disappear`, ...) the app sends through CloudHubJSBridge. */
  on(event: string, handler: QingEventHandler): void;
  /** Stops hearing it: `handler` as given to `on`, or every handler of `event` when none is named. */
  off(event: string, handler?: QingEventHandler): void;
  /** Hears it once. */
  once(event: string, handler: QingEventHandler): void;
  /** qing.js's shorthand for `qing.on('error', handler)`. */
  error(handler: QingEventHandler): void;
  /** Whether the client's bridge version is `version` or newer (`qing.checkVersion('0.9.50')`). */
  checkVersion(version: string): boolean;
  /** Whether each name can be called here: `{success: true, data: {name: boolean}}` to the callbacks; true when all can. */
  checkJsApi(query: { jsApiList: string[] } & QingCallbacks<{ success: true; data: Record<string, boolean> }>): boolean;
  checkJsApi(name: string): boolean;
  /** Whether the user agent is a Yunzhijia client's (`Qing/x.y.z`, or the desktop's `App/cloudhub`). */
  readonly isSupportNativeJsBridge: boolean;
  /** The client's bridge version from its user agent (`'0.9.59'`), or undefined outside the app. */
  readonly nativeJsBridgeVersion: string | undefined;
  /** The package's version. */
  readonly version: string;
  debug: boolean;
  /** Whether the page runs inside the Yunzhijia app (user agent `Qing/x.y`, or `window.XuntongJSBridge`). */
  isInApp(): boolean;
  /** A bridge for native names, for tests and demos; `null` removes it. */
  setBridge(bridge: ((name: string, params: Record<string, unknown>) => unknown) | null): void;
};

/** One parameter of an operation, as the clients read it. */
export interface OperationParam {
  name: string;
  type: 'string' | 'boolean' | 'integer' | 'time' | 'string[]' | 'json';
  required: boolean;
}

/**
 * One operation of a table: names, kind and parameter list. The docs and rules are in
 * `workbridge/operations.json` (`loadTables()` of `workbridge/tables` in Node), so that no app
 * ships them.
 */
export interface OperationInfo {
  name: string;
  kind: 'read' | 'write';
  /** Whether the client's method takes the params as positional arguments. */
  positional: boolean;
  params: OperationParam[];
}
