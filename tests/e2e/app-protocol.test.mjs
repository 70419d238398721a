// A light-app page in the Yunzhijia app as the app really is, in headless Chromium. The app gives
// the page no bridge object: the init script below sees only what a WebView's native side sees,
// iframe navigations to `xuntong:` (iOS, Android before 9.59, the old desktop client) and
// prompt() texts (Android 9.59+), and answers only by calling
// XuntongJSBridge.handleMessageFromXT(callbackId, message); newer clients also inject
// CloudHubJSBridge (the workbench methods, the page's events), the new desktop client
// _CloudHubJSBridge. The pages are written from the vendor's qing.js README and the seeds'
// qing.call samples, with our one <script src>; each page's downloaded code is counted.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { installPackage, startSandboxBin, launchChromium } from './helpers.mjs';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript' };
const PKG = '/node_modules/workbridge';
const GLOBAL = `${PKG}/workbridge.global.js`;
// User agents as the clients write them: `Qing/<bridge version>;<os>;...;<the WebView's own>`.
const UA = {
  ios: 'Qing/0.9.29;iOS 10.2;Apple;iPhone9,1;deviceId:a5b5a3f7;clientId:10200;os:iOS 10.2;brand:Apple;model:iPhone9,1;Mozilla/5.0 (iPhone; CPU iPhone OS 10_2 like Mac OS X) AppleWebKit/602.3.12 (KHTML, like Gecko) Mobile/14C89',
  androidOld:
    'Qing/0.9.54;Android 7.0;HONOR;KNT-AL20;deviceId:2624f5de;clientId:10201;os:Android 7.0;brand:HONOR;model:KNT-AL20;Mozilla/5.0 (Linux; Android 7.0; KNT-AL20 Build/HONORKNT-AL20) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/56.0.2924.87 Mobile Safari/537.36',
  androidNew:
    'Qing/0.9.60;Android 10;HUAWEI;ELE-AL00;deviceId:4f1c2e77;clientId:10201;os:Android 10;brand:HUAWEI;model:ELE-AL00;Mozilla/5.0 (Linux; Android 10; ELE-AL00 Build/HUAWEIELE-AL00) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/83.0.4103.106 Mobile Safari/537.36',
  desktopOld:
    'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/59.0.3071.115 Safari/537.36; Qing/0.0.3; App/cloudhub 38886/1.1.6; deviceId:1a514a93; clientId:38886;',
  desktopNew:
    'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/59.0.3071.115 Safari/537.36; Qing/0.0.4; App/cloudhub 38886/1.1.6; deviceId:1a514a93; clientId:38886;',
};
const KIB10 = 10 * 1024;
let work;
let sandbox;
let browser;
let site;
let relay;

/** Serves `dir`, remembering every path asked for. */
function serve(dir) {
  const asked = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    asked.push(path);
    let body;
    try {
      body = readFileSync(normalize(join(dir, path)));
    } catch {
      return res.writeHead(404, { Connection: 'close' }).end();
    }
    res.writeHead(200, { Connection: 'close', 'Content-Type': TYPES[extname(path)] || 'application/octet-stream' });
    res.end(body);
  });
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () =>
      r({ url: `http://127.0.0.1:${server.address().port}`, asked, close: () => new Promise((c) => server.close(c)) }),
    ),
  );
}

function startRelay(env, args) {
  const child = spawn(join(work, 'node_modules', '.bin', 'workbridge'), ['relay', '--port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => lines.push(String(d)));
    child.stdout.on('data', (d) => {
      const m = /listening on (http:\/\/[\d.:]+)/.exec(String(d));
      if (m) resolve({ url: m[1], stop: () => new Promise((s) => (child.once('exit', s), child.kill())) });
    });
    child.once('exit', (code) => reject(new Error(`relay exited ${code}: ${lines.join('')}`)));
  });
}

// ---- the app, emulated from its native side -------------------------------------------------

