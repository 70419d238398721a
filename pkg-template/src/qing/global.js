// The light part of workbridge/global (the classic script and the bundled module alike):
// window.workbridge with qing and WorkbridgeError at once, and window.qing unless the page has
// one. The vendor clients (the wasm build, or the JavaScript build where there is no
// WebAssembly) are loaded only when they are needed: a page configuring a vendor directly, or
// awaiting `workbridge.ready`. A page that uses the app and a relay never downloads them.

import { makeBase } from './index.js';

const hasWasm = (root) => {
  const W = root.WebAssembly;
  return typeof W === 'object' && W !== null && typeof W.Instance === 'function';
};

/**
 * `loadHeavy(kind)`, kind 'wasm' or 'nowasm', resolves with `build(base)`, which makes the full
 * API over this base (or a promise of it); it rejects with an Error whose message ends "...did not
 * load from <url>" or says why it could not.
 */
export function installGlobal(root, names, version, loadHeavy) {
  let loading;
  let attached = false;
  const ns = {};
  const base = makeBase(names, version, () => load().then(() => servers));
  let servers;
  base.plug = ((plug) => (run) => {
    servers = run;
    plug(run);
  })(base.plug);
  ns.qing = base.qing;
  ns.WorkbridgeError = base.WorkbridgeError;

  function attach(api) {
    for (const k of Object.keys(api)) if (k !== 'qing' && k !== 'WorkbridgeError') ns[k] = api[k];
    attached = true;
  }
  function load() {
    if (!loading)
      loading = (async () => {
        if (attached) return ns;
        let reason = 'this browser has no WebAssembly';
        if (hasWasm(root)) {
          try {
            attach(await (await loadHeavy('wasm'))(base));
            return ns;
          } catch (e) {
            // A WebView that refuses the module (too old for its features, a policy, a size
            // limit on the main thread) gets the JavaScript build rather than nothing.
            reason = `this browser refused the WebAssembly module (${e && e.message})`;
          }
        }
        let build;
        try {
          build = await loadHeavy('nowasm');
        } catch (e) {
          throw new Error(`workbridge: ${reason}, and its JavaScript build ${e && e.message}`);
        }
        attach(await build(base));
        return ns;
      })();
    // A page that never awaits it must not see an unhandled rejection: qing.call reports it.
    loading.catch(() => {});
    return loading;
  }
  Object.defineProperty(ns, 'ready', { enumerable: true, configurable: true, get: load });

  root.workbridge = ns;
  const theirs = root.qing;
  // An element with id="qing" shows through window.qing too: that is not a qing.js.
  const none =
    theirs === undefined ||
    theirs === null ||
    (typeof root.Node === 'function' && theirs instanceof root.Node) ||
    (typeof root.HTMLCollection === 'function' && theirs instanceof root.HTMLCollection);
  // A copy: a qing.js loaded after ours that patches or replaces window.qing never changes
  // workbridge.qing. The vendor's qing.js sees its `version` and leaves it alone.
  if (none) root.qing = { ...base.qing };

  return {
    ns,
    /** A heavy part that arrived unasked (its own <script src> after ours): attached at once. */
    attachNow(build) {
      attach(build(base));
      loading = Promise.resolve(ns);
    },
  };
}
