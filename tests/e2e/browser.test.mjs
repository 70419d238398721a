// The browser build in headless Chromium (Debian's, through playwright-core): the demo page
// loads with no console errors; the package works from a plain module script; qing.call inside
// a Yunzhijia-app page (user agent Qing/…, a fake XuntongJSBridge) and outside it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launchChromium } from './helpers.mjs';
import { startDemoServer } from '../../examples/demo.mjs';

const APP_UA =
  'Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 Qing/10.6.1';
let server;
let browser;

before(async () => {
  server = await startDemoServer({ port: 0, log: null });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(contextOptions = {}, initScript) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/`);
  return { page, errors, context };
}

async function runOn(page, vendor, op, button = '#run-promise', fill = {}) {
  await page.click(`#tabs button[data-vendor="${vendor}"]`);
  await page.selectOption('#op', op);
  for (const [name, value] of Object.entries(fill)) await page.fill(`#params [name="${name}"]`, value);
  await page.evaluate(() => {
    document.querySelector('#result').textContent = '';
  });
  await page.click(button);
  await page.waitForFunction(() => document.querySelector('#result').textContent !== '', null, { timeout: 20_000 });
  return {
    result: await page.textContent('#result'),
    requests: await page.textContent('#requests'),
    ok: await page.getAttribute('#result', 'class'),
  };
}

test('the demo page runs every vendor on its in-page sandbox, shows masked requests and errors, with no console error', async () => {
  const { page, errors, context } = await open();
  try {
    await page.waitForSelector('body[data-ready="true"]');
    const cam = await runOn(page, 'cam', 'sendMessage');
    assert.equal(cam.ok, 'ok');
    assert.match(cam.result, /"messageId"/);
    assert.match(cam.requests, /POST http:\/\/sandbox\.local\/cam\/sendMessage/);
    assert.match(cam.requests, /"x-cam-apiToken":"\*\*\*"/);
    assert.ok(!cam.requests.includes('sandbox-token'));

    const created = await runOn(page, 'yunzhijia', 'meeting.create');
    assert.match(created.result, /"meetingId"/);
    assert.match(created.requests, /getAccessToken[\s\S]*"secret":"\*\*\*"/);
    assert.ok(!created.requests.includes('sandbox-secret'));
    assert.match(created.requests, /accessToken=\*\*\*/);
    const listed = await runOn(page, 'yunzhijia', 'meeting.queryByDay');
    assert.match(listed.result, /测试会议/, 'the meeting created in the page shows up in its day');

    const xx = await runOn(page, 'xuanxuan', 'sendNotification', '#run-qing');
    assert.match(xx.result, /"success": "true"/);
    assert.match(xx.requests, /token=\*\*\*/);
    const ytx = await runOn(page, 'ytx', 'queryMeeting');
    assert.match(ytx.result, /"confid": "002"/);
    assert.match(ytx.requests, /Sign=\*\*\*/);

    const bad = await runOn(page, 'cam', 'getConferenceRoomStatus', '#run-promise', { yyyyMMdd: '2019-08' });
    assert.equal(bad.ok, 'error');
    assert.match(bad.result, /"WorkbridgeError": "INVALID_ARGUMENT"/);
    assert.match(bad.result, /"field": "yyyyMMdd"/);
    assert.equal(bad.requests, '(nothing was sent)');

    mkdirSync('tests/e2e/.work', { recursive: true });
    await page.click('#tabs button[data-vendor="light"]');
    assert.equal(await page.textContent('#in-app'), 'false');
    await page.click('[data-native="createLive"]');
    await page.waitForFunction(() => document.querySelector('#result').textContent.includes('liveId'));
    // Simulated, the call ran in a light-app page of its own over the app's protocol: its
    // xuntong: URL reached the emulated app through prompt() (Android 9.59+), the answer came
    // back through XuntongJSBridge.handleMessageFromXT.
    const native = await page.textContent('#requests');
    assert.match(native, /^app \(prompt\) xuntong:createLive:2:%7B%22groupId%22%3A%22/);
    assert.match(native, /XuntongJSBridge\.handleMessageFromXT\('2', /);
    assert.match(await page.textContent('#result'), /"groupId": "/, 'the app received the params the page gave');
    await page.screenshot({ path: 'tests/e2e/.work/demo-light.png', fullPage: true });

    mkdirSync('tests/e2e/.work', { recursive: true });
    await page.click('#tabs button[data-vendor="yunzhijia"]');
    await page.screenshot({ path: 'tests/e2e/.work/demo-1280.png', fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: 'tests/e2e/.work/demo-phone.png', fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no sideways scrolling on a phone (${overflow}px)`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('outside the app: isInApp is false, native names fail with NOT_IN_APP, server operations work', async () => {
  const { page, context } = await open();
  const out = await page.evaluate(async () => {
    const { qing, CAMAPIClient, WorkbridgeError } = await import('/pkg/browser.mjs');
    qing.config({ cam: { apiToken: 'sandbox-token', serverURL: `${location.origin}/cam` } });
    const live = await qing.call('createLive', { groupId: 'g' });
    const sent = await qing.call('cam.sendMessage', {
      panelName: 'messenger',
      message: '浏览器 😀',
      isOpened: false,
      users: ['user1@xxx.com'],
    });
    let invalid;
    try {
      await new CAMAPIClient({ apiToken: 't', serverURL: location.origin }).getConferenceRoomStatus('201913');
    } catch (e) {
      invalid = { isError: e instanceof WorkbridgeError && e instanceof Error, code: e.code, field: e.field };
    }
    return { inApp: qing.isInApp(), live, sent, invalid };
  });
  assert.equal(out.inApp, false);
  assert.equal(out.live.errorCode, 'NOT_IN_APP');
  assert.equal(out.sent.success, 'true');
  assert.deepEqual(out.invalid, { isError: true, code: 'INVALID_ARGUMENT', field: 'yyyyMMdd' });
  await context.close();
});

test('inside the app: native names go to XuntongJSBridge and its answers reach the page as the app gave them', async () => {
  const fakeBridge = () => {
    window.__bridgeCalls = [];
    window.XuntongJSBridge = {
      call(name, params, callback) {
        window.__bridgeCalls.push([name, params]);
        setTimeout(
          () =>
            callback(
              name === 'createLive'
                ? { success: 'true', error: '', errorCode: '', data: '{"liveId":"live-7"}' }
                : JSON.stringify({ success: 'false', error: '用户取消', errorCode: '1' }),
            ),
          5,
        );
      },
    };
  };
  const { page, context } = await open({ userAgent: APP_UA }, fakeBridge);
  const out = await page.evaluate(async () => {
    const { qing } = await import('/pkg/browser.mjs');
    const order = [];
    const live = await qing.call('createLive', {
      groupId: 'g-1',
      success: () => order.push('success'),
      complete: () => order.push('complete'),
    });
    const voice = await qing.call('createVoiceMeeting', { error: () => order.push('error') });
    return { inApp: qing.isInApp(), ua: navigator.userAgent, live, voice, order, calls: window.__bridgeCalls };
  });
  assert.match(out.ua, /Qing\/10\.6\.1/);
  assert.equal(out.inApp, true);
  assert.deepEqual([out.live.success, out.live.data], ['true', '{"liveId":"live-7"}'], 'as the app gave it');
  assert.deepEqual([out.voice.success, out.voice.error], ['false', '用户取消'], 'a JSON text is parsed');
  assert.deepEqual(out.order, ['success', 'complete', 'error']);
  assert.deepEqual(out.calls, [
    ['createLive', { groupId: 'g-1' }],
    ['createVoiceMeeting', {}],
  ]);
  await context.close();
});