// Runs in the page before any of its scripts. `opts`: {cloudHub: 'ready' | 'later' | undefined,
// desktopBridge, text (answer with JSON texts rather than objects), reverse (hold the first
// `reverse` calls and answer them last first), late ({method: ms}: answered that late)}.
function emulateApp(opts) {
  const app = { calls: [], hub: [], handlers: {} };
  window.__app = app;
  const held = [];
  const answerOf = (method, params) => {
    const data =
      method === 'getPersonInfo'
        ? { openId: 'o-1', name: '张三', eid: '10109' }
        : method === 'selectPersons'
          ? { persons: [{ openId: 'o-2', name: '李四' }] }
          : { method, params };
    const message = { success: 'true', error: '', errorCode: '', data };
    return opts.text ? JSON.stringify(message) : message;
  };
  const answer = (call) =>
    setTimeout(
      () => window.XuntongJSBridge.handleMessageFromXT(call.id, answerOf(call.method, call.params)),
      (opts.late || {})[call.method] || 5,
    );
  function seen(url, via) {
    const m = /^xuntong:([^:]*):([^:]*):(.*)$/.exec(String(url));
    if (!m) return;
    const call = { via, method: m[1], id: m[2], params: m[3] ? JSON.parse(decodeURIComponent(m[3])) : undefined };
    app.calls.push(call);
    if (opts.reverse) {
      held.push(call);
      if (held.length === opts.reverse) held.reverse().forEach(answer);
    } else answer(call);
  }
  // Android 9.59+: onJsPrompt.
  window.prompt = (text) => {
    seen(text, 'prompt');
    return '';
  };
  // iOS, older Android, the old desktop: the iframe's navigation (shouldOverrideUrlLoading,
  // decidePolicyForNavigationAction). The records of one batch replay what happened: an
  // iframe's src set twice before the observer ran is two records, the first one's value the
  // second one's oldValue; an iframe inserted with its src already set navigates to that one.
  new MutationObserver((records) => {
    const later = (i, target) => records.slice(i + 1).find((o) => o.type === 'attributes' && o.target === target);
    records.forEach((r, i) => {
      if (r.type === 'childList') {
        for (const n of r.addedNodes) {
          if (n.tagName !== 'IFRAME') continue;
          const next = later(i, n);
          const src = next ? next.oldValue : n.getAttribute('src');
          if (src) seen(src, 'iframe');
        }
        return;
      }
      if (r.target.tagName !== 'IFRAME') return;
      const next = later(i, r.target);
      seen(next ? next.oldValue : r.target.getAttribute('src'), 'iframe');
    });
  }).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['src'],
    attributeOldValue: true,
  });

  const hub = {
    isReady: true,
    invoke(method, params, cb) {
      app.hub.push({ method, params });
      setTimeout(() => cb(JSON.stringify({ success: 'true', data: { via: 'CloudHubJSBridge', method } })), 5);
    },
    on(name, handler) {
      (app.handlers[name] = app.handlers[name] || []).push(handler);
    },
  };
  app.fire = (name, data) => (app.handlers[name] || []).forEach((h) => h(data));
  if (opts.cloudHub === 'ready') window.CloudHubJSBridge = hub;
  if (opts.cloudHub === 'later')
    setTimeout(() => {
      window.CloudHubJSBridge = hub;
      if (typeof window.__onJSBridgeReady === 'function') window.__onJSBridgeReady(hub);
    }, 300);
  if (opts.desktopBridge)
    window._CloudHubJSBridge = {
      emit(name, data) {
        const { success, error, complete, ...params } = data;
        app.calls.push({ via: '_CloudHubJSBridge', method: name, params });
        setTimeout(() => success({ success: true, data: answerOf(name, params).data }), 5);
      },
      on: hub.on,
    };
}

const NO_WASM = () => {
  delete globalThis.WebAssembly;
};

// ---- pages ----------------------------------------------------------------------------------

