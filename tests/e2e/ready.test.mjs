// The browser entries load their wasm after import (no top-level await), in Chromium from the
// built pkg/: a client constructed at once works at its first call, the synchronous functions
// throw NOT_READY until `ready`, options the wasm refuses reject the first call (and the next)
// as the constructor throws them in Node, the inlined copy stands in for a wasm file that
// cannot be fetched, and with neither the calls and `ready` reject with NOT_READY, with no
// unhandled rejection on a page that never awaited `ready`.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './helpers.mjs';
import { serveDir } from './serve.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
let server;
let browser;

before(async () => {
  server = await serveDir(join(root, 'pkg'));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A page of the server with `block` (globs) refused; returns it with its page errors. */
async function open(block = []) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  for (const glob of block) await page.route(glob, (r) => r.abort());
  await page.goto(`${server.url}/`); // any page of the origin: the test imports the entries
  return { page, errors };
}

test('a client made before the wasm is there works at its first call; dryRun throws NOT_READY until ready', async () => {
  const { page, errors } = await open();
  try {
    const out = await page.evaluate(async () => {
      const m = await import('/cam/browser.mjs');
      const out = {};
      const cam = new m.CAMAPIClient({ apiToken: 't', serverURL: 'https://cam.example' });
      try {
        cam.dryRun('sendMessage', 'ops', 'hi', false, ['a@x.com']);
        out.early = 'no error';
      } catch (e) {
        out.early = [e.code, e.name, e.retryable];
      }
      const bad = new m.CAMAPIClient({ apiToken: 't' });
      const api = await m.ready;
      out.ready = api.CAMAPIClient === m.CAMAPIClient && api.ready === m.ready;
      out.late = cam.dryRun('sendMessage', 'ops', 'hi', false, ['a@x.com']).url;
      const why = (e) => [e.code, e.operation, e.field, e instanceof m.WorkbridgeError];
      out.bad = await bad.getConferenceRooms().then(() => 'resolved', why);
      out.again = await bad.getConferenceRooms().then(() => 'resolved', why);
      return out;
    });
    assert.deepEqual(out, {
      early: ['NOT_READY', 'WorkbridgeError', true],
      ready: true,
      late: 'https://cam.example/sendMessage',
      bad: ['INVALID_ARGUMENT', 'constructor', 'serverURL', true],
      again: ['INVALID_ARGUMENT', 'constructor', 'serverURL', true],
    });
    assert.ok(server.asked.has('/cam/wasm/web/workbridge_cam_bg.wasm'), 'the wasm file was fetched');
    assert.ok(!server.asked.has('/cam/wasm/web/workbridge_cam_inline.js'), 'not the inlined copy');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a wasm file that cannot be fetched: the inlined copy stands in', async () => {
  server.asked.clear();
  const { page, errors } = await open(['**/*.wasm']);
  try {
    const out = await page.evaluate(async () => {
      const m = await import('/yunzhijia/browser.mjs');
      await m.ready;
      const y = new m.YunzhijiaClient({ accessToken: 'a' });
      return y.dryRun('meeting.cancel', { openid: 'o', id: 'm' }).url;
    });
    assert.equal(out, 'https://www.yunzhijia.com/gateway/cloudwork/meeting/cancel?accessToken=***');
    assert.ok(server.asked.has('/yunzhijia/wasm/web/workbridge_yunzhijia_inline.js'), 'the inlined copy loaded');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('with neither the wasm nor its inlined copy, ready and every call reject with NOT_READY, and nothing is left unhandled', async () => {
  const { page, errors } = await open(['**/*.wasm', '**/*_inline.js']);
  try {
    const out = await page.evaluate(async () => {
      const unhandled = [];
      window.addEventListener('unhandledrejection', (e) => unhandled.push(String(e.reason)));
      const m = await import('/xuanxuan/browser.mjs');
      const x = new m.XuanxuanClient({ baseURL: 'https://xx.example', code: 'c', key: 'k' });
      const why = (e) => [e.code, e.retryable, /could not be loaded/.test(e.message)];
      const call = await x.sendNotification({}).then(() => 'resolved', why);
      const ready = await m.ready.then(() => 'resolved', why);
      let token;
      try {
        m.xuanxuanToken('a=1', 'k');
      } catch (e) {
        token = why(e);
      }
      await new Promise((r) => setTimeout(r, 50));
      return { call, ready, token, unhandled };
    });
    assert.deepEqual(out, {
      call: ['NOT_READY', false, true],
      ready: ['NOT_READY', false, true],
      token: ['NOT_READY', false, true],
      unhandled: [],
    });
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
