// The JS half of the transport (src/transport.rs decides, this acts): one fetch attempt with
// its timeout and the caller's AbortSignal, settling exactly once, clearing its timer and
// listener, rejecting only with a tagged string; and an abortable sleep for backoff.
// Format-neutral (no import/export): build.mjs puts it into every entry.
const WB_TAG = 'workbridge:';
function wbWhy(e) {
  const message = (e && e.message) || String(e);
  const code = e && e.cause && e.cause.code;
  return code ? `${message} (${code})` : message;
}
function wbAttempt(fetch, url, method, headerLines, body, timeoutMs, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) return reject(WB_TAG + 'abort');
    const controller = typeof AbortController === 'function' ? new AbortController() : undefined;
    let done = false;
    let timer;
    const onAbort = () => { if (controller) controller.abort(); settle(reject, WB_TAG + 'abort'); };
    const settle = (f, v) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (signal) signal.removeEventListener('abort', onAbort);
      f(v);
    };
    timer = setTimeout(() => { if (controller) controller.abort(); settle(reject, WB_TAG + 'timer'); }, timeoutMs);
    if (signal) signal.addEventListener('abort', onAbort);
    const headers = {};
    const lines = headerLines ? headerLines.split('\n') : [];
    for (let i = 0; i + 1 < lines.length; i += 2) headers[lines[i]] = lines[i + 1];
    const init = { method, headers };
    if (body !== undefined) init.body = body;
    if (controller) init.signal = controller.signal;
    let started;
    try { started = Promise.resolve(fetch(url, init)); } catch (e) { return settle(reject, WB_TAG + 'net:' + wbWhy(e)); }
    started.then((res) => {
      if (!res || typeof res.status !== 'number' || typeof res.text !== 'function') {
        return settle(reject, WB_TAG + 'bad:fetch returned something that is not a Response');
      }
      let retryAfter = null;
      try { retryAfter = res.headers && typeof res.headers.get === 'function' ? res.headers.get('retry-after') : null; } catch (e) { /* no header */ }
      return Promise.resolve(res.text()).then(
        (text) => (typeof text === 'string' ? settle(resolve, [res.status, retryAfter, text]) : settle(reject, WB_TAG + 'bad:the answer body is not text')),
        (e) => settle(reject, WB_TAG + 'bad:the answer was cut off: ' + wbWhy(e)),
      );
    }).catch((e) => settle(reject, WB_TAG + 'net:' + wbWhy(e)));
  });
}
function wbSleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) return reject(WB_TAG + 'abort');
    const onAbort = () => { clearTimeout(timer); reject(WB_TAG + 'abort'); };
    const timer = setTimeout(() => { if (signal) signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    if (signal) signal.addEventListener('abort', onAbort);
  });
}