const page = (head, body = '') =>
  `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">${head}</head><body>${body}</body></html>`;

// The vendor's README's page and the seeds' samples: config with debug/jsApiList/jsEventList,
// getPersonInfo, createLive, selectPersons with only `success`, all inside qing.ready.
const README_PAGE = `
  var results = { order: [] };
  qing.config({
    debug: false,
    jsApiList: ['getPersonInfo', 'createLive', 'selectPersons'],
    jsEventList: ['appear', 'disappear']
  });
  document.addEventListener('appear', function (e) { results.appear = e.data; });
  qing.ready(function () {
    results.version = typeof qing.version;
    results.support = qing.isSupportNativeJsBridge + ' ' + qing.nativeJsBridgeVersion + ' ' + qing.checkVersion('0.9.50');
    qing.call('getPersonInfo', {
      success: function (res) { results.person = res; results.order.push('person success'); },
      complete: function () { results.order.push('person complete'); }
    });
    qing.call('createLive', {
      groupId: 'xxx',
      success: function (result) {
        results.live = result.success + ' ' + result.data.method + ' ' + result.data.params.groupId;
      }
    });
    qing.call('selectPersons', {
      isMulti: 'true',
      pType: 1,
      success: function (res) { results.persons = res.data.persons[0].name; results.done = true; }
    });
  });
`;

/** Opens `file`; resolves with the page's results, what the app saw, and the code downloaded. */
async function open(file, { ua, app = {}, init = [], wait = 'window.results && window.results.done', after } = {}) {
  const context = await browser.newContext(ua ? { userAgent: ua } : {});
  await context.addInitScript(emulateApp, app);
  for (const script of init) await context.addInitScript(script);
  const errors = [];
  try {
    const p = await context.newPage();
    p.on('pageerror', (e) => errors.push(String(e)));
    p.on('console', (m) => {
      // Chromium says so of each xuntong: navigation, which the app's WebView takes instead.
      const xuntong = /^Not allowed to launch 'xuntong:|^Failed to launch 'xuntong:/.test(m.text());
      if (m.type() === 'error' && !xuntong) errors.push(m.text());
    });
    site.asked.length = 0;
    await p.goto(
      `${site.url}/${file}?sandbox=${encodeURIComponent(sandbox.url)}&relay=${encodeURIComponent(relay.url)}`,
    );
    await p.waitForFunction(wait, null, { timeout: 30_000 });
    if (after) await after(p);
    const results = await p.evaluate(() => JSON.parse(JSON.stringify(window.results)));
    const seen = await p.evaluate(() => JSON.parse(JSON.stringify({ calls: __app.calls, hub: __app.hub })));
    const code = site.asked.filter((a) => /\.m?js$/.test(a));
    const bytes = code.reduce((n, a) => n + gzipSync(readFileSync(join(work, a)), { level: 9 }).length, 0);
    return { results, ...seen, code, bytes, errors, page: p };
  } finally {
    await context.close();
  }
}

before(async () => {
  work = installPackage('app-protocol');
  sandbox = await startSandboxBin(work);
  browser = await launchChromium();
  site = await serve(work);
  relay = await startRelay(
    {
      WORKBRIDGE_YUNZHIJIA_BASE_URL: `${sandbox.url}/yunzhijia`,
      WORKBRIDGE_YUNZHIJIA_EID: '10109',
      WORKBRIDGE_YUNZHIJIA_SECRET: 'sandbox-secret',
      WORKBRIDGE_CAM_API_TOKEN: 'sandbox-token',
      WORKBRIDGE_CAM_SERVER_URL: `${sandbox.url}/cam`,
    },
    ['--allow', 'meeting.queryByDay,meeting.create,cam.getConferenceRooms', '--origin', site.url],
  );
  writeFileSync(join(work, 'readme.html'), page(`<script src="${GLOBAL}"></script>\n<script>${README_PAGE}</script>`));
});
after(async () => {
  await browser?.close();
  await relay?.stop();
  await sandbox?.stop();
  await site?.close();
});

