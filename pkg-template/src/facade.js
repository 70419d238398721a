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
    try {
      return new wasm.Client(vendor, encode(options, vendor, 'constructor'), fetchFn);
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

  /** Chat&Messenger, with the documented client's positional signatures (seed 000). */
  class CAMAPIClient {
    /** @param {{apiToken: string, serverURL: string, timeoutMs?: number, maxRetries?: number, fetch?: typeof fetch}} options */
    constructor(options) {
      Object.defineProperty(this, '_client', { value: construct('cam', options) });
    }

    /** The request `operation` would send, credentials masked (nothing is sent). */
    dryRun(operation, ...args) {
      const op = OPERATIONS.cam.find((o) => o.name === operation);
      if (!op) throw invalid('cam', String(operation), 'operation', 'names no operation');
      try {
        return JSON.parse(this._client.dryRun(operation, encode(positional(op, args), 'cam', operation)));
      } catch (e) {
        throw toError(e, 'cam', operation);
      }
    }
  }

  function positional(op, args) {
    const params = {};
    op.params.forEach((p, i) => { if (args[i] !== undefined) params[p.name] = args[i]; });
    return params;
  }

  for (const op of OPERATIONS.cam) {
    CAMAPIClient.prototype[op.name] = function (...args) {
      return call(this._client, 'cam', op.name, positional(op, args), args[op.params.length]);
    };
  }

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

  return { CAMAPIClient, WorkbridgeError, setAPIClient, getAPIClient, operations: OPERATIONS };
}
