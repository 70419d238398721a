// The .d.ts under TypeScript's `strict`: correct uses compile, and every wrong use in bad.ts
// is an error (each is marked @ts-expect-error, so one that compiles fails the run).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
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

// A Node TypeScript project with neither the DOM library nor @types/node: the declarations
// name no type of either (their fetch, response and signal types are structural there), and a
// qing.call result is a union that `success === 'true'` narrows.
test('the declarations compile without the DOM library and without @types/node; success narrows data', () => {
  const work = installPackage('types-nodom');
  writeFileSync(
    join(work, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        lib: ['es2022'],
        types: [],
        skipLibCheck: false,
      },
      files: ['app.mts'],
    }),
  );
  writeFileSync(
    join(work, 'app.mts'),
    `import { CAMAPIClient, qing, ready, type QingResult } from 'workbridge';
import { YunzhijiaClient } from 'workbridge/yunzhijia';
import { createSandbox, sandboxFetch } from 'workbridge/sandbox';

// A fetch of one's own, typed by hand: what the clients hand it and read from its answer.
const own = async (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => ({
  status: 200,
  headers: { get: (name: string): string | null => (name && url && init ? null : null) },
  text: async () => '{}',
});
const cam = new CAMAPIClient({ apiToken: 't', serverURL: 'https://cam.example', fetch: own });
const yzj = new YunzhijiaClient({ accessToken: 'a', fetch: sandboxFetch(createSandbox()) });

export async function use(): Promise<string> {
  const api = await ready;
  const sent = await cam.sendMessage('ops', 'hi', false, ['a@x.com']);
  const res: QingResult<{ messageId?: string }> = await qing.call('cam.sendMessage', { panelName: 'ops', message: 'hi' });
  // @ts-expect-error before narrowing, data may be null
  res.data.messageId;
  if (res.success === 'true') {
    const id: string | undefined = res.data.messageId;
    const noError: '' = res.error;
    return (id ?? '') + noError + String(sent.messageId) + typeof api.CAMAPIClient + typeof yzj;
  }
  const none: null = res.data;
  const code: string = res.errorCode;
  return code + String(none);
}
`,
  );
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', work], {
    encoding: 'utf8',
  });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
});

test('no comment in the shipped declarations names a file of the repository or a make target', () => {
  const work = installPackage('types-comments');
  const pkg = join(work, 'node_modules', 'workbridge');
  const found = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.d.ts')) {
        const text = readFileSync(p, 'utf8');
        for (const m of text.matchAll(/pkg-template|build\.mjs|gen-types|gen-docs|make \w+|\w+\.rs\b|src\/\w+/g))
          found.push(`${p.slice(pkg.length + 1)}: ${m[0]}`);
      }
    }
  };
  walk(pkg);
  assert.deepEqual(found, []);
});