const PERSON = {
  success: 'true',
  error: '',
  errorCode: '',
  data: { openId: 'o-1', name: '张三', eid: '10109' },
};
const EXPECTED = {
  order: ['person success', 'person complete'],
  version: 'string',
  person: PERSON,
  live: 'true createLive xxx',
  persons: '李四',
  done: true,
};
// What the app must have received: exactly the params the page gave, no callbacks, no extras.
const SENT = [
  ['getPersonInfo', {}],
  ['createLive', { groupId: 'xxx' }],
  ['selectPersons', { isMulti: 'true', pType: 1 }],
];

for (const [platform, ua, via, version] of [
  ['iOS', UA.ios, 'iframe', '0.9.29 false'],
  ['Android before 9.59', UA.androidOld, 'iframe', '0.9.54 true'],
  ['Android 9.59+', UA.androidNew, 'prompt', '0.9.60 true'],
  ['the old desktop client', UA.desktopOld, 'iframe', '0.0.3 false'],
]) {
  test(`${platform}: the vendor README's page runs with our script alone, over ${via}, and loads no vendor client`, async () => {
    const r = await open('readme.html', { ua, app: { text: platform.startsWith('Android') } });
    assert.deepEqual(r.results, { ...EXPECTED, support: `true ${version}` });
    assert.deepEqual(
      r.calls.map((c) => [c.method, c.params]),
      SENT,
    );
    assert.ok(
      r.calls.every((c) => c.via === via),
      JSON.stringify(r.calls.map((c) => c.via)),
    );
    assert.ok(
      r.calls.every((c) => Number(c.id) % 2 === 0),
      'even callback ids: the vendor qing.js counts odd ones',
    );
    assert.deepEqual(r.code, [GLOBAL], 'only the light part is downloaded');
    assert.ok(r.bytes <= KIB10, `${r.bytes} bytes gzip`);
    console.log(`${platform}: README page downloads ${r.bytes} bytes gzip of code`);
    assert.deepEqual(r.errors, []);
  });
}

test('the new desktop client: calls go to its _CloudHubJSBridge.emit with the params as given', async () => {
  const r = await open('readme.html', {
    ua: UA.desktopNew,
    app: { desktopBridge: true },
    // The desktop client's own event: jsEventList's `appear` reaches the document through its on().
    after: (p) => p.evaluate(() => __app.fire('appear', { from: 'desktop' })),
  });
  assert.equal(r.results.persons, '李四');
  assert.deepEqual(r.results.appear, { from: 'desktop' });
  assert.equal(r.results.support, 'true 0.0.4 false');
  assert.deepEqual(
    r.calls.map((c) => [c.via, c.method, c.params]),
    SENT.map(([m, p]) => ['_CloudHubJSBridge', m, p]),
  );
  assert.deepEqual(r.errors, []);
});

test('with WebAssembly deleted the same page runs the same, and still downloads only the light part', async () => {
  for (const ua of [UA.ios, UA.androidNew]) {
    const r = await open('readme.html', { ua, init: [NO_WASM], app: { text: true } });
    assert.deepEqual(r.results, { ...EXPECTED, support: r.results.support });
    assert.deepEqual(
      r.calls.map((c) => [c.method, c.params]),
      SENT,
    );
    assert.deepEqual(r.code, [GLOBAL]);
  }
});

