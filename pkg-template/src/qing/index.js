// `qing`: every operation in Yunzhijia's JS-API callback style, the page API of the vendor's
// qing.js (config, ready, on/off/once, checkJsApi, ...), the app's own protocol and the relay
// client. It needs no vendor client: those are plugged in by the full facade (`plug`), which the
// classic-script global loads only once a page configures a vendor directly.

import { WorkbridgeError, why } from './errors.js';
import { makeApp } from './bridge.js';
import { relayCall, checkRelay, failure, badTimeout, OURS, ticketOfPage } from './relay.js';
import { langOf, localize } from './messages.js';

export { WorkbridgeError, why };

const CALLBACKS = ['success', 'error', 'complete'];
// qing.js's own keys of qing.config, and the package's.
const PAGE_KEYS = ['debug', 'jsApiList', 'jsEventList', 'lang'];
const SERVER_KEYS = ['relay', 'fetch', 'relayToken', 'ticket'];

const globalObject = () =>
  typeof globalThis !== 'undefined' ? globalThis : typeof window !== 'undefined' ? window : self;

function ok(data) {
  return { success: 'true', errorCode: '', error: '', data: data === undefined ? null : data };
}

/**
 * A failed result from a WorkbridgeError. For a vendor's refusal `errorCode` is the vendor's own
 * code as a String (`'10027'`), as the vendor's documents name it, and `code` the package's
 * (`'VENDOR_ERROR'`); for every other failure both are the package's code.
 */
export function failed(e) {
  const extra = {};
  for (const k of ['field', 'status', 'vendorCode', 'vendorMessage']) if (e[k] !== undefined) extra[k] = e[k];
  const vendorCode = e.vendorCode === undefined || e.vendorCode === null ? '' : String(e.vendorCode);
  const errorCode = e.code === 'VENDOR_ERROR' && vendorCode !== '' ? vendorCode : e.code;
  return failure(errorCode, e.message, { ...extra, code: e.code });
}

// Whether an answer of the app is a success: the app says true or "true".
function succeeded(r) {
  return Boolean(r) && typeof r === 'object' && (r.success === true || r.success === 'true');
}

/**
 * The qing object and what the full facade plugs into it. `names`: `{vendor: [operation names]}`;
 * `version`: the package's. `servers(target, params, options)` runs a server operation with a
 * vendor client (it may throw a WorkbridgeError); until one is plugged in, `load` is asked for it.
 */
