// What the CLI and the relay take from the environment (the variables the README lists): the clients' options (credentials are read
// here and nowhere else, never from flags or request bodies) and the corporate proxy
// (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), as a `fetch` the clients are given.

import http from 'node:http';
import tls from 'node:tls';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';

/** Every variable a vendor reads, in the order the help lists them. */
export const ENV = {
  cam: ['WORKBRIDGE_CAM_API_TOKEN', 'WORKBRIDGE_CAM_SERVER_URL'],
  yunzhijia: [
    'WORKBRIDGE_YUNZHIJIA_BASE_URL',
    'WORKBRIDGE_YUNZHIJIA_EID',
    'WORKBRIDGE_YUNZHIJIA_APP_ID',
    'WORKBRIDGE_YUNZHIJIA_SECRET',
    'WORKBRIDGE_YUNZHIJIA_SCOPE',
    'WORKBRIDGE_YUNZHIJIA_ACCESS_TOKEN',
  ],
  xuanxuan: [
    'WORKBRIDGE_XUANXUAN_SERVER_URL',
    'WORKBRIDGE_XUANXUAN_CODE',
    'WORKBRIDGE_XUANXUAN_KEY',
    'WORKBRIDGE_XUANXUAN_SENDER',
  ],
  ytx: ['WORKBRIDGE_YTX_BASE_URL', 'WORKBRIDGE_YTX_ACCOUNT_SID', 'WORKBRIDGE_YTX_AUTH_TOKEN', 'WORKBRIDGE_YTX_APPID'],
};
export const PROXY_ENV = ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'];

// The client option each variable becomes, so a constructor's complaint about `apiToken` can
// name the variable the user has to set.
const OPTION_ENV = {
  cam: { apiToken: 'WORKBRIDGE_CAM_API_TOKEN', serverURL: 'WORKBRIDGE_CAM_SERVER_URL' },
  yunzhijia: {
    baseURL: 'WORKBRIDGE_YUNZHIJIA_BASE_URL',
    eid: 'WORKBRIDGE_YUNZHIJIA_EID',
    appId: 'WORKBRIDGE_YUNZHIJIA_APP_ID',
    secret: 'WORKBRIDGE_YUNZHIJIA_SECRET',
    scope: 'WORKBRIDGE_YUNZHIJIA_SCOPE',
    accessToken: 'WORKBRIDGE_YUNZHIJIA_ACCESS_TOKEN',
  },
  xuanxuan: {
    serverURL: 'WORKBRIDGE_XUANXUAN_SERVER_URL',
    code: 'WORKBRIDGE_XUANXUAN_CODE',
    key: 'WORKBRIDGE_XUANXUAN_KEY',
    sender: 'WORKBRIDGE_XUANXUAN_SENDER',
  },
  ytx: {
    baseURL: 'WORKBRIDGE_YTX_BASE_URL',
    accountSID: 'WORKBRIDGE_YTX_ACCOUNT_SID',
    authToken: 'WORKBRIDGE_YTX_AUTH_TOKEN',
    appid: 'WORKBRIDGE_YTX_APPID',
  },
};