test('concurrent calls answered out of order each reach their own callbacks', async () => {
  writeFileSync(
    join(work, 'concurrent.html'),
    page(`<script src="${GLOBAL}"></script>
<script>
  var results = { got: [] };
  var n = 0;
  ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'].forEach(function (g) {
    qing.call('createLive', { groupId: g, success: function (res) {
      results.got.push(g + '=' + res.data.params.groupId);
      n += 1; if (n === 12) results.done = true;
    } });
  });
</script>`),
  );
  for (const ua of [UA.ios, UA.androidNew]) {
    const r = await open('concurrent.html', { ua, app: { reverse: 12 } });
    assert.deepEqual(r.results.got, [
      'l=l',
      'k=k',
      'j=j',
      'i=i',
      'h=h',
      'g=g',
      'f=f',
      'e=e',
      'd=d',
      'c=c',
      'b=b',
      'a=a',
    ]);
    assert.equal(new Set(r.calls.map((c) => c.id)).size, 12, 'twelve ids');
  }
});

test('CloudHubJSBridge: the workbench methods go there, waiting for __onJSBridgeReady; events reach qing.on and the document', async () => {
  writeFileSync(
    join(work, 'cloudhub.html'),
    page(`<script src="${GLOBAL}"></script>
<script>
  var results = { appear: [], doc: [] };
  qing.config({ jsEventList: ['appear'] });
  function onAppear(d) { results.appear.push('on ' + d.n); }
  qing.on('appear', onAppear);
  qing.once('appear', function (d) { results.appear.push('once ' + d.n); });
  // As the vendor's README writes a handler: an object of callbacks.
  qing.on('disappear', { success: function (d) { results.gone = d.n; }, complete: function () { results.goneComplete = true; } });
  document.addEventListener('appear', function (e) { results.doc.push(e.data.n); });
  qing.call('ui.toast', { message: '已保存', success: function (res) { results.toast = res.data.via; } });
  qing.call('createLive', { groupId: 'g', success: function (res) { results.live = res.data.method; } });
  window.fired = function () { qing.off('appear', onAppear); };
</script>`),
  );
  const r = await open('cloudhub.html', {
    ua: UA.androidNew,
    app: { cloudHub: 'later' },
    wait: 'window.results && window.results.toast && window.results.live',
    after: async (p) => {
      await p.evaluate(() => {
        __app.fire('appear', { n: 1 });
        window.fired();
        __app.fire('appear', { n: 2 });
        __app.fire('disappear', { n: 3 });
      });
    },
  });
  assert.equal(r.results.toast, 'CloudHubJSBridge');
  assert.equal(r.results.live, 'createLive');
  assert.deepEqual(r.hub, [{ method: 'ui.toast', params: { message: '已保存' } }]);
  assert.deepEqual(
    r.calls.map((c) => c.method),
    ['createLive'],
    'only the xuntong: methods over xuntong:',
  );
  assert.deepEqual(r.results.appear, ['on 1', 'once 1'], 'off and once hold');
  assert.deepEqual(r.results.doc, [1, 2], 'jsEventList events are dispatched on the document');
  assert.deepEqual([r.results.gone, r.results.goneComplete], [3, true]);
});

