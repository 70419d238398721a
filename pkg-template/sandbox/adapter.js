// The sandbox's JS adapter, shared by the Node entry (index.cjs) and the browser module
// (browser.mjs): build.mjs puts this text into both. Format-neutral: no import or export.

function makeSandboxApi(Sandbox) {
  /**
   * An emulator with its own in-memory state. `config` overrides credentials ({cam: {apiToken}},
   * …) and may carry `faults`, a spec such as 'cam.sendMessage:503x2,*:latency=50@0.2'.
   */
  function createSandbox(config = {}) {
    // Sign-on tickets stand for a signed-in person: their bits come from crypto randomness
    // (the emulator itself stays a pure function of what it is given).
    const inner = new Sandbox(JSON.stringify({ seed: randomSeed(), ...config }));
    const setFaults = (spec) => {
      try {
        inner.setFaults(String(spec ?? ''));
      } catch (e) {
        throw new Error(`sandbox faults: ${e && e.message ? e.message : e}`);
      }
    };
    // An unreadable spec is an error now, not a rule that silently never fires.
    if (config && config.faults) setFaults(config.faults);
    return {
      /** Answers one raw request: {status, headers, body, log, delayMs, drop: '' | 'before' | 'after'}. */
      handle(method, target, headers = {}, body = '', now = Date.now()) {
        const r = inner.handle(method, target, JSON.stringify(headers), body, now);
        const reply = {
          status: r.status,
          headers: JSON.parse(r.headers),
          body: r.body,
          log: r.log,
          delayMs: r.delay_ms,
          drop: r.drop,
        };
        r.free();
        return reply;
      },
      /** Replaces the fault rules; throws if the spec cannot be read. */
      setFaults,
    };
  }

  function headersObject(h) {
    const out = {};
    if (!h) return out;
    const entries = typeof h.entries === 'function' ? h.entries() : Object.entries(h);
    for (const [k, v] of entries) out[k.toLowerCase()] = String(v);
    return out;
  }

  /** A `fetch` answered by `sandbox` in-process: pass it as a client's `fetch` option. */
  function sandboxFetch(sandbox = createSandbox()) {
    return async (input, init = {}) => {
      const url = new URL(typeof input === 'string' ? input : input.url);
      const r = sandbox.handle(
        init.method || 'GET',
        url.pathname + url.search,
        headersObject(init.headers),
        init.body == null ? '' : String(init.body),
      );
      if (r.delayMs > 0) await sleep(r.delayMs);
      if (init.signal && init.signal.aborted) throw new DOMException('aborted', 'AbortError');
      if (r.drop) throw new TypeError('fetch failed (the sandbox dropped the connection)');
      return new Response(r.status === 204 ? null : r.body, { status: r.status, headers: r.headers });
    };
  }

  return { createSandbox, sandboxFetch, headersObject };
}

function randomSeed() {
  const words = new Uint32Array(4);
  globalThis.crypto.getRandomValues(words);
  return Array.from(words, (w) => w.toString(16).padStart(8, '0')).join('');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
