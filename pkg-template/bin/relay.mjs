// `workbridge/relay`: lets light-app pages use the server APIs without holding secrets. It keeps
// the credentials (from options or the environment), accepts `POST …/call/<name>` with the params
// as JSON, and answers the `qing.call` result shape. With sign-on (`signOn: 'yunzhijia'`) a page
// first trades the light-app ticket for a signed session (`POST …/session`), and every call then
// acts only as that user. Refused, and never forwarded: other origins, callers with no Origin
// (unless allowed), callers without a valid session or bearer token, calls naming another person,
// calls the authorize hook refuses, callers over their rate, operations not allowed, bodies that
// are not JSON or are over the limit.
//
// `createRelay(options)` is the relay itself, as `relay.node` (a Node `(req, res)` handler that
// works under any route prefix) and `relay.fetch` (`(Request) => Promise<Response>`);
// `startRelay(options)` serves it on its own port with the connection limits; `workbridge relay`
// is a thin command over `startRelay`.

import { createServer } from 'node:http';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as api from '../index.mjs';
import { configuredFromEnv, fetchFromEnv, missingEnv } from './env.mjs';

const { operations } = api;
const CLASSES = {
  cam: api.CAMAPIClient,
  yunzhijia: api.YunzhijiaClient,
  xuanxuan: api.XuanxuanClient,
  ytx: api.YtxClient,
};

/** A start-up mistake (exit status 2); its message never holds a credential. */
export class RelayConfigError extends Error {}

/** Bytes in a size such as `65536`, `64k`, `64kb`, `1m`, `1MiB`; throws RelayConfigError otherwise. */
export function parseSize(text) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(|b|k|kb|kib|m|mb|mib)\s*$/i.exec(String(text));
  const bytes = m
    ? Math.floor(Number(m[1]) * { '': 1, b: 1, k: 1024, m: 1024 * 1024 }[m[2].toLowerCase().charAt(0)])
    : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1)
    throw new RelayConfigError(
      `--max-body takes a size such as 65536, 64k or 1m, not ${JSON.stringify(escapeLog(String(text)).slice(0, 40))}`,
    );
  return bytes;
}

/** Every name the relay can run (`meeting.create`, `cam.sendMessage`, …) and the vendor behind it. */
export function relayOperations() {
  const names = new Map();
  for (const [vendor, ops] of Object.entries(operations)) {
    for (const op of ops) names.set(vendor === 'yunzhijia' ? op.name : `${vendor}.${op.name}`, vendor);
  }
  return names;
}

function distance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length];
}

/** The operation a mistyped `--allow` name most likely meant, or undefined. */
export function suggest(name, known = relayOperations()) {
  const lower = name.toLowerCase().replace(/^yunzhijia\./, '');
  const all = [...known.keys()];
  const exact = all.find((n) => n.toLowerCase() === lower);
  if (exact) return exact;
  const [best] = all.map((n) => [n, distance(n.toLowerCase(), lower)]).sort((x, y) => x[1] - y[1]);
  return best && best[1] <= 3 ? best[0] : undefined;
}

/**
 * A log line with every control character escaped (`\n` as `\x0a`, ESC as `\x1b`, and the
 * Unicode line separators and bidi overrides), so no caller-chosen text can forge or hide a line.
 */
