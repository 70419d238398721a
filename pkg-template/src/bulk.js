// Bulk and scheduled work, shared by every client: `client.batch` (one write per item, the exact
// report), the client's `limits` (a slot per call, a budget per minute, one pause for everyone on
// a 429's Retry-After, shared through a store across processes) and the lease of
// `roomBook.sync({eid}, {store})`. Format-neutral (no import/export), like facade.js: build.mjs
// puts it between transport.js and facade.js, and makeWorkbridge calls wbBulk with what it needs.
//
// The store interface is one for tokens, limits and leases:
//   get(key) -> Promise<string | null | undefined>
//   set(key, value, ttlMs) -> Promise<void>           (ttlMs a positive whole number)
//   lock?(key, ttlMs) -> Promise<(() => Promise<void>) | null>   (null when someone else holds it)
//   incr?(key, ttlMs) -> Promise<number>             (add 1, creating it at 1 with ttlMs; the new value)
// Limits with `perMinute` need `incr`; a lease needs `lock`; tokens need get and set.

function wbBulk(deps) {
  const { invalid, toError, WorkbridgeError, call, handleOf, encode } = deps;
  const STORE_MS = 1000;
  const now = () => Date.now();

  // A store call that settles within STORE_MS whatever the store does: [true, value] or
  // [false, why]. The caller decides what a failure means (a limiter goes on without it).
  function bounded(run) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve([false, `no answer within ${STORE_MS} ms`]), STORE_MS);
      new Promise((r) => r(run())).then(
        (v) => {
          clearTimeout(timer);
          resolve([true, v]);
        },
        (e) => {
          clearTimeout(timer);
          resolve([false, wbWhy(e)]);
        },
      );
    });
  }

  function checkStore(store, vendor, operation, field, needs) {
    const ok =
      store !== null &&
      typeof store === 'object' &&
      needs.every((k) => typeof store[k] === 'function') &&
      ['lock', 'incr'].every((k) => store[k] == null || typeof store[k] === 'function');
    if (!ok)
      throw invalid(
        vendor,
        operation,
        field,
        `must be a store { get(key), set(key, value, ttlMs), lock?(key, ttlMs), incr?(key, ttlMs) } with ${needs.join(', ')}`,
      );
    return store;
  }

  // One warning per client when its limits store fails: calls go on with the local limits.
  function warnOnce(state, what) {
    if (state.warned) return;
    state.warned = true;
    try {
      console.error(`workbridge: the limits store failed (${what}); calls go on with this process's own limits`);
    } catch (_) {
      /* no console */
    }
  }

  function abortError(vendor, operation) {
    return new WorkbridgeError({
      code: 'ABORTED',
      vendor,
      operation,
      message: `${vendor}.${operation}: aborted by the caller's signal while waiting for a slot; nothing was sent`,
    });
  }

  // Waits `ms`, or rejects when `signal` aborts.
  function sleep(ms, signal, vendor, operation) {
    return new Promise((resolve, reject) => {
      if (signal && signal.aborted) return reject(abortError(vendor, operation));
      let onAbort;
      const timer = setTimeout(() => {
        if (onAbort) signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      if (signal) {
        onAbort = () => {
          clearTimeout(timer);
          reject(abortError(vendor, operation));
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }

  // Retry-After as delta-seconds or an HTTP date, in ms from now; undefined if neither.
  function retryAfterMs(value) {
    if (typeof value !== 'string' || value.trim() === '') return undefined;
    const v = value.trim();
    if (/^\d+$/.test(v)) return Number(v) * 1000;
    const at = Date.parse(v);
    return Number.isFinite(at) ? Math.max(0, at - now()) : undefined;
  }

  // The most a pause lasts, whatever a server asks: a batch must not sleep for a day.
  const MAX_PAUSE_MS = 10 * 60_000;

  /**
   * A client's gate. Every client has one (a batch honours its pause); only a client with
   * `limits` sends its plain calls through it (`gated`).
   */
  function makeGate(vendor, limits, scope) {
    const gate = {
      gated: false,
      concurrency: Infinity,
      perMinute: undefined,
      store: undefined,
      active: 0,
      queue: [],
      pausedUntil: 0,
      // The budget of the current window, when it is counted here.
      window: -1,
      used: 0,
      warned: false,
      key: `workbridge:limits:${scope}`,
    };
    if (limits !== undefined && limits !== null) {
      if (typeof limits !== 'object' || Array.isArray(limits))
        throw invalid(vendor, 'constructor', 'limits', 'must be an object { concurrency?, perMinute?, store?, key? }');
      const stray = Object.keys(limits).find((k) => !['concurrency', 'perMinute', 'store', 'key'].includes(k));
      if (stray !== undefined)
        throw invalid(
          vendor,
          'constructor',
          `limits.${stray}`,
          'is not a limit; known: concurrency, perMinute, store, key',
        );
      const whole = (name, v) => {
        if (v === undefined) return undefined;
        if (!Number.isSafeInteger(v) || v < 1)
          throw invalid(vendor, 'constructor', `limits.${name}`, 'must be a whole number from 1');
        return v;
      };
      gate.concurrency = whole('concurrency', limits.concurrency) ?? Infinity;
      gate.perMinute = whole('perMinute', limits.perMinute);
      if (limits.store !== undefined && limits.store !== null)
        gate.store = checkStore(
          limits.store,
          vendor,
          'constructor',
          'limits.store',
          gate.perMinute !== undefined ? ['get', 'set', 'incr'] : ['get', 'set'],
        );
      if (limits.key !== undefined) {
        if (typeof limits.key !== 'string' || limits.key === '')
          throw invalid(vendor, 'constructor', 'limits.key', 'must be a non-empty string');
        gate.key = `workbridge:limits:${limits.key}`;
      }
      gate.gated = true;
      if (gate.perMinute !== undefined) {
        // Windows of `per` calls each, so that the budget is spread over the minute rather than
        // spent in its first second: windows of 100 ms or more (6000/min is 10 every 100 ms,
        // 30/min one every 2 s), short enough that a server's token bucket refills between them.
        gate.per = Math.ceil(gate.perMinute / 600);
        gate.windowMs = (60_000 * gate.per) / gate.perMinute;
      }
    }

    // A 429's Retry-After, seen by the client's fetch: every call of the client waits that long
    // (and, with a store, every process's).
    gate.note = (header) => {
      const ms = retryAfterMs(header);
      if (ms === undefined || ms <= 0) return;
      const until = now() + Math.min(ms, MAX_PAUSE_MS);
      if (until <= gate.pausedUntil) return;
      gate.pausedUntil = until;
      if (gate.store)
        bounded(() => gate.store.set(`${gate.key}:pause`, String(until), Math.ceil(until - now()) + 1)).then(
          ([ok, why]) => ok || warnOnce(gate, why),
        );
    };

    // Waits out the pause (this process's and the store's).
    gate.waitPause = async (signal, operation) => {
      for (;;) {
        if (gate.store) {
          const [ok, v] = await bounded(() => gate.store.get(`${gate.key}:pause`));
          if (!ok) warnOnce(gate, v);
          const until = ok && v != null ? Number(v) : NaN;
          if (Number.isFinite(until) && until > gate.pausedUntil)
            gate.pausedUntil = Math.min(until, now() + MAX_PAUSE_MS);
        }
        const wait = gate.pausedUntil - now();
        if (wait <= 0) return;
        await sleep(wait, signal, vendor, operation);
      }
    };

    // Waits for a share of the per-minute budget.
    const budget = async (signal, operation) => {
      for (;;) {
        const t = now();
        const window = Math.floor(t / gate.windowMs);
        let used;
        if (gate.store) {
          const [ok, v] = await bounded(() =>
            gate.store.incr(`${gate.key}:${window}`, Math.ceil(gate.windowMs) + 1000),
          );
          if (ok && Number.isFinite(Number(v))) used = Number(v);
          else warnOnce(gate, ok ? 'incr did not answer a number' : v);
        }
        if (used === undefined) {
          if (gate.window !== window) {
            gate.window = window;
            gate.used = 0;
          }
          used = ++gate.used;
        }
        if (used <= gate.per) return;
        // Spent: the next window, with a little jitter so that processes do not all come at once.
        const next = (window + 1) * gate.windowMs - now() + Math.random() * Math.min(50, gate.windowMs / 10);
        await sleep(Math.max(1, next), signal, vendor, operation);
      }
    };

    const release = () => {
      gate.active -= 1;
      const next = gate.queue.shift();
      if (next) next();
    };
    const slot = (signal, operation) =>
      new Promise((resolve, reject) => {
        if (signal && signal.aborted) return reject(abortError(vendor, operation));
        let onAbort;
        const take = () => {
          if (onAbort) signal.removeEventListener('abort', onAbort);
          gate.active += 1;
          resolve();
        };
        if (signal) {
          onAbort = () => {
            const at = gate.queue.indexOf(take);
            if (at >= 0) gate.queue.splice(at, 1);
            reject(abortError(vendor, operation));
          };
          signal.addEventListener('abort', onAbort, { once: true });
        }
        gate.queue.push(take);
      });

    // Runs `start` (a call) once the gate lets it: a slot, then no pause, then the budget.
    gate.run = (start, signal, operation) => {
      if (
        gate.active < gate.concurrency &&
        gate.queue.length === 0 &&
        gate.perMinute === undefined &&
        gate.store === undefined &&
        gate.pausedUntil <= now()
      ) {
        gate.active += 1;
        const p = start();
        p.then(release, release);
        return p;
      }
      return (async () => {
        if (gate.active < gate.concurrency && gate.queue.length === 0) gate.active += 1;
        else await slot(signal, operation);
        let p;
        try {
          await gate.waitPause(signal, operation);
          if (gate.perMinute !== undefined) await budget(signal, operation);
          p = start();
        } catch (e) {
          release();
          throw e;
        }
        p.then(release, release);
        return p;
      })();
    };
    return gate;
  }

  // The client's fetch, seeing every answer: a 429's Retry-After pauses the gate.
  function observedFetch(fetchFn, gate) {
    if (typeof fetchFn !== 'function') return fetchFn;
    return function (url, init) {
      return Promise.resolve(fetchFn(url, init)).then((res) => {
        if (res && res.status === 429) {
          try {
            gate.note(res.headers && typeof res.headers.get === 'function' ? res.headers.get('retry-after') : null);
          } catch (_) {
            /* an unreadable header pauses nothing */
          }
        }
        return res;
      });
    };
  }

  // ---- batch --------------------------------------------------------------------------------

  /** CAM answers a refusal in the body (`{"errors": [...]}`); null or an empty list means none. */
  function camErrors(body) {
    const errors = body && typeof body === 'object' ? body.errors : undefined;
    if (errors === undefined || errors === null || errors === '' || (Array.isArray(errors) && errors.length === 0))
      return undefined;
    return Array.isArray(errors) ? errors.map(String) : [String(errors)];
  }

  // Whether a failed write may have taken effect: only an answer that refused it (a 4xx, a vendor
  // refusal) or a request that provably never left means it did not.
  function mayHaveArrived(e) {
    if (!(e instanceof WorkbridgeError)) return true;
    if (typeof e.status === 'number' && e.status >= 500) return true;
    if (['INVALID_ARGUMENT', 'AUTH_FAILED', 'VENDOR_ERROR', 'FORBIDDEN'].includes(e.code)) return false;
    if (e.code === 'HTTP_ERROR' && typeof e.status === 'number') return false;
    if (e.code === 'NETWORK_ERROR' && e.retryable === true) return false;
    return true;
  }

  const ranges = (marks, want) => {
    const out = [];
    for (let i = 0; i < marks.length; i++) {
      if (marks[i] !== want) continue;
      const last = out[out.length - 1];
      if (last && last[1] + 1 === i) last[1] = i;
      else out.push([i, i]);
    }
    return out;
  };
  const count = (list) => list.reduce((n, [a, b]) => n + b - a + 1, 0);

  // Item states.
  const PENDING = 0;
  const DELIVERED = 1;
  const UNKNOWN = 2;
  const NOT_SENT = 3;
  const SKIPPED = 4;

  // An earlier report given as `from`: checked, and read into marks.
  function marksOfReport(report, total, vendor) {
    const bad = (why) => invalid(vendor, 'batch', 'from', why);
    if (report.total !== total)
      throw bad(`is a report of ${report.total} items, and this batch has ${total}: pass the same items`);
    const marks = new Uint8Array(total).fill(SKIPPED);
    for (const [name, mark] of [
      ['delivered', DELIVERED],
      ['unknown', UNKNOWN],
      ['notSent', NOT_SENT],
    ]) {
      const list = report[name];
      if (!Array.isArray(list)) throw bad(`is not a batch report: \`${name}\` must be a list of [from, to] ranges`);
      for (const r of list) {
        if (
          !Array.isArray(r) ||
          r.length !== 2 ||
          !Number.isSafeInteger(r[0]) ||
          !Number.isSafeInteger(r[1]) ||
          r[0] < 0 ||
          r[1] < r[0] ||
          r[1] >= total
        )
          throw bad(`is not a batch report: \`${name}\` holds ${JSON.stringify(r)}, not a range of item indices`);
        for (let i = r[0]; i <= r[1]; i++) marks[i] = mark;
      }
    }
    return marks;
  }

  const BATCH_OPTIONS = [
    'concurrency',
    'from',
    'chunk',
    'onProgress',
    'signal',
    'timeoutMs',
    'deadlineMs',
    'maxRetries',
  ];

  /**
   * `client.batch(operation, items, options)`: one write per item (CAM's sendMessages: one per
   * chunk of items), `concurrency` at a time; resolves with {total, delivered, unknown, notSent,
   * refused} whatever the server does; rejects only on bad input, before anything is sent.
   */
  async function batch(client, vendor, ops, operation, items, options) {
    const op = typeof operation === 'string' ? ops.find((o) => o.name === operation) : undefined;
    const writes = ops.filter((o) => o.kind === 'write').map((o) => o.name);
    if (!op || op.kind !== 'write')
      throw invalid(
        vendor,
        'batch',
        'operation',
        `${op ? `names a read (${operation}): batch runs writes` : `names no operation of ${vendor}`}; the writes: ${writes.join(', ') || 'none'}`,
      );
    handleOf(client, vendor, 'batch');
    if (!Array.isArray(items)) throw invalid(vendor, op.name, 'items', 'must be an array of params, one per write');
    const o = options ?? {};
    if (typeof o !== 'object' || Array.isArray(o))
      throw invalid(
        vendor,
        op.name,
        'options',
        'must be an object { concurrency?, from?, chunk?, onProgress?, signal? }',
      );
    const stray = Object.keys(o).find((k) => !BATCH_OPTIONS.includes(k));
    if (stray !== undefined)
      throw invalid(vendor, op.name, stray, `is not a batch option; known: ${BATCH_OPTIONS.join(', ')}`);
    const whole = (name, v, dflt, min) => {
      if (v === undefined) return dflt;
      if (!Number.isSafeInteger(v) || v < min)
        throw invalid(vendor, op.name, name, `must be a whole number from ${min}`);
      return v;
    };
    const concurrency = whole('concurrency', o.concurrency, 8, 1);
    const chunked = vendor === 'cam' && op.name === 'sendMessages';
    if (!chunked && o.chunk !== undefined)
      throw invalid(vendor, op.name, 'chunk', 'applies to cam sendMessages only (one item is one request elsewhere)');
    const chunk = chunked ? whole('chunk', o.chunk, 500, 1) : 1;
    if (o.onProgress !== undefined && typeof o.onProgress !== 'function')
      throw invalid(
        vendor,
        op.name,
        'onProgress',
        'must be a function ({done, total, delivered, unknown, notSent}) => void',
      );
    const signal = o.signal ?? undefined;
    // The options each call takes, checked here: a bad one would fail every item alike.
    let callOpts;
    for (const k of ['signal', 'timeoutMs', 'deadlineMs', 'maxRetries'])
      if (o[k] !== undefined) (callOpts ??= {})[k] = o[k];
    for (const k of ['timeoutMs', 'deadlineMs'])
      if (o[k] !== undefined && !(typeof o[k] === 'number' && Number.isFinite(o[k]) && o[k] >= 1))
        throw invalid(vendor, op.name, k, 'must be a number of milliseconds from 1');
    if (o.maxRetries !== undefined) whole('maxRetries', o.maxRetries, 0, 0);
    if (
      signal !== undefined &&
      signal !== null &&
      !(
        typeof signal === 'object' &&
        typeof signal.aborted === 'boolean' &&
        typeof signal.addEventListener === 'function'
      )
    )
      throw invalid(vendor, op.name, 'signal', 'must be an AbortSignal');

    const total = items.length;
    let marks;
    if (o.from === undefined || typeof o.from === 'number') {
      const from = whole('from', o.from, 0, 0);
      if (from > total) throw invalid(vendor, op.name, 'from', `is past the last item (${total - 1})`);
      marks = new Uint8Array(total);
      marks.fill(SKIPPED, 0, from);
    } else if (o.from && typeof o.from === 'object' && !Array.isArray(o.from)) {
      marks = marksOfReport(o.from, total, vendor);
    } else {
      throw invalid(vendor, op.name, 'from', 'must be an item index or the report of an earlier run of this batch');
    }

    // The units to send: runs of pending items, chunked for sendMessages, one item each otherwise.
    // A report's notSent items are sent again; its delivered and unknown ones are kept as they were.
    const units = [];
    for (let i = 0; i < total;) {
      const send = marks[i] === PENDING || marks[i] === NOT_SENT;
      if (!send) {
        i++;
        continue;
      }
      let end = i;
      while (end + 1 < total && end + 1 - i < chunk && (marks[end + 1] === PENDING || marks[end + 1] === NOT_SENT))
        end++;
      units.push([i, end]);
      i = end + 1;
    }
    for (const [a, b] of units) marks.fill(PENDING, a, b + 1);

    // Every unit checked before the first is sent: the wasm's own validation, nothing sent.
    const handle = handleOf(client, vendor, 'batch');
    const at = ops.indexOf(op);
    const names = op.params.map((p) => p.name);
    const paramsOf = (a, b) => (chunked ? { items: items.slice(a, b + 1) } : items[a]);
    for (const [a, b] of units) {
      const params = paramsOf(a, b);
      if (!chunked && (params === null || typeof params !== 'object' || Array.isArray(params)))
        throw invalid(vendor, op.name, `items[${a}]`, 'must be an object of params');
      if (op.positional && !chunked) {
        const bad = Object.keys(params).find((k) => !names.includes(k));
        if (bad !== undefined)
          throw invalid(
            vendor,
            op.name,
            `items[${a}].${bad}`,
            `is not a parameter; known: ${names.join(', ') || 'none'}`,
          );
      }
      try {
        handle.check(op.name, encode(params, vendor, op.name));
      } catch (raw) {
        const e = toError(raw, vendor, op.name);
        if (e.field !== undefined) {
          const field = chunked
            ? e.field.replace(/^items\[(\d+)\]/, (_, i) => `items[${Number(i) + a}]`)
            : `items[${a}].${e.field}`;
          e.message = e.message.split(`\`${e.field}\``).join(`\`${field}\``);
          e.field = field;
        }
        throw e;
      }
    }

    const refused = [];
    const errors = [];
    const note = (list, a, b, entry) => {
      const last = list[list.length - 1];
      if (last && last.items[1] + 1 === a && last.code === entry.code && last.message === entry.message)
        last.items[1] = b;
      else list.push({ items: [a, b], ...entry });
    };
    const tally = { done: 0, delivered: 0, unknown: 0, notSent: 0 };
    const toSend = units.reduce((n, [a, b]) => n + b - a + 1, 0);
    const mark = (a, b, m) => {
      marks.fill(m, a, b + 1);
      const n = b - a + 1;
      tally.done += n;
      if (m === DELIVERED) tally.delivered += n;
      else if (m === UNKNOWN) tally.unknown += n;
      else tally.notSent += n;
      if (o.onProgress) {
        // An observer never breaks the batch, whether it throws or rejects.
        try {
          const r = o.onProgress({ ...tally, total: toSend });
          if (r && typeof r.then === 'function') r.then(undefined, () => {});
        } catch (_) {
          /* ignored, as above */
        }
      }
    };

    const gate = deps.gateOf(client);
    let next = 0;
    let stopped;
    let failedInARow = 0;
    const requeued = [];
    const attempts = new Map();
    const take = () => (requeued.length ? requeued.shift() : next < units.length ? units[next++] : undefined);
    const worker = async () => {
      for (let unit = take(); unit !== undefined; unit = take()) {
        const [a, b] = unit;
        if (stopped || (signal && signal.aborted)) {
          mark(a, b, NOT_SENT);
          if (!stopped)
            note(errors, a, b, { code: 'ABORTED', message: "aborted by the caller's signal before it was sent" });
          else note(errors, a, b, { code: stopped.code, message: `not sent: the batch stopped (${stopped.why})` });
          continue;
        }
        try {
          // Awaited only when there may be a pause to wait out: most units go straight on.
          if (gate.store || gate.pausedUntil > now()) await gate.waitPause(signal, op.name);
        } catch (e) {
          mark(a, b, NOT_SENT);
          note(errors, a, b, { code: 'ABORTED', message: "aborted by the caller's signal before it was sent" });
          continue;
        }
        let res;
        try {
          res = await call(client, vendor, op.name, at, paramsOf(a, b), callOpts);
        } catch (raw) {
          const e = toError(raw, vendor, op.name);
          const tries = (attempts.get(unit) ?? 0) + 1;
          // A 429 refused before acting: safe to send again once the pause is over.
          if (e.status === 429 && tries < 6 && !(signal && signal.aborted)) {
            attempts.set(unit, tries);
            if (gate.pausedUntil <= now()) gate.pausedUntil = now() + Math.min(1000 * 2 ** (tries - 1), 30_000);
            requeued.push(unit);
            continue;
          }
          const entry = { code: e.code, message: e.message, ...(e.status !== undefined ? { status: e.status } : {}) };
          if (mayHaveArrived(e)) {
            mark(a, b, UNKNOWN);
            note(errors, a, b, entry);
          } else {
            mark(a, b, NOT_SENT);
            // Refused by the server (an answer, its code and words), or failed here (an
            // unreachable server, an abort before sending).
            if (e.status !== undefined || e.vendorCode !== undefined || e.code === 'VENDOR_ERROR')
              note(refused, a, b, {
                code: e.vendorCode !== undefined ? e.vendorCode : e.code,
                message: e.vendorMessage !== undefined ? String(e.vendorMessage) : e.message,
                ...(e.status !== undefined ? { status: e.status } : {}),
                // CAM's words come as a list of errors, as its answers give them.
                ...(vendor === 'cam' && e.vendorMessage !== undefined ? { errors: [String(e.vendorMessage)] } : {}),
              });
            else note(errors, a, b, entry);
          }
          // A refusal of the credentials, or a server that cannot be reached, fails every item
          // alike; so does a run of failures with no success between them: the rest is not sent.
          failedInARow += 1;
          if (e.code === 'AUTH_FAILED' || (e.code === 'NETWORK_ERROR' && e.retryable))
            stopped = stopped || { code: e.code, why: `${e.code} on items ${a}-${b}` };
          else if (failedInARow >= Math.max(10, 2 * concurrency))
            stopped = stopped || { code: e.code, why: `${failedInARow} failures in a row, the last ${e.code}` };
          continue;
        }
        const refusedBy = vendor === 'cam' ? camErrors(res) : undefined;
        if (refusedBy) {
          mark(a, b, NOT_SENT);
          note(refused, a, b, { code: 'VENDOR_ERROR', message: refusedBy.join('; '), errors: refusedBy });
          failedInARow += 1;
        } else {
          mark(a, b, DELIVERED);
          failedInARow = 0;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, units.length)) }, worker));

    const report = {
      total,
      delivered: ranges(marks, DELIVERED),
      unknown: ranges(marks, UNKNOWN),
      notSent: ranges(marks, NOT_SENT),
      refused,
    };
    const skipped = ranges(marks, SKIPPED);
    if (skipped.length) report.skipped = skipped;
    if (errors.length) report.errors = errors;
    return report;
  }

  // ---- roomBook.sync's lease --------------------------------------------------------------

  const randomId = () =>
    typeof crypto === 'object' && crypto && typeof crypto.randomUUID === 'function'
      ? crypto.randomUUID()
      : `${now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;

  // Compare-and-set under the store's lock: `change(current)` returns the value to write, or
  // undefined to leave it. Resolves with what it read, or throws when the store fails.
  async function underGuard(store, key, change, ttlMs, vendor) {
    const fail = (why) =>
      new WorkbridgeError({
        code: 'NETWORK_ERROR',
        vendor,
        operation: 'roomBook.sync',
        message: `roomBook.sync: the store failed: ${why}`,
      });
    for (let tries = 0; ; tries++) {
      const [locked, release] = await bounded(() => store.lock(`${key}:guard`, 5000));
      if (!locked) throw fail(release);
      if (typeof release === 'function') {
        try {
          const [ok, current] = await bounded(() => store.get(key));
          if (!ok) throw fail(current);
          const value = change(current ?? null);
          if (value !== undefined) {
            const [written, why] = await bounded(() => store.set(key, value, ttlMs));
            if (!written) throw fail(why);
          }
          return current ?? null;
        } finally {
          await bounded(() => release());
        }
      }
      if (tries >= 150) throw fail('its lock stayed taken for over 5 s');
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
    }
  }

  /**
   * The lease of a poller: taken if free, expired or its own; renewed every third of `leaseMs`
   * while held. `held()` says whether it still is; `end()` gives it up.
   */
  async function takeLease(store, key, leaseMs, vendor) {
    const id = randomId();
    const mine = (v) => (v === null || v === '' || v === id ? id : undefined);
    const before = await underGuard(store, `${key}:lease`, mine, leaseMs, vendor);
    if (before !== null && before !== '' && before !== id) return undefined;
    const lease = { id, lost: false };
    const timer = setInterval(
      () => {
        underGuard(store, `${key}:lease`, mine, leaseMs, vendor).then(
          (v) => {
            if (v !== null && v !== '' && v !== id) lease.lost = true;
          },
          () => {
            /* a renewal that failed: the next one tries again, and the lease lasts until then */
          },
        );
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    if (typeof timer.unref === 'function') timer.unref();
    // Renewed now, before a page is handed out: a poller whose lease lapsed (a store that was
    // down for longer than leaseMs, a stalled process) and was taken over hands out nothing more.
    lease.confirm = async () => {
      if (lease.lost) return false;
      const v = await underGuard(store, `${key}:lease`, mine, leaseMs, vendor);
      if (v !== null && v !== '' && v !== id) lease.lost = true;
      return !lease.lost;
    };
    lease.end = async () => {
      clearInterval(timer);
      // Given up by writing it empty for a moment (the interface has no delete).
      await underGuard(store, `${key}:lease`, (v) => (v === id ? '' : undefined), 1000, vendor).catch(() => {});
    };
    return lease;
  }

  return { makeGate, observedFetch, batch, checkStore, takeLease, underGuard, bounded };
}
