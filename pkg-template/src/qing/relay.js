// The relay client of a light-app page: `POST {relay}/call/<name>` with the params as JSON, the
// answer already in the qing.call result shape. It validates and sends only, so a page that uses
// the app and a relay needs none of the vendor clients.

import { WorkbridgeError, why } from './errors.js';

// The results the package itself made (not an app's answer): only these are put in the page's language.
export const OURS = new WeakSet();

export function failure(errorCode, error, extra) {
  const res = { success: 'false', errorCode: String(errorCode), error, data: null, code: String(errorCode), ...extra };
  OURS.add(res);
  return res;
}

/** The failure a qing.call `timeoutMs` param that is not a positive number answers, if so. */
export function badTimeout(timeoutMs, name) {
  if (typeof timeoutMs === 'number' && isFinite(timeoutMs) && timeoutMs > 0) return undefined;
  return failure('INVALID_ARGUMENT', `${name}: \`timeoutMs\` must be a positive number of milliseconds`, {
    field: 'timeoutMs',
  });
}

/**
 * A relay URL as a page may hold one: http(s), and no `user:pass@` (it would be printed in every
 * error that quotes the URL, and fetch refuses such URLs anyway).
 */
export function checkRelay(relay, root) {
  let url;
  try {
    const here = root.location && root.location.href;
    url = new URL(String(relay), typeof here === 'string' ? here : undefined);
  } catch (_) {
    url = undefined;
  }
  const bad = (detail) =>
    new WorkbridgeError({ code: 'INVALID_ARGUMENT', field: 'relay', message: `qing.config: \`relay\` ${detail}` });
  if (!url || !/^https?:$/.test(url.protocol))
    throw bad("must be an http:// or https:// URL (or a path on this page's origin)");
  if (url.username || url.password)
    throw bad('must not hold a user name or password: use relayToken for a bearer token');
}

// A relay call is bounded, as a native one: by its `timeoutMs` param (never forwarded), by
// default RELAY_TIMEOUT_MS, more than a relay's own call takes with its retries and deadline
// (60 s). When it is up the request is torn down and the page hears TIMEOUT.
const RELAY_TIMEOUT_MS = 70000;

/** `state`: `{relay, relayHeaders, fetch}` of qing.config. */
export async function relayCall(state, root, name, all) {
  const { timeoutMs = RELAY_TIMEOUT_MS, ...params } = all;
  const refused = badTimeout(timeoutMs, name);
  if (refused) return refused;
  const f = state.fetch || root.fetch;
  const controller = typeof root.AbortController === 'function' ? new root.AbortController() : undefined;
  let timedOut = false;
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => {
      timedOut = true;
      if (controller) controller.abort();
      resolve();
    }, timeoutMs);
  });
  const late = () => failure('TIMEOUT', `the relay did not answer ${name} within ${timeoutMs} ms`);
  try {
    let res;
    try {
      res = await Promise.race([
        f(`${String(state.relay).replace(/\/+$/, '')}/call/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...state.relayHeaders },
          body: JSON.stringify(params),
          redirect: 'manual',
          signal: controller && controller.signal,
        }),
        timeout,
      ]);
    } catch (e) {
      if (timedOut) return late();
      return failure('NETWORK_ERROR', `the relay could not be reached: ${why(e)}`);
    }
    if (timedOut) return late();
    let body;
    try {
      body = JSON.parse(await Promise.race([res.text(), timeout]));
    } catch (_) {
      body = undefined;
    }
    if (timedOut) return late();
    if (!body || typeof body !== 'object' || (body.success !== 'true' && body.success !== 'false')) {
      return failure('BAD_RESPONSE', `the relay answered HTTP ${res.status} without a result`, {
        status: res.status,
      });
    }
    OURS.add(body);
    return body;
  } finally {
    clearTimeout(timer);
  }
}
