// Assembles pkg/ from pkg-template/ and the wasm-bindgen outputs in pkg/wasm/ and
// pkg/sandbox/wasm/ (the Makefile puts them there): the CommonJS entry, the Node ES module
// (which re-exports the CommonJS one, so `import` and `require` share one instance), and the
// browser ES module (which loads the web build and needs no init() call).

import { readFileSync, writeFileSync, mkdirSync, copyFileSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] || join(here, '..', 'pkg');
const facade = readFileSync(join(here, 'src', 'transport.js'), 'utf8') + '\n' + readFileSync(join(here, 'src', 'facade.js'), 'utf8');
const EXPORTS = [
  'CAMAPIClient', 'YunzhijiaClient', 'XuanxuanClient', 'YtxClient', 'WorkbridgeError', 'setAPIClient', 'getAPIClient', 'qing',
  'xuanxuanToken', 'ytxSign', 'ytxAuthorization', 'operations', 'diagnostics',
];
const names = `{ ${EXPORTS.join(', ')} }`;

const write = (rel, text) => {
  mkdirSync(dirname(join(out, rel)), { recursive: true });
  writeFileSync(join(out, rel), text);
};

write('index.cjs', `'use strict';\n${facade}\nmodule.exports = makeWorkbridge(require('./wasm/node/workbridge.js'));\n`);
write('index.mjs', `import api from './index.cjs';\nexport const ${names} = api;\nexport default api;\n`);
write('browser.mjs', `import init, * as wasm from './wasm/web/workbridge.js';\n\n// The wasm sits next to this file; bundlers (Vite) follow the URL the glue builds from import.meta.url.\nawait init();\n\n${facade}\nconst api = makeWorkbridge(wasm);\nexport const ${names} = api;\nexport default api;\n`);
// The classic-script build for Yunzhijia light-app pages and pages with no module loader:
// <script src=".../workbridge.global.js"></script> gives window.workbridge. The wasm is inlined
// and compiled synchronously (Chromium allows it on the main thread for modules this size); an
// older WebView that refuses gets it asynchronously, and `workbridge.ready` says when.
const glue = readFileSync(join(out, 'wasm/web/workbridge.js'), 'utf8');
const wasmNames = [...glue.matchAll(/^export (?:function|class) (\w+)/gm)].map((m) => m[1]);
const glueBody = glue
  .replace(/^export (function|class) /gm, '$1 ')
  .replace(/^export \{[^}]*\};?[ \t]*$/gm, '')
  .replace(/import\.meta\.url/g, 'document.baseURI');
const wasmBase64 = readFileSync(join(out, 'wasm/web/workbridge_bg.wasm')).toString('base64');
write('workbridge.global.js', `/* workbridge ${JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).version}: <script src="workbridge.global.js"></script> defines window.workbridge */
(function (root) {
'use strict';
${glueBody}
${facade}
const wasmBytes = (function (b64) {
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
})('${wasmBase64}');
const wasmExports = { ${wasmNames.join(', ')} };
try {
  initSync({ module: wasmBytes });
  root.workbridge = Object.assign(makeWorkbridge(wasmExports), { ready: Promise.resolve() });
} catch (e) {
  const ns = (root.workbridge = {});
  ns.ready = WebAssembly.compile(wasmBytes).then((m) => {
    initSync({ module: m });
    Object.assign(ns, makeWorkbridge(wasmExports));
    return ns;
  });
}
})(typeof globalThis !== 'undefined' ? globalThis : window);
`);

const adapter = readFileSync(join(here, 'sandbox', 'adapter.js'), 'utf8');
for (const [from, to] of [['sandbox/index.src.cjs', 'sandbox/index.cjs'], ['sandbox/browser.src.mjs', 'sandbox/browser.mjs']]) {
  write(to, readFileSync(join(here, from), 'utf8').replace('/*ADAPTER*/', adapter));
}
write('sandbox/web/package.json', '{ "type": "module" }\n');

for (const rel of ['index.d.ts', 'package.json', 'sandbox/index.mjs', 'sandbox/index.d.ts', 'bin/workbridge.mjs', 'bin/env.mjs', 'bin/relay.mjs']) {
  mkdirSync(dirname(join(out, rel)), { recursive: true });
  copyFileSync(join(here, rel), join(out, rel));
}
chmodSync(join(out, 'bin/workbridge.mjs'), 0o755);
// The web glue is an ES module in a .js file; the package root is CommonJS.
write('wasm/web/package.json', '{ "type": "module" }\n');
for (const doc of ['README.md', 'CHANGELOG.md', 'LICENSE']) copyFileSync(join(here, '..', doc), join(out, doc));