test('a page that uses the app and a relay: at most 10 KiB gzip, server operations through the relay', async () => {
  writeFileSync(
    join(work, 'relay.html'),
    page(`<script src="${GLOBAL}"></script>
<script>
  var relay = decodeURIComponent(/[?&]relay=([^&]*)/.exec(location.search)[1]);
  var results = {};
  qing.config({ relay: relay, debug: false, jsApiList: ['getPersonInfo'] });
  qing.call('getPersonInfo', { success: function (res) {
    results.person = res.data.name;
    qing.call('meeting.queryByDay', { day: 1535558400000, success: function (r) {
      results.meetings = r.success + ' ' + r.data.length;
      qing.call('meeting.create', { openid: 'o', success: function (bad) {
        results.invalid = [bad.success, bad.errorCode, bad.field, bad.error];
        qing.call('meeting.cancel', { id: 'x', openid: 'o' }).then(function (no) {
          results.forbidden = [no.errorCode, no.error];
          results.heard = 0;
          return qing.call('createVoiceMeeting', { timeoutMs: 50, complete: function () { results.heard += 1; } });
        }).then(function (late) {
          results.timeout = [late.errorCode, late.error];
          // The app answers at 300 ms: nobody waits any more, and nothing runs twice.
          return new Promise(function (r) { setTimeout(r, 400); });
        }).then(function () {
          qing.config({ relay: 'http://127.0.0.1:1' });
          return qing.call('meeting.queryByDay', { day: 1535558400000 });
        }).then(function (down) {
          results.network = [down.errorCode, down.error, typeof down.detail];
          results.done = true;
        });
      } });
    } });
  } });
</script>`),
  );
  const r = await open('relay.html', { ua: UA.ios, app: { late: { createVoiceMeeting: 300 } } });
  assert.equal(r.results.person, '张三');
  assert.equal(r.results.meetings, 'true 1');
  assert.deepEqual(r.results.invalid.slice(0, 3), ['false', 'INVALID_ARGUMENT', 'title']);
  assert.equal(r.results.invalid[3], '参数 title 不正确', 'in Chinese inside the app, naming the field');
  assert.deepEqual(r.results.forbidden, ['403', '没有权限执行此操作'], 'the relay refuses what it does not allow');
  assert.deepEqual(r.results.timeout, ['TIMEOUT', '请求超时，请稍后重试']);
  assert.equal(r.results.heard, 1, 'a late answer is dropped');
  assert.deepEqual(r.results.network, ['NETWORK_ERROR', '网络连接失败，请检查网络后重试', 'string']);
  assert.deepEqual(r.code, [GLOBAL]);
  assert.ok(r.bytes <= KIB10, `${r.bytes} bytes gzip`);
  console.log(`app + relay page downloads ${r.bytes} bytes gzip of code`);
});

test('a page that configures a vendor directly loads the clients from the same <script src>, with and without WebAssembly', async () => {
  writeFileSync(
    join(work, 'vendor.html'),
    page(`<script src="${GLOBAL}"></script>
<script>
  var sandbox = decodeURIComponent(/[?&]sandbox=([^&]*)/.exec(location.search)[1]);
  var results = { before: typeof workbridge.CAMAPIClient };
  qing.config({ cam: { apiToken: 'sandbox-token', serverURL: sandbox + '/cam' } });
  qing.call('cam.getConferenceRooms', { success: function (res) {
    results.rooms = res.data.conferenceRooms.length;
    workbridge.ready.then(function (wb) {
      results.after = typeof wb.CAMAPIClient;
      results.token = wb.xuanxuanToken('m=chat&f=getChatUsers&code=myAppCode', '3cd0914d656e90ab181f1d52ff352cfe');
      results.sameError = wb.WorkbridgeError === workbridge.WorkbridgeError && wb.qing === workbridge.qing;
      results.done = true;
    });
  } });
</script>`),
  );
  const want = {
    before: 'undefined',
    rooms: 3,
    after: 'function',
    token: 'f5633c34c0c551a16c1d63bceb38d6a8',
    sameError: true,
    done: true,
  };
  const wasm = await open('vendor.html');
  assert.deepEqual(wasm.results, want);
  assert.deepEqual(wasm.code, [GLOBAL, `${PKG}/workbridge.global.wasm.js`]);
  const js = await open('vendor.html', { init: [NO_WASM] });
  assert.deepEqual(js.results, want);
  assert.deepEqual(js.code, [GLOBAL, `${PKG}/workbridge.global.nowasm.js`]);
  console.log(`a page configuring a vendor downloads ${wasm.bytes} bytes gzip (wasm), ${js.bytes} (no WebAssembly)`);
});

