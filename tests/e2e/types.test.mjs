// The .d.ts under TypeScript's `strict`: correct uses compile, and every wrong use in bad.ts
// is an error (each is marked @ts-expect-error, so one that compiles fails the run).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');

test('correct uses compile and every wrong use is a type error', () => {
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tests/types')],
    { encoding: 'utf8' },
  );
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  const wrong = readFileSync(join(root, 'tests/types/bad.ts'), 'utf8').match(/@ts-expect-error/g).length;
  assert.ok(wrong >= 15, `${wrong} wrong uses checked`);
});
