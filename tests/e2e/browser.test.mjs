// The browser build in headless Chromium (Debian's, through playwright-core): the demo page
// loads with no console errors; the package works from a plain module script; qing.call inside
// a Yunzhijia-app page (user agent Qing/…, a fake XuntongJSBridge) and outside it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startDemoServer } from '../../examples/demo.mjs';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const APP_UA = 'Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 Qing/10.6.1';
let server;
let browser;

before(async () => {
  server = await startDemoServer({ port: 0, log: null });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(contextOptions = {}, initScript) {
  const context = await browser.newContext(contextOptions);
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/`);
  return { page, errors, context };
}

test('the demo page loads with no console errors and runs an operation', async () => {
  const { page, errors, context } = await open();
  await page.waitForSelector('#op option', { state: 'attached' });
  await page.selectOption('#op', 'getConferenceRoomStatus');
  await page.click('#run');
  await page.waitForFunction(() => document.querySelector('#result').textContent.includes('conferenceRoomStatus'));
  assert.match(await page.textContent('#request'), /"x-cam-apiToken": "\*\*\*"/);
  mkdirSync('tests/e2e/.work', { recursive: true });
  await page.screenshot({ path: 'tests/e2e/.work/demo.png', fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('outside the app: isInApp is false, native names fail with NOT_IN_APP, server operations work', async () => {
  const { page, context } = await open();
  const out = await page.evaluate(async () => {
    const { qing, CAMAPIClient, WorkbridgeError } = await import('/pkg/browser.mjs');
    qing.config({ cam: { apiToken: 'sandbox-token', serverURL: `${location.origin}/cam` } });
    const live = await qing.call('createLive', { groupId: 'g' });
    const sent = await qing.call('cam.sendMessage', { panelName: 'messenger', message: '浏览器 😀', isOpened: false, users: ['user1@xxx.com'] });
    let invalid;
    try { await new CAMAPIClient({ apiToken: 't', serverURL: location.origin }).getConferenceRoomStatus('201913'); } catch (e) { invalid = { isError: e instanceof WorkbridgeError && e instanceof Error, code: e.code, field: e.field }; }
    return { inApp: qing.isInApp(), live, sent, invalid };
  });
  assert.equal(out.inApp, false);
  assert.equal(out.live.errorCode, 'NOT_IN_APP');
  assert.equal(out.sent.success, true);
  assert.deepEqual(out.invalid, { isError: true, code: 'INVALID_ARGUMENT', field: 'yyyyMMdd' });
  await context.close();
});

test('inside the app: native names go to XuntongJSBridge and its string results are normalised', async () => {
  const fakeBridge = () => {
    window.__bridgeCalls = [];
    window.XuntongJSBridge = {
      call(name, params, callback) {
        window.__bridgeCalls.push([name, params]);
        setTimeout(() => callback(name === 'createLive'
          ? { success: 'true', error: '', errorCode: '', data: '{"liveId":"live-7"}' }
          : JSON.stringify({ success: 'false', error: '用户取消', errorCode: '1' })), 5);
      },
    };
  };
  const { page, context } = await open({ userAgent: APP_UA }, fakeBridge);
  const out = await page.evaluate(async () => {
    const { qing } = await import('/pkg/browser.mjs');
    const order = [];
    const live = await qing.call('createLive', { groupId: 'g-1', success: () => order.push('success'), complete: () => order.push('complete') });
    const voice = await qing.call('createVoiceMeeting', { error: () => order.push('error') });
    return { inApp: qing.isInApp(), ua: navigator.userAgent, live, voice, order, calls: window.__bridgeCalls };
  });
  assert.match(out.ua, /Qing\/10\.6\.1/);
  assert.equal(out.inApp, true);
  assert.deepEqual([out.live.success, out.live.data], [true, { liveId: 'live-7' }]);
  assert.deepEqual([out.voice.success, out.voice.error], [false, '用户取消']);
  assert.deepEqual(out.order, ['success', 'complete', 'error']);
  assert.deepEqual(out.calls, [['createLive', { groupId: 'g-1' }], ['createVoiceMeeting', {}]]);
  await context.close();
});
