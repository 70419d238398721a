// `workbridge relay`: lets light-app pages use the server APIs without holding secrets. It keeps
// the credentials (from the environment), accepts `POST /call/<name>` with the params as JSON,
// and answers the `qing.call` result shape. Refused, and never forwarded: other origins, callers
// with no Origin (unless allowed), callers without the bearer token (when one is set) or that the
// authorize hook refuses, callers over the rate, operations not allowed, bodies over the limit.

import { createServer } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { qing, operations } from '../index.mjs';
import { configuredFromEnv, missingEnv } from './env.mjs';

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

// Past the limit the rest of an oversized body is read and thrown away, so the caller can finish
// sending and then read the 413 (closing at once resets the connection and loses the answer);
// a caller that keeps sending beyond this much more is cut off.
const DRAIN_BYTES = 16 * 1024 * 1024;
const MINUTE = 60_000;

const json = (res, status, body, headers = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
};
// Refusals in the qing.call result shape: success is the String, as Yunzhijia documents it.
const refused = (errorCode, error) => ({ success: 'false', errorCode: String(errorCode), error, data: null });
const digest = (s) => createHash('sha256').update(String(s)).digest();

/**
 * Starts the relay. Resolves with {url, port, vendors, close()}; rejects with RelayConfigError
 * for a start-up mistake (an unknown operation, a vendor without credentials).
 *
 * - `allow`: operation names (`meeting.create`, `cam.sendMessage`, …);
 * - `origins`: page origins allowed to call it (`*` for any); `allowNoOrigin`: also serve callers
 *   that send no Origin (servers, scripts);
 * - `token`: when set, every call needs `Authorization: Bearer <token>`;
 * - `authorize`: `({operation, params, headers, ip}) => boolean | Promise<boolean>`;
 * - `rate`: calls per minute per client address; `maxBodyBytes`: the body limit.
 */
