// Every code block of the README runs against the sandbox, so none rots: each ```js block as a
// module in a project with the packed tarball installed, and the command-line block through the
// installed bin. Addresses of the sandbox (127.0.0.1:8080 in the README) point at a fresh one,
// and of Redis (127.0.0.1:6379) at a redis-server started here, its client installed as a user's.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installPackage, startSandboxBin, startRedis, linkRedisClient } from './helpers.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```(js|sh)\n([\s\S]*?)```/g)].map(([, lang, code]) => ({ lang, code }));
let work;
let sandbox;
let redis;

before(async () => {
  work = installPackage('readme');
  sandbox = await startSandboxBin(work);
  if (blocks.some((b) => b.code.includes("from 'redis'"))) {
    redis = await startRedis();
    linkRedisClient(work);
  }
});
after(async () => {
  await sandbox?.stop();
  await redis?.stop();
});

const here = (code) =>
  code.replaceAll('http://127.0.0.1:8080', sandbox.url).replaceAll('redis://127.0.0.1:6379', redis?.url);

test('the README starts with npm install and the two project commands, and points at nothing the package lacks', () => {
  const firstScreen = readme.split('\n').slice(0, 60).join('\n');
  assert.match(firstScreen, /npm install workbridge/);
  assert.match(firstScreen, /make demo/);
  assert.match(firstScreen, /make test/);
  assert.match(firstScreen, /<script src="[^"]*workbridge\.global\.js">/);
  const shipped = JSON.parse(readFileSync(join(root, 'pkg', 'package.json'), 'utf8')).files;
  for (const [, path] of readme.matchAll(/node_modules\/workbridge\/([\w./-]+)/g))
    assert.ok(shipped.includes(path), `${path} is not shipped`);
  assert.doesNotMatch(readme, /API\.md|\.\.\/shared|src\/\w+\.rs|pkg-template\//, 'no pointer outside what ships');
});

test('the README says what it names: the seeds, the Redis server, workbridge/tables, diagnostics', () => {
  // "the seed" is defined where it first appears, not left for the reader to guess.
  const first = readme.search(/\bseeds?\b/i);
  assert.ok(first > 0);
  assert.match(readme.slice(first, first + 300), /vendors' published sample code and API documents/);
  const redisBlock = readme.indexOf("from 'redis'");
  assert.match(readme.slice(redisBlock - 600, redisBlock), /needs a Redis server/);
  const exports = readme.slice(readme.indexOf('## One vendor per app'));
  assert.match(
    exports,
    /`workbridge\/tables`[^]*`loadTables\(\)`[^]*Node only[^]*`import \{ loadTables \} from 'workbridge\/tables'`/,
  );
  assert.match(exports, /`diagnostics`[^]*`wasmMemoryBytes\(\)`[^]*`maskRequest\(request\)`/);
});

test('the README has the code blocks this test expects', () => {
  assert.ok(blocks.filter((b) => b.lang === 'js').length >= 5);
  assert.ok(blocks.some((b) => b.lang === 'sh' && b.code.includes('npx workbridge cam')));
});

for (const [i, block] of blocks.entries()) {
  if (block.lang !== 'js') continue;
  const title = block.code.split('\n').find((l) => l.startsWith('import')) || `block ${i}`;
  test(`README js block ${i} runs: ${title}`, () => {
    const file = join(work, `readme-${i}.mjs`);
    writeFileSync(file, here(block.code));
    // Twice against the same sandbox: an example that only works once would fail a user's second try.
    for (const attempt of [1, 2]) {
      const run = spawnSync(process.execPath, [file], { cwd: work, encoding: 'utf8', timeout: 30_000 });
      assert.equal(run.status, 0, `run ${attempt}: ${run.stdout}\n${run.stderr}`);
    }
  });
}

test('README command-line block runs through the installed bin', () => {
  const block = blocks.find((b) => b.lang === 'sh' && b.code.includes('npx workbridge cam'));
  const script = `set -euo pipefail\n${here(block.code).replaceAll('npx workbridge', 'workbridge')}`;
  const run = spawnSync('bash', ['-c', script], {
    cwd: work,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PATH: `${join(work, 'node_modules/.bin')}:${process.env.PATH}` },
  });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /"conferenceRoomStatus"/);
  assert.match(run.stdout, /"x-cam-apiToken": ?"\*\*\*"/);
  assert.ok(!run.stdout.includes('sandbox-token') && !run.stderr.includes('sandbox-token'), 'no credential printed');
});
