// Assembles pkg/ from pkg-template/ and the wasm-bindgen outputs in pkg/wasm/ and
// pkg/sandbox/wasm/ (the Makefile puts them there): the CommonJS entry, the Node ES module
// (which re-exports the CommonJS one, so `import` and `require` share one instance), and the
// browser ES module (which loads the web build and needs no init() call). The entries of one
// format share their JavaScript (common.cjs, common.mjs), so that an app bundling two vendor
// entries carries it once.

import { readFileSync, writeFileSync, mkdirSync, copyFileSync, chmodSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';
import { minifySync, transformSync } from 'rolldown/experimental';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || join(here, '..', 'pkg'));
const version = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).version;

// src/qing/ is ES modules (the qing API, the app's protocol, the relay client), bundled here into
// one text: `format` 'iife' with `name` gives `var <name> = (function (exports) {...})({})`,
// usable in every entry whatever its module format; 'esm' keeps `external` dynamic imports.
async function bundle(entry, format, name, external) {
  const b = await rolldown({
    input: join(here, 'src', 'qing', entry),
    cwd: join(here, 'src'),
    external,
    logLevel: 'warn',
  });
  const { output } = await b.generate({ format, name });
  await b.close();
  return output[0].code;
}
const QING = await bundle('index.js', 'iife', 'wbQing');
// The vendor clients over the wasm: what the classic-script global loads on demand, over the
// qing base its light part made.
const clients =
  `const WB_VERSION = ${JSON.stringify(version)};\n` +
  ['transport.js', 'bulk.js', 'facade.js'].map((f) => readFileSync(join(here, 'src', f), 'utf8')).join('\n');
const facade = `${QING}\n${clients}`;
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
// calls after pay nothing. A failed compile throws from that first use, and again from the next.
// The glue read its wasm from `${__dirname}`: server bundlers (Next.js, webpack for Node, esbuild
// for Node) rewrite __dirname and copy no .wasm, so the bytes are inlined instead, in base64,
// and decoded at that first use too.
function lazyNodeGlue(rel) {
  const file = join(out, rel);
  let glue = readFileSync(file, 'utf8');
  if (glue.includes('lazyNodeGlue')) return; // build.mjs run again over the same pkg/
  const read =
    /^const wasmPath = `\$\{__dirname\}\/(\w+\.wasm)`;\nconst wasmBytes = require\('fs'\)\.readFileSync\(wasmPath\);$/m;
  const found = read.exec(glue);
  if (!found) throw new Error(`build.mjs: the wasm read from __dirname not found in ${rel} (a new wasm-bindgen?)`);
  const base64 = readFileSync(join(dirname(file), found[1])).toString('base64');
  glue = glue.replace(
    read,
    () => `// The wasm, inlined (pkg-template/build.mjs, lazyNodeGlue): no file to find at run time.
const wasmBase64 = '${base64}';
const wasmBytes = () =>
  typeof Buffer === 'function'
    ? Buffer.from(wasmBase64, 'base64')
    : Uint8Array.from(atob(wasmBase64), (c) => c.charCodeAt(0));`,
  );
  const eager =
    /^const wasmModule = new WebAssembly\.Module\(wasmBytes\);\nlet wasmInstance = new WebAssembly\.Instance\(wasmModule, __wbg_get_imports\(\)\);\nlet wasm = wasmInstance\.exports;\nwasm\.__wbindgen_start\(\);$/m;
  const lazy = `// Compiled and instantiated on first use (pkg-template/build.mjs, lazyNodeGlue).
let wasm = new Proxy(
  {},
  {
    get(_, key) {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes()), __wbg_get_imports());
      wasm = instance.exports;
      wasm.__wbindgen_start();
      return wasm[key];
    },
  },
);`;
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
  // Each part without its leading comment, which is about the repository (what generates it,
  // where its parts are): the shipped file speaks of the package only.
  const types = (rel) =>
    readFileSync(join(here, 'types', rel), 'utf8')
      .replace(/^(\/\/.*\n)+\n?/, '')
      .trimEnd();
  const tables = vendors.map((v) => `${v}: OperationInfo[]`).join('; ');
  return [
    `// ${title}: the types of the package.`,
    types('common.d.ts'),
    ...vendors.flatMap((v) => [types(`${v}.d.ts`), types(`generated/${v}.d.ts`)]),
    `/** The operation tables the clients and \`qing.call\` are derived from (docs and rules: \`workbridge/tables\`). */\nexport const operations: { ${tables} };`,
    `/**
 * Resolves with the exports once the WebAssembly is there: at once in Node; in a page, once its
 * fetch is done (client calls wait for it themselves). The synchronous functions that need it
 * (\`dryRun\`, the signing helpers, \`diagnostics\`) throw NOT_READY until then. Rejects with
 * NOT_READY when the wasm cannot be loaded.
 */
export const ready: Promise<typeof _default>;`,
    `declare const _default: {\n${[...names, 'ready'].map((n) => `  ${n}: typeof ${n};`).join('\n')}\n};\nexport default _default;\n`,
  ].join('\n\n');
}

