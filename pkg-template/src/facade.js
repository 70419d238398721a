// The JS classes of API.md over the wasm exports. Format-neutral on purpose (no import/export):
// build.mjs wraps it into the CommonJS entry and the browser ES module, so both share one text.
// Methods are derived from the vendors' operation tables (`wasm.operations()`), not listed here.

function makeWorkbridge(wasm) {
  const OPERATIONS = JSON.parse(wasm.operations());
  const CODES = new Set(JSON.parse(wasm.errorCodes()));

  /** Every failure of a workbridge call: `err.code` is one of the stable codes of API.md. */
  class WorkbridgeError extends Error {
    constructor(props) {
      super(props.message);
      this.name = 'WorkbridgeError';
      this.code = props.code;
      for (const key of ['vendor', 'operation', 'field', 'status', 'vendorCode', 'vendorMessage']) {
        if (props[key] !== undefined) this[key] = props[key];
      }
      this.retryable = Boolean(props.retryable);
    }
  }

  // Whatever a wasm call threw becomes a WorkbridgeError; nothing else reaches the caller.
  function toError(e, vendor, operation) {
    if (e instanceof WorkbridgeError) return e;
    if (e && typeof e === 'object' && CODES.has(e.code)) return new WorkbridgeError(e);
    const why = e instanceof Error ? e.message : String(e);
    return new WorkbridgeError({ code: 'BAD_RESPONSE', vendor, operation, message: `${vendor}.${operation}: internal error: ${why}` });
  }

  function invalid(vendor, operation, field, detail) {
    return new WorkbridgeError({ code: 'INVALID_ARGUMENT', vendor, operation, field, message: `${vendor}.${operation}: \`${field}\` ${detail}` });
  }

  // Params to JSON: Dates become Unix ms, functions (qing.call callbacks) are left out, and a
  // BigInt or a cycle is refused with the field named instead of a TypeError.
  function encode(value, vendor, operation) {
    let bad;
    let text;
    try {
      text = JSON.stringify(value === undefined ? null : value, function (key, v) {
        const raw = this[key];
        if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? 'Invalid Date' : raw.getTime();
        if (typeof v === 'bigint') { bad = key; throw new TypeError('bigint'); }
        return v;
      });
    } catch (e) {
      throw invalid(vendor, operation, bad || 'params', bad ? 'must be a number, not a BigInt' : 'cannot be encoded as JSON (a cycle?)');
    }
    return text;
  }

  // The optional last argument of every method: { signal, timeoutMs, maxRetries }.
  function callOptions(opts, vendor, operation) {
    if (opts === undefined || opts === null) return ['{}', undefined];
    if (typeof opts !== 'object') throw invalid(vendor, operation, 'options', 'must be an object such as { signal, timeoutMs }');
    const { signal, ...rest } = opts;
    return [encode(rest, vendor, operation), signal];
  }

  function construct(vendor, options) {
    if (options === null || typeof options !== 'object') throw invalid(vendor, 'constructor', 'options', 'must be an object');
    const fetchFn = options.fetch ?? globalThis.fetch;
    const tokenProvider = typeof options.accessToken === 'function' ? options.accessToken : undefined;
    try {
      return new wasm.Client(vendor, encode(options, vendor, 'constructor'), fetchFn, tokenProvider);
    } catch (e) {
      throw toError(e, vendor, 'constructor');
    }
  }

  function call(client, vendor, operation, params, opts) {
    try {
      const [optsJson, signal] = callOptions(opts, vendor, operation);
      return client.call(operation, encode(params, vendor, operation), optsJson, signal)
        .then(undefined, (e) => { throw toError(e, vendor, operation); });
    } catch (e) {
      return Promise.reject(toError(e, vendor, operation));
    }
  }

  function positional(op, args) {
    const params = {};
    op.params.forEach((p, i) => { if (args[i] !== undefined) params[p.name] = args[i]; });
    return params;
  }

  // A client class for `vendor`, its methods derived from the vendor's operation table:
  // positional ones (the CAM client, `getChatUsers(gid?)`) map arguments to params by name,
  // the others take one params object; either way an options object may follow. Dotted names
  // (`meeting.create`) become methods of per-area objects (`client.meeting.create(p)`).
  function clientClass(vendor, className) {
    const ops = OPERATIONS[vendor];
    const argsOf = (op, args) => (op.positional ? [positional(op, args), args[op.params.length]] : [args[0], args[1]]);
    const method = (op) => function (...args) {
      const [params, opts] = argsOf(op, args);
      return call(this._client, vendor, op.name, params, opts);
    };
    const areas = ops.filter((op) => op.name.includes('.'));
    const C = {
      [className]: class {
        constructor(options) {
          Object.defineProperty(this, '_client', { value: construct(vendor, options) });
          for (const op of areas) {
            const [area, name] = op.name.split('.');
            this[area] ??= {};
            const f = method(op);
            this[area][name] = (...args) => f.apply(this, args);
          }
          if (typeof this._sync === 'function' && this.roomBook) this.roomBook.sync = (p, o) => this._sync(p, o);
        }
      },
    }[className];
    for (const op of ops) if (!op.name.includes('.')) C.prototype[op.name] = method(op);
    /** The request `operation` would send, credentials masked; nothing is sent. */
    C.prototype.dryRun = function (operation, ...args) {
      const op = ops.find((o) => o.name === operation);
      if (!op) throw invalid(vendor, String(operation), 'operation', 'names no operation');
      try {
        return JSON.parse(this._client.dryRun(operation, encode(argsOf(op, args)[0], vendor, operation)));
      } catch (e) {
        throw toError(e, vendor, operation);
      }
    };
    return C;
  }

  /** Chat&Messenger, with the documented client's positional signatures (seed 000). */
  const CAMAPIClient = clientClass('cam', 'CAMAPIClient');
  /** XuanXuan 喧喧 (seed 002): every request signed with its md5 token. */
  const XuanxuanClient = clientClass('xuanxuan', 'XuanxuanClient');
  /** YTX 云通信 (seed 003): meeting query with its MD5 Sign and base64 Authorization. */
  const YtxClient = clientClass('ytx', 'YtxClient');

  /** Yunzhijia 云之家 (seeds 001, 004): `client.<area>.<name>(params)` for `…/<area>/<name>`. */
  const YunzhijiaClient = clientClass('yunzhijia', 'YunzhijiaClient');
  // roomBook.sync: every bookInfo page after lastTime, as an async iterator of
  // {add, delete, lastTime}. Persist the yielded lastTime and pass it next time: resuming from it
  // never loses a booking (the page boundary's own millisecond may be seen twice).
  YunzhijiaClient.prototype._sync = async function* (params, opts) {
    const p = params ?? {};
    const pageSize = p.pageSize ?? 50;
    let seen = p.lastTime instanceof Date ? p.lastTime.getTime() : (p.lastTime === undefined ? undefined : Number(p.lastTime));
    for (let pageIndex = p.pageIndex ?? 1; ; pageIndex++) {
      const page = await this.roomBook.bookInfo({ ...p, pageIndex, pageSize }, opts);
      const add = page?.add ?? [];
      const del = page?.delete ?? [];
      let newest;
      for (const item of add.concat(del)) {
        const t = Number(item?.updateTime);
        if (Number.isFinite(t) && (newest === undefined || t > newest)) newest = t;
      }
      const done = add.length + del.length < pageSize;
      if (newest !== undefined) seen = done ? Math.max(newest, seen ?? newest) : Math.max(newest - 1, seen ?? newest - 1);
      yield { add, delete: del, lastTime: seen };
      if (done) return;
    }
  };
  /** The chat-history link of seed 004: `{mid, eid, baseURL?}`. */
  YunzhijiaClient.historyUrl = function historyUrl(params) {
    try {
      return wasm.yunzhijiaHistoryUrl(encode(params, 'yunzhijia', 'historyUrl'));
    } catch (e) {
      throw toError(e, 'yunzhijia', 'historyUrl');
    }
  };


  // The signing helpers, for users who check or build requests themselves.
  function strings(name, args, names) {
    names.forEach((n, i) => {
      if (typeof args[i] !== 'string') throw invalid(name === 'xuanxuanToken' ? 'xuanxuan' : 'ytx', name, n, 'must be a string');
    });
  }
  /** XuanXuan's token: md5(md5(query) + key), lowercase hex. */
  function xuanxuanToken(query, key) { strings('xuanxuanToken', [query, key], ['query', 'key']); return wasm.xuanxuanToken(query, key); }
  /** YTX's Sign: MD5(accountSID + authToken + timestamp), 32 uppercase hex digits. */
  function ytxSign(accountSID, authToken, timestamp) { strings('ytxSign', [accountSID, authToken, timestamp], ['accountSID', 'authToken', 'timestamp']); return wasm.ytxSign(accountSID, authToken, timestamp); }
  /** YTX's Authorization header: base64(accountSID + "|" + timestamp). */
  function ytxAuthorization(accountSID, timestamp) { strings('ytxAuthorization', [accountSID, timestamp], ['accountSID', 'timestamp']); return wasm.ytxAuthorization(accountSID, timestamp); }

  let defaultClient;
  /** Sets the module-level client the seed's samples reach through getAPIClient(). */
  function setAPIClient(client) {
    if (!(client instanceof CAMAPIClient)) throw invalid('cam', 'setAPIClient', 'client', 'must be a CAMAPIClient');
    defaultClient = client;
  }
  function getAPIClient() {
    if (!defaultClient) throw invalid('cam', 'getAPIClient', 'client', 'is not set: call setAPIClient(new CAMAPIClient({ apiToken, serverURL })) first');
    return defaultClient;
  }

  return {
    CAMAPIClient, YunzhijiaClient, XuanxuanClient, YtxClient, WorkbridgeError, setAPIClient, getAPIClient,
    xuanxuanToken, ytxSign, ytxAuthorization, operations: OPERATIONS,
  };
}