export async function startRelay({
  port = 8787,
  host = '127.0.0.1',
  allow = [],
  origins = [],
  allowNoOrigin = false,
  maxBodyBytes = 64 * 1024,
  token,
  authorize,
  rate,
  env = process.env,
  log = (l) => console.log(l),
} = {}) {
  const known = relayOperations();
  for (const name of allow) {
    if (known.has(name)) continue;
    const hint = suggest(name, known);
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
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1)
    throw new RelayConfigError('maxBodyBytes must be a positive integer');
  if (rate !== undefined && (!Number.isSafeInteger(rate) || rate < 1))
    throw new RelayConfigError('--rate takes a positive whole number of calls per minute');
  if (token !== undefined && (typeof token !== 'string' || token === ''))
    throw new RelayConfigError('the bearer token is empty');
  if (authorize !== undefined && typeof authorize !== 'function')
    throw new RelayConfigError("--authorize: the module's default export must be a function");
  const vendors = [...new Set(allow.map((n) => known.get(n)))];
  const missing = vendors.map((v) => [v, missingEnv(v, env)]).filter(([, m]) => m);
  if (missing.length) {
    throw new RelayConfigError(
      `no credentials for ${missing.map(([v]) => v).join(', ')}, which --allow needs: ${missing.map(([, m]) => m).join('; ')}`,
    );
  }
  const allowed = new Set(allow);
  // The clients mask their secrets in results too: a page must never read one, even when a
  // vendor echoes it inside a successful answer.
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
  const configured = Object.fromEntries(
    Object.entries(configuredFromEnv(env)).map(([v, o]) => [v, { ...o, redactSecrets: true, onEvent: upstream }]),
  );
  qing.config(configured);
  // What the relay itself holds (the bearer token, the credentials), masked in every log line
  // in every form, whatever a hook's error message quotes.
  const held = [
    token,
    ...Object.values(configured).flatMap((o) => [o.apiToken, o.secret, o.accessToken, o.key, o.authToken]),
  ]
    .filter((v) => typeof v === 'string' && v.length >= 4)
    .flatMap((v) => [v, encodeURIComponent(v), Buffer.from(v).toString('base64')])
    .sort((a, b) => b.length - a.length);
  const mask = (line) => held.reduce((l, v) => l.split(v).join('***'), line);
  const write = (line) => {
    if (log) log(escapeLog(mask(line)));
  };
  const expected = token === undefined ? undefined : digest(token);

  // Calls per client address in the last minute, oldest first.
  const recent = new Map();
  const sweep = setInterval(() => {
    const cutoff = Date.now() - MINUTE;
    for (const [ip, times] of recent) if (!times.length || times[times.length - 1] <= cutoff) recent.delete(ip);
  }, MINUTE);
  sweep.unref();
  const overRate = (ip) => {
    if (!rate) return 0;
    const now = Date.now();
    const times = (recent.get(ip) || []).filter((t) => t > now - MINUTE);
    recent.set(ip, times);
    if (times.length >= rate) return Math.max(1, Math.ceil((times[0] + MINUTE - now) / 1000));
    times.push(now);
    return 0;
  };

  const server = createServer((req, res) => {
    const started = Date.now();
    const ip = req.socket.remoteAddress || '-';
    const origin = req.headers.origin;
    const originOk = origin === undefined ? allowNoOrigin : origins.includes(origin) || origins.includes('*');
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
    const done = (status, body, headers = {}) => {
      if (res.headersSent) return;
      json(res, status, body, { ...cors, ...headers });
      write(
        `${new Date().toISOString()} relay ${ip} ${req.method} ${name} -> ${status} ${body.success === 'true' ? 'ok' : body.errorCode} ${Date.now() - started}ms`,
      );
    };
    const match = /^\/call\/([^/?#]+)$/.exec(req.url || '');
    if (match) {
      try {
        name = decodeURIComponent(match[1]).slice(0, 200);
      } catch {
        name = match[1].slice(0, 200);
      }
    }
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
    if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
    if (req.method !== 'POST' || !match) return done(404, refused(404, 'the relay answers POST /call/<operation>'));
    const wait = overRate(ip);
    if (wait)
      return done(429, refused(429, `more than ${rate} calls a minute from this address`), {
        'Retry-After': String(wait),
      });
    if (expected) {
      const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization || '');
      if (!m || !timingSafeEqual(digest(m[1]), expected)) {
        return done(401, refused(401, 'this relay needs Authorization: Bearer <token>'), {
          'WWW-Authenticate': 'Bearer',
        });
      }
    }
    if (!allowed.has(name)) return done(403, refused(403, `${name} is not allowed by this relay (see --allow)`));

    let size = 0;
    let over = false;
    let chunks = [];
    const tooBig = () => {
      over = true;
      chunks = [];
      done(413, refused(413, `the body is over ${maxBodyBytes} bytes`));
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
    });
    req.on('end', async () => {
      if (over || res.headersSent) return;
      let params;
      try {
        params = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        params = undefined;
      }
      if (!params || typeof params !== 'object' || Array.isArray(params))
        return done(400, refused(400, 'the body must be a JSON object of params'));
      if (authorize) {
        let ok;
        try {
          ok = await authorize({ operation: name, params, headers: { ...req.headers }, ip });
        } catch (e) {
          // Only the error's class: its message may quote the params or a page's credentials.
          write(`${new Date().toISOString()} relay the authorize hook failed: ${errorClass(e)}`);
          return done(500, refused(500, 'the relay could not decide whether to allow this call'));
        }
        if (ok !== true) return done(403, refused(403, "refused by the relay's authorize hook"));
      }
      done(200, await qing.call(name, params));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e) => {
      clearInterval(sweep);
      reject(e);
    });
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
        port: actual,
        vendors: Object.keys(configured),
        close: () =>
          new Promise((r) => {
            clearInterval(sweep);
            server.closeAllConnections?.();
            server.close(() => r());
          }),
      });
    });
  });
}
