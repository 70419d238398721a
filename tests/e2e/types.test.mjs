// The .d.ts under TypeScript's `strict`: correct uses compile, and every wrong use in bad.ts
// is an error (each is marked @ts-expect-error, so one that compiles fails the run).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installPackage } from './helpers.mjs';

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

// A TypeScript page that loads the classic-script build: `import 'workbridge/global'` (or a
// `/// <reference types>`) must type `window.workbridge` and `window.qing`, through the installed
// package's exports as a user's compiler resolves them.
test('workbridge/global types window.workbridge and window.qing from the installed package', () => {
  const work = installPackage('types-global');
  writeFileSync(
    join(work, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'es2018',
        module: 'esnext',
        moduleResolution: 'bundler',
        lib: ['es2018', 'dom'],
        types: [],
      },
      files: ['page.ts', 'script.ts'],
    }),
  );
  writeFileSync(
    join(work, 'page.ts'),
    `import 'workbridge/global';
// The vendor clients are there once workbridge.ready has resolved (it loads them).
const wb = await window.workbridge.ready;
const cam = new wb.CAMAPIClient({ apiToken: 't', serverURL: 'https://cam.example' });
// @ts-expect-error before that, workbridge.CAMAPIClient may be undefined
void new workbridge.CAMAPIClient({ apiToken: 't', serverURL: 'https://cam.example' });
const sent: Promise<unknown> = cam.sendMessage('ops', 'disk full');
window.qing.call('cam.sendMessage', { panelName: 'ops', message: 'hi', success(r) { const s: 'true' | 'false' = r.success; } });
workbridge.qing.config({ relay: 'https://relay.example' });
const e = (x: unknown): string => (x instanceof workbridge.WorkbridgeError ? x.code : '');
// @ts-expect-error a qing.call name in the wrong case is not an operation
qing.call('cam.sendmessage', { panelName: 'ops', message: 'hi' });
// @ts-expect-error the global has no such export
workbridge.sendMessage('ops', 'hi');
export { sent, e };
`,
  );
  writeFileSync(
    join(work, 'script.ts'),
    `/// <reference types="workbridge/global" />
void workbridge.ready.then((wb) => new wb.YunzhijiaClient({ accessToken: 'a' })).then((y) => y.meeting.create({ openid: 'o', title: 't', startDate: Date.now(), endDate: Date.now() + 1, actors: ['u'] }));
`,
  );
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', work], {
    encoding: 'utf8',
  });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
});

// workbridge/relay's declarations, through the installed package's exports, with no @types/node.
test('workbridge/relay types createRelay, its options and its handlers from the installed package', () => {
  const work = installPackage('types-relay');
  writeFileSync(
    join(work, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        lib: ['es2022', 'dom'],
        types: [],
      },
      files: ['server.mts'],
    }),
  );
  writeFileSync(
    join(work, 'server.mts'),
    `import { createRelay, startRelay, RelayConfigError } from 'workbridge/relay';
const relay = createRelay({
  allow: ['meeting.create'],
  origins: ['https://app.example.com'],
  signOn: 'yunzhijia',
  rate: 60,
  trustProxy: 1,
  authorize: ({ user, params }) => (user ? { params: { ...params, title: user.username } } : false),
});
const answer: Promise<Response> = relay.fetch(new Request('https://relay.example/wb/call/meeting.create'));
const started = startRelay({ allow: ['meeting.queryByDay'], port: 0, maxConnections: 10 }).then((r) => r.url);
const bad = (e: unknown) => e instanceof RelayConfigError;
// @ts-expect-error sign-on is yunzhijia's light-app ticket
createRelay({ allow: [], signOn: 'dingtalk' });
// @ts-expect-error allow is a list of names
createRelay({ allow: 'meeting.create' });
export { answer, started, bad };
`,
  );
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', work], {
    encoding: 'utf8',
  });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
});