export function makeBase(names, version, load) {
  const root = globalObject();
  const app = makeApp(root);
  const state = {
    options: {},
    relay: undefined,
    relayHeaders: {},
    fetch: undefined,
    ticket: undefined,
    session: undefined,
    bridge: undefined,
    lang: undefined,
    servers: undefined,
  };
  const VENDORS = Object.keys(names);
  const listeners = new Map();
  const documentEvents = [];
  const lang = () => state.lang || (app.client.inApp ? 'zh' : 'en');

  function resolveName(name) {
    if (typeof name !== 'string' || !name.includes('.')) return undefined;
    const dot = name.indexOf('.');
    const prefix = name.slice(0, dot);
    if (VENDORS.includes(prefix) && prefix !== 'yunzhijia') {
      const op = name.slice(dot + 1);
      return names[prefix].includes(op) ? { vendor: prefix, name: op } : undefined;
    }
    const bare = prefix === 'yunzhijia' ? name.slice(dot + 1) : name;
    return names.yunzhijia && names.yunzhijia.includes(bare) ? { vendor: 'yunzhijia', name: bare } : undefined;
  }

  async function runServer(target, params) {
    if (state.relay)
      return relayCall(
        state,
        root,
        `${target.vendor === 'yunzhijia' ? '' : `${target.vendor}.`}${target.name}`,
        params,
      );
    if (!state.options[target.vendor])
      return failed(
        new WorkbridgeError({
          code: 'INVALID_ARGUMENT',
          vendor: target.vendor,
          operation: 'config',
          field: target.vendor,
          message: `${target.vendor}.config: \`${target.vendor}\` is not configured: call qing.config({ ${target.vendor}: {...} }) or qing.config({ relay }) first`,
        }),
      );
    let servers = state.servers;
    if (!servers && !load) return failure('INTERNAL', 'qing: no vendor clients in this build');
    if (!servers) {
      try {
        servers = await load();
      } catch (e) {
        return failure('NETWORK_ERROR', why(e));
      }
    }
    try {
      return await servers(target, params, state.options);
    } catch (e) {
      return failed(
        e instanceof WorkbridgeError
          ? e
          : new WorkbridgeError({ code: 'INTERNAL', message: `${target.vendor}.${target.name}: ${why(e)}` }),
      );
    }
  }

  function isInApp() {
    return app.client.inApp || Boolean(root.XuntongJSBridge);
  }

  // A native call's answer reaches the page as the app gave it; only a JSON text is parsed.
  // `timeoutMs` (never forwarded) bounds an app that never answers.
  async function runNative(name, params) {
    const { timeoutMs, ...forwarded } = params;
    const refused = timeoutMs === undefined ? undefined : badTimeout(timeoutMs, name);
    if (refused) return refused;
    let timer;
    try {
      const answer = state.bridge
        ? Promise.resolve(state.bridge(name, forwarded))
        : app.call(name, forwarded, timeoutMs);
      if (!answer)
        return failure(
          'NOT_IN_APP',
          `${name} is a Yunzhijia app function: the page is not running inside the Yunzhijia app (qing.isInApp() is false)`,
        );
      const bounded =
        timeoutMs === undefined
          ? answer
          : Promise.race([
              answer,
              new Promise((resolve) => {
                timer = setTimeout(
                  () => resolve(failure('TIMEOUT', `the app did not answer ${name} within ${timeoutMs} ms`)),
                  timeoutMs,
                );
              }),
            ]);
      const raw = await bounded;
      if (typeof raw !== 'string') return raw;
      try {
        return JSON.parse(raw);
      } catch (_) {
        return raw;
      }
    } catch (e) {
      return failure('NOT_IN_APP', `the app bridge failed for ${name}: ${why(e)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  const invalid = (field, message) => new WorkbridgeError({ code: 'INVALID_ARGUMENT', field, message });

  function configure(config) {
    if (config !== undefined && config !== null && (typeof config !== 'object' || Array.isArray(config)))
      throw invalid(
        'config',
        'qing.config: `config` must be an object such as { relay } or { yunzhijia: {...}, cam: {...} }',
      );
    let c;
    try {
      // A copy: a getter that throws, or a Proxy, fails here rather than half-way through.
      c = { ...(config || {}) };
    } catch (e) {
      throw invalid('config', `qing.config: \`config\` cannot be read: ${why(e)}`);
    }
    // A misspelt key (`relai`, `Cam`) would leave the page without what it configured.
    const known = SERVER_KEYS.concat(VENDORS, PAGE_KEYS);
    const stray = Object.keys(c).find((k) => !known.includes(k));
    if (stray !== undefined)
      throw invalid(stray, `qing.config: \`${stray}\` is not a name here; known: ${known.join(', ')}`);
    if (c.relay !== undefined) checkRelay(c.relay, root);
    if (c.lang !== undefined && !langOf(c.lang)) throw invalid('lang', "qing.config: `lang` must be 'zh' or 'en'");
    for (const k of ['jsApiList', 'jsEventList'])
      if (c[k] !== undefined && !(Array.isArray(c[k]) && c[k].every((n) => typeof n === 'string')))
        throw invalid(k, `qing.config: \`${k}\` must be an array of names`);
    if (c.fetch !== undefined && typeof c.fetch !== 'function')
      throw invalid('fetch', 'qing.config: `fetch` must be a function');
    // A config of qing.js's keys alone (the vendor's README starts with one) leaves the relay and
    // the vendors as they were; one that names any of the package's sets them all anew.
    const server = config === undefined || config === null || SERVER_KEYS.concat(VENDORS).some((k) => k in c);
    if (server) {
      const options = {};
      for (const k of VENDORS) if (c[k] !== undefined) options[k] = c[k];
      state.options = options;
      state.relay = c.relay;
      state.fetch = c.fetch;
      // Sign-on with a relay: the ticket given, or the one in the page's URL.
      state.ticket = c.relay
        ? c.ticket !== undefined
          ? String(c.ticket)
          : c.relayToken
            ? undefined
            : ticketOfPage(root)
        : undefined;
      state.session = undefined;
      state.relayHeaders = c.relayToken ? { Authorization: `Bearer ${c.relayToken}` } : {};
      // The vendor clients load now, while the page goes on, rather than at the first call.
      if (!c.relay && Object.keys(options).length && !state.servers && load) load().catch(() => {});
    }
    if (c.lang !== undefined) state.lang = langOf(c.lang);
    if (c.debug !== undefined) qing.debug = Boolean(c.debug);
    if (c.jsApiList) qing.jsApiList = c.jsApiList.slice();
    // qing.js dispatches each of these events on the document too, with the app's data as `data`.
    for (const name of c.jsEventList || []) {
      if (documentEvents.includes(name)) continue;
      documentEvents.push(name);
      on(name, (data) => {
        const doc = root.document;
        if (!doc || typeof doc.createEvent !== 'function') return;
        const event = doc.createEvent('HTMLEvents');
        event.initEvent(name, false, false);
        event.data = data;
        doc.dispatchEvent(event);
      });
    }
  }

  // A handler is a function, or, as the vendor's README writes one, an object of callbacks.
  function handlerOf(fn) {
    if (typeof fn === 'function') return fn;
    if (fn && typeof fn === 'object')
      return (data) => {
        if (typeof fn.success === 'function') fn.success(data);
        if (typeof fn.complete === 'function') fn.complete(data);
      };
    return undefined;
  }
  function on(name, fn) {
    const handler = handlerOf(fn);
    if (typeof name !== 'string' || !handler) return;
    if (!listeners.has(name)) {
      listeners.set(name, []);
      app.on(name, (data) => {
        for (const [, h] of (listeners.get(name) || []).slice()) {
          try {
            h(data);
          } catch (e) {
            console.error(`qing.on('${name}') handler threw:`, e);
          }
        }
      });
    }
    listeners.get(name).push([fn, handler]);
  }
  function off(name, fn) {
    const list = listeners.get(name);
    if (!list) return;
    if (fn === undefined) list.length = 0;
    else {
      const at = list.findIndex(([f]) => f === fn);
      if (at >= 0) list.splice(at, 1);
    }
  }

  // Whether `name` can be called here: a server operation always (a relay or a vendor client
  // runs it), a name of the app inside the app.
  function supported(name) {
    if (typeof name !== 'string') return false;
    if (resolveName(name)) return true;
    if (name.includes('.') && !app.isCloudHub(name)) return false;
    return Boolean(state.bridge) || isInApp();
  }

  const qing = {
    /** The package's version; qing.js (loaded after) sees it and leaves this qing alone. */
    version,
    debug: false,
    jsApiList: [],
    /** Whether the page runs in a Yunzhijia client that has the bridge (its user agent says so). */
    isSupportNativeJsBridge: app.client.inApp,
    /** The client's bridge version from its user agent (`Qing/0.9.59` gives '0.9.59'). */
    nativeJsBridgeVersion: app.client.version,
    /**
     * Options per vendor ({cam, yunzhijia, xuanxuan, ytx}), or `relay: url` to send server
     * operations through a relay; qing.js's `debug`, `jsApiList`, `jsEventList`; `lang`.
     */
    config: configure,
    /** Runs `fn` once the page can call the app (at once: the package needs no handshake). */
    ready(fn) {
      if (typeof fn === 'function') fn();
      return Promise.resolve(qing);
    },
    on,
    off,
    once(name, fn) {
      const handler = handlerOf(fn);
      if (!handler) return;
      const one = (data) => {
        off(name, one);
        handler(data);
      };
      on(name, one);
    },
    /** qing.js's shorthand for `qing.on('error', fn)`. */
    error(fn) {
      on('error', fn);
    },
    /** Whether the client's bridge version is `target` or newer (qing.js's checkVersion). */
    checkVersion(target) {
      if (typeof target !== 'string' && typeof target !== 'number')
        throw invalid('version', "qing.checkVersion: `version` must be a version such as '0.9.50'");
      const have = String(app.client.version || '0').split('.');
      const want = String(target).split('.');
      for (let i = 0; i < Math.max(have.length, want.length); i++) {
        const h = parseInt(have[i], 10) || 0;
        const w = parseInt(want[i], 10) || 0;
        if (h !== w) return h > w;
      }
      return true;
    },
    /**
     * `checkJsApi({jsApiList, success, complete})` answers `{success: true, data: {name: bool}}`
     * (the names also at the top level, as qing.js's README shows); `checkJsApi(name)` a boolean.
     */
    checkJsApi(arg) {
      if (typeof arg === 'string') return supported(arg);
      let list = [];
      const callbacks = [];
      try {
        if (arg && typeof arg === 'object') {
          if (Array.isArray(arg.jsApiList)) list = arg.jsApiList.slice();
          for (const k of ['success', 'complete']) if (typeof arg[k] === 'function') callbacks.push([k, arg[k]]);
        }
      } catch (e) {
        throw invalid('jsApiList', `qing.checkJsApi: the query cannot be read: ${why(e)}`);
      }
      // Names are strings; anything else is no API of this page.
      const names = list.filter((n) => typeof n === 'string');
      const data = {};
      for (const n of names) data[n] = supported(n);
      const res = { ...data, success: true, code: 200, errMsg: '', data };
      for (const [k, f] of callbacks) {
        try {
          f(res);
        } catch (e) {
          console.error(`qing.checkJsApi ${k} callback threw:`, e);
        }
      }
      return names.length === list.length && names.every((n) => data[n]);
    },
    /**
     * Runs `name` with `params`. A success goes to `success`; a failure to `error` when one is
     * given, else to `success` (pages written from the vendor's docs pass only `success` and
     * check `result.success == 'true'`); `complete` runs last. Each runs once. The promise
     * resolves with the same `{success: 'true' | 'false', errorCode, error, data}` and never rejects.
     */
    call(name, params) {
      const all = params && typeof params === 'object' ? params : {};
      const callbacks = {};
      const clean = {};
      // A getter that throws (or a revoked Proxy) is answered as a failure, to the callbacks
      // read before it: qing.call never throws, and its promise never rejects.
      let unreadable;
      let keys = [];
      try {
        keys = Object.keys(all);
      } catch (e) {
        unreadable = e;
      }
      for (const k of keys) {
        let v;
        try {
          v = all[k];
        } catch (e) {
          if (unreadable === undefined) unreadable = e;
          continue;
        }
        if (CALLBACKS.includes(k) && typeof v === 'function') callbacks[k] = v;
        else if (typeof v !== 'function') clean[k] = v;
      }
      const run = async () => {
        if (unreadable !== undefined)
          return failure('INVALID_ARGUMENT', `qing.call: the params could not be read: ${why(unreadable)}`, {
            field: 'params',
          });
        if (typeof name !== 'string' || name === '') return failure(404, 'qing.call needs an operation name');
        if (!name.includes('.') || app.isCloudHub(name)) return runNative(name, clean);
        const target = resolveName(name);
        if (!target) return failure(404, `no such operation: ${name}`);
        return runServer(target, clean);
      };
      return run().then((raw) => {
        const res = OURS.has(raw) ? localize(raw, lang()) : raw;
        if (qing.debug) {
          try {
            console.log(`[workbridge qing] ${name}: success ${res && res.success} ${(res && res.errorCode) || ''}`);
          } catch (_) {
            /* no console */
          }
        }
        // A throwing callback is the caller's bug: reported, never turned into a rejection.
        const report = (f) => {
          if (f) {
            try {
              f(res);
            } catch (e) {
              console.error('qing.call callback threw:', e);
            }
          }
        };
        report(succeeded(res) || !callbacks.error ? callbacks.success : callbacks.error);
        report(callbacks.complete);
        return res;
      });
    },
    /** Whether the page runs inside the Yunzhijia app (user agent `Qing/x.y`, or its bridge). */
    isInApp,
    /** Installs a bridge `(name, params) => result | Promise<result>` for native names (tests, the demo). */
    setBridge(fn) {
      state.bridge = typeof fn === 'function' ? fn : undefined;
    },
  };

  // Inside the app the page answers the app from the start, whoever calls first.
  try {
    app.install();
  } catch (_) {
    /* a page that locked window's properties: calls through its own bridge still work */
  }

  return {
    qing,
    WorkbridgeError,
    failed,
    ok,
    failure,
    /** Plugs in the runner of server operations with vendor clients. */
    plug(servers) {
      state.servers = servers;
    },
  };
}
