// workbridge/relay (Node): the secret-holding relay for light-app pages, for a server of your own.

// Node's request and response as the relay uses them (node:http's, Express's, Koa's ctx.req/res),
// written out so that these declarations need no @types/node.
export interface NodeRequestLike {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  socket?: { remoteAddress?: string };
  on(event: string, listener: (...args: any[]) => void): unknown;
}
export interface NodeResponseLike {
  writeHead(status: number, headers?: Record<string, string>): NodeResponseLike;
  end(body?: string): unknown;
  headersSent?: boolean;
}

/** The signed-in user a session stands for. */
export interface RelayUser {
  openid: string;
  oid: string;
  eid: string;
  username: string;
}

export interface AuthorizeInput {
  /** `meeting.create`, `cam.sendMessage`, … */
  operation: string;
  /** The params as they will be sent, the acting person already filled in. */
  params: Record<string, unknown>;
  /** With sign-on, who is calling; otherwise undefined. */
  user: RelayUser | undefined;
  headers: Record<string, string | string[] | undefined>;
  ip: string;
}

/** `true` runs the call, `false` refuses it (403), `{params}` runs it with these params instead. */
export type AuthorizeResult = boolean | { params: Record<string, unknown> };

export interface RelayOptions {
  /** Operation names pages may call: `meeting.create`, `cam.sendMessage`, … */
  allow: string[];
  /** Page origins allowed to call (`https://app.example.com`); `*` only without sign-on or token. */
  origins?: string[];
  /** Also serve callers that send no Origin (servers, scripts). */
  allowNoOrigin?: boolean;
  /** Pages sign on with the light-app ticket; every call then acts only as that user. */
  signOn?: 'yunzhijia';
  /** The light app's id (default WORKBRIDGE_YUNZHIJIA_APP_ID). */
  appId?: string;
  /** The light app's secret (default WORKBRIDGE_YUNZHIJIA_APP_SECRET). */
  appSecret?: string;
  /** At least 32 characters, the same on every instance (default WORKBRIDGE_RELAY_SESSION_SECRET). */
  sessionSecret?: string;
  /** How long a session lasts, at most 900 (15 minutes, the default). */
  sessionSeconds?: number;
  /** With sign-on, meeting.queryByDay answers every meeting of the day, not only the caller's. */
  teamReads?: boolean;
  /** Without sign-on: every call needs `Authorization: Bearer <token>`. */
  token?: string;
  authorize?: (input: AuthorizeInput) => AuthorizeResult | Promise<AuthorizeResult>;
  /** Calls per minute per signed-in user (per client address without sign-on). */
  rate?: number;
  /** Calls per minute for everyone together. */
  globalRate?: number;
  /** Proxies in front whose X-Forwarded-For is believed: a number of hops, or their addresses. */
  trustProxy?: number | string[];
  /** The largest body in bytes (default 65536). */
  maxBodyBytes?: number;
  /** The package's store interface (`incr` needed): the rate counts are shared by every instance using it. */
  store?: {
    get(key: string): Promise<unknown>;
    set(key: string, value: string, ttlMs: number): Promise<unknown>;
    incr(key: string, ttlMs: number): Promise<number>;
  };
  /** Prefixes the relay's keys in `store` (default `workbridge:relay`). */
  storeKey?: string;
  /** Client options per vendor, instead of the WORKBRIDGE_* environment variables. */
  credentials?: { cam?: object; yunzhijia?: object; xuanxuan?: object; ytx?: object };
  env?: Record<string, string | undefined>;
  /** One line per call (user, operation, ids, outcome); null for none. Default console.log. */
  log?: ((line: string) => void) | null;
}

export interface Relay {
  /** A Node `(req, res)` handler; works under a route prefix (`app.use('/wb', relay.node)`). */
  node(req: NodeRequestLike, res: NodeResponseLike): Promise<void>;
  /** The same relay for `Request`/`Response` hosts; `info.ip` is the caller's address. */
  fetch(request: Request, info?: { ip?: string }): Promise<Response>;
  /** The vendors it holds credentials for. */
  vendors: string[];
  signOn: boolean;
  /** Stops its timers. */
  close(): void;
}

export class RelayConfigError extends Error {}

/** Throws RelayConfigError for a start-up mistake (an unknown operation, missing credentials, …). */
export function createRelay(options: RelayOptions): Relay;

/** The relay on a port of its own, with connection limits (headers in 10 s, requests in 30 s). */
export function startRelay(
  options: RelayOptions & { port?: number; host?: string; maxConnections?: number },
): Promise<{ url: string; port: number; vendors: string[]; close(): Promise<void> }>;
