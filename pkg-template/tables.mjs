// The operation tables of a built package, as the generators read them (gen-docs.mjs writes
// docs/API.md from them, gen-types.mjs the generated declarations). The one place that knows
// where the tables come from: repoint it here if they move out of the client wasm.

import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

/** `{vendor: [{name, kind, positional, doc, params: [{name, type, rule, values, required, doc}]}]}` */
export function loadTables(pkgDir) {
  const pkg = resolve(pkgDir);
  return createRequire(join(pkg, 'package.json'))(join(pkg, 'index.cjs')).operations;
}