export function escapeLog(text) {
  return String(text).replace(/[\\\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\\') return '\\\\';
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** What a thrown value is (`TypeError`, `string`), never what it says: a name shaped like a class's. */
function errorClass(e) {
  const name = e !== null && typeof e === 'object' ? e.name : undefined;
  return typeof name === 'string' && /^[A-Za-z_$][\w$]{0,63}$/.test(name) ? name : e === null ? 'null' : typeof e;
}

// ---- who is acting ---------------------------------------------------------------------------
//
// The parameters that name the acting person, by what they are called in the operation tables:
// an operation's parameter of one of these names is the signed-in user's (`openid` of the meeting
// operations, `openId` of roomBook.freeRooms, `currentUid` of groups, notices, banners and merged
// messages, `eid` of room bookings), so a new operation with such a parameter is covered without
// a list here. The vendor's servers read JSON leniently (fastjson matches member names without
// regard to case, `_` or `-`), so every spelling that normalizes to one of these is checked,
// wherever it is in the params, nested objects included; `oid` is Yunzhijia's other name for a
// person's id. The value: which field of the signed-in user it must be.
const PERSON = { openid: 'openid', currentuid: 'openid', oid: 'openid', eid: 'eid' };
const normal = (key) =>
  String(key)
    .toLowerCase()
    .replace(/[\s_\-.]/g, '');

/** Deeper than any vendor's params go (the clients' JSON reader stops at 64 levels too). */
const MAX_DEPTH = 64;
/** Whether `value` is nested deeper than `max` levels: walked without recursion, so no body can overflow the stack. */
function deeperThan(value, max) {
  const stack = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop();
    if (!v || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** The acting-person parameters of each Yunzhijia operation, from its table. */
function actingParams() {
  const out = new Map();
  for (const op of operations.yunzhijia || []) {
    const names = op.params.filter((p) => PERSON[normal(p.name)]).map((p) => p.name);
    out.set(op.name, names);
  }
  return out;
}

/**
 * The params with the acting person made the user's: returns {params} (the absent ones filled in)
 * or {forbidden: 'openid'} naming the first key that names anyone else. Nested objects and arrays
 * are walked too (banner.create's `params`, a batch's items), without a depth the caller chooses:
 * JSON.parse already bounded it.
 */
function actAs(names, params, user) {
  const own = (field, value) =>
    typeof value === 'string' && (value === user[field] || (field === 'openid' && value === user.oid && value !== ''));
  const walk = (value, path) => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const bad = walk(value[i], `${path}[${i}]`);
        if (bad) return bad;
      }
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const field = PERSON[normal(k)];
        const where = path ? `${path}.${k}` : k;
        // null and '' name no one: the vendor reads them as absent, and they are filled in below.
        if (field && v !== null && v !== '' && !own(field, v)) return where;
        const bad = walk(v, where);
        if (bad) return bad;
      }
    }
    return undefined;
  };
  const forbidden = walk(params, '');
  if (forbidden !== undefined) return { forbidden };
  const filled = { ...params };
  for (const name of names)
    if (filled[name] === undefined || filled[name] === null || filled[name] === '')
      filled[name] = user[PERSON[normal(name)]];
  return { params: filled };
}

// ---- sessions --------------------------------------------------------------------------------
//
// `v1.<payload>.<mac>`: the payload base64url JSON {sub, oid, eid, name, app, iat, exp}, the MAC
// HMAC-SHA256 of `v1.<payload>` with the session secret. Any relay with the same secret verifies
// it; nothing is stored. Expired sessions are refused whatever their MAC.
const SESSION_MAX_S = 15 * 60;
const b64url = (buf) => Buffer.from(buf).toString('base64url');

function signSession(secret, claims) {
  const payload = b64url(JSON.stringify(claims));
  const mac = createHmac('sha256', secret).update(`v1.${payload}`).digest();
  return `v1.${payload}.${b64url(mac)}`;
}

/** The user a session token stands for, or undefined when it is malformed, forged or expired. */
function verifySession(secret, token, appId, now) {
  const m = /^v1\.([A-Za-z0-9_-]{1,4096})\.([A-Za-z0-9_-]{43})$/.exec(token || '');
  if (!m) return undefined;
  const expected = createHmac('sha256', secret).update(`v1.${m[1]}`).digest();
  const given = Buffer.from(m[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let c;
  try {
    c = JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!c || typeof c !== 'object' || typeof c.sub !== 'string' || typeof c.eid !== 'string') return undefined;
  if (!Number.isFinite(c.exp) || !Number.isFinite(c.iat) || c.exp <= now / 1000 || c.exp - c.iat > SESSION_MAX_S)
    return undefined;
  if (c.app !== appId) return undefined;
  return { openid: c.sub, oid: typeof c.oid === 'string' ? c.oid : '', eid: c.eid, username: String(c.name ?? '') };
}

// ---- limits ----------------------------------------------------------------------------------

const MINUTE = 60_000;

/** Calls per key in the last minute, oldest first; `take(key)` is 0 or the seconds to wait. */
function windowCounter(limit) {
  const recent = new Map();
  return {
    take(key, now = Date.now()) {
      if (!limit) return 0;
      const times = (recent.get(key) || []).filter((t) => t > now - MINUTE);
      recent.set(key, times);
      if (times.length >= limit) return Math.max(1, Math.ceil((times[0] + MINUTE - now) / 1000));
      times.push(now);
      return 0;
    },
    sweep(now = Date.now()) {
      for (const [k, times] of recent) if (!times.length || times[times.length - 1] <= now - MINUTE) recent.delete(k);
    },
  };
}

/**
 * The caller's address: the socket's, or with `trustProxy` the one the trusted hops say they
 * forwarded for. `trustProxy` is a number of hops in front of the relay (each appends the address
 * it received from to X-Forwarded-For), or a list of the proxies' own addresses.
 */
function clientAddress(socketIp, forwarded, trustProxy) {
  if (!trustProxy) return socketIp;
  const hops = String(forwarded || '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  let ip = socketIp;
  if (typeof trustProxy === 'number') {
    for (let i = 0; i < trustProxy && hops.length; i++) ip = hops.pop();
    return ip;
  }
  const trusted = (a) => trustProxy.includes(a) || trustProxy.includes(a.replace(/^::ffff:/, ''));
  while (trusted(ip) && hops.length) ip = hops.pop();
  return ip;
}

// Past the limit the rest of an oversized body is read and thrown away, so the caller can finish
// sending and then read the 413 (closing at once resets the connection and loses the answer);
// a caller that keeps sending beyond this much more is cut off.
const DRAIN_BYTES = 16 * 1024 * 1024;
/** A request's body must have arrived this long after it started, or the connection is cut. */
const BODY_TIMEOUT_MS = 30_000;

// Refusals in the qing.call result shape: success is the String, as Yunzhijia documents it.
const refused = (errorCode, error, extra) => ({
  success: 'false',
  errorCode: String(errorCode),
  error,
  data: null,
  ...extra,
});
const digest = (s) => createHash('sha256').update(String(s)).digest();
// A vendor's message may quote an internal URL with its credentials (a database URL): the
// `user:password@` of any URL is masked before a page sees it.
const maskUrls = (text) => String(text).replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*:[^\s/@]*@/gi, '$1***:***@');
// Ids a call touched, for its log line: the params and the answer that name a meeting, a group,
// a room or a booking.
const ID_KEYS = ['id', 'meetingId', 'meetingIds', 'groupId', 'roomId', 'orderId', 'batchId'];
function idsOf(...sources) {
  const ids = [];
  for (const s of sources) {
    if (!s || typeof s !== 'object' || Array.isArray(s)) continue;
    for (const k of ID_KEYS) {
      const v = s[k];
      for (const one of Array.isArray(v) ? v : [v]) if (typeof one === 'string' && one) ids.push(one.slice(0, 64));
    }
  }
  return [...new Set(ids)].slice(0, 8);
}

/**
 * The relay, for a server of the caller's own: `{node(req, res), fetch(request), vendors,
 * close()}`. Throws RelayConfigError for a start-up mistake (an unknown operation, a vendor
 * without credentials, a `*` origin with sign-on).
 *
 * - `allow`: operation names (`meeting.create`, `cam.sendMessage`, …);
 * - `origins`: page origins allowed to call it (`*` for any, refused with sign-on or a token);
 *   `allowNoOrigin`: also serve callers that send no Origin (servers, scripts);
 * - `signOn: 'yunzhijia'`: pages sign on with the light-app ticket (`appId`, `appSecret`, or
 *   WORKBRIDGE_YUNZHIJIA_APP_ID / WORKBRIDGE_YUNZHIJIA_APP_SECRET); `sessionSecret` (at least 32
 *   characters, or WORKBRIDGE_RELAY_SESSION_SECRET) shared by every instance; `sessionSeconds`
 *   (at most 900); `teamReads`: meeting.queryByDay answers the whole team's meetings;
 * - `token`: when set (and no sign-on), every call needs `Authorization: Bearer <token>`;
 * - `authorize`: `({operation, params, user, headers, ip}) => boolean | {params} | Promise<…>`;
 * - `rate`: calls per minute per signed-in user (per client address without sign-on);
 *   `globalRate`: calls per minute for everyone together; `trustProxy`: hops (a number) or proxy
 *   addresses whose X-Forwarded-For is believed; `maxBodyBytes`: the body limit;
 * - `store`: the package's store interface ({get, set, incr}, e.g. over Redis): the rate counts are
 *   then shared by every instance using it (`storeKey` prefixes its keys);
 * - `credentials`: client options per vendor (`{yunzhijia: {...}}`) instead of the environment;
 *   `env`, `log` (a function of one line, or null).
 */
export function createRelay(options = {}) {
  const {
    allow = [],
    origins = [],
    allowNoOrigin = false,
    maxBodyBytes = 64 * 1024,
    token,
    authorize,
    rate,
    globalRate,
    trustProxy,
    signOn,
    appId,
    appSecret,
    sessionSecret,
    sessionSeconds = SESSION_MAX_S,
    teamReads = false,
    credentials,
    store,
    storeKey = 'workbridge:relay',
    env = process.env,
    log = (l) => console.log(l),
    ...rest
  } = options;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw new RelayConfigError(`createRelay: unknown option ${JSON.stringify(unknown)}`);
  if (!Array.isArray(allow) || !Array.isArray(origins))
    throw new RelayConfigError('createRelay: `allow` and `origins` are arrays of names');
  const known = relayOperations();
  for (const name of allow) {
    if (known.has(name)) continue;
    const hint = suggest(String(name), known);
    throw new RelayConfigError(
      `--allow: ${JSON.stringify(escapeLog(name))} is not an operation${hint ? `; did you mean ${hint}?` : ''} (see workbridge <vendor> --help)`,
    );
  }
  // A browser's Origin is `scheme://host[:port]`: anything else could never match, and the relay
  // would refuse every page without saying why.
  const badOrigin = origins.find((o) => o !== '*' && !/^https?:\/\/[^/\s]+$/.test(o));
  if (badOrigin !== undefined)
    throw new RelayConfigError(
      `--origin: ${JSON.stringify(escapeLog(badOrigin))} is not an origin; write it as a browser sends it, e.g. https://app.example.com (no path, no trailing slash)`,
    );
  if (signOn !== undefined && signOn !== 'yunzhijia')
    throw new RelayConfigError(
      `--sign-on takes yunzhijia (the light-app ticket), not ${JSON.stringify(escapeLog(signOn))}`,
    );
  // With identities in play, any page at all (`*`) or a sandboxed frame or file (`null`) could
  // ride on a signed-in user's session.
  if ((signOn || token !== undefined) && origins.some((o) => o === '*' || o === 'null'))
    throw new RelayConfigError(
      '--origin: * (any page) is refused with --sign-on or a bearer token: name the origins of your light-app pages',
    );
  if (signOn && token !== undefined)
    throw new RelayConfigError(
      'a bearer token and --sign-on exclude each other: with sign-on, the session is the bearer',
    );
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1)
    throw new RelayConfigError('maxBodyBytes must be a positive integer');
  if (rate !== undefined && (!Number.isSafeInteger(rate) || rate < 1))
    throw new RelayConfigError('--rate takes a positive whole number of calls per minute');
  if (globalRate !== undefined && (!Number.isSafeInteger(globalRate) || globalRate < 1))
    throw new RelayConfigError('--global-rate takes a positive whole number of calls per minute');
  if (
    trustProxy !== undefined &&
    !(Number.isSafeInteger(trustProxy) && trustProxy >= 0) &&
    !(Array.isArray(trustProxy) && trustProxy.every((a) => typeof a === 'string' && a))
  )
    throw new RelayConfigError('--trust-proxy takes a number of hops or a comma list of proxy addresses');
  if (
    store !== undefined &&
    (!store || typeof store.incr !== 'function' || typeof storeKey !== 'string' || storeKey === '')
  )
    throw new RelayConfigError(
      'store: the relay counts calls with the store interface’s incr(key, ttlMs): pass a store { get, set, incr }',
    );
  if (!Number.isSafeInteger(sessionSeconds) || sessionSeconds < 1 || sessionSeconds > SESSION_MAX_S)
    throw new RelayConfigError(`sessionSeconds must be a whole number from 1 to ${SESSION_MAX_S} (15 minutes)`);
  if (token !== undefined && (typeof token !== 'string' || token === ''))
    throw new RelayConfigError('the bearer token is empty');
  if (authorize !== undefined && typeof authorize !== 'function')
    throw new RelayConfigError("--authorize: the module's default export must be a function");
  const vendors = [...new Set(allow.map((n) => known.get(n)))];
  const fromEnv = credentials ? {} : configuredFromEnv(env);
  const given = credentials || fromEnv;
  const missing = vendors
    .filter((v) => !given[v])
    .map((v) => [v, credentials ? `pass credentials.${v}` : missingEnv(v, env)]);
  if (missing.length) {
    throw new RelayConfigError(
      `no credentials for ${missing.map(([v]) => v).join(', ')}, which --allow needs: ${missing.map(([, m]) => m).join('; ')}`,
    );
  }
  const allowed = new Set(allow);
  const acting = actingParams();

  // Sign-on: the light app's own credentials (app scope), not the API's.
  let signOnApp;
  if (signOn) {
    const id = appId ?? env.WORKBRIDGE_YUNZHIJIA_APP_ID;
    const secret = appSecret ?? env.WORKBRIDGE_YUNZHIJIA_APP_SECRET;
    const lacking = [!id && 'WORKBRIDGE_YUNZHIJIA_APP_ID', !secret && 'WORKBRIDGE_YUNZHIJIA_APP_SECRET'].filter(
      Boolean,
    );
    if (lacking.length)
      throw new RelayConfigError(
        `--sign-on yunzhijia needs the light app's credentials: set ${lacking.join(' and ')} (or the appId and appSecret options)`,
      );
    const sessionKey = sessionSecret ?? env.WORKBRIDGE_RELAY_SESSION_SECRET;
    if (sessionKey !== undefined && (typeof sessionKey !== 'string' || sessionKey.length < 32))
      throw new RelayConfigError(
        'the session secret must be at least 32 characters (e.g. openssl rand -hex 32), the same on every relay instance',
      );
    const yz = given.yunzhijia || {};
    signOnApp = {
      appId: String(id),
      secret: String(secret),
      baseURL: String(yz.baseURL || env.WORKBRIDGE_YUNZHIJIA_BASE_URL || 'https://www.yunzhijia.com').replace(
        /\/+$/,
        '',
      ),
      eid: yz.eid ?? env.WORKBRIDGE_YUNZHIJIA_EID,
      fetch: yz.fetch || fetchFromEnv(env) || globalThis.fetch,
      // Without a shared secret each instance has its own: its sessions are good only on it.
      sessionKey: sessionKey ?? randomBytes(32).toString('hex'),
      sharedKey: sessionKey !== undefined,
    };
  }

  // The vendor side of each call reaches the log through the clients' onEvent: a retry or a
  // failure upstream gets its own line (the URL masked), next to the line of the page's call.
  const upstream = (e) => {
    if (e.type !== 'retry' && e.type !== 'error' && e.type !== 'store-error') return;
    const parts = [`${new Date().toISOString()} relay upstream ${e.type} ${e.vendor}.${e.operation}`];
    if (e.attempt !== undefined) parts.push(`#${e.attempt}`);
    if (e.url) parts.push(e.url);
    if (e.status !== undefined) parts.push(String(e.status));
    if (e.code) parts.push(e.code);
    if (e.durationMs !== undefined) parts.push(`${Math.round(e.durationMs)}ms`);
    write(parts.join(' '));
  };
  // The clients mask their secrets in results too: a page must never read one, even when a
  // vendor echoes it inside a successful answer.
  const configured = Object.fromEntries(
    Object.entries(given).map(([v, o]) => [v, { ...o, redactSecrets: true, onEvent: upstream }]),
  );
  // What the relay itself holds (the bearer token, the credentials, the session secret), masked
  // in every log line in every form, whatever a hook's error message quotes.
  const held = [
    token,
    signOnApp?.secret,
    signOnApp?.sessionKey,
    ...Object.values(configured).flatMap((o) => [o.apiToken, o.secret, o.accessToken, o.key, o.authToken]),
  ]
    .filter((v) => typeof v === 'string' && v.length >= 4)
    .flatMap((v) => [v, encodeURIComponent(v), Buffer.from(v).toString('base64')])
    .sort((a, b) => b.length - a.length);
  // The app-scope token is the relay's too, wherever a URL quotes it.
  const mask = (line) =>
    held.reduce((l, v) => l.split(v).join('***'), line).replace(/accessToken=[^&\s"']+/g, 'accessToken=***');
  const write = (line) => {
    if (log) log(escapeLog(mask(line)));
  };
  const expected = token === undefined ? undefined : digest(token);
  if (signOnApp && !signOnApp.sharedKey)
    write(
      'note: no session secret given: sessions are good only on this relay instance (set WORKBRIDGE_RELAY_SESSION_SECRET to share them)',
    );

  // The clients, one per vendor, made when first needed (a vendor's constructor may reject its
  // options: that is a failure of the call, answered as such).
  const clients = {};
  const clientFor = (vendor) => {
    if (!clients[vendor]) clients[vendor] = new CLASSES[vendor](configured[vendor]);
    return clients[vendor];
  };
  const opOf = (name) => {
    const vendor = known.get(name);
    const bare = vendor === 'yunzhijia' ? name : name.slice(vendor.length + 1);
    return { vendor, op: operations[vendor].find((o) => o.name === bare) };
  };
  async function run(name, params) {
    const { vendor, op } = opOf(name);
    const client = clientFor(vendor);
    if (op.name.includes('.')) {
      const [area, method] = op.name.split('.');
      return client[area][method](params);
    }
    if (op.positional) {
      const stray = Object.keys(params).find((k) => !op.params.some((p) => p.name === k));
      if (stray !== undefined)
        throw new api.WorkbridgeError({
          code: 'INVALID_ARGUMENT',
          field: stray,
          message: `${name}: \`${stray}\` is not a parameter here; known: ${op.params.map((p) => p.name).join(', ') || 'none'}`,
        });
      return client[op.name](...op.params.map((p) => params[p.name]));
    }
    return client[op.name](params);
  }

  const perUser = windowCounter(rate);
  const everyone = windowCounter(globalRate);
  // With a store, the counts are shared by every instance using it: one-minute windows counted
  // with incr. A store that fails is logged, and this instance then counts alone meanwhile.
  let storeFailing = false;
  const take = async (counter, limit, key) => {
    if (!limit) return 0;
    if (store) {
      const now = Date.now();
      const window = Math.floor(now / MINUTE);
      try {
        const n = await store.incr(`${storeKey}:${key}:${window}`, MINUTE + 5_000);
        if (typeof n !== 'number' || !Number.isFinite(n)) throw new TypeError('incr did not answer a number');
        storeFailing = false;
        return n > limit ? Math.max(1, Math.ceil(((window + 1) * MINUTE - now) / 1000)) : 0;
      } catch (e) {
        if (!storeFailing)
          write(
            `${new Date().toISOString()} relay store-error ${errorClass(e)} ${maskUrls(e && e.message ? e.message : '')}; counting on this instance alone`,
          );
        storeFailing = true;
      }
    }
    return counter.take(key);
  };
  const sweep = setInterval(() => {
    perUser.sweep();
    everyone.sweep();
  }, MINUTE);
  sweep.unref();

  // The light app's app-scope token, shared by every sign-on until shortly before it expires.
  let appToken;
  let appTokenPending;
  function appAccessToken(fresh) {
    if (!fresh && appToken && appToken.until > Date.now()) return Promise.resolve(appToken.value);
    // Concurrent sign-ons share one request for it.
    if (!appTokenPending)
      appTokenPending = fetchAppToken().finally(() => {
        appTokenPending = undefined;
      });
    return appTokenPending;
  }
  async function fetchAppToken() {
    const res = await signOnApp.fetch(`${signOnApp.baseURL}/gateway/oauth2/token/getAccessToken`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ appId: signOnApp.appId, secret: signOnApp.secret, timestamp: Date.now(), scope: 'app' }),
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    });
    const body = await res.json().catch(() => undefined);
    const value = body?.data?.accessToken;
    if (!res.ok || !(body?.success === true || body?.success === 'true') || typeof value !== 'string')
      throw Object.assign(
        new Error(
          `getAccessToken (scope app) refused: HTTP ${res.status} ${body?.errorCode ?? ''} ${body?.error ?? ''}`,
        ),
        {
          code: 'AUTH_FAILED',
        },
      );
    const life = Number(body.data.expireIn) > 0 ? Number(body.data.expireIn) : 7200;
    appToken = { value, until: Date.now() + Math.max(0, life - 300) * 1000 };
    return value;
  }
  /** The user a ticket stands for ({openid, oid, eid, username}), or {refused: why}. */
  async function acquireContext(ticket) {
    for (const fresh of [false, true]) {
      const at = await appAccessToken(fresh);
      const res = await signOnApp.fetch(
        `${signOnApp.baseURL}/gateway/ticket/user/acquirecontext?accessToken=${encodeURIComponent(at)}`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ appid: signOnApp.appId, ticket }),
          redirect: 'manual',
          signal: AbortSignal.timeout(15_000),
        },
      );
      const body = await res.json().catch(() => undefined);
      const ok = body?.success === true || body?.success === 'true';
      // A token the server no longer takes is fetched again, once.
      if (!ok && !fresh && (String(body?.errorCode) === '401' || res.status === 401)) continue;
      if (!res.ok || !body)
        throw Object.assign(new Error(`acquirecontext: HTTP ${res.status}`), { code: 'BAD_RESPONSE' });
      if (!ok) return { refused: `acquirecontext refused the ticket: ${body.errorCode ?? ''} ${body.error ?? ''}` };
      const d = body.data || {};
      if (typeof d.openid !== 'string' || d.openid === '' || typeof d.eid !== 'string')
        return { refused: 'acquirecontext answered no openid/eid' };
      // A ticket of another light app, or of another company, never signs anyone on here.
      if (d.appid !== undefined && String(d.appid) !== signOnApp.appId)
        return { refused: 'the ticket is for another app' };
      if (signOnApp.eid !== undefined && String(d.eid) !== String(signOnApp.eid))
        return { refused: 'the ticket is for another company (eid)' };
      return {
        user: {
          openid: d.openid,
          oid: typeof d.oid === 'string' ? d.oid : '',
          eid: d.eid,
          username: String(d.username ?? d.userName ?? ''),
        },
      };
    }
    return { refused: 'acquirecontext refused the app token' };
  }

  /**
   * One request, whatever the host: `{method, path, headers (lower-case names), ip, body()}` ->
   * `{status, headers, body}`. `body()` resolves with {text} or {tooBig: true}.
   */
  async function handle(req) {
    const started = Date.now();
    const requestId = randomBytes(6).toString('hex');
    const ip = clientAddress(req.ip || '-', req.headers['x-forwarded-for'], trustProxy);
    const origin = req.headers.origin;
    // `null` is what sandboxed frames, files and cross-origin redirects send: anyone can make a
    // page send it, so even a relay open to `*` does not serve it.
    const originOk =
      origin === undefined ? allowNoOrigin : origin !== 'null' && (origins.includes(origin) || origins.includes('*'));
    const cors =
      origin !== undefined && originOk
        ? {
            'Access-Control-Allow-Origin': origin,
            Vary: 'Origin',
            'Access-Control-Allow-Methods': 'POST, OPTIONS',
            'Access-Control-Allow-Headers': 'Content-Type, Authorization',
            'Access-Control-Max-Age': '600',
          }
        : {};
    let name = '-';
    let who = '-';
    let ids = [];
    let detail;
    const done = (status, body, headers = {}) => {
      const code = body.success === 'true' ? 'ok' : body.errorCode;
      write(
        `${new Date().toISOString()} relay ${ip} ${who} ${req.method} ${name}${ids.length ? ` ids=${ids.join(',')}` : ''}${detail ? ` req=${requestId}` : ''} -> ${status} ${code} ${Date.now() - started}ms${detail ? ` (${detail})` : ''}`,
      );
      return {
        status,
        headers: { 'Content-Type': 'application/json; charset=utf-8', ...cors, ...headers },
        body: JSON.stringify(body),
      };
    };
    const path = String(req.path || '');
    const call = /\/call\/([^/]+)$/.exec(path);
    const session = !call && /(?:^|\/)session$/.test(path);
    if (call) {
      try {
        name = decodeURIComponent(call[1]).slice(0, 200);
      } catch {
        name = call[1].slice(0, 200);
      }
    } else if (session) name = 'session';
    if (!originOk) {
      return done(
        403,
        refused(
          403,
          origin === undefined
            ? 'this relay serves pages from its allowed origins; callers that send no Origin need --allow-no-origin'
            : `origin ${origin} is not allowed by this relay`,
        ),
      );
    }
    if (req.method === 'OPTIONS') return { status: 204, headers: cors, body: '' };
    if (req.method !== 'POST' || (!call && !(session && signOnApp)))
      return done(
        404,
        refused(404, `the relay answers POST …/call/<operation>${signOnApp ? ' and POST …/session' : ''}`),
      );
    // Only JSON: a form or text/plain body is what a cross-site <form> can send without a preflight.
    const jsonBody = () => /^application\/json\s*(?:;|$)/i.test(String(req.headers['content-type'] || ''));
    const readJson = async () => {
      const got = await req.body();
      if (got.tooBig) return { answer: done(413, refused(413, `the body is over ${maxBodyBytes} bytes`)) };
      if (got.consumed) {
        detail = 'the body was read before the relay and not kept in req.body: mount the relay before body parsers';
        return {
          answer: done(500, refused(500, `the relay could not read the body (requestId ${requestId})`, { requestId })),
        };
      }
      let params;
      try {
        params = JSON.parse(got.text || '{}');
      } catch {
        params = undefined;
      }
      if (!params || typeof params !== 'object' || Array.isArray(params))
        return { answer: done(400, refused(400, 'the body must be a JSON object of params')) };
      if (deeperThan(params, MAX_DEPTH))
        return {
          answer: done(
            400,
            refused('INVALID_ARGUMENT', `the params are nested deeper than ${MAX_DEPTH} levels`, { field: 'params' }),
          ),
        };
      return { params };
    };
    const over = (wait, why) =>
      done(429, refused(429, why), {
        'Retry-After': String(wait),
      });

    if (session) {
      if (!jsonBody()) return done(415, refused(415, 'the body must be application/json'));
      const wait = await take(everyone, globalRate, '*');
      if (wait) return over(wait, 'the relay is at its limit of calls a minute');
      const got = await readJson();
      if (got.answer) return got.answer;
      const ticket = got.params.ticket;
      if (typeof ticket !== 'string' || ticket === '' || ticket.length > 512)
        return done(
          400,
          refused('INVALID_ARGUMENT', '`ticket` must be the ticket of the light-app URL', { field: 'ticket' }),
        );
      let signed;
      try {
        signed = await acquireContext(ticket);
      } catch (e) {
        detail = `sign-on failed: ${errorClass(e)} ${e && e.message ? e.message : ''}`;
        return done(
          502,
          refused(
            e?.code || 'NETWORK_ERROR',
            `sign-on failed; the relay's log has the detail (requestId ${requestId})`,
            { requestId },
          ),
        );
      }
      if (signed.refused) {
        detail = signed.refused;
        return done(401, refused('AUTH_FAILED', 'the ticket was refused: open the light app again for a new one'), {
          'WWW-Authenticate': 'Bearer',
        });
      }
      const { user } = signed;
      who = user.openid;
      const iat = Math.floor(Date.now() / 1000);
      const tokenOut = signSession(signOnApp.sessionKey, {
        sub: user.openid,
        oid: user.oid,
        eid: user.eid,
        name: user.username,
        app: signOnApp.appId,
        iat,
        exp: iat + sessionSeconds,
      });
      return done(200, {
        success: 'true',
        errorCode: '',
        error: '',
        data: {
          token: tokenOut,
          expiresIn: sessionSeconds,
          user: { openid: user.openid, eid: user.eid, username: user.username },
        },
      });
    }

    // Who is calling: the session's user, or (without sign-on) whoever holds the bearer token.
    let user;
    const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization || '');
    if (signOnApp) {
      user = bearer ? verifySession(signOnApp.sessionKey, bearer[1], signOnApp.appId, Date.now()) : undefined;
      if (!user)
        return done(
          401,
          refused(
            401,
            'sign on first: POST …/session with the light-app ticket, then send Authorization: Bearer <session>',
          ),
          {
            'WWW-Authenticate': 'Bearer',
          },
        );
      who = user.openid;
    } else if (expected) {
      if (!bearer || !timingSafeEqual(digest(bearer[1]), expected)) {
        return done(401, refused(401, 'this relay needs Authorization: Bearer <token>'), {
          'WWW-Authenticate': 'Bearer',
        });
      }
    }
    // Only callers who got this far are counted, each against their own budget: a refused
    // stranger spends no one's calls, and behind one NAT each signed-in user has their own.
    const mine = await take(perUser, rate, user ? `u:${user.openid}` : `a:${ip}`);
    if (mine) return over(mine, `more than ${rate} calls a minute from this ${user ? 'user' : 'address'}`);
    const wait = await take(everyone, globalRate, '*');
    if (wait) return over(wait, 'the relay is at its limit of calls a minute');
    if (!allowed.has(name)) return done(403, refused(403, `${name} is not allowed by this relay (see --allow)`));
    if (!jsonBody()) return done(415, refused(415, 'the body must be application/json'));
    const got = await readJson();
    if (got.answer) return got.answer;
    let { params } = got;
    const vendor = known.get(name);
    const names = vendor === 'yunzhijia' ? acting.get(name) || [] : [];
    const asUser = (p) => {
      if (!user) return { params: p };
      // XuanXuan names no Yunzhijia person, but its `sender` is who the message says it is
      // from: with sign-on that is the relay's own (its sender option), never the page's choice.
      if (vendor === 'xuanxuan') {
        const sender = Object.keys(p).find((k) => normal(k) === 'sender');
        return sender === undefined ? { params: p } : { forbidden: sender };
      }
      if (vendor !== 'yunzhijia') return { params: p };
      return actAs(names, p, user);
    };
    let mineOnly = asUser(params);
    if (mineOnly.forbidden) {
      ids = idsOf(params);
      return done(
        403,
        refused(
          'FORBIDDEN',
          vendor === 'xuanxuan'
            ? `${name}: \`${mineOnly.forbidden}\` is the relay's to set: with sign-on, messages go out from its own sender`
            : `${name}: \`${mineOnly.forbidden}\` names another person; a call acts only as its signed-in user`,
          {
            field: mineOnly.forbidden,
          },
        ),
      );
    }
    params = mineOnly.params;
    if (authorize) {
      let verdict;
      try {
        verdict = await authorize({ operation: name, params, user, headers: { ...req.headers }, ip });
      } catch (e) {
        // Only the error's class: its message may quote the params or a page's credentials.
        write(`${new Date().toISOString()} relay the authorize hook failed: ${errorClass(e)}`);
        return done(500, refused(500, 'the relay could not decide whether to allow this call'));
      }
      const replaced = verdict && typeof verdict === 'object' && verdict.params;
      if (verdict !== true && !(replaced && typeof replaced === 'object' && !Array.isArray(replaced)))
        return done(403, refused(403, "refused by the relay's authorize hook"));
      if (replaced) {
        // The hook's params go through the same rule: no call names another person.
        mineOnly = asUser(replaced);
        if (mineOnly.forbidden)
          return done(
            403,
            refused('FORBIDDEN', `${name}: the authorize hook's \`${mineOnly.forbidden}\` names another person`, {
              field: mineOnly.forbidden,
            }),
          );
        params = mineOnly.params;
      }
    }
    let data;
    try {
      data = await run(name, params);
    } catch (e) {
      const code = e && typeof e.code === 'string' ? e.code : 'INTERNAL';
      ids = idsOf(params);
      // The vendor's and the package's own messages help the page; anything else (a network
      // failure quoting an internal host, a bug) stays in the log under the request's id.
      if (code === 'VENDOR_ERROR' || code === 'INVALID_ARGUMENT') {
        const extra = {};
        for (const k of ['field', 'vendorCode', 'vendorMessage'])
          if (e[k] !== undefined) extra[k] = k === 'vendorMessage' ? maskUrls(e[k]) : e[k];
        return done(200, refused(code, maskUrls(e.message), extra));
      }
      detail = `${code}: ${e && e.message ? e.message : errorClass(e)}`;
      return done(
        200,
        refused(code, `the call failed (${code}); the relay's log has the detail (requestId ${requestId})`, {
          requestId,
        }),
      );
    }
    // CAM answers a refusal in its body (`errors`); a page must hear of it as a failure.
    const errors = vendor === 'cam' && data && data.errors;
    ids = idsOf(params, data);
    if (errors && (!Array.isArray(errors) || errors.length > 0)) {
      const text = maskUrls(Array.isArray(errors) ? errors.join('; ') : String(errors));
      return done(200, {
        ...refused('VENDOR_ERROR', `${name}: the server refused: ${text}`, { vendorMessage: text }),
        data,
      });
    }
    // Without team reads a user sees only the meetings they created.
    if (user && name === 'meeting.queryByDay' && !teamReads && Array.isArray(data))
      data = data.filter((m) => m && m.openid === user.openid);
    return done(200, { success: 'true', errorCode: '', error: '', data: data === undefined ? null : data });
  }

  // ---- the hosts ----------------------------------------------------------------------------

  /** Node's (req, res): plain node:http, Express/Connect `app.use('/wb', relay.node)`, Koa's ctx.req. */
  async function node(req, res) {
    const reply = await handle({
      method: req.method,
      path: String(req.url || '').split('?')[0],
      headers: req.headers,
      ip: req.socket?.remoteAddress,
      body: () => nodeBody(req),
    }).catch((e) => {
      write(`${new Date().toISOString()} relay internal failure: ${errorClass(e)}`);
      return {
        status: 500,
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: JSON.stringify(refused(500, 'the relay failed')),
      };
    });
    if (res.headersSent || res.destroyed) return;
    res.writeHead(reply.status, reply.headers).end(reply.status === 204 ? undefined : reply.body);
  }

  function nodeBody(req) {
    // A body a framework already read (express.json()): its object, as JSON again.
    if (req.body !== undefined && req.readableEnded) {
      const text =
        typeof req.body === 'string'
          ? req.body
          : Buffer.isBuffer(req.body)
            ? req.body.toString('utf8')
            : JSON.stringify(req.body);
      return Promise.resolve(Buffer.byteLength(text) > maxBodyBytes ? { tooBig: true } : { text });
    }
    // Read by something in front that kept no body: waiting for it would hang until the timeout.
    if (req.readableEnded) return Promise.resolve({ consumed: true });
    return new Promise((resolve) => {
      let size = 0;
      let over = false;
      let chunks = [];
      // A body dribbled in to hold the connection is cut off.
      const timer = setTimeout(() => req.socket?.destroy(), BODY_TIMEOUT_MS);
      timer.unref?.();
      const tooBig = () => {
        over = true;
        chunks = [];
        resolve({ tooBig: true });
      };
      if (Number(req.headers['content-length']) > maxBodyBytes) tooBig();
      req.on('data', (c) => {
        size += c.length;
        if (over) {
          if (size > maxBodyBytes + DRAIN_BYTES) req.socket.destroy();
        } else if (size > maxBodyBytes) tooBig();
        else chunks.push(c);
      });
      req.on('error', () => {
        /* the caller went away; nothing was forwarded */
        clearTimeout(timer);
      });
      req.on('close', () => clearTimeout(timer));
      req.on('end', () => {
        clearTimeout(timer);
        if (!over) resolve({ text: Buffer.concat(chunks).toString('utf8') });
      });
    });
  }

  /** The same relay for `Request`/`Response` hosts (Deno, Bun, workers, Hono). `info.ip`: the caller's address. */
  async function fetchHandler(request, info = {}) {
    const url = new URL(request.url);
    const headers = {};
    for (const [k, v] of request.headers) headers[k.toLowerCase()] = v;
    const reply = await handle({
      method: request.method,
      path: url.pathname,
      headers,
      ip: info.ip || info.remoteAddr?.hostname || '-',
      body: async () => {
        if (Number(headers['content-length']) > maxBodyBytes) {
          request.body?.cancel().catch(() => {});
          return { tooBig: true };
        }
        if (!request.body) return { text: '' };
        const reader = request.body.getReader();
        const chunks = [];
        let size = 0;
        for (;;) {
          const { done: end, value } = await reader.read();
          if (end) break;
          size += value.length;
          if (size > maxBodyBytes) {
            reader.cancel().catch(() => {});
            return { tooBig: true };
          }
          chunks.push(value);
        }
        return { text: Buffer.concat(chunks).toString('utf8') };
      },
    });
    return new Response(reply.status === 204 ? null : reply.body, { status: reply.status, headers: reply.headers });
  }

  return {
    node,
    fetch: fetchHandler,
    vendors: Object.keys(configured),
    signOn: Boolean(signOnApp),
    close() {
      clearInterval(sweep);
    },
  };
}

