// The classic-script global (<script src="workbridge.global.js">): the light part, and a loader
// that fetches the heavy part from next to this file, or from where data-nowasm says for the
// JavaScript build. The heavy file hands itself over through a hook on window.workbridge.

import { installGlobal } from './global.js';

const FILES = { wasm: 'workbridge.global.wasm.js', nowasm: 'workbridge.global.nowasm.js' };
const HOOK = '__workbridgeLoaded';

export function installClassic(root, names, version) {
  const doc = root.document;
  const currentScript = doc ? doc.currentScript : null;
  let waiting;

  // A src naming no .js file is a package root (https://unpkg.com/workbridge redirects here).
  function urlOf(kind) {
    if (!currentScript || !currentScript.src) return undefined;
    if (kind === 'nowasm' && currentScript.dataset && currentScript.dataset.nowasm) return currentScript.dataset.nowasm;
    const src = currentScript.src.replace(/[?#].*$/, '');
    return /\.js$/.test(src) ? src.replace(/[^/]*$/, FILES[kind]) : src.replace(/\/*$/, '/' + FILES[kind]);
  }
  function loadHeavy(kind) {
    return new Promise((resolve, reject) => {
      const url = urlOf(kind);
      if (!url || !doc) {
        reject(new Error(`could not be located: load ${FILES[kind]} from the package with a <script src> of its own`));
        return;
      }
      waiting = { resolve, reject };
      const script = doc.createElement('script');
      script.src = url;
      script.addEventListener('error', () => {
        waiting = undefined;
        reject(new Error(`did not load from ${url}`));
      });
      (doc.head || doc.documentElement).appendChild(script);
    });
  }

  const { ns, attachNow } = installGlobal(root, names, version, loadHeavy);
  Object.defineProperty(ns, HOOK, {
    configurable: true,
    value(build) {
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w.resolve(build);
      } else {
        attachNow(build);
      }
    },
  });
}