test('a vendor refusal: errorCode is the vendor code as a String, code the package one, the error its own words', async () => {
  writeFileSync(
    join(work, 'refusal.html'),
    page(`<script src="${GLOBAL}"></script>
<script>
  var sandbox = decodeURIComponent(/[?&]sandbox=([^&]*)/.exec(location.search)[1]);
  var results = {};
  qing.config({ yunzhijia: { baseURL: sandbox + '/yunzhijia', eid: '10109', secret: 'sandbox-secret' } });
  qing.call('group.groupUsers', { currentUid: 'u-1', groupId: 'no-such-group', success: function (res) {
    results.res = { success: res.success, errorCode: res.errorCode, code: res.code, error: res.error, vendorMessage: res.vendorMessage };
    results.done = true;
  } });
</script>`),
  );
  const r = await open('refusal.html', { ua: UA.ios });
  const { res } = r.results;
  assert.equal(res.success, 'false');
  assert.equal(res.code, 'VENDOR_ERROR');
  assert.equal(res.errorCode, '100', `the vendor's code: ${JSON.stringify(res)}`);
  assert.equal(res.error, '群组不存在 (no such group)', "inside the app (Chinese), the vendor's own words");
  assert.equal(res.vendorMessage, res.error);
});

// The vendor's qing.js, emulated from its published source (npm.js, api.js, xuntong.js,
// client/mobile.js): registered once (`qing.version`); XuntongJSBridge.call through its qing;
// calls queued until CloudHubJSBridge is ready; its own odd callback ids; a `success` String
// turned into a boolean. `guard: false` is its client part alone, without the version guard.
function vendorQing(guard) {
  return `(function () {
  if (${guard} && window.qing && window.qing.version) return;
  var qing = window.qing || (window.qing = {});
  qing.version = 'vendor';
  var queue = [], ready = false, map = {}, index = 1, frames = [], at = 0;
  var android = /android/i.test(navigator.userAgent);
  var v = /Qing\\/(\\d+(?:\\.\\d+)*)/.exec(navigator.userAgent)[1];
  function send(method, message, cb) {
    index += 2; var id = '' + index; map[id] = cb;
    var url = 'xuntong:' + method + ':' + id + ':' + encodeURIComponent(JSON.stringify(message));
    if (android && parseFloat(v.slice(2)) >= 9.59) { window.prompt(url); return; }
    if (!frames.length) for (var i = 0; i < 9; i++) { var f = document.createElement('iframe'); f.style.display = 'none'; document.documentElement.appendChild(f); frames.push(f); }
    frames[at++ % 9].setAttribute('src', url);
  }
  function handle(id, message) {
    if (typeof message === 'string' && /^\\s*\\{/.test(message)) { message = JSON.parse(message); if (typeof message.success === 'string') message.success = message.success === 'true'; }
    if (map[id]) map[id](message);
  }
  function run(name, params) {
    var s = params.success, c = params.complete; delete params.success; delete params.error; delete params.complete;
    send(name, params, function (r) { if (s) s(r); if (c) c(r); });
  }
  qing.call = function (name, params) { if (ready) run(name, params); else queue.push([name, params]); };
  window.XuntongJSBridge = { call: function (name, params, cb) { params = params || {}; if (cb) params.complete = cb; qing.call(name, params); } };
  function onReady(hub) {
    window.XuntongJSBridge = { call: send, invoke: send, handleMessageFromXT: handle, on: hub.on };
    ready = true;
    queue.splice(0).forEach(function (a) { run(a[0], a[1]); });
  }
  var hub = window.CloudHubJSBridge;
  if (!hub || !hub.isReady) window.__onJSBridgeReady = onReady; else onReady(hub);
})();`;
}

const BOTH = (guardedFirst) => `
  var results = {};
  var n = 0;
  function done() { n += 1; if (n === 2) results.done = true; }
  results.theirs = window.qing.version;
  window.qing.call('createLive', { groupId: 'theirs', success: function (res) { results.viaTheirs = [res.success, res.data.params.groupId]; done(); } });
  workbridge.qing.call('createLive', { groupId: 'ours', success: function (res) { results.viaOurs = [res.success, res.data.params.groupId]; done(); } });
`;