/** The variable behind a client option (`apiToken` -> `WORKBRIDGE_CAM_API_TOKEN`), if any. */
export const envOfOption = (vendor, option) => OPTION_ENV[vendor]?.[String(option).split(/[.[]/)[0]];

const unset = (v) => (v === undefined || v === '' ? undefined : v);
const jsonOrText = (v) => {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
};

/**
 * The variables that must be set before `vendor` can be called and are not, as one sentence, or
 * undefined when nothing is missing. Only names, never values.
 */
export function missingEnv(vendor, env) {
  const missing = (names) => names.filter((n) => !unset(env[n]));
  switch (vendor) {
    case 'cam': {
      const m = missing(ENV.cam);
      return m.length ? `set ${m.join(' and ')}` : undefined;
    }
    case 'yunzhijia': {
      if (unset(env.WORKBRIDGE_YUNZHIJIA_ACCESS_TOKEN)) return undefined;
      const scope = unset(env.WORKBRIDGE_YUNZHIJIA_SCOPE) || 'resGroupSecret';
      const needed = [
        'WORKBRIDGE_YUNZHIJIA_SECRET',
        scope === 'app' ? 'WORKBRIDGE_YUNZHIJIA_APP_ID' : 'WORKBRIDGE_YUNZHIJIA_EID',
      ];
      const m = missing(needed);
      return m.length ? `set ${m.join(' and ')} (or WORKBRIDGE_YUNZHIJIA_ACCESS_TOKEN)` : undefined;
    }
    case 'xuanxuan': {
      // The sender is optional: a send may name its own.
      const m = missing(ENV.xuanxuan.filter((n) => n !== 'WORKBRIDGE_XUANXUAN_SENDER'));
      return m.length ? `set ${m.join(', ')}` : undefined;
    }
    case 'ytx': {
      const m = missing(['WORKBRIDGE_YTX_ACCOUNT_SID', 'WORKBRIDGE_YTX_AUTH_TOKEN', 'WORKBRIDGE_YTX_APPID']);
      return m.length ? `set ${m.join(', ')}` : undefined;
    }
    default:
      return undefined;
  }
}

/** The options object of `vendor`'s client, from `env`; with a proxying `fetch` when one is configured. */
export function optionsFromEnv(vendor, env, fetch = fetchFromEnv(env)) {
  // The proxy's credentials go with the fetch that sends them, as `secrets`: a proxy (or its
  // error page) that quotes the request back then has them masked like the vendor's token.
  const secrets = fetch ? proxySecrets(env) : [];
  const withFetch = (o) => (fetch ? { ...o, fetch, ...(secrets.length ? { secrets } : {}) } : o);
  switch (vendor) {
    case 'cam':
      return withFetch({ apiToken: env.WORKBRIDGE_CAM_API_TOKEN, serverURL: env.WORKBRIDGE_CAM_SERVER_URL });
    case 'yunzhijia':
      return withFetch({
        baseURL: unset(env.WORKBRIDGE_YUNZHIJIA_BASE_URL),
        ...(unset(env.WORKBRIDGE_YUNZHIJIA_ACCESS_TOKEN)
          ? { accessToken: env.WORKBRIDGE_YUNZHIJIA_ACCESS_TOKEN }
          : {
              eid: unset(env.WORKBRIDGE_YUNZHIJIA_EID),
              appId: unset(env.WORKBRIDGE_YUNZHIJIA_APP_ID),
              secret: env.WORKBRIDGE_YUNZHIJIA_SECRET,
              scope: unset(env.WORKBRIDGE_YUNZHIJIA_SCOPE),
            }),
      });
    case 'xuanxuan':
      return withFetch({
        serverURL: env.WORKBRIDGE_XUANXUAN_SERVER_URL,
        code: env.WORKBRIDGE_XUANXUAN_CODE,
        key: env.WORKBRIDGE_XUANXUAN_KEY,
        // JSON {id, avatar, name?}, the default sender the server requires; text that is not
        // JSON goes on as it is, for the client to refuse naming the variable.
        ...(unset(env.WORKBRIDGE_XUANXUAN_SENDER) ? { sender: jsonOrText(env.WORKBRIDGE_XUANXUAN_SENDER) } : {}),
      });
    case 'ytx':
      return withFetch({
        baseURL: unset(env.WORKBRIDGE_YTX_BASE_URL),
        env: unset(env.WORKBRIDGE_YTX_BASE_URL) ? undefined : 'production',
        accountSID: env.WORKBRIDGE_YTX_ACCOUNT_SID,
        authToken: env.WORKBRIDGE_YTX_AUTH_TOKEN,
        appid: env.WORKBRIDGE_YTX_APPID,
      });
    default:
      return undefined;
  }
}

/** Whether `env` holds any credential of `vendor` (the relay serves only those vendors). */
export function hasCredentials(vendor, env) {
  return missingEnv(vendor, env) === undefined;
}

/** Every vendor whose credentials are in `env`, as `qing.config` takes them. */
export function configuredFromEnv(env) {
  const fetch = fetchFromEnv(env);
  return Object.fromEntries(
    Object.keys(ENV)
      .filter((v) => hasCredentials(v, env))
      .map((v) => [v, optionsFromEnv(v, env, fetch)]),
  );
}

// ---- the corporate proxy ----------------------------------------------------------------------
//
// Node 20's fetch ignores HTTPS_PROXY. undici's EnvHttpProxyAgent would fix that, but Node does not
// export the undici it bundles, the npm `undici` that has it is a large runtime dependency for
// every user of the package (browser users included), and its current majors need a newer Node.
// The clients need little of fetch (a method, headers, a text body, a signal, a streamed answer),
// so this is a small fetch of its own: http:// through the proxy in absolute form (as curl does),
// https:// through a CONNECT tunnel with TLS to the target inside it (certificates checked as
// usual), Basic proxy credentials from the proxy URL, redirects never followed, nothing pooled.
// The variables are read as undici reads them: lower case first, HTTPS_PROXY falling back to
// HTTP_PROXY, NO_PROXY entries `host`, `.domain`, `*.domain`, `host:port` or `*`.

class ProxyConfigError extends Error {}
export { ProxyConfigError };

function proxyURL(env, names) {
  for (const name of names) {
    const value = unset(env[name]);
    if (value === undefined) continue;
    let u;
    try {
      u = new URL(value.includes('://') ? value : `http://${value}`);
    } catch {
      u = undefined;
    }
    // The value may hold a password: it is never repeated, only the variable's name.
    if (!u || u.protocol !== 'http:' || !u.hostname)
      throw new ProxyConfigError(
        `${name} must be a proxy URL such as http://proxy.example.com:3128 (http:// proxies only)`,
      );
    return u;
  }
  return undefined;
}

function noProxyRules(env) {
  const text = unset(env.no_proxy) ?? unset(env.NO_PROXY) ?? '';
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      if (entry === '*') return { any: true };
      const m = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\*?\./, '').replace(/^\[|\](?=:\d+$|$)/g, ''));
      return { host: m[1].toLowerCase(), port: m[2] };
    });
}

