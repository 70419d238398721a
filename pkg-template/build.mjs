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
for (const rel of ['index.d.ts', 'package.json', 'sandbox/index.cjs', 'sandbox/index.mjs', 'sandbox/index.d.ts', 'bin/workbridge.mjs', 'bin/env.mjs', 'bin/relay.mjs']) {
  mkdirSync(dirname(join(out, rel)), { recursive: true });
  copyFileSync(join(here, rel), join(out, rel));
}
chmodSync(join(out, 'bin/workbridge.mjs'), 0o755);
// The web glue is an ES module in a .js file; the package root is CommonJS.
write('wasm/web/package.json', '{ "type": "module" }\n');
copyFileSync(join(here, '..', 'README.md'), join(out, 'README.md'));