/**
 * Serves createRelay's relay on its own port. Resolves with {url, port, vendors, close()};
 * rejects with RelayConfigError for a start-up mistake. Beyond createRelay's options: `port`,
 * `host`, `maxConnections` (default 1024; one address at most a quarter of them, unless behind a
 * `trustProxy`). Headers must arrive within 10 s and a whole request within 30 s, or the
 * connection is cut.
 */
export async function startRelay({ port = 8787, host = '127.0.0.1', maxConnections = 1024, ...options } = {}) {
  const relay = createRelay(options);
  if (!Number.isSafeInteger(maxConnections) || maxConnections < 1)
    throw new RelayConfigError('--max-connections takes a positive whole number');
  const server = createServer(
    { headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1_000 },
    (req, res) => relay.node(req, res),
  );
  server.maxConnections = maxConnections;
  server.keepAliveTimeout = 5_000;
  // One address holds at most a share of the connections, so that a client opening sockets and
  // never finishing its headers cannot lock everyone out until they time out. Behind a trusted
  // proxy every connection comes from the proxy: no share then.
  const share = Math.max(1, Math.floor(maxConnections / 4));
  if (options.trustProxy === undefined || options.trustProxy === false) {
    const open = new Map();
    server.on('connection', (socket) => {
      const from = socket.remoteAddress;
      const n = (open.get(from) || 0) + 1;
      if (n > share) return socket.destroy();
      open.set(from, n);
      socket.once('close', () => {
        const left = (open.get(from) || 1) - 1;
        if (left > 0) open.set(from, left);
        else open.delete(from);
      });
    });
  }
  return new Promise((resolve, reject) => {
    server.once('error', (e) => {
      relay.close();
      reject(e);
    });
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
        port: actual,
        vendors: relay.vendors,
        close: () =>
          new Promise((r) => {
            relay.close();
            server.closeAllConnections?.();
            server.close(() => r());
          }),
      });
    });
  });
}