// The shared JavaScript, once per format. The browser entries' wasm is fetched after import
// (no top-level await: esbuild's iife has none), from the URL the glue builds with
// `new URL(..., import.meta.url)`, which Vite, webpack, Rollup's asset plugins, Next.js (webpack
// and Turbopack) and Parcel follow and copy. Where the file was not copied (esbuild, plain
// Rollup) or cannot be fetched, the entry's copy of it inlined in base64, a chunk of its own that
// bundlers split off (Vite, webpack, Rollup) and only such an app loads, or that esbuild inlines.
write('common.cjs', `'use strict';\n${facade}\nmodule.exports = { makeWorkbridge };\n`);
write(
  'common.mjs',
  `${facade}
function wbLoad(init, initSync, inline) {
  return init().catch((e) =>
    inline().then(
      (m) => initSync({ module: m.wasmBytes() }),
      () => {
        throw e;
      },
    ),
  );
}
export { makeWorkbridge, wbLoad };
`,
);
// The inlined copy of a web build's wasm, beside its glue: `<name>_inline.js`.
function inlineWasm(dir, name) {
  const base64 = readFileSync(join(out, dir, `${name}_bg.wasm`)).toString('base64');
  write(
    `${dir}/${name}_inline.js`,
    `// ${name}_bg.wasm in base64: the browser entry's fallback where that file was not copied.
export function wasmBytes() {
  const s = atob('${base64}');
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}
`,
  );
}
// A browser entry over the web glue `glue` (its wasm and inlined copy beside it).
const browserEntry = (common, glue, tables, list) => `import { makeWorkbridge, wbLoad } from '${common}';
import init, * as wasm from '${glue}.js';

const api = makeWorkbridge(
  wasm,
  ${tables},
  undefined,
  wbLoad(init, wasm.initSync, () => import('${glue}_inline.js')),
);
export const { ${list.join(', ')}, ready } = api;
export default { ${list.join(', ')}, ready };
`;
// The Node entries have their wasm at once: \`ready\` is there for code shared with pages.
// `list`: the names it exports (all of the API's when omitted); `ready` resolves with them.
const nodeEntry = (common, glue, tables, list) => `'use strict';
const api = require('${common}').makeWorkbridge(require('${glue}'), ${tables});
const exported = ${list ? `{ ${list.map((n) => `${n}: api.${n}`).join(', ')} }` : 'api'};
exported.ready = Promise.resolve(exported);
module.exports = exported;
`;

write('index.cjs', nodeEntry('./common.cjs', './wasm/node/workbridge.js', ALL_TABLES));
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
  write(`${vendor}/index.cjs`, nodeEntry('../common.cjs', './wasm/node/workbridge.js', slim([vendor]), list));
  lazyNodeGlue(`${vendor}/wasm/node/workbridge.js`);
  write(
    `${vendor}/index.mjs`,
    `import api from './index.cjs';\nexport const { ${list.join(', ')}, ready } = api;\nexport default api;\n`,
  );
  // The web build's files are named after the vendor (workbridge_cam_bg.wasm): two entries in
  // one app never ask for the same file name.
  inlineWasm(`${vendor}/wasm/web`, `workbridge_${vendor}`);
  write(
    `${vendor}/browser.mjs`,
    browserEntry('../common.mjs', `./wasm/web/workbridge_${vendor}`, slim([vendor]), list),
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
  `// workbridge/global: what <script src="workbridge.global.js"> (or \`import 'workbridge/global'\`) defines.
import type api from './index.js';

/**
 * \`qing\` and \`WorkbridgeError\` at once; the vendor clients (CAMAPIClient, ..., xuanxuanToken)
 * once they have loaded: a page that uses them awaits \`workbridge.ready\`, which loads them (as
 * does qing.config with a vendor's options) and resolves with the whole API.
 */
export type WorkbridgeGlobal = Pick<typeof api, 'qing' | 'WorkbridgeError'> &
  Partial<typeof api> & { readonly ready: Promise<typeof api> };

declare global {
  var workbridge: WorkbridgeGlobal;
  /** workbridge's qing, unless the page loaded its own qing.js first (then that one). */
  var qing: typeof api.qing;
}
`,
);
write(
  'index.mjs',
  `import api from './index.cjs';\nexport const { ${EXPORTS.join(', ')}, ready } = api;\nexport default api;\n`,
);
inlineWasm('wasm/web', 'workbridge');
write('browser.mjs', browserEntry('./common.mjs', './wasm/web/workbridge', ALL_TABLES, EXPORTS));
// The classic-script build for Yunzhijia light-app pages and pages with no module loader:
// <script src=".../workbridge.global.js"></script> gives window.workbridge, and window.qing unless
// the page has its own. That file is the light part only (qing, the app's protocol, the relay
// client: a few KiB); the vendor clients load from next to it when a page needs them, as
// workbridge.global.wasm.js (the wasm inlined, compiled synchronously: Chromium allows it on the
// main thread for modules this size) or, where there is no WebAssembly (iOS Lockdown Mode,
// JIT-less or old WebViews) or it refuses the module, workbridge.global.nowasm.js (the same Rust
// compiled to JavaScript by wasm2js). Through a bundler, global.mjs does the same with import().
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