/** The proxy for `url` under `env`'s variables, or undefined to go direct. */
export function proxyFor(url, env) {
  const target = new URL(url);
  const proxy =
    target.protocol === 'https:'
      ? proxyURL(env, ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'])
      : proxyURL(env, ['http_proxy', 'HTTP_PROXY']);
  if (!proxy) return undefined;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const rule of noProxyRules(env)) {
    if (rule.any) return undefined;
    if (rule.port && rule.port !== port) continue;
    if (host === rule.host || host.endsWith(`.${rule.host}`)) return undefined;
  }
  return proxy;
}

/** The password and `user:password` of each proxy variable that has them (decoded, as sent). */
export function proxySecrets(env) {
  const out = new Set();
  for (const names of [
    ['https_proxy', 'HTTPS_PROXY'],
    ['http_proxy', 'HTTP_PROXY'],
  ]) {
    const u = proxyURL(env, names);
    if (!u || !u.password) continue;
    const user = decodeURIComponent(u.username);
    const password = decodeURIComponent(u.password);
    out.add(password).add(`${user}:${password}`).add(u.password);
  }
  return [...out];
}

// Shaped as Node's fetch fails (a TypeError with a cause and its code), with the reason in the
// message too, since that is what the clients' errors carry.
const fetchFailed = (why, code) =>
  new TypeError(`fetch failed: ${why}`, { cause: Object.assign(new Error(why), code ? { code } : {}) });
const aborted = (signal) => signal.reason ?? new DOMException('This operation was aborted', 'AbortError');

/**
 * A fetch that honours HTTPS_PROXY/HTTP_PROXY/NO_PROXY in `env`, or undefined when no proxy is set
 * (the clients then use globalThis.fetch). Throws ProxyConfigError for a malformed proxy URL.
 */
