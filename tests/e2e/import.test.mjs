// What an import costs, tried in fresh Node processes against the installed package: importing
// compiles no wasm (the operation tables come with the entry; the wasm is compiled and
// instantiated by the first call that needs it, once), the API is whole before that, and the
// Node entries need no .wasm file (it is inlined).

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { installPackage } from './helpers.mjs';

let work;

before(() => {
  work = installPackage('import');
});

/** Runs `body` as an ES module in `work` with WebAssembly's compile and instantiate counted. */
function run(body) {
  const code = `
    const counts = { compile: 0, instantiate: 0 };
    const { Module, Instance } = WebAssembly;
    WebAssembly.Module = function (...a) { counts.compile++; return new Module(...a); };
    WebAssembly.Instance = function (...a) { counts.instantiate++; return new Instance(...a); };
    for (const k of ['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']) {
      const f = WebAssembly[k];
      if (f) WebAssembly[k] = (...a) => { counts[k === 'compile' || k === 'compileStreaming' ? 'compile' : 'instantiate']++; return f(...a); };
    }
    ${body}`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: work }).toString());
}

for (const entry of ['workbridge', 'workbridge/cam']) {
  test(`import('${entry}') compiles no wasm; the first client compiles and instantiates it once`, () => {
    const r = run(`
      const wb = await import('${entry}');
      const atImport = { ...counts };
      const vendors = Object.keys(wb.operations);
      const methods = typeof wb.CAMAPIClient.prototype.sendMessage;
      const c = new wb.CAMAPIClient({ apiToken: 't', serverURL: 'http://127.0.0.1:9/cam' });
      const dry = c.dryRun('sendMessage', 'messenger', 'hi', false, ['a@x.com']);
      new wb.CAMAPIClient({ apiToken: 't2', serverURL: 'http://127.0.0.1:9/cam' });
      console.log(JSON.stringify({ atImport, vendors, methods, after: counts, url: dry.url }));
    `);
    assert.deepEqual(r.atImport, { compile: 0, instantiate: 0 });
    assert.ok(r.vendors.includes('cam'), r.vendors.join());
    assert.equal(r.methods, 'function');
    assert.deepEqual(r.after, { compile: 1, instantiate: 1 });
    assert.equal(r.url, 'http://127.0.0.1:9/cam/sendMessage');
  });
}

test('the signing helpers work as the first use of the wasm', () => {
  const r = run(`
    const { ytxSign, xuanxuanToken } = await import('workbridge');
    console.log(JSON.stringify({ sign: ytxSign('a', 'b', '20140416142030'), token: xuanxuanToken('m=im', 'k'), counts }));
  `);
  assert.match(r.sign, /^[0-9A-F]{32}$/);
  assert.match(r.token, /^[0-9a-f]{32}$/);
  assert.deepEqual(r.counts, { compile: 1, instantiate: 1 });
});

// Server bundlers (Next.js, webpack for Node, esbuild for Node) rewrite __dirname and copy no
// .wasm: the Node entries carry their wasm inlined, and work with every .wasm file gone.
test('the Node entries need no .wasm file: with every one deleted they import and work', () => {
  const bare = join(work, 'bare');
  rmSync(bare, { recursive: true, force: true });
  const pkg = join(bare, 'node_modules', 'workbridge');
  cpSync(join(work, 'node_modules', 'workbridge'), pkg, { recursive: true });
  const deleted = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.wasm') && !p.includes('sandbox')) {
        rmSync(p);
        deleted.push(p);
      }
    }
  };
  walk(pkg);
  assert.ok(deleted.length >= 5, `${deleted.length} .wasm files deleted`);
  const script = `
    const { CAMAPIClient, xuanxuanToken } = require('workbridge');
    const { YunzhijiaClient } = require('workbridge/yunzhijia');
    const cam = new CAMAPIClient({ apiToken: 't', serverURL: 'https://cam.example' });
    const yzj = new YunzhijiaClient({ accessToken: 'a' });
    console.log(JSON.stringify([cam.dryRun('sendMessage', 'ops', 'hi').url, yzj.dryRun('meeting.cancel', { openid: 'o', id: 'm' }).url, xuanxuanToken('a=1', 'k')]));`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: bare, encoding: 'utf8' });
  const md5 = (t) => createHash('md5').update(t).digest('hex');
  assert.deepEqual(JSON.parse(out), [
    'https://cam.example/sendMessage',
    'https://www.yunzhijia.com/gateway/cloudwork/meeting/cancel?accessToken=***',
    md5(md5('a=1') + 'k'),
  ]);
});
