// The generated reference and the declarations agree with the operation tables: a table change
// without `make docs`, or a declaration that drifted from the table, fails here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { render, ERROR_CODES } from '../../pkg-template/gen-docs.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
const { loadTables } = await import(pathToFileURL(join(root, 'pkg', 'tables.mjs')).href);
const operations = loadTables();
const dts = readFileSync(join(root, 'pkg-template', 'index.d.ts'), 'utf8');

test('the entries carry the tables without their docs, which stay in operations.json', () => {
  const { operations: exported } = createRequire(import.meta.url)(join(root, 'pkg', 'index.cjs'));
  const { operations: cam } = createRequire(import.meta.url)(join(root, 'pkg', 'cam', 'index.cjs'));
  const slim = (ops) =>
    ops.map(({ name, kind, positional, params }) => ({
      name,
      kind,
      positional,
      params: params.map(({ name, type, required }) => ({ name, type, required })),
    }));
  assert.deepEqual(Object.keys(exported).sort(), Object.keys(operations).sort());
  for (const [vendor, ops] of Object.entries(operations)) assert.deepEqual(exported[vendor], slim(ops), vendor);
  assert.deepEqual(cam, { cam: slim(operations.cam) }, 'workbridge/cam has its own table only');
  assert.ok(
    operations.cam.every((op) => op.doc.length > 0),
    'operations.json has the docs',
  );
  for (const entry of ['cam/browser.mjs', 'browser.mjs']) {
    const text = readFileSync(join(root, 'pkg', entry), 'utf8');
    assert.ok(!text.includes(operations.cam[1].doc), `${entry} carries no doc text`);
  }
});

test('docs/API.md is what the tables generate (run `make docs` after changing a table)', () => {
  assert.equal(readFileSync(join(root, 'docs', 'API.md'), 'utf8'), render(operations));
});

test('index.d.ts declares every operation of the tables, with the same parameters, and no other', () => {
  const body = /export interface QingOperations \{([\s\S]*?)\n\}/.exec(dts)[1];
  // `'name': [{ inline params }, Result]` or `'name': [NamedParams, Result]`.
  const declared = new Map(
    [...body.matchAll(/^\s*'([\w.]+)': \[(?:\{([^{}]*)\}|\w+)/gm)].map(([, name, params]) => [name, params]),
  );
  const expected = [];
  for (const [vendor, ops] of Object.entries(operations)) {
    for (const op of ops) expected.push([vendor === 'yunzhijia' ? op.name : `${vendor}.${op.name}`, op]);
  }
  assert.deepEqual([...declared.keys()].sort(), expected.map(([n]) => n).sort(), 'qing.call names');
  // Inline param lists are checked name by name, optionality included; named types (MeetingCreateParams, ...) by the type tests.
  for (const [name, op] of expected) {
    const params = declared.get(name);
    if (params === undefined) continue;
    const got = [...params.matchAll(/(\w+)(\??):/g)].map(([, n, opt]) => `${n}${opt}`);
    const want = op.params.map((p) => `${p.name}${p.required ? '' : '?'}`);
    assert.deepEqual(got.sort(), want.sort(), `${name}: the declaration and the table disagree`);
  }
});

test('the error codes of the docs are the declared ones', () => {
  const union = /export type WorkbridgeErrorCode =([\s\S]*?);/.exec(dts)[1];
  assert.deepEqual([...union.matchAll(/'(\w+)'/g)].map(([, c]) => c).sort(), ERROR_CODES.map(([c]) => c).sort());
});
