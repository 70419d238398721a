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

/** `state`: `{relay, relayHeaders, fetch, ticket, session}` of qing.config. */
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
  const base = String(state.relay).replace(/\/+$/, '');
  try {
    // With a ticket, a refused (expired) session is renewed once and the call sent again.
    for (let attempt = 0; ; attempt++) {
      let res;
      try {
        const session = await Promise.race([relaySession(state, f, base, attempt > 0, controller), timeout]);
        if (timedOut) return late();
        if (session && session.failed) return session.failed;
        res = await Promise.race([
          f(`${base}/call/${encodeURIComponent(name)}`, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              ...state.relayHeaders,
              ...(session ? { Authorization: session.header } : {}),
            },
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
      if (res.status === 401 && state.ticket && attempt === 0) {
        state.session = undefined;
        continue;
      }
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
    }
  } finally {
    clearTimeout(timer);
  }
}

// Sign-on with the light-app ticket (the `ticket` of the page's URL, or qing.config's): the
// relay trades it for a session of at most 15 minutes, kept until shortly before it expires
// and shared by concurrent calls. No ticket: no session (a relay without sign-on).
// Resolves with {header}, {failed: result}, or undefined.
function relaySession(state, f, base, fresh, controller) {
  const ticket = state.ticket;
  if (!ticket) return Promise.resolve(undefined);
  const s = state.session;
  if (!fresh && s && (s.pending || s.until > Date.now())) return s.pending || Promise.resolve(s);
  const pending = (async () => {
    let body;
    try {
      const res = await f(`${base}/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ticket }),
        redirect: 'manual',
        signal: controller && controller.signal,
      });
      body = await res.json().catch(() => undefined);
    } catch (e) {
      state.session = undefined;
      return { failed: failure('NETWORK_ERROR', `the relay could not be reached to sign on: ${why(e)}`) };
    }
    const token = body && body.success === 'true' && body.data && body.data.token;
    if (typeof token !== 'string') {
      state.session = undefined;
      const code = (body && body.errorCode) || 'AUTH_FAILED';
      return { failed: failure(code, (body && body.error) || 'the relay refused to sign on') };
    }
    const life = Number(body.data.expiresIn) > 0 ? Number(body.data.expiresIn) : 60;
    const session = { header: `Bearer ${token}`, until: Date.now() + Math.max(1, life - 30) * 1000 };
    if (state.session && state.session.pending === pending) state.session = session;
    return session;
  })();
  state.session = { pending };
  return pending;
}

/** The light-app ticket the app appended to the page's URL, if any. */
export function ticketOfPage(root) {
  try {
    const search = root.location && root.location.search;
    return (search && new URLSearchParams(search).get('ticket')) || undefined;
  } catch (_) {
    return undefined;
  }
}
