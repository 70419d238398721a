// The operation tables with their docs and rules: operations.json, which `make build` writes from
// the Rust tables (src/bin/tables.rs). The one way to read them in full, for the CLI's help,
// docs/API.md (gen-docs.mjs), the demo page and the declarations: the client entries carry only
// the names and parameter lists their classes are derived from (the `operations` export), so
// that no app ships the docs. Node only; a page fetches operations.json itself.

import { readFileSync } from 'node:fs';

/** `{vendor: [{name, kind, positional, doc, params: [{name, type, rule, values, required, doc}]}]}`. */
export function loadTables() {
  return JSON.parse(readFileSync(new URL('./operations.json', import.meta.url), 'utf8'));
}
