// workbridge/global through a bundler (`import 'workbridge/global'`): the same light part, and
// the heavy part as chunks the bundler emits and loads (`import()`), the wasm build or the
// JavaScript build, whichever the browser can run.

import { installGlobal } from './global.js';

export function installBundled(root, names, version) {
  installGlobal(root, names, version, (kind) =>
    (kind === 'wasm' ? import('./global-wasm.mjs') : import('./global-nowasm.mjs')).then((m) => m.build),
  );
}