export function fetchFromEnv(env) {
  const names = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];
  if (!names.some((n) => unset(env[n]))) return undefined;
  proxyURL(env, ['https_proxy', 'HTTPS_PROXY']);
  proxyURL(env, ['http_proxy', 'HTTP_PROXY']);
  return async function proxyingFetch(input, init = {}) {
    const request = new Request(input, { ...init, redirect: 'manual' });
    const proxy = proxyFor(request.url, env);
    if (!proxy) return globalThis.fetch(input, init);
    const signal = init.signal;
    if (signal?.aborted) throw aborted(signal);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const target = new URL(request.url);
    const headers = { accept: '*/*' };
    for (const [k, v] of request.headers) headers[k] = v;
    headers.host = target.host;
    headers.connection = 'close';
    if (body) headers['content-length'] = String(body.length);
    const auth =
      proxy.username || proxy.password
        ? `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`
        : undefined;
    const proxyPort = Number(proxy.port) || 80;
    const where = `the proxy ${proxy.hostname}:${proxyPort}`;
    return new Promise((resolve, reject) => {
      const sockets = [];
      let req;
      const onAbort = () => {
        req?.destroy();
        for (const s of sockets) s.destroy();
        reject(aborted(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const fail = (e) => {
        signal?.removeEventListener('abort', onAbort);
        for (const s of sockets) s.destroy();
        reject(e);
      };
      const send = (options) => {
        // No agent: nothing is pooled; the tunnel's socket comes from createConnection.
        req = http.request({
          ...options,
          method: request.method,
          headers,
          ...(options.createConnection ? {} : { agent: false }),
        });
        req.on('error', (e) => fail(fetchFailed(`${e.message} (through ${where})`, e.code)));
        req.on('response', (res) => {
          const status = res.statusCode;
          if (status < 200 || status > 599) {
            res.destroy();
            return fail(fetchFailed(`HTTP ${status} through ${where}`));
          }
          const h = new Headers();
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
            try {
              h.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
            } catch {
              /* a header Headers refuses is dropped */
            }
          }
          const empty = request.method === 'HEAD' || status === 204 || status === 205 || status === 304;
          res.once('close', () => signal?.removeEventListener('abort', onAbort));
          if (empty) res.resume();
          resolve(
            new Response(empty ? null : Readable.toWeb(res), {
              status,
              statusText: res.statusMessage || '',
              headers: h,
            }),
          );
        });
        req.end(body);
      };
      if (target.protocol === 'http:') {
        // Absolute form: the proxy forwards it, the way curl and browsers use an HTTP proxy.
        if (auth) headers['proxy-authorization'] = auth;
        send({ host: proxy.hostname, port: proxyPort, path: target.href });
        return;
      }
      const port = target.port || '443';
      const authority = `${target.hostname}:${port}`;
      const connect = http.request({
        host: proxy.hostname,
        port: proxyPort,
        method: 'CONNECT',
        path: authority,
        agent: false,
        headers: { host: authority, ...(auth ? { 'proxy-authorization': auth } : {}) },
      });
      connect.on('error', (e) => fail(fetchFailed(`${e.message} (connecting to ${where})`, e.code)));
      connect.on('connect', (res, socket, head) => {
        sockets.push(socket);
        socket.on('error', () => {
          /* reported by the TLS socket or the request on it */
        });
        if (res.statusCode !== 200) {
          // Refused by the proxy: the request itself never left.
          return fail(
            fetchFailed(`${where} refused the tunnel to ${authority}: HTTP ${res.statusCode}`, 'ERR_PROXY_TUNNEL'),
          );
        }
        if (head && head.length) socket.unshift(head);
        const host = target.hostname.replace(/^\[|\]$/g, '');
        const secure = tls.connect({ socket, servername: isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'] });
        sockets.push(secure);
        secure.on('error', (e) => fail(fetchFailed(`${e.message} (TLS to ${authority} through ${where})`, e.code)));
        secure.once('secureConnect', () =>
          send({ createConnection: () => secure, path: target.pathname + target.search }),
        );
      });
      connect.end();
    });
  };
}
