// The generated reference and declarations agree with the operation tables: a table change
// without `make docs` fails here, as does a hand edit of a generated file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { render, ERROR_CODES } from '../../pkg-template/gen-docs.mjs';
import { render as renderTypes } from '../../pkg-template/gen-types.mjs';
import { loadTables } from '../../pkg-template/tables.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
const operations = loadTables(join(root, 'pkg'));
const types = join(root, 'pkg-template', 'types');

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

test('the generated declarations are what the tables generate (run `make docs` after changing a table)', async () => {
  const files = await renderTypes(operations);
  assert.deepEqual(Object.keys(files).sort(), ['cam', 'xuanxuan', 'ytx', 'yunzhijia']);
  assert.deepEqual(
    readdirSync(join(types, 'generated')).sort(),
    Object.keys(files)
      .map((v) => `${v}.d.ts`)
      .sort(),
    'one generated file per vendor, and no other',
  );
  for (const [vendor, text] of Object.entries(files)) {
    assert.equal(readFileSync(join(types, 'generated', `${vendor}.d.ts`), 'utf8'), text, `generated/${vendor}.d.ts`);
  }
});

test('every operation has its params type and qing.call name in the assembled declarations', () => {
  const dts = readFileSync(join(root, 'pkg', 'index.d.ts'), 'utf8');
  for (const [vendor, ops] of Object.entries(operations)) {
    for (const op of ops) {
      const name = vendor === 'yunzhijia' ? op.name : `${vendor}.${op.name}`;
      assert.match(dts, new RegExp(`^  '${name.replace('.', '\\.')}': \\[`, 'm'), `qing.call('${name}')`);
    }
  }
});

test('the error codes of the docs are the declared ones', () => {
  const common = readFileSync(join(types, 'common.d.ts'), 'utf8');
  const union = /export type WorkbridgeErrorCode =([\s\S]*?);/.exec(common)[1];
  assert.deepEqual([...union.matchAll(/'(\w+)'/g)].map(([, c]) => c).sort(), ERROR_CODES.map(([c]) => c).sort());
});
