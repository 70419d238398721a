// The JS half of the transport (src/js/transport.rs decides, this acts): one fetch attempt with
// its timeout and the caller's AbortSignal, settling exactly once, clearing its timer and
// listener, rejecting only with a tagged string; and an abortable sleep for backoff.
// Redirects are never followed (a credential must not travel to another host), and an answer
// is read only up to `maxBytes`, so neither memory nor the wasm ever holds more.
// Format-neutral (no import/export): build.mjs puts it into every entry.
const WB_TAG = 'workbridge:';
// What a fetch or a stream threw, in words. It may be anything a caller's fetch throws, even a
// value with no string form or with getters that throw: reading it never throws (a throw here
// would leave the attempt unsettled until its timeout, and the rejection unhandled).
function wbWhy(e) {
  try {
    const message = e && typeof e.message === 'string' && e.message ? e.message : String(e);
    const code = wbCode(e);
    // Node's "fetch failed" says nothing by itself: its cause says why ("bad port", ...).
    const cause = e && e.cause && typeof e.cause.message === 'string' ? e.cause.message : '';
    const why = cause && !message.includes(cause) ? `${message}: ${cause}` : message;
    return code ? `${why} (${code})` : why;
  } catch {
    return 'a value that cannot be printed was thrown';
  }
}
// Node puts the system error under `cause` (undici) and sometimes one level deeper. A port the
// Fetch standard blocks (1, 6000, ...) is refused before anything is sent, with no code: it is
// named here, so that the wasm knows nothing left.
function wbCode(e) {
  try {
    const c = e && e.cause;
    const code = (c && (c.code || (c.cause && c.cause.code))) || (e && e.code);
    if (typeof code === 'string') return code;
    return c && c.message === 'bad port' ? 'ERR_BAD_PORT' : '';
  } catch {
    return '';
  }
}
// One attempt: its promise. `head` is the method, the URL and the headers' names and values, a
// line each, as the wasm writes them (one string across rather than one per part).
function wbAttempt(fetch, head, body, timeoutMs, signal, maxBytes) {
  return wbBegin(fetch, wbHead(head), body, timeoutMs, signal, maxBytes);
}
// One attempt, begun: its promise.
function wbBegin(fetch, sent, body, timeoutMs, signal, maxBytes) {
  if (signal && signal.aborted) return Promise.reject(WB_TAG + 'abort');
  let attempt;
  const promise = new Promise((resolve, reject) => {
    attempt = new WbAttempt(resolve, reject, signal, maxBytes);
  });
  try {
    attempt.start(fetch, sent, body, timeoutMs);
  } catch (e) {
    attempt.failed(e);
  }
  return promise;
}
// A head taken apart: [method, url, [name, value, ...]].
function wbHead(head) {
  const m = head.indexOf('\n');
  let at = head.indexOf('\n', m + 1);
  if (at < 0) at = head.length;
  const sent = [head.slice(0, m), head.slice(m + 1, at), []];
  for (at += 1; at < head.length;) {
    const nl = head.indexOf('\n', at);
    if (nl < 0) break;
    let end = head.indexOf('\n', nl + 1);
    if (end < 0) end = head.length;
    sent[2].push(head.slice(at, nl), head.slice(nl + 1, end));
    at = end + 1;
  }
  return sent;
}
// One attempt as one object (its methods shared), rather than a closure per callback.
class WbAttempt {
  constructor(resolve, reject, signal, maxBytes) {
    this.resolve = resolve;
    this.reject = reject;
    this.signal = signal;
    this.maxBytes = maxBytes;
    this.done = false;
    this.timer = undefined;
    this.controller = typeof AbortController === 'function' ? new AbortController() : undefined;
    this.onAbort = undefined;
    this.res = undefined;
  }
  start(fetch, sent, body, timeoutMs) {
    this.timer = setTimeout(() => this.fire(), timeoutMs);
    const signal = this.signal;
    if (signal) {
      this.onAbort = () => {
        if (this.controller) this.controller.abort();
        this.settle(false, WB_TAG + 'abort');
      };
      signal.addEventListener('abort', this.onAbort);
    }
    // A headers object of its own for every attempt: a fetch may change the one it is given.
    const pairs = sent[2];
    const headers = {};
    for (let i = 0; i < pairs.length; i += 2) headers[pairs[i]] = pairs[i + 1];
    const method = sent[0];
    const url = sent[1];
    const init =
      body === undefined ? { method, headers, redirect: 'manual' } : { method, headers, redirect: 'manual', body };
    if (this.controller) init.signal = this.controller.signal;
    Promise.resolve(fetch(url, init)).then(
      (res) => {
        try {
          this.read(res);
        } catch (e) {
          this.failed(e);
        }
      },
      (e) => this.failed(e),
    );
  }
  // The attempt ran out of time.
  fire() {
    if (this.controller) this.controller.abort();
    this.settle(false, WB_TAG + 'timer');
  }
  failed(e) {
    this.settle(false, WB_TAG + 'net:' + wbCode(e) + '\n' + wbWhy(e));
  }
  settle(ok, v) {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    if (this.onAbort !== undefined) this.signal.removeEventListener('abort', this.onAbort);
    if (ok) this.resolve(v);
    else this.reject(v);
  }
  header(name) {
    const res = this.res;
    try {
      return res.headers && typeof res.headers.get === 'function' ? res.headers.get(name) : null;
    } catch (e) {
      return null;
    }
  }
  drop() {
    const res = this.res;
    try {
      if (res.body && typeof res.body.cancel === 'function') res.body.cancel().catch(() => {});
    } catch (e) {
      /* nothing to free */
    }
  }
  read(res) {
    if (!res || typeof res.status !== 'number' || typeof res.text !== 'function') {
      return this.settle(false, WB_TAG + 'bad:fetch returned something that is not a Response');
    }
    this.res = res;
    // A browser's manual redirect is opaque (status 0); a fetch that followed one anyway
    // says so with `redirected`: either way the answer is not the server's we asked.
    if ((res.status >= 300 && res.status < 400) || res.type === 'opaqueredirect' || res.redirected === true) {
      this.drop();
      const to = res.redirected === true ? res.url : this.header('location');
      return this.settle(
        false,
        WB_TAG + 'redirect:' + (res.redirected === true ? 'followed' : res.status) + '\n' + (to || ''),
      );
    }
    const maxBytes = this.maxBytes;
    // Only a refusal's Retry-After is ever read (a retry follows 429 and 5xx alone): an answer
    // that succeeded spares the header lookup.
    const retryAfter = res.status >= 400 ? this.header('retry-after') : null;
    const length = this.header('content-length');
    const declared = length ? Number(length) : NaN;
    if (declared > maxBytes) {
      this.drop();
      return this.settle(false, WB_TAG + 'big:' + maxBytes);
    }
    // Streamed and counted even when a length is declared: that is the length on the wire,
    // and a compressed answer grows when it is decoded.
    const text =
      !res.body || typeof res.body.getReader !== 'function' || !wbDecoder
        ? res.text()
        : wbReadCapped(res.body, maxBytes);
    Promise.resolve(text).then(
      (t) => {
        if (typeof t !== 'string')
          return this.settle(
            false,
            t === wbTooBig ? WB_TAG + 'big:' + maxBytes : WB_TAG + 'bad:the answer body is not text',
          );
        // A fetch of the caller's own may have no stream and a wrong length: check the text
        // too, in UTF-8 bytes (counted only when its UTF-16 length leaves room for doubt).
        if (t.length > maxBytes || (t.length * 3 > maxBytes && wbUtf8Bytes(t) > maxBytes))
          return this.settle(false, WB_TAG + 'big:' + maxBytes);
        this.settle(true, [res.status, retryAfter, t]);
      },
      (e) => this.settle(false, WB_TAG + 'bad:the answer was cut off: ' + wbWhy(e)),
    );
  }
}
const wbTooBig = {};
// The length of `t` in UTF-8, as TextEncoder would write it (a lone surrogate as U+FFFD).
function wbUtf8Bytes(t) {
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < t.length && (t.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
// One decoder for every answer: a whole body decoded at once needs no state between calls, and
// making a TextDecoder costs more than the small answer it decodes.
const wbDecoder = typeof TextDecoder === 'function' ? new TextDecoder() : undefined;
// Reads a body of unknown length chunk by chunk, cancelling the stream once it passes `maxBytes`.
// The chunks are kept as bytes and decoded once at the end (one call, not one per chunk; a
// character split across chunks is whole again by then).
async function wbReadCapped(stream, maxBytes) {
  const reader = stream.getReader();
  let bytes = 0;
  let first;
  let more;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      reader.cancel().catch(() => {});
      return wbTooBig;
    }
    if (first === undefined) first = value;
    else (more || (more = [first])).push(value);
  }
  if (first === undefined) return '';
  if (more === undefined) return wbDecoder.decode(first);
  const all = new Uint8Array(bytes);
  let at = 0;
  for (const chunk of more) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return wbDecoder.decode(all);
}
// What `step` answers when the text of the answer, which JS holds, is the result once parsed:
// the whole body, or its `data` (the wasm checked it is JSON). The wasm gets them with WB_IO.
const WB_BODY = {};
const WB_DATA = {};
const WB_IO = { attempt: wbAttempt, sleep: wbSleep, within: wbWithin, body: WB_BODY, data: WB_DATA };
// Drives a call the wasm prepared (`client.start`) through its attempts: the wasm starts each
// (`send`) and decides after each (`step`: the result or a marker of it, or undefined for a
// retry after `delay`; it throws the error). `fail` turns what `step` throws into the caller's
// error.
function wbDrive(client, id, signal, fail) {
  const answered = (answer) => next(0, answer[2], answer[0], answer[1]);
  const failed = (why) => next(1, why);
  const send = () => client.send(id, Date.now()).then(answered, failed);
  const next = (what, value, status, retryAfter) => {
    let result;
    try {
      result =
        what === 0
          ? client.step(id, 0, value, undefined, status, retryAfter)
          : client.step(id, what, undefined, value, undefined, undefined);
    } catch (e) {
      throw fail(e);
    }
    if (result === WB_DATA || result === WB_BODY) {
      let body;
      try {
        body = JSON.parse(value);
      } catch (e) {
        // Not its message: V8's quotes the text, which may hold anything.
        throw fail(new Error('the answer is not valid JSON'));
      }
      if (result === WB_BODY) return body;
      return body.data === undefined ? null : body.data;
    }
    if (result !== undefined) return result;
    return wbSleep(client.delay(id), signal).then(send, () => next(2));
  };
  return send();
}
// Settles as `promise` does, or rejects as a timed-out attempt does (WB_TAG + 'timer') when `ms`
// are up first: a call stops waiting for a token shared with other calls at its own deadline,
// without cancelling it for them.
function wbWithin(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(WB_TAG + 'timer'), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
function wbSleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) return reject(WB_TAG + 'abort');
    const onAbort = () => {
      clearTimeout(timer);
      reject(WB_TAG + 'abort');
    };
    const timer = setTimeout(() => {
      if (signal) signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal) signal.addEventListener('abort', onAbort);
  });
}
