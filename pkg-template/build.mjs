// Assembles pkg/ from pkg-template/ and the wasm-bindgen outputs in pkg/wasm/ and
// pkg/sandbox/wasm/ (the Makefile puts them there): the CommonJS entry, the Node ES module
// (which re-exports the CommonJS one, so `import` and `require` share one instance), and the
// browser ES module (which loads the web build and needs no init() call).

import { readFileSync, writeFileSync, mkdirSync, copyFileSync, chmodSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minifySync, transformSync } from 'rolldown/experimental';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || join(here, '..', 'pkg'));
const facade = ['transport.js', 'bulk.js', 'facade.js']
  .map((f) => readFileSync(join(here, 'src', f), 'utf8'))
  .join('\n');
const EXPORTS = [
  'CAMAPIClient',
  'YunzhijiaClient',
  'XuanxuanClient',
  'YtxClient',
  'WorkbridgeError',
  'setAPIClient',
  'getAPIClient',
  'qing',
  'xuanxuanToken',
  'ytxSign',
  'ytxAuthorization',
  'operations',
  'diagnostics',
];
const names = `{ ${EXPORTS.join(', ')} }`;

// The operation tables, as src/bin/tables.rs printed them (the Makefile writes operations.json
// before this runs). Each entry carries what its classes are derived from, for its own vendors:
// names, kinds and parameter lists; the docs and rules stay in operations.json (`loadTables()`
// of tables.mjs), for the CLI's help, the demo and docs/API.md, so that no app ships them.
const FULL = JSON.parse(readFileSync(join(out, 'operations.json'), 'utf8'));
const slim = (vendors) =>
  JSON.stringify(
    Object.fromEntries(
      vendors.map((v) => [
        v,
        FULL[v].map(({ name, kind, positional, params }) => ({
          name,
          kind,
          positional,
          params: params.map(({ name, type, required }) => ({ name, type, required })),
        })),
      ]),
    ),
  );
const ALL_TABLES = slim(Object.keys(FULL));

// wasm-bindgen's Node glue compiles and instantiates its wasm when required: most of an
// import's time (a synchronous compile of some 200 KiB). Rewritten so that this happens on the
// first use of an export instead (constructing a client, signing): `wasm` starts as a stand-in
// whose first property read compiles and instantiates, then is the instance's exports, so the
// calls after pay nothing. The bytes are still read at import, so a missing file fails there;
// a failed compile throws from that first use, and again from the next.
function lazyNodeGlue(rel) {
  const file = join(out, rel);
  const glue = readFileSync(file, 'utf8');
  const eager =
    /^const wasmModule = new WebAssembly\.Module\(wasmBytes\);\nlet wasmInstance = new WebAssembly\.Instance\(wasmModule, __wbg_get_imports\(\)\);\nlet wasm = wasmInstance\.exports;\nwasm\.__wbindgen_start\(\);$/m;
  const lazy = `// Compiled and instantiated on first use (pkg-template/build.mjs, lazyNodeGlue).
let wasm = new Proxy(
  {},
  {
    get(_, key) {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes), __wbg_get_imports());
      wasm = instance.exports;
      wasm.__wbindgen_start();
      return wasm[key];
    },
  },
);`;
  if (glue.includes('lazyNodeGlue')) return; // build.mjs run again over the same pkg/
  if (!eager.test(glue))
    throw new Error(`build.mjs: the eager instantiation not found in ${rel} (a new wasm-bindgen?)`);
  writeFileSync(file, nodeStrings(glue.replace(eager, lazy), rel));
}