// The classic-script files run in WebViews as old as ES2018 (Chrome 64, iOS 12: those whose
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
const ROOT = `(typeof globalThis !== 'undefined' ? globalThis : window)`;
// The operation names per vendor: all the light part knows of the tables.
const NAMES = JSON.stringify(Object.fromEntries(Object.entries(FULL).map(([v, ops]) => [v, ops.map((o) => o.name)])));

const classic = await bundle('classic.js', 'iife', 'wbClassic');
write(
  'workbridge.global.js',
  es2018(
    'workbridge.global.js',
    `workbridge ${version}: <script src="workbridge.global.js"></script> defines window.workbridge, and window.qing unless the page has one; the vendor clients load from next to it when a page needs them`,
    `
(function (root) {
'use strict';
${GLOBAL_THIS}
${classic}
wbClassic.installClassic(root, ${NAMES}, ${JSON.stringify(version)});
})(${ROOT});
`,
  ),
);

// A heavy part as a classic script: hands `build(base)` to the light part's hook.
const heavy = (file, body) => `
(function (root) {
'use strict';
${GLOBAL_THIS}
const hook = root.workbridge && root.workbridge.__workbridgeLoaded;
if (typeof hook !== 'function') {
  console.error('workbridge: ${file} is loaded by workbridge.global.js: load that one (first)');
  return;
}
hook(function (base) {
${body}
});
})(${ROOT});
`;

const web = classicGlue(readFileSync(join(out, 'wasm/web/workbridge.js'), 'utf8'));
const wasmBase64 = readFileSync(join(out, 'wasm/web/workbridge_bg.wasm')).toString('base64');
write(
  'workbridge.global.wasm.js',
  es2018(
    'workbridge.global.wasm.js',
    `workbridge ${version}: the vendor clients of workbridge.global.js, which loads this file when a page needs them`,
    heavy(
      'workbridge.global.wasm.js',
      `${web.body}
${clients}
const wasmBytes = (function (b64) {
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
})('${wasmBase64}');
initSync({ module: wasmBytes });
return makeWorkbridge({ ${web.names.join(', ')} }, ${ALL_TABLES}, base);`,
    ),
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
const nowasmBuild = `${js.body}
${clients}
${asmBody}
__wbg_finalize_init({ exports: asmFunc(__wbg_get_imports()) }, undefined);
return makeWorkbridge({ ${js.names.join(', ')} }, ${ALL_TABLES}, base);`;
write(
  'workbridge.global.nowasm.js',
  es2018(
    'workbridge.global.nowasm.js',
    `workbridge ${version}: the JavaScript build of the vendor clients of workbridge.global.js (no WebAssembly needed), which loads it when the browser has none`,
    heavy('workbridge.global.nowasm.js', nowasmBuild),
  ),
);

// workbridge/global through a bundler: the light part as an ES module, its heavy parts as the
// modules global-wasm.mjs (over the web build's glue and wasm file, which the bundler emits) and
// global-nowasm.mjs, reached by import() so that the bundler emits them as chunks of their own.
const bundled = (await bundle('bundled.js', 'esm', undefined, [/global-(?:no)?wasm\.mjs$/])).replace(
  /^export \{[^}]*\};?\s*$/m,
  '',
);
write(
  'global.mjs',
  `// workbridge/global for bundlers: window.workbridge and window.qing, the vendor clients loaded on demand.\n${bundled}\ninstallBundled(typeof globalThis !== 'undefined' ? globalThis : window, ${NAMES}, ${JSON.stringify(version)});\n`,
);
write(
  'global-wasm.mjs',
  `// The vendor clients of workbridge/global (global.mjs imports this where there is WebAssembly).\nimport init, * as wasm from './wasm/web/workbridge.js';\n\n${clients}\nexport async function build(base) {\n  await init();\n  return makeWorkbridge(wasm, ${ALL_TABLES}, base);\n}\n`,
);
write(
  'global-nowasm.mjs',
  `// The JavaScript build of the vendor clients of workbridge/global (global.mjs imports this where there is no WebAssembly).\nexport function build(base) {\n${nowasmBuild}\n}\n`,
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