test("the vendor's qing.js before ours: window.qing stays theirs, ours is workbridge.qing, and both reach the app", async () => {
  writeFileSync(
    join(work, 'vendor-first.html'),
    page(`<script>${vendorQing(true)}</script><script src="${GLOBAL}"></script><script>${BOTH()}</script>`),
  );
  for (const ua of [UA.ios, UA.androidNew]) {
    const r = await open('vendor-first.html', { ua, app: { cloudHub: 'ready', text: true } });
    assert.equal(r.results.theirs, 'vendor');
    assert.deepEqual(r.results.viaTheirs, [true, 'theirs'], 'their qing.js turns "true" into true');
    assert.deepEqual(r.results.viaOurs[1], 'ours', 'ours went through their XuntongJSBridge');
    assert.deepEqual(r.calls.map((c) => c.params.groupId).sort(), ['ours', 'theirs']);
    assert.deepEqual(r.errors, []);
  }
});

test("the vendor's qing.js after ours: it leaves our qing alone; its client part replacing XuntongJSBridge breaks neither", async () => {
  writeFileSync(
    join(work, 'vendor-after.html'),
    page(`<script src="${GLOBAL}"></script><script>${vendorQing(true)}</script><script>${BOTH()}</script>`),
  );
  const guarded = await open('vendor-after.html', { ua: UA.ios, app: { cloudHub: 'ready', text: true } });
  assert.equal(typeof guarded.results.theirs, 'string');
  assert.notEqual(guarded.results.theirs, 'vendor', 'it saw qing.version and registered nothing');
  assert.deepEqual(guarded.results.viaOurs, ['true', 'ours']);
  writeFileSync(
    join(work, 'client-after.html'),
    page(`<script src="${GLOBAL}"></script><script>${vendorQing(false)}</script><script>${BOTH()}</script>`),
  );
  for (const ua of [UA.ios, UA.androidNew]) {
    const r = await open('client-after.html', { ua, app: { cloudHub: 'ready', text: true } });
    assert.deepEqual(r.results.viaTheirs, [true, 'theirs']);
    assert.deepEqual(r.results.viaOurs, ['true', 'ours'], 'our answer reached us through their handleMessageFromXT');
    assert.equal(r.calls.length, 2);
    assert.deepEqual(r.errors, []);
  }
});

test('outside the app: NOT_IN_APP at once, in English; lang switches the language; a misspelt key is still refused', async () => {
  writeFileSync(
    join(work, 'outside.html'),
    page(`<script src="${GLOBAL}"></script>
<script>
  var results = { support: qing.isSupportNativeJsBridge, xt: typeof window.XuntongJSBridge };
  try { qing.config({ debug: true, relai: 'x' }); } catch (e) { results.misspelt = e.code + ' ' + e.field; }
  var started = Date.now();
  qing.call('createLive', { groupId: 'g' }).then(function (en) {
    results.en = [en.errorCode, en.code, /not running inside the Yunzhijia app/.test(en.error), Date.now() - started < 1000];
    qing.config({ lang: 'zh' });
    return qing.call('createLive', {});
  }).then(function (zh) {
    results.zh = [zh.errorCode, zh.error, /not running inside/.test(zh.detail)];
    results.check = qing.checkJsApi({ jsApiList: ['createLive', 'meeting.create', 'meeting.nothing'] });
    qing.checkJsApi({ jsApiList: ['createLive', 'meeting.create'], success: function (res) { results.checked = res.data; } });
    results.done = true;
  });
</script>`),
  );
  const r = await open('outside.html');
  assert.deepEqual(r.results, {
    support: false,
    xt: 'undefined',
    misspelt: 'INVALID_ARGUMENT relai',
    en: ['NOT_IN_APP', 'NOT_IN_APP', true, true],
    zh: ['NOT_IN_APP', '请在云之家客户端中打开此页面', true],
    check: false,
    checked: { createLive: false, 'meeting.create': true },
    done: true,
  });
  assert.deepEqual(r.calls, [], 'nothing was sent to any app');
});