// Strings cross into and out of the wasm on every call (the params, the request, the answer).
// wasm-bindgen's glue copies a string in with a JavaScript loop per character, up to the first
// non-ASCII one, then up to two reallocations around `encodeInto`, and out through a fresh
// `subarray` and `TextDecoder`; in Node a Buffer over the wasm memory does each with one native
// call (`utf8Write` after `Buffer.byteLength`, `utf8Slice`): measured over loopback, about 1 µs
// less per Yunzhijia call. The glue's own functions stay for a runtime without those methods.
function nodeStrings(glue, rel) {
  const pass = 'function passStringToWasm0(arg, malloc, realloc) {';
  const get = 'function getStringFromWasm0(ptr, len) {';
  if (!glue.includes(pass) || !glue.includes(get))
    throw new Error(`build.mjs: passStringToWasm0 or getStringFromWasm0 not found in ${rel} (a new wasm-bindgen?)`);
  return (
    glue
      .replace(pass, 'function wbGluePassString(arg, malloc, realloc) {')
      .replace(get, 'function wbGlueGetString(ptr, len) {') +
    `
// Node's strings through a Buffer over the wasm memory (pkg-template/build.mjs, nodeStrings).
const wbNodeBuffer =
  typeof Buffer === 'function' &&
  typeof Buffer.byteLength === 'function' &&
  typeof Buffer.prototype.utf8Write === 'function' &&
  typeof Buffer.prototype.utf8Slice === 'function';
let wbMemoryBuffer = null;
function wbMemory() {
  // A grown memory detaches the old buffer (its length reads 0): take a view of the new one.
  if (wbMemoryBuffer === null || wbMemoryBuffer.byteLength === 0) wbMemoryBuffer = Buffer.from(wasm.memory.buffer);
  return wbMemoryBuffer;
}
function passStringToWasm0(arg, malloc, realloc) {
  if (!wbNodeBuffer || realloc === undefined) return wbGluePassString(arg, malloc, realloc);
  // The exact UTF-8 length first (a lone surrogate counts as the 3 bytes of U+FFFD, as written),
  // so that one allocation of the size the wasm frees with does.
  const len = Buffer.byteLength(arg, 'utf8');
  let ptr = malloc(len, 1) >>> 0;
  const written = wbMemory().utf8Write(arg, ptr, len);
  if (written !== len) ptr = realloc(ptr, len, written, 1) >>> 0;
  WASM_VECTOR_LEN = written;
  return ptr;
}
function getStringFromWasm0(ptr, len) {
  if (!wbNodeBuffer) return wbGlueGetString(ptr, len);
  ptr = ptr >>> 0;
  return wbMemory().utf8Slice(ptr, ptr + len);
}
`
  );
}

const write = (rel, text) => {
  mkdirSync(dirname(join(out, rel)), { recursive: true });
  writeFileSync(join(out, rel), text);
};

// The declarations of an entry: the shared part, then each vendor's hand-written part (options,
// results, JSON shapes) and generated part (params, methods, qing.call names; `make docs` writes
// it from the tables), then the tables and the default export of the entry's names.
function declarations(title, vendors, names) {
  const types = (rel) => readFileSync(join(here, 'types', rel), 'utf8').trimEnd();
  const tables = vendors.map((v) => `${v}: OperationInfo[]`).join('; ');
  return [
    `// ${title}: the types of the package, assembled by build.mjs from pkg-template/types/.`,
    types('common.d.ts'),
    ...vendors.flatMap((v) => [types(`${v}.d.ts`), types(`generated/${v}.d.ts`)]),
    `/** The operation tables the clients and \`qing.call\` are derived from (docs and rules: \`workbridge/tables\`). */\nexport const operations: { ${tables} };`,
    `declare const _default: {\n${names.map((n) => `  ${n}: typeof ${n};`).join('\n')}\n};\nexport default _default;\n`,
  ].join('\n\n');
}

write(
  'index.cjs',
  `'use strict';\n${facade}\nmodule.exports = makeWorkbridge(require('./wasm/node/workbridge.js'), ${ALL_TABLES});\n`,
);
lazyNodeGlue('wasm/node/workbridge.js');

