// The operation tables with their docs and rules: operations.json, which `make build` writes from
// the Rust tables (src/bin/tables.rs). The one way to read them in full, for the CLI's help,
// docs/API.md (gen-docs.mjs), the generated declarations (gen-types.mjs), the demo page: the
// client entries carry only the names and parameter lists their classes are derived from (the
// `operations` export), so that no app ships the docs. Node only; a page fetches operations.json.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `{vendor: [{name, kind, positional, doc, params: [{name, type, rule, values, required, doc}]}]}`:
 * the package's own (next to this file), or those of the built package in `pkgDir`.
 */
export function loadTables(pkgDir) {
  const file = pkgDir ? join(pkgDir, 'operations.json') : new URL('./operations.json', import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8'));
}
