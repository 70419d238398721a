// The public JS classes over the wasm exports. Format-neutral on purpose (no import/export):
// build.mjs wraps it into the CommonJS entry and the browser ES module, so both share one text.
// Methods are derived from the vendors' operation tables, not listed here: `tables` is what
// build.mjs puts in each entry, `{vendor: [{name, kind, positional, params: [{name, type,
// required}]}]}` for the entry's vendors (the docs stay in operations.json, see tables.mjs).

// `shared`: the qing base the classic-script global's light part made, if any.
// `loading`, in the browser entries only: a promise that settles once the wasm is instantiated.
// They fetch it after import rather than awaiting it at the top level, which some bundle formats
// cannot hold (esbuild's iife): until it is there, a client is constructed with its options
// kept, made in the wasm at its first call (which waits for it), and the synchronous functions
// that need the wasm throw NOT_READY (await `ready` first). The other entries have it at once.
function makeWorkbridge(wasm, tables, shared, loading) {
  const IO = WB_IO;
  let loaded = loading === undefined;
  let loadError;
  // The qing module (src/qing/): given by the classic-script global, whose light part came first,
  // so that its qing and WorkbridgeError are the ones every later part uses; made here otherwise.
  const base = shared || wbQing.makeBase(wbNames(tables), WB_VERSION);
  const { WorkbridgeError } = base;
  // getAPIClient()'s client: the first CAMAPIClient constructed, as in the seed's samples,
  // until setAPIClient replaces it.
  let defaultClient;
  const OPERATIONS = tables;

  // Whatever a wasm call threw becomes a WorkbridgeError; nothing else reaches the caller.
  function toError(e, vendor, operation) {
    if (e instanceof WorkbridgeError) return e;
    // The wasm rejects with plain objects {code, message, retryable, …}.
    if (e && typeof e === 'object' && typeof e.code === 'string' && typeof e.retryable === 'boolean')
      return new WorkbridgeError(e);
    const why = wbWhy(e);
    return new WorkbridgeError({
      code: 'INTERNAL',
      vendor,
      operation,
      message: `${vendor}.${operation}: internal error: ${why}`,
    });
  }

  // Before the wasm is there (a browser entry just imported), or when it could not be loaded.
  function notReady(vendor, operation) {
    return (
      loadError ??
      new WorkbridgeError({
        code: 'NOT_READY',
        vendor,
        operation,
        retryable: true,
        message: `${vendor}.${operation}: the WebAssembly module is still loading: await \`ready\` (or any client call) first`,
      })
    );
  }
  function needWasm(vendor, operation) {
    if (!loaded) throw notReady(vendor, operation);
  }

  function invalid(vendor, operation, field, detail) {
    return new WorkbridgeError({
      code: 'INVALID_ARGUMENT',
      vendor,
      operation,
      field,
      message: `${vendor}.${operation}: \`${field}\` ${detail}`,
    });
  }

  // batch, limits and sync's lease (bulk.js), over this facade's own call and checks.
  const BULK = wbBulk({ invalid, toError, WorkbridgeError, call, handleOf, encode, gateOf: (c) => GATES.get(c) });

  // Params to JSON: Dates become Unix ms; an invalid Date, a NaN or infinite number, a BigInt, a
  // function where a parameter belongs, or a cycle is refused with the field named (JSON would
  // turn most of them into null and the error would say "is required"). Constructor options
  // keep their functions (fetch, onEvent, ...) out of the JSON. The common case, a flat object
  // of plain values, takes JSON.stringify's fast path.
  function encode(value, vendor, operation) {
    const json = encodeJSON(value, vendor, operation);
    // A lone surrogate (half of a UTF-16 pair) cannot become UTF-8: it would arrive as U+FFFD, a
    // mangled address or text. JSON.stringify escapes it (\udxxx) and writes whole pairs as they
    // are, so the JSON text says whether there is one; only then are the params walked for it.
    if (json.includes('\\ud') && /(?:^|[^\\])(?:\\\\)*\\ud[89a-f]/.test(json))
      throw invalid(
        vendor,
        operation,
        loneField(value, '') || 'params',
        'contains a lone surrogate (half of a UTF-16 pair), which no UTF-8 text can carry',
      );
    return json;
  }
  function loneField(v, path) {
    if (typeof v === 'string')
      return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(v) ? path : undefined;
    if (v && typeof v === 'object')
      for (const k of Object.keys(v)) {
        const f = loneField(v[k], Array.isArray(v) ? `${path}[${k}]` : path ? `${path}.${k}` : k);
        if (f !== undefined) return f;
      }
    return undefined;
  }
  function encodeJSON(value, vendor, operation) {
    if (value === undefined || value === null) return 'null';
    if (typeof value === 'symbol' || typeof value === 'function')
      throw invalid(vendor, operation, 'params', 'must be an object of parameters');
    if (typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
      let plain = true;
      for (const k in value) {
        const v = value[k];
        const t = typeof v;
        if (
          t === 'bigint' ||
          t === 'function' ||
          (t === 'number' && !Number.isFinite(v)) ||
          (t === 'object' && v !== null && !Array.isArray(v))
        ) {
          plain = false;
          break;
        }
      }
      if (plain) {
        try {
          return JSON.stringify(value);
        } catch {
          /* a BigInt inside an array: find it below */
        }
      }
    }
    let bad;
    const refuse = (key, why) => {
      bad = [key, why];
      throw new TypeError(why);
    };
    try {
      return JSON.stringify(value, function (key, v) {
        const raw = this[key];
        if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? refuse(key, 'is an invalid Date') : raw.getTime();
        if (typeof v === 'bigint') refuse(key, 'cannot be a BigInt: pass a number or a string of digits');
        if (typeof v === 'number' && !Number.isFinite(v)) refuse(key, `must be a finite number, got ${v}`);
        if (typeof v === 'function' && key !== '' && operation !== 'constructor') refuse(key, 'cannot be a function');
        return v;
      });
    } catch (e) {
      throw invalid(
        vendor,
        operation,
        bad ? bad[0] || 'params' : 'params',
        bad ? bad[1] : 'cannot be encoded as JSON (a cycle?)',
      );
    }
  }

  // The optional last argument of every method: { signal, timeoutMs, maxRetries }.
  const NO_OPTIONS = [undefined, undefined];
  function callOptions(opts, vendor, operation) {
    if (opts === undefined || opts === null) return NO_OPTIONS;
    if (typeof opts !== 'object')
      throw invalid(
        vendor,
        operation,
        'options',
        'must be an object such as { signal, timeoutMs, deadlineMs, maxRetries, maxResponseBytes }',
      );
    const { signal, ...rest } = opts;
    // Anything but an AbortSignal would be read as "aborted" and crash a later listener call.
    if (
      signal != null &&
      !(
        typeof signal === 'object' &&
        typeof signal.aborted === 'boolean' &&
        typeof signal.addEventListener === 'function' &&
        typeof signal.removeEventListener === 'function'
      )
    ) {
      throw invalid(
        vendor,
        operation,
        'signal',
        'must be an AbortSignal (from an AbortController, or AbortSignal.timeout())',
      );
    }
    return [encode(rest, vendor, operation), signal ?? undefined];
  }

  // onEvent behind a wrapper that takes the event as JSON from the wasm and can neither throw
  // into it nor leave a rejected promise behind: an observer never breaks a call. A hook that
  // fails is reported on stderr once per client.
  function eventHook(onEvent, vendor) {
    if (onEvent === undefined || onEvent === null) return undefined;
    if (typeof onEvent !== 'function')
      throw invalid(vendor, 'constructor', 'onEvent', 'must be a function (event) => void');
    let reported = false;
    const report = (e) => {
      if (reported) return;
      reported = true;
      // Its name only: a hook's message may quote the event or anything else the hook holds.
      try {
        console.error(
          `workbridge: the onEvent hook of a ${vendor} client threw ${e && e.name ? e.name : typeof e} (calls go on; reported once; its message is not printed, as it may quote call data)`,
        );
      } catch (_) {
        /* no console */
      }
    };
    return (json) => {
      try {
        const r = onEvent(JSON.parse(json));
        if (r && typeof r.then === 'function') r.then(undefined, report);
      } catch (e) {
        report(e);
      }
    };
  }

  // tokenStore behind an adapter whose every call settles within STORE_CALL_MS with
  // [true, value] or [false, 'TIMEOUT' | 'STORE_ERROR', message], whatever the store does
  // (throws, rejects, hangs): the wasm then goes on without it and reports a store-error.
  const STORE_CALL_MS = 1000;
  function storeAdapter(store, vendor) {
    if (store === undefined || store === null) return undefined;
    const has = (k) => typeof store[k] === 'function';
    if (typeof store !== 'object' || !has('get') || !has('set') || (store.lock != null && !has('lock'))) {
      throw invalid(
        vendor,
        'constructor',
        'tokenStore',
        'must be { get(key), set(key, token, ttlMs), lock?(key, ttlMs) }, each returning a promise',
      );
    }
    const why = (e) => {
      try {
        return e && e.message ? String(e.message) : String(e);
      } catch (_) {
        return 'the store failed';
      }
    };
    const bounded = (run) =>
      new Promise((resolve) => {
        const timer = setTimeout(
          () => resolve([false, 'TIMEOUT', `no answer within ${STORE_CALL_MS} ms`]),
          STORE_CALL_MS,
        );
        const done = (v) => {
          clearTimeout(timer);
          resolve(v);
        };
        new Promise((r) => r(run())).then(
          (v) => done([true, v]),
          (e) => done([false, 'STORE_ERROR', why(e)]),
        );
      });
    return {
      hasLock: has('lock'),
      get: (key) => bounded(() => store.get(key)),
      set: (key, token, ttlMs) => bounded(() => store.set(key, token, ttlMs)),
      lock: (key, ttlMs) => bounded(() => store.lock(key, ttlMs)),
      unlock: (release) => bounded(() => release()),
    };
  }

  function construct(vendor, options, self) {
    if (options === null || typeof options !== 'object')
      throw invalid(vendor, 'constructor', 'options', 'must be an object');
    try {
      // The hook and the stores are live objects (a Redis client inside, cycles): never encoded.
      const { onEvent, tokenStore, limits, ...plain } = options;
      // Other functions would vanish from the JSON, and a misspelt `onevent` with them: the wasm
      // sees the name (and refuses it unless it is fetch, or Yunzhijia's accessToken function).
      for (const k in plain)
        if (typeof plain[k] === 'function' && k !== 'fetch' && k !== 'accessToken') plain[k] = true;
      // The gate of the client's limits; every answer passes its fetch, so that a 429's
      // Retry-After pauses every call (bulk.js).
      const base = String(plain.serverURL ?? plain.baseURL ?? '');
      const gate = BULK.makeGate(vendor, limits, `${vendor}:${base}`);
      const fetchFn = BULK.observedFetch(options.fetch ?? globalThis.fetch, gate);
      const tokenProvider = typeof options.accessToken === 'function' ? options.accessToken : undefined;
      const hook = eventHook(onEvent, vendor);
      const store = storeAdapter(tokenStore, vendor);
      const handle = new wasm.Client(
        vendor,
        encode(plain, vendor, 'constructor'),
        fetchFn,
        tokenProvider,
        IO,
        hook,
        store,
      );
      GATES.set(self, gate);
      SCOPES.set(self, { base, eid: plain.eid });
      return handle;
    } catch (e) {
      // The wasm's own refusals become WorkbridgeErrors; anything else was the options object
      // itself failing to be read (a getter that throws, a Proxy).
      const err = toError(e, vendor, 'constructor');
      throw err.code === 'INTERNAL' ? invalid(vendor, 'constructor', 'options', `cannot be read: ${err.message}`) : err;
    }
  }

  // The wasm handle of each client, out of reach of user code: a handle on the instance could be
  // handed garbage, and a wasm-bindgen object given garbage traps the whole module.
  const HANDLES = new WeakMap();
  // Each client's gate (its limits, and the pause a 429 starts) and what names its keys in a store.
  const GATES = new WeakMap();
  const SCOPES = new WeakMap();
  // The clients constructed before the wasm was there: {options}, or {error} once making one in
  // the wasm refused them (every call then rejects with that error, as the constructor would
  // have thrown it).
  const PENDING = new WeakMap();
  function handleOf(self, vendor, operation) {
    const h = HANDLES.get(self);
    if (h) return h;
    const pending = PENDING.get(self);
    if (!pending)
      throw invalid(vendor, operation, 'this', 'must be a client made with `new`: call the method on the client');
    needWasm(vendor, operation);
    if (pending.error) throw pending.error;
    try {
      return made(self, construct(vendor, pending.options, self));
    } catch (e) {
      pending.error = e;
      throw e;
    }
  }
  function made(self, handle) {
    HANDLES.set(self, handle);
    PENDING.delete(self);
    return handle;
  }

  // `at`: the operation's place in the vendor's table, which is how the wasm is told of it.
  // A client with `limits` waits for its gate first.
  function call(self, vendor, operation, at, params, opts) {
    if (!loaded && PENDING.has(self)) return ready.then(() => call(self, vendor, operation, at, params, opts));
    // Made in the wasm now, so that its limits (below) hold from its first call.
    if (PENDING.has(self))
      try {
        handleOf(self, vendor, operation);
      } catch (e) {
        return Promise.reject(toError(e, vendor, operation));
      }
    const gate = GATES.get(self);
    if (gate !== undefined && gate.gated) {
      let signal;
      try {
        signal = opts && typeof opts === 'object' ? opts.signal : undefined;
      } catch (e) {
        signal = undefined;
      }
      return gate.run(() => callNow(self, vendor, operation, at, params, opts), signal, operation);
    }
    return callNow(self, vendor, operation, at, params, opts);
  }
  // A 429 that the call could not wait out (a Retry-After past its deadline, or its retries
  // spent) says how long the server asked to wait: what is left of the client's pause.
  function withRetryAfter(self, e) {
    if (e.status === 429) {
      const gate = GATES.get(self);
      const left = gate === undefined ? 0 : gate.pausedUntil - Date.now();
      if (left > 0) e.retryAfterMs = Math.ceil(left);
    }
    return e;
  }
  function callNow(self, vendor, operation, at, params, opts) {
    try {
      const client = handleOf(self, vendor, operation);
      const [optsJson, signal] = callOptions(opts, vendor, operation);
      // Checked and prepared at once (a refusal throws here, nothing sent); `wbDrive` steps the
      // call attempt by attempt. A call that must first get a Yunzhijia token is run by the wasm
      // as a whole.
      const id = client.start(at, encode(params, vendor, operation), optsJson, signal);
      const fail = (e) => withRetryAfter(self, toError(e, vendor, operation));
      return id >= 0
        ? wbDrive(client, id, signal, fail)
        : client.run(-1 - id).then(undefined, (e) => {
            throw fail(e);
          });
    } catch (e) {
      return Promise.reject(toError(e, vendor, operation));
    }
  }

  function positional(op, args) {
    const params = {};
    op.params.forEach((p, i) => {
      if (args[i] !== undefined) params[p.name] = args[i];
    });
    return params;
  }

  // A client class for `vendor`, its methods derived from the vendor's operation table:
  // positional ones (the CAM client, `getChatUsers(gid?)`) map arguments to params by name,
  // the others take one params object; either way an options object may follow. Dotted names
  // (`meeting.create`) become methods of per-area objects (`client.meeting.create(p)`).
  function clientClass(vendor, className) {
    const ops = OPERATIONS[vendor];
    // A per-vendor build (workbridge/cam, ...) has the tables of its own vendor only.
    if (!ops) return undefined;
    const argsOf = (op, args) => (op.positional ? [positional(op, args), args[op.params.length]] : [args[0], args[1]]);
    // More arguments than the method takes is a mistake (a shifted argument, a stray value):
    // refused rather than dropped.
    const tooMany = (op, n) =>
      Promise.reject(invalid(vendor, op.name, 'arguments', `takes at most ${n} arguments (its params, then options)`));
    const method = (op) => {
      const most = op.positional ? op.params.length + 1 : 2;
      const at = ops.indexOf(op);
      return function (...args) {
        if (args.length > most) return tooMany(op, most);
        const [params, opts] = argsOf(op, args);
        return call(this, vendor, op.name, at, params, opts);
      };
    };
    // The area methods (`meeting.create`) with each one's place in the table, found once.
    const areas = ops.map((op, at) => [op, at]).filter(([op]) => op.name.includes('.'));
    const C = {
      [className]: class {
        constructor(options) {
          if (loaded) made(this, construct(vendor, options, this));
          else if (options === null || typeof options !== 'object')
            throw invalid(vendor, 'constructor', 'options', 'must be an object');
          // Read when the wasm is there, at its first call: the wasm checks them then.
          else PENDING.set(this, { options });
          for (const [op, at] of areas) {
            const [area, name] = op.name.split('.');
            this[area] ??= {};
            const f = method(op);
            // The params object and options, passed straight on: no rest array, apply or
            // destructuring on every call.
            const self = this;
            this[area][name] = op.positional
              ? (...args) => f.apply(this, args)
              : function (params, opts) {
                  return arguments.length > 2 ? tooMany(op, 2) : call(self, vendor, op.name, at, params, opts);
                };
          }
          if (vendor === 'yunzhijia') this.roomBook.sync = (p, o) => roomBookSync(this, p, o);
          if (vendor === 'cam' && !defaultClient) defaultClient = this;
        }
      },
    }[className];
    for (const op of ops) if (!op.name.includes('.')) C.prototype[op.name] = method(op);
    /** One write per item, `concurrency` at a time; resolves with {total, delivered, unknown, notSent, refused}. */
    C.prototype.batch = function (operation, items, options) {
      try {
        return BULK.batch(this, vendor, ops, operation, items, options).then(undefined, (e) => {
          throw toError(e, vendor, 'batch');
        });
      } catch (e) {
        return Promise.reject(toError(e, vendor, 'batch'));
      }
    };
    /** The request `operation` would send, credentials masked; nothing is sent. */
    C.prototype.dryRun = function (operation, ...args) {
      const op = ops.find((o) => o.name === operation);
      if (!op) throw invalid(vendor, 'dryRun', 'operation', `names no operation of ${vendor}`);
      try {
        return JSON.parse(
          handleOf(this, vendor, operation).dryRun(operation, encode(argsOf(op, args)[0], vendor, operation)),
        );
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
  // With `{store}` the cursor lives in the store and a lease is held there while it runs: a
  // second poller yields nothing while the first holds it, and takes over once it ends or dies
  // (its lease expires after `leaseMs`). A page's cursor is saved when the next page is asked
  // for (or the run ends), so a page whose handling was cut short is seen again, by whichever
  // poller runs next; the bookings of the boundary millisecond already handled are not.
  async function* roomBookSync(client, params, opts) {
    let p;
    try {
      p = { ...(params ?? {}) };
    } catch (e) {
      throw invalid('yunzhijia', 'roomBook.sync', 'params', 'must be an object of parameters');
    }
    let callOpts = opts;
    let store;
    let leaseMs = 30_000;
    if (opts && typeof opts === 'object' && ('store' in opts || 'leaseMs' in opts)) {
      const { store: s, leaseMs: l, ...rest } = opts;
      callOpts = rest;
      if (s !== undefined) store = BULK.checkStore(s, 'yunzhijia', 'roomBook.sync', 'store', ['get', 'set', 'lock']);
      if (l !== undefined) {
        if (!Number.isSafeInteger(l) || l < 100)
          throw invalid('yunzhijia', 'roomBook.sync', 'leaseMs', 'must be a whole number of milliseconds from 100');
        leaseMs = l;
      }
    }
    const pageSize = p.pageSize ?? 50;
    if (!store) {
      yield* syncPages(client, p, pageSize, callOpts, undefined);
      return;
    }
    const scope = SCOPES.get(client) ?? {};
    const eid = p.eid ?? scope.eid;
    if (typeof eid !== 'string' && typeof eid !== 'number')
      throw invalid('yunzhijia', 'roomBook.sync', 'eid', 'is required with a store: it names the cursor');
    // Checked before the lease is taken: a refusal sends nothing and holds nothing.
    client.dryRun('roomBook.bookInfo', { ...p, pageIndex: 1, pageSize });
    const key = `workbridge:sync:yunzhijia:${scope.base ?? ''}:${eid}`;
    const lease = await BULK.takeLease(store, key, leaseMs, 'yunzhijia');
    if (!lease) return;
    const lost = () =>
      new WorkbridgeError({
        code: 'ABORTED',
        vendor: 'yunzhijia',
        operation: 'roomBook.sync',
        message: `roomBook.sync: the lease was lost to another poller (this one stalled for more than leaseMs, ${leaseMs} ms); its cursor was not saved`,
      });
    try {
      const [ok, text] = await BULK.bounded(() => store.get(`${key}:cursor`));
      if (!ok) throw invalid('yunzhijia', 'roomBook.sync', 'store', `failed: ${text}`);
      let cursor;
      try {
        cursor = text ? JSON.parse(text) : undefined;
      } catch (e) {
        cursor = undefined;
      }
      if (cursor && Number.isFinite(cursor.lastTime)) p.lastTime = cursor.lastTime;
      const done = cursor && Array.isArray(cursor.done) ? cursor.done : [];
      const save = async (page) => {
        if (lease.lost) throw lost();
        const value = JSON.stringify({ lastTime: page.lastTime, done: page.boundary });
        let mine = true;
        await BULK.underGuard(
          store,
          `${key}:lease`,
          (v) => {
            mine = v === lease.id;
            return undefined;
          },
          leaseMs,
          'yunzhijia',
        );
        if (!mine) {
          lease.lost = true;
          throw lost();
        }
        const [written, why] = await BULK.bounded(() => store.set(`${key}:cursor`, value, 400 * 86_400_000));
        if (!written) throw invalid('yunzhijia', 'roomBook.sync', 'store', `failed to save the cursor: ${why}`);
      };
      for await (const page of syncPages(client, p, pageSize, callOpts, done)) {
        if (!(await lease.confirm())) throw lost();
        const { boundary, ...shown } = page;
        yield shown;
        await save(page);
      }
    } finally {
      await lease.end();
    }
  }
  // The pages after p.lastTime. `done`: ids already handled at the cursor's boundary (left out);
  // each page also says which of its bookings sit on its own boundary (`boundary`), so a store
  // can keep them.
  async function* syncPages(client, p, pageSize, opts, done) {
    // The cursor as the request carries it: the wasm reads a Date, digits or an ISO date by its
    // one rule, and a lastTime it refuses is refused here, before anything is sent.
    let seen;
    if (p.lastTime !== undefined && p.lastTime !== null) {
      const sent = client.dryRun('roomBook.bookInfo', { ...p, pageIndex: p.pageIndex ?? 1, pageSize });
      seen = Number(JSON.parse(sent.body).lastTime);
    }
    const skip = new Set(done ?? []);
    const idOf = (item) => (item && item.orderId !== undefined ? String(item.orderId) : undefined);
    let latest;
    for (let pageIndex = p.pageIndex ?? 1; ; pageIndex++) {
      const page = await client.roomBook.bookInfo({ ...p, pageIndex, pageSize }, opts);
      let add = page?.add ?? [];
      let del = page?.delete ?? [];
      let newest;
      for (const item of add.concat(del)) {
        const t = Number(item?.updateTime);
        if (Number.isFinite(t) && (newest === undefined || t > newest)) newest = t;
      }
      const finished = add.length + del.length < pageSize;
      if (newest !== undefined)
        seen = finished ? Math.max(newest, seen ?? newest) : Math.max(newest - 1, seen ?? newest - 1);
      // An empty page after a full one: everything up to that page's newest was shown.
      else if (finished && latest !== undefined) seen = Math.max(latest, seen ?? latest);
      if (newest !== undefined) latest = Math.max(newest, latest ?? newest);
      if (done === undefined) {
        yield { add, delete: del, lastTime: seen };
      } else {
        if (skip.size) {
          const keep = (item) => !skip.has(idOf(item));
          add = add.filter(keep);
          del = del.filter(keep);
        }
        // What a resume from `seen` will be shown again: the bookings after it.
        const boundary = add
          .concat(del)
          .filter((item) => Number(item?.updateTime) > seen && idOf(item) !== undefined)
          .map(idOf)
          .concat([...skip].filter(() => !finished));
        yield { add, delete: del, lastTime: seen, boundary };
      }
      if (finished) return;
    }
  }
  /** The chat-history link of seed 004: `{mid, eid, baseURL?}`. */
  if (YunzhijiaClient)
    YunzhijiaClient.historyUrl = function historyUrl(params) {
      needWasm('yunzhijia', 'historyUrl');
      try {
        return wasm.yunzhijiaHistoryUrl(encode(params, 'yunzhijia', 'historyUrl'));
      } catch (e) {
        throw toError(e, 'yunzhijia', 'historyUrl');
      }
    };

  // The signing helpers, for users who check or build requests themselves.
  function strings(name, args, names) {
    names.forEach((n, i) => {
      if (typeof args[i] !== 'string')
        throw invalid(name === 'xuanxuanToken' ? 'xuanxuan' : 'ytx', name, n, 'must be a string');
    });
  }
  /** XuanXuan's token: md5(md5(query) + key), lowercase hex. */
  function xuanxuanToken(query, key) {
    strings('xuanxuanToken', [query, key], ['query', 'key']);
    needWasm('xuanxuan', 'xuanxuanToken');
    return wasm.xuanxuanToken(query, key);
  }
  /** YTX's Sign: MD5(accountSID + authToken + timestamp), 32 uppercase hex digits. */
  // YTX signs over a Beijing-time yyyyMMddHHmmss; any other text would give a Sign the server
  // refuses, or one computed over what the caller did not mean.
  function timestampOf(name, timestamp) {
    if (!/^[0-9]{14}$/.test(timestamp)) throw invalid('ytx', name, 'timestamp', 'must be yyyyMMddHHmmss (14 digits)');
  }
  function ytxSign(accountSID, authToken, timestamp) {
    strings('ytxSign', [accountSID, authToken, timestamp], ['accountSID', 'authToken', 'timestamp']);
    timestampOf('ytxSign', timestamp);
    needWasm('ytx', 'ytxSign');
    return wasm.ytxSign(accountSID, authToken, timestamp);
  }
  /** YTX's Authorization header: base64(accountSID + "|" + timestamp). */
  function ytxAuthorization(accountSID, timestamp) {
    strings('ytxAuthorization', [accountSID, timestamp], ['accountSID', 'timestamp']);
    timestampOf('ytxAuthorization', timestamp);
    needWasm('ytx', 'ytxAuthorization');
    return wasm.ytxAuthorization(accountSID, timestamp);
  }

  // ---- qing.call's server operations, with the vendor clients -------------------------------
  // `qing` itself (the page API, the app's protocol, the relay client) is the light module of
  // src/qing/; it hands server operations that a page runs with its own vendor options here.

  const CLASSES = { cam: CAMAPIClient, yunzhijia: YunzhijiaClient, xuanxuan: XuanxuanClient, ytx: YtxClient };
  // The clients qing.call made, for the options of the last qing.config (made anew with them).
  let qingClients = {};
  let qingOptions;

  function clientFor(vendor, options) {
    if (options !== qingOptions) {
      qingOptions = options;
      qingClients = {};
    }
    if (!qingClients[vendor]) {
      // qing.call hands results to page callbacks: secrets a server echoes in one are masked, as
      // in errors (a vendor option of `redactSecrets: false` turns that off).
      // Made for qing.call, not by the user: never getAPIClient()'s.
      const users = defaultClient;
      qingClients[vendor] = new CLASSES[vendor]({ redactSecrets: true, ...options[vendor] });
      defaultClient = users;
    }
    return qingClients[vendor];
  }

  async function runServerOperation(target, params, options) {
    const op = (OPERATIONS[target.vendor] || []).find((o) => o.name === target.name);
    if (!op || !CLASSES[target.vendor])
      return base.failure(404, `no such operation in this build: ${target.vendor}.${target.name}`);
    try {
      const client = clientFor(target.vendor, options);
      let data;
      if (op.name.includes('.')) {
        const [area, method] = op.name.split('.');
        data = await client[area][method](params);
      } else if (op.positional) {
        // Positional methods take params by name: an unknown name would be dropped on the way.
        const stray = Object.keys(params).find((k) => !op.params.some((p) => p.name === k));
        if (stray !== undefined)
          throw invalid(
            target.vendor,
            op.name,
            stray,
            `is not a parameter here; known: ${op.params.map((p) => p.name).join(', ') || 'none'}`,
          );
        data = await client[op.name](...op.params.map((p) => params[p.name]));
      } else {
        data = await client[op.name](params);
      }
      // CAM answers a refusal in its body (`errors`); a callback page must hear of it as a failure.
      const errors = target.vendor === 'cam' && data && data.errors;
      if (errors && (!Array.isArray(errors) || errors.length > 0)) {
        const text = Array.isArray(errors) ? errors.join('; ') : String(errors);
        return {
          ...base.failure('VENDOR_ERROR', `cam.${op.name}: the server refused: ${text}`, { vendorMessage: text }),
          data,
        };
      }
      return base.ok(data);
    } catch (e) {
      return base.failed(toError(e, target.vendor, target.name));
    }
  }
  base.plug(runServerOperation);
  const qing = base.qing;

  /** Sets the module-level client the seed's samples reach through getAPIClient(). */
  function setAPIClient(client) {
    if (!(client instanceof CAMAPIClient)) throw invalid('cam', 'setAPIClient', 'client', 'must be a CAMAPIClient');
    defaultClient = client;
  }
  function getAPIClient() {
    if (!defaultClient)
      throw invalid(
        'cam',
        'getAPIClient',
        'client',
        'is not set: construct a CAMAPIClient first (the first one is the default), or call setAPIClient(client)',
      );
    return defaultClient;
  }

  // Resolves with the API once the wasm is there; rejects with NOT_READY if it could not be
  // loaded. Marked handled, so that a page that never awaits it sees no unhandled rejection.
  const ready = loaded
    ? undefined
    : loading.then(
        () => {
          loaded = true;
          return api;
        },
        (e) => {
          loadError = new WorkbridgeError({
            code: 'NOT_READY',
            retryable: false,
            message: `workbridge: the WebAssembly module could not be loaded: ${wbWhy(e)}`,
          });
          throw loadError;
        },
      );
  if (ready) ready.catch(() => {});

  const api = {
    CAMAPIClient,
    YunzhijiaClient,
    XuanxuanClient,
    YtxClient,
    WorkbridgeError,
    setAPIClient,
    getAPIClient,
    qing,
    xuanxuanToken,
    ytxSign,
    ytxAuthorization,
    operations: OPERATIONS,
    /** For monitoring: the wasm memory in bytes (flat under load unless something leaks). */
    diagnostics: {
      wasmMemoryBytes: () => {
        needWasm('diagnostics', 'wasmMemoryBytes');
        return wasm.wasmMemoryBytes();
      },
      /** `{method, url, headers, body}` with every credential masked, as errors and logs mask them. */
      maskRequest(request) {
        let text;
        try {
          text = JSON.stringify(request ?? {});
        } catch (e) {
          text = undefined;
        }
        if (typeof text !== 'string')
          throw new WorkbridgeError({
            code: 'INVALID_ARGUMENT',
            field: 'request',
            message: 'diagnostics.maskRequest: `request` must be a JSON object {method, url, headers, body}',
          });
        needWasm('diagnostics', 'maskRequest');
        return JSON.parse(wasm.maskRequest(text));
      },
    },
  };
  if (ready) api.ready = ready;
  return api;
}

// The operation names of each vendor: all that qing's check of a name needs.
function wbNames(tables) {
  const names = {};
  for (const v of Object.keys(tables)) names[v] = tables[v].map((o) => o.name);
  return names;
}