// One entry per vendor (`workbridge/cam`, ...), over a wasm built with that vendor's feature
// only, so an app that uses one vendor ships one. Each is its own instance, with its own
// WorkbridgeError class; the facade text is the same, the tables it derives from are smaller.
const VENDOR_EXPORTS = {
  cam: ['CAMAPIClient', 'getAPIClient', 'setAPIClient'],
  yunzhijia: ['YunzhijiaClient'],
  xuanxuan: ['XuanxuanClient', 'xuanxuanToken'],
  ytx: ['YtxClient', 'ytxSign', 'ytxAuthorization'],
};
for (const [vendor, own] of Object.entries(VENDOR_EXPORTS)) {
  const list = [...own, 'WorkbridgeError', 'qing', 'operations', 'diagnostics'];
  const vnames = `{ ${list.join(', ')} }`;
  write(
    `${vendor}/index.cjs`,
    `'use strict';\n${facade}\nconst api = makeWorkbridge(require('./wasm/node/workbridge.js'), ${slim([vendor])});\nmodule.exports = ${vnames.replace(/(\w+)/g, '$1: api.$1')};\n`,
  );
  lazyNodeGlue(`${vendor}/wasm/node/workbridge.js`);
  write(`${vendor}/index.mjs`, `import api from './index.cjs';\nexport const ${vnames} = api;\nexport default api;\n`);
  write(
    `${vendor}/browser.mjs`,
    `import init, * as wasm from './wasm/web/workbridge.js';\n\nawait init();\n\n${facade}\nconst api = makeWorkbridge(wasm, ${slim([vendor])});\nexport const ${vnames} = api;\nexport default { ${list.join(', ')} };\n`,
  );
  write(`${vendor}/wasm/web/package.json`, '{ "type": "module" }\n');
  write(
    `${vendor}/index.d.ts`,
    declarations(
      `workbridge/${vendor}: ${own.join(', ')} alone, with only this vendor's code and wasm`,
      [vendor],
      list,
    ),
  );
}
write('index.d.ts', declarations('workbridge', Object.keys(VENDOR_EXPORTS), EXPORTS));
// workbridge/global: the classic-script build's globals, typed from the package's own
// declarations (`import 'workbridge/global'`, or `/// <reference types="workbridge/global" />`).
write(
  'global.d.ts',
  `// workbridge/global: what <script src="workbridge.global.js"> defines.
import type api from './index.js';

/** The package's exports, and \`ready\`, which resolves with them once they are all there. */
export type WorkbridgeGlobal = typeof api & { ready: Promise<typeof api> };

declare global {
  /**
   * Without WebAssembly, a script loaded async, deferred or injected finds only \`ready\` here
   * until the JavaScript build has loaded: await \`workbridge.ready\` there.
   */
  var workbridge: WorkbridgeGlobal;
  /** workbridge's qing, unless the page loaded its own qing.js first (then that one). */
  var qing: typeof api.qing;
}
`,
);
write('index.mjs', `import api from './index.cjs';\nexport const ${names} = api;\nexport default api;\n`);
write(
  'browser.mjs',
  `import init, * as wasm from './wasm/web/workbridge.js';\n\n// The wasm sits next to this file; bundlers (Vite) follow the URL the glue builds from import.meta.url.\nawait init();\n\n${facade}\nconst api = makeWorkbridge(wasm, ${ALL_TABLES});\nexport const ${names} = api;\nexport default api;\n`,
);
// The classic-script build for Yunzhijia light-app pages and pages with no module loader:
// <script src=".../workbridge.global.js"></script> gives window.workbridge, and window.qing unless
// the page has its own. The wasm is inlined and compiled synchronously (Chromium allows it on the
// main thread for modules this size). Where there is no WebAssembly (iOS Lockdown Mode, JIT-less
// or old WebViews), or it refuses the module, the same Rust compiled to JavaScript by wasm2js is
// loaded from workbridge.global.nowasm.js next to it: only those pages download it.
const version = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).version;
const noref = process.argv[3];
if (!noref)
  throw new Error('usage: node build.mjs <pkg dir> <dir of the no-reference-types build> (the Makefile passes both)');

// A wasm-bindgen web glue as the body of a classic script: no import/export, no import.meta.
function classicGlue(glue) {
  return {
    body: glue
      .replace(/^export (function|class) /gm, '$1 ')
      .replace(/^export \{[^}]*\};?[ \t]*$/gm, '')
      .replace(/import\.meta\.url/g, 'document.baseURI'),
    names: [...glue.matchAll(/^export (?:function|class) (\w+)/gm)].map((m) => m[1]),
  };
}
const must = (text, pattern, replacement, what) => {
  if (!pattern.test(text))
    throw new Error(`build.mjs: ${what} not found in the wasm-bindgen glue (a new wasm-bindgen?)`);
  return text.replace(pattern, replacement);
};

// Both classic-script files run in WebViews as old as ES2018 (Chrome 64, iOS 12: those whose
// WebAssembly predates reference types take the JavaScript build): the syntax newer than that
// (?., ??, ??=, catch with no binding) is lowered by oxc, through rolldown (a dependency of Vite),
// with no runtime helper, so each file stays one self-contained classic script; then minified
// (the JavaScript build: 921 kB -> 343 kB, 145 kB -> 105 kB gzip). The page's global object is
// passed in as `root` and also named `globalThis` inside, which is ES2020.
function es2018(name, header, code) {
  const lowered = transformSync(name, code, { target: 'es2018' });
  if (lowered.errors.length) throw new Error(`build.mjs: ${name}: ${lowered.errors.map((e) => e.message).join('; ')}`);
  const helpers = Object.keys(lowered.helpersUsed || {});
  if (helpers.length)
    throw new Error(`build.mjs: ${name} would need the runtime helpers ${helpers.join(', ')} at ES2018`);
  const minified = minifySync(name, lowered.code, { compress: { target: 'es2018' }, mangle: true });
  if (minified.errors && minified.errors.length)
    throw new Error(`build.mjs: ${name}: ${minified.errors.map((e) => e.message).join('; ')}`);
  return `/* ${header} */\n${minified.code}`;
}
const GLOBAL_THIS = 'const globalThis = root;';

// Shared by both files: installs the API as window.workbridge (resolving the `ready` of a
// workbridge.global.js that had to fetch the JavaScript build), and as window.qing when the page
// has none. A page's own qing.js, loaded before, is left alone; window.qing is a copy, so a
// qing.js loaded after that patches or replaces window.qing never changes workbridge.qing.
const install = `const WB_PENDING = '__workbridgePending';
function wbInstall(root, api) {
  const stub = root.workbridge;
  const pending = stub && stub[WB_PENDING];
  const ns = pending ? stub : {};
  Object.assign(ns, api);
  if (!pending) ns.ready = Promise.resolve(ns);
  root.workbridge = ns;
  const theirs = root.qing;
  // An element with id="qing" shows through window.qing too: that is not a qing.js.
  const none = theirs === undefined || theirs === null
    || (typeof Node === 'function' && theirs instanceof Node)
    || (typeof HTMLCollection === 'function' && theirs instanceof HTMLCollection);
  if (none) root.qing = Object.assign({}, api.qing);
  if (pending) {
    delete ns[WB_PENDING];
    pending.resolve(ns);
  }
  return ns;
}
`;
const ROOT = `(typeof globalThis !== 'undefined' ? globalThis : window)`;

const web = classicGlue(readFileSync(join(out, 'wasm/web/workbridge.js'), 'utf8'));
const wasmBase64 = readFileSync(join(out, 'wasm/web/workbridge_bg.wasm')).toString('base64');
write(
  'workbridge.global.js',
  es2018(
    'workbridge.global.js',
    `workbridge ${version}: <script src="workbridge.global.js"></script> defines window.workbridge, and window.qing unless the page has one; without WebAssembly it loads workbridge.global.nowasm.js from next to it`,
    `
(function (root) {
'use strict';
${GLOBAL_THIS}
${install}
const NOWASM = 'workbridge.global.nowasm.js';
const currentScript = typeof document !== 'undefined' ? document.currentScript : null;

// Where the JavaScript build is: next to this file, or where data-nowasm says. A src naming no
// .js file is a package root (https://unpkg.com/workbridge redirects to this file).
function nowasmURL() {
  if (!currentScript || !currentScript.src) return undefined;
  if (currentScript.dataset && currentScript.dataset.nowasm) return currentScript.dataset.nowasm;
  const src = currentScript.src.replace(/[?#].*$/, '');
  return /\\.js$/.test(src) ? src.replace(/[^/]*$/, NOWASM) : src.replace(/\\/*$/, '/' + NOWASM);
}

// No usable WebAssembly: window.workbridge is a stub whose \`ready\` resolves once the JavaScript
// build has replaced it. From a parser-blocking <script src> (the documented form) the build is
// written into the document right after this script, so the page's next script already sees the
// whole API, as with WebAssembly; otherwise (async, defer, injected, bundled) it is appended
// and the page waits for workbridge.ready.
function loadJavaScriptBuild(why) {
  let pending;
  const ready = new Promise((resolve, reject) => { pending = { resolve, reject }; });
  const ns = { ready };
  Object.defineProperty(ns, WB_PENDING, { value: pending, configurable: true });
  root.workbridge = ns;
  const fail = (detail) => pending.reject(new Error('workbridge: ' + why + ', and its JavaScript build ' + detail));
  const url = nowasmURL();
  if (!url || typeof document === 'undefined') {
    fail('could not be located: load ' + NOWASM + ' from the package with a <script src> of its own');
    return;
  }
  const append = () => {
    const script = document.createElement('script');
    script.src = url;
    script.addEventListener('error', () => fail('did not load from ' + url));
    (document.head || document.documentElement).appendChild(script);
  };
  if (currentScript && !currentScript.async && !currentScript.defer && document.readyState === 'loading') {
    document.write('<script src="' + url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;') + '" data-workbridge-nowasm><\\/script>');
    // Chrome may refuse a written cross-site script on a slow connection: then append it.
    const written = document.querySelector('script[data-workbridge-nowasm]');
    if (written) written.addEventListener('error', append);
    return;
  }
  append();
}

if (typeof WebAssembly !== 'object' || WebAssembly === null || typeof WebAssembly.Instance !== 'function') {
  loadJavaScriptBuild('this browser has no WebAssembly');
  return;
}
${web.body}
${facade}
const wasmBytes = (function (b64) {
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
})('${wasmBase64}');
try {
  initSync({ module: wasmBytes });
} catch (e) {
  // A WebView that refuses the module (too old for its features, a policy, a size limit on the
  // main thread) gets the JavaScript build rather than nothing.
  loadJavaScriptBuild('this browser refused the WebAssembly module (' + (e && e.message) + ')');
  return;
}
wbInstall(root, makeWorkbridge({ ${web.names.join(', ')} }, ${ALL_TABLES}));
})(${ROOT});
`,
  ),
);

// The JavaScript build: the wasm-bindgen glue of the build without reference types, over the
// wasm2js translation of its wasm. wasm2js's memory.grow swaps in a new ArrayBuffer without
// detaching the old one, so the glue's views are renewed whenever the buffer is another one.
let nowasmGlue = readFileSync(join(noref, 'workbridge.js'), 'utf8');
if (/externref/.test(nowasmGlue))
  throw new Error('build.mjs: the no-reference-types glue uses an externref table: wasm2js cannot take it');
nowasmGlue = must(
  nowasmGlue,
  /cachedUint8ArrayMemory0 === null \|\| cachedUint8ArrayMemory0\.byteLength === 0/,
  'cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.buffer !== wasm.memory.buffer',
  'the Uint8Array view check',
);
nowasmGlue = must(
  nowasmGlue,
  /cachedDataViewMemory0 === null \|\| cachedDataViewMemory0\.buffer\.detached === true \|\| \(cachedDataViewMemory0\.buffer\.detached === undefined && cachedDataViewMemory0\.buffer !== wasm\.memory\.buffer\)/,
  'cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer !== wasm.memory.buffer',
  'the DataView check',
);
if (/cached\w+Memory0\.byteLength === 0/.test(nowasmGlue))
  throw new Error('build.mjs: a memory view of the glue is renewed only on a detached buffer');
const js = classicGlue(nowasmGlue);
if (!/function __wbg_get_imports\(/.test(js.body) || !/function __wbg_finalize_init\(/.test(js.body))
  throw new Error('build.mjs: the glue has no __wbg_get_imports/__wbg_finalize_init');
const asm = readFileSync(join(noref, 'workbridge_bg.asm.js'), 'utf8');
if (!/^function asmFunc\(imports\) \{$/m.test(asm))
  throw new Error('build.mjs: wasm2js output has no asmFunc(imports)');
const asmBody = asm
  .replace(/^import \* as \S+ from '[^']*';$/gm, '')
  .replace(/^var retasmFunc = asmFunc\([\s\S]*$/m, '');
write(
  'workbridge.global.nowasm.js',
  es2018(
    'workbridge.global.nowasm.js',
    `workbridge ${version}: the JavaScript build of workbridge.global.js (no WebAssembly needed), which loads it when the browser has none`,
    `
(function (root) {
'use strict';
${GLOBAL_THIS}
${install}
${js.body}
${facade}
${asmBody}
__wbg_finalize_init({ exports: asmFunc(__wbg_get_imports()) }, undefined);
wbInstall(root, makeWorkbridge({ ${js.names.join(', ')} }, ${ALL_TABLES}));
})(${ROOT});
`,
  ),
);

const adapter = readFileSync(join(here, 'sandbox', 'adapter.js'), 'utf8');
for (const [from, to] of [
  ['sandbox/index.src.cjs', 'sandbox/index.cjs'],
  ['sandbox/browser.src.mjs', 'sandbox/browser.mjs'],
]) {
  write(to, readFileSync(join(here, from), 'utf8').replace('/*ADAPTER*/', adapter));
}
write('sandbox/web/package.json', '{ "type": "module" }\n');

for (const rel of [
  'tables.mjs',
  'tables.d.ts',
  'store.cjs',
  'store.mjs',
  'store.d.ts',
  'package.json',
  'sandbox/index.mjs',
  'sandbox/index.d.ts',
  'bin/workbridge.mjs',
  'bin/env.mjs',
  'bin/relay.mjs',
]) {
  mkdirSync(dirname(join(out, rel)), { recursive: true });
  copyFileSync(join(here, rel), join(out, rel));
}
// workbridge/relay (Node): its declarations.
copyFileSync(join(here, 'types', 'relay.d.ts'), join(out, 'relay.d.ts'));
chmodSync(join(out, 'bin/workbridge.mjs'), 0o755);
// The web glue is an ES module in a .js file; the package root is CommonJS.
write('wasm/web/package.json', '{ "type": "module" }\n');
for (const doc of ['README.md', 'CHANGELOG.md', 'LICENSE']) copyFileSync(join(here, '..', doc), join(out, doc));
