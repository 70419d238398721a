// A Yunzhijia light-app page as the vendor's docs write one, with one <script src> of the
// installed package's classic-script build, in headless Chromium: inside the app, outside it,
// inside it with no WebAssembly at all (the JavaScript build), next to a page's own qing.js
// (before and after ours), injected without WebAssembly; and `import 'workbridge/global'` in a
// Vite app, which must not be dropped as side-effect free.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import { installPackage, startSandboxBin, launchChromium } from './helpers.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
};
const APP_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Qing/10.6.1';
const GLOBAL = '/node_modules/workbridge/workbridge.global.js';
const NOWASM = '/node_modules/workbridge/workbridge.global.nowasm.js';
const WASM = '/node_modules/workbridge/workbridge.global.wasm.js';
let work;
let sandbox;
let browser;
let site;

/** Serves `dir` statically on a free port, remembering the paths asked for. */
function serve(dir) {
  const asked = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    asked.push(path);
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    let body;
    try {
      body = readFileSync(file);
    } catch {
      return res.writeHead(404, { Connection: 'close' }).end();
    }
    res
      .writeHead(200, { Connection: 'close', 'Content-Type': TYPES[extname(file)] || 'application/octet-stream' })
      .end(body);
  });
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () =>
      r({
        url: `http://127.0.0.1:${server.address().port}`,
        asked,
        close: () => new Promise((c) => server.close(c)),
      }),
    ),
  );
}

// The page's script, as the vendor's docs write light-app code: var, callbacks, result.success
// compared with the String 'true', only a `success` callback. Server operations go to the sandbox.
const PAGE_SCRIPT = `
  var sandbox = decodeURIComponent(/[?&]sandbox=([^&]*)/.exec(location.search)[1]);
  var results = { sync: typeof workbridge !== 'undefined' && typeof workbridge.qing.call === 'function' && qing !== workbridge.qing };
  var pending = 3;
  function done() { pending -= 1; if (pending === 0) results.done = true; }
  qing.config({ cam: { apiToken: 'sandbox-token', serverURL: sandbox + '/cam' } });
  results.inApp = qing.isInApp();
  qing.call('createLive', {
    groupId: 'g-9',
    success: function (result) {
      if (result.success == 'true') {
        results.live = result.data;
      } else {
        results.liveFailed = result.errorCode;
      }
      done();
    }
  });
  qing.call('cam.getConferenceRooms', {
    success: function (result) {
      if (result.success == 'true') {
        results.rooms = result.data.conferenceRooms.length;
      }
      done();
    }
  });
  qing.call('cam.getConferenceRoomStatus', {
    yyyyMMdd: '2019-08',
    success: function (result) {
      results.badDay = result.success + ' ' + result.errorCode;
      done();
    }
  });
`;
const page = (head, body = '') =>
  `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">${head}</head><body>${body}</body></html>`;
const BRIDGE = () => {
  window.XuntongJSBridge = {
    call: (name, params, cb) => cb({ success: 'true', data: JSON.stringify({ name, groupId: params.groupId }) }),
  };
};
const NO_WASM = () => {
  delete globalThis.WebAssembly;
};

before(async () => {
  work = installPackage('lightapp');
  sandbox = await startSandboxBin(work);
  browser = await launchChromium();
  writeFileSync(
    join(work, 'light-app.html'),
    page(`<script src="${GLOBAL}"></script>\n<script>${PAGE_SCRIPT}</script>`),
  );
  site = await serve(work);
});
after(async () => {
  await browser?.close();
  await sandbox?.stop();
  await site?.close();
});

/** Opens `file` of the site in a fresh context; resolves with the page's `results` once done. */
async function run(file, { userAgent, init = [], wait = 'window.results && window.results.done' } = {}) {
  const context = await browser.newContext(userAgent ? { userAgent } : {});
  for (const script of init) await context.addInitScript(script);
  const errors = [];
  try {
    const p = await context.newPage();
    p.on('pageerror', (e) => errors.push(String(e)));
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    site.asked.length = 0;
    await p.goto(`${site.url}/${file}?sandbox=${encodeURIComponent(sandbox.url)}`);
    await p.waitForFunction(wait, null, { timeout: 30_000 });
    const results = await p.evaluate(() => JSON.parse(JSON.stringify(window.results)));
    const engine = await p.evaluate(() => typeof WebAssembly);
    return { results, engine, asked: [...site.asked], errors };
  } finally {
    await context.close();
  }
}

const IN_APP = {
  sync: true,
  inApp: true,
  live: '{"name":"createLive","groupId":"g-9"}',
  rooms: 3,
  badDay: 'false INVALID_ARGUMENT',
  done: true,
};

test('(a) in the app: native names reach the bridge, server operations the sandbox, with the WebAssembly build', async () => {
  const { results, engine, asked, errors } = await run('light-app.html', { userAgent: APP_UA, init: [BRIDGE] });
  assert.deepEqual(results, IN_APP, 'native data as the app gave it; failures reach `success` with success == "false"');
  assert.equal(engine, 'object');
  assert.ok(asked.includes(GLOBAL));
  assert.ok(asked.includes(WASM), 'the page configures a vendor: its clients are loaded');
  assert.ok(!asked.includes(NOWASM), 'the JavaScript build is not downloaded where WebAssembly works');
  assert.deepEqual(errors, []);
});

test('(b) outside the app: native names fail with NOT_IN_APP through `success`, server operations work', async () => {
  const { results, asked, errors } = await run('light-app.html');
  assert.deepEqual(results, {
    sync: true,
    inApp: false,
    liveFailed: 'NOT_IN_APP',
    rooms: 3,
    badDay: 'false INVALID_ARGUMENT',
    done: true,
  });
  assert.ok(!asked.includes(NOWASM));
  assert.deepEqual(errors, []);
});

test('(c) in the app with WebAssembly deleted before any script: the JavaScript build of the clients the page configures, same results', async () => {
  const { results, engine, asked, errors } = await run('light-app.html', {
    userAgent: APP_UA,
    init: [NO_WASM, BRIDGE],
  });
  assert.equal(engine, 'undefined', 'the init script removed WebAssembly');
  assert.deepEqual(results, IN_APP, 'the page script ran right after ours and found qing');
  assert.deepEqual(
    asked.filter((p) => p.startsWith('/node_modules/')),
    [GLOBAL, NOWASM],
  );
  assert.deepEqual(errors, []);
});

test('(c) without WebAssembly, outside the app: the JavaScript build signs and sends like the wasm one', async () => {
  writeFileSync(
    join(work, 'nowasm-calls.html'),
    page(`<script src="${GLOBAL}"></script>
<script>
  var sandbox = decodeURIComponent(/[?&]sandbox=([^&]*)/.exec(location.search)[1]);
  var results = {};
  qing.config({ xuanxuan: { serverURL: sandbox + '/xuanxuan', code: 'sandbox', key: 'sandbox-key' } });
  workbridge.ready.then(function () {
    results.token = workbridge.xuanxuanToken('m=chat&f=getChatUsers&code=myAppCode', '3cd0914d656e90ab181f1d52ff352cfe');
    var client = new workbridge.CAMAPIClient({ apiToken: 'sandbox-token', serverURL: sandbox + '/cam' });
    return client.sendMessage('messenger', 'from the JavaScript build, 会议 😀 ' + 'x'.repeat(200000), false, ['user1@xxx.com']);
  }).then(function (r) {
    results.sent = typeof r.messageId;
    return qing.call('xuanxuan.getChatUsers', {});
  }).then(function (r) {
    results.xuanxuan = r.success;
    results.done = true;
  }, function (e) { results.failed = e.code + ' ' + e.message; results.done = true; });
</script>`),
  );
  const { results, errors } = await run('nowasm-calls.html', { init: [NO_WASM] });
  assert.deepEqual(results, {
    token: 'f5633c34c0c551a16c1d63bceb38d6a8',
    sent: 'string',
    xuanxuan: 'true',
    done: true,
  });
  const sent = await (await fetch(`${sandbox.url}/cam/_sandbox/messages`)).json();
  assert.ok(
    sent.messages.at(-1).message.startsWith('from the JavaScript build, 会议 😀 xxx'),
    'a 200 kB message (the memory grows) arrives whole',
  );
  assert.equal(sent.messages.at(-1).message.length, 'from the JavaScript build, 会议 😀 '.length + 200000);
  assert.deepEqual(errors, []);
});

test('(d) a page that defines its own qing before our script keeps it; ours stays at workbridge.qing', async () => {
  writeFileSync(
    join(work, 'own-qing.html'),
    page(`<script>
  // The app's own qing.js, loaded first.
  var qing = { own: true, call: function (name, params) { params.success({ success: 'true', data: 'from their qing.js: ' + name }); } };
</script>
<script src="${GLOBAL}"></script>
<script>
  var results = { kept: qing.own === true && window.qing !== workbridge.qing };
  qing.call('createLive', { success: function (result) { results.theirs = result.data; } });
  workbridge.qing.call('createLive', {}).then(function (result) { results.ours = result.errorCode; results.done = true; });
</script>`),
  );
  const { results, errors } = await run('own-qing.html');
  assert.deepEqual(results, { kept: true, theirs: 'from their qing.js: createLive', ours: 'NOT_IN_APP', done: true });
  assert.deepEqual(errors, []);
});

test('(d) a qing.js loaded after ours replaces or patches window.qing, never workbridge.qing', async () => {
  writeFileSync(
    join(work, 'qing-after.html'),
    page(`<script src="${GLOBAL}"></script>
<script>
  var results = { oursFirst: typeof qing.call === 'function' && qing !== workbridge.qing };
  // A qing.js that extends whatever window.qing it finds.
  window.qing = window.qing || {};
  qing.call = function (name, params) { params.success({ success: 'true', data: 'patched ' + name }); };
</script>
<script>
  qing.call('createLive', { success: function (result) { results.patched = result.data; } });
  workbridge.qing.call('createLive', {}).then(function (result) {
    results.ours = result.errorCode;
    // A qing.js that defines its own object.
    window.qing = { call: function () { return 'replaced'; } };
    results.replaced = qing.call() + ' ' + (workbridge.qing.call !== window.qing.call);
    results.done = true;
  });
</script>`),
  );
  const { results, errors } = await run('qing-after.html');
  assert.deepEqual(results, {
    oursFirst: true,
    patched: 'patched createLive',
    ours: 'NOT_IN_APP',
    replaced: 'replaced true',
    done: true,
  });
  assert.deepEqual(errors, []);
});

test('an element with id="qing" is not a qing.js: window.qing is ours', async () => {
  writeFileSync(
    join(work, 'qing-element.html'),
    page(
      '',
      `<div id="qing"></div>
<script src="${GLOBAL}"></script>
<script>
  var results = { call: typeof qing.call };
  qing.call('createLive', {}).then(function (result) { results.res = result.errorCode; results.done = true; });
</script>`,
    ),
  );
  const { results, errors } = await run('qing-element.html');
  assert.deepEqual(results, { call: 'function', res: 'NOT_IN_APP', done: true });
  assert.deepEqual(errors, []);
});

test('injected (not parser-blocking) without WebAssembly: workbridge.ready resolves once the JavaScript build is in', async () => {
  writeFileSync(
    join(work, 'injected.html'),
    page(`<script>
  var results = {};
  var s = document.createElement('script');
  s.src = '${GLOBAL}';
  s.onload = function () {
    results.beforeReady = typeof workbridge.CAMAPIClient;
    workbridge.ready.then(function (ns) {
      results.same = ns === window.workbridge;
      results.qing = typeof qing.call;
      return qing.call('createLive', {});
    }).then(function (result) { results.live = result.errorCode; results.done = true; });
  };
  document.head.appendChild(s);
</script>`),
  );
  const { results, asked, errors } = await run('injected.html', { init: [NO_WASM] });
  assert.deepEqual(results, { beforeReady: 'undefined', same: true, qing: 'function', live: 'NOT_IN_APP', done: true });
  assert.ok(asked.includes(NOWASM));
  assert.deepEqual(errors, []);
});

test('without WebAssembly and the JavaScript build missing, workbridge.ready rejects with the reason; data-nowasm says where it is', async () => {
  const copy = join(work, 'lonely');
  mkdirSync(copy, { recursive: true });
  writeFileSync(
    join(copy, 'workbridge.global.js'),
    readFileSync(join(work, 'node_modules/workbridge/workbridge.global.js')),
  );
  writeFileSync(
    join(copy, 'index.html'),
    page(`<script src="workbridge.global.js"></script>
<script>
  var results = {};
  workbridge.ready.then(function () { results.loaded = true; results.done = true; }, function (e) { results.error = e.message; results.done = true; });
</script>`),
  );
  const { results, asked } = await run('lonely/index.html', { init: [NO_WASM] });
  assert.match(
    results.error,
    /^workbridge: this browser has no WebAssembly, and its JavaScript build did not load from http:\/\/127\.0\.0\.1:\d+\/lonely\/workbridge\.global\.nowasm\.js$/,
  );
  assert.deepEqual(
    asked.filter((p) => p.endsWith('nowasm.js')),
    ['/lonely/workbridge.global.nowasm.js'],
    'asked for once, when the page awaited workbridge.ready',
  );
  // data-nowasm names where it is instead.
  writeFileSync(
    join(copy, 'elsewhere.html'),
    page(`<script src="workbridge.global.js" data-nowasm="${NOWASM}"></script>
<script>
  var results = { sync: typeof qing.call };
  workbridge.ready.then(function () { results.done = true; });
</script>`),
  );
  const found = await run('lonely/elsewhere.html', { init: [NO_WASM] });
  assert.deepEqual(found.results, { sync: 'function', done: true });
  assert.ok(found.asked.includes(NOWASM));
});

test("`import 'workbridge/global'` in a Vite app is kept, and defines window.workbridge and window.qing, with and without WebAssembly", async () => {
  const app = join(work, 'vite-global');
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'index.html'), page('', '<script type="module" src="./main.js"></script>'));
  writeFileSync(
    join(app, 'main.js'),
    `import 'workbridge/global';
const sandbox = new URL(location.href).searchParams.get('sandbox');
window.results = { qing: typeof qing.call, before: typeof workbridge.CAMAPIClient };
qing.config({ cam: { apiToken: 'sandbox-token', serverURL: sandbox + '/cam' } });
qing.call('cam.getConferenceRooms', {}).then((r) => workbridge.ready.then((wb) => {
  window.results = { ...window.results, rooms: r.data.conferenceRooms.length, after: typeof wb.CAMAPIClient, done: true };
}));
`,
  );
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
    cwd: app,
    stdio: 'pipe',
  });
  const chunks = readdirSync(join(app, 'dist/assets')).filter((f) => f.endsWith('.js'));
  const code = chunks.map((f) => readFileSync(join(app, 'dist/assets', f), 'utf8')).join('\n');
  // A string of the light part that survives minification.
  assert.ok(
    code.includes('xuntong:'),
    `the global build is in the bundle, not dropped as side-effect free (${code.length} bytes of JS)`,
  );
  assert.ok(chunks.length >= 3, `the clients are chunks of their own, loaded on demand: ${chunks.join(', ')}`);
  // What a page that uses the app and a relay loads of it: the entry chunk, the light part.
  const entry = chunks.find((f) => readFileSync(join(app, 'dist/assets', f), 'utf8').includes('xuntong:'));
  const entryGzip = gzipSync(readFileSync(join(app, 'dist/assets', entry)), { level: 9 }).length;
  console.log(`Vite: the entry chunk with the light part is ${entryGzip} bytes gzip`);
  assert.ok(entryGzip <= 10 * 1024, `${entryGzip} bytes gzip`);
  const dist = await serve(join(app, 'dist'));
  try {
    for (const init of [[], [NO_WASM]]) {
      const context = await browser.newContext();
      for (const script of init) await context.addInitScript(script);
      try {
        const p = await context.newPage();
        const errors = [];
        p.on('pageerror', (e) => errors.push(String(e)));
        await p.goto(`${dist.url}/?sandbox=${encodeURIComponent(sandbox.url)}`);
        await p.waitForFunction('window.results && window.results.done', null, { timeout: 30_000 });
        assert.deepEqual(await p.evaluate(() => window.results), {
          qing: 'function',
          before: 'undefined',
          rooms: 3,
          after: 'function',
          done: true,
        });
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
  } finally {
    await dist.close();
  }
});

// The same through webpack, which emits every import() as a chunk and the wasm the web glue
// names as an asset: the light part in the app's bundle, the clients loaded from their chunks,
// with WebAssembly and without (then the JavaScript build's chunk, and no wasm fetched).
test("`import 'workbridge/global'` through webpack works with and without WebAssembly", async () => {
  const app = join(work, 'webpack-global');
  mkdirSync(join(app, 'dist'), { recursive: true });
  writeFileSync(
    join(app, 'main.js'),
    `import 'workbridge/global';
const sandbox = new URL(location.href).searchParams.get('sandbox');
window.results = { qing: typeof qing.call, before: typeof workbridge.CAMAPIClient };
qing.config({ cam: { apiToken: 'sandbox-token', serverURL: sandbox + '/cam' } });
qing.call('cam.getConferenceRooms', {}).then((r) => workbridge.ready.then((wb) => {
  window.results = { ...window.results, rooms: r.data && r.data.conferenceRooms.length, error: r.error, after: typeof wb.CAMAPIClient, done: true };
}));
`,
  );
  writeFileSync(join(app, 'dist', 'index.html'), page('<script src="main.js"></script>'));
  const { default: webpack } = await import(join(root, 'node_modules/webpack/lib/index.js'));
  const stats = await new Promise((resolve, reject) =>
    webpack(
      {
        mode: 'production',
        context: app,
        entry: './main.js',
        output: { path: join(app, 'dist'), filename: 'main.js' },
        // The chunks are checked, not shipped: minifying 1 MB of wasm2js output takes a minute.
        optimization: { minimize: false },
        resolve: { modules: [join(work, 'node_modules')] },
        performance: { hints: false },
      },
      (err, st) => (err ? reject(err) : resolve(st)),
    ),
  );
  assert.ok(!stats.hasErrors(), stats.toString({ all: false, errors: true }));
  const emitted = readdirSync(join(app, 'dist'));
  assert.ok(
    emitted.some((f) => f.endsWith('.wasm')),
    `the wasm is emitted: ${emitted.join(', ')}`,
  );
  const dist = await serve(join(app, 'dist'));
  try {
    for (const [init, wasmAsked] of [
      [[], true],
      [[NO_WASM], false],
    ]) {
      const context = await browser.newContext();
      for (const script of init) await context.addInitScript(script);
      try {
        const p = await context.newPage();
        const errors = [];
        p.on('pageerror', (e) => errors.push(String(e)));
        dist.asked.length = 0;
        await p.goto(`${dist.url}/index.html?sandbox=${encodeURIComponent(sandbox.url)}`);
        await p.waitForFunction('window.results && window.results.done', null, { timeout: 60_000 });
        assert.deepEqual(await p.evaluate(() => window.results), {
          qing: 'function',
          before: 'undefined',
          rooms: 3,
          error: '',
          after: 'function',
          done: true,
        });
        assert.equal(
          dist.asked.some((a) => a.endsWith('.wasm')),
          wasmAsked,
        );
        assert.ok(!dist.asked.some((a) => a.includes('nowasm.js')), 'nothing asked that the bundler never emitted');
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
  } finally {
    await dist.close();
  }
});

// The WebView floor of the JavaScript build, checked in Node: its syntax is no newer than ES2018,
// and it runs in a context holding only an ES2018 library (everything newer deleted, and no
// globalThis, WebAssembly, queueMicrotask, FinalizationRegistry, AbortController) plus
// TextEncoder, TextDecoder, setTimeout and a fetch.
test('the JavaScript build needs no more than ES2018 with TextEncoder, TextDecoder, setTimeout and fetch', async () => {
  const light = readFileSync(join(work, 'node_modules/workbridge/workbridge.global.js'), 'utf8');
  const code = readFileSync(join(work, 'node_modules/workbridge/workbridge.global.nowasm.js'), 'utf8');
  for (const [what, pattern] of [
    ['optional chaining', /\?\.[A-Za-z_$[(]/],
    ['nullish coalescing', /\?\?/],
    ['logical assignment', /(\|\||&&)=/],
    ['catch with no binding', /catch\s*\{/],
    ['a private name', /[^\w$'"`]#[A-Za-z_]/],
    ['a numeric separator', /\b\d+_\d/],
    ['a BigInt literal', /\b\d+n\b/],
  ]) {
    for (const text of [light, code])
      assert.ok(!pattern.test(text), `${what}: ${(pattern.exec(text) || [''])[0]} at ${pattern.exec(text)?.index}`);
  }
  const requests = [];
  const fetch = async (url, init) => {
    requests.push({ url, method: init.method, body: init.body, redirect: init.redirect });
    return { status: 200, headers: { get: () => null }, text: async () => '{"errors":null,"messageId":"msg-1"}' };
  };
  const context = vm.createContext({ TextEncoder, TextDecoder, setTimeout, clearTimeout, fetch });
  vm.runInContext(
    `
    var window = this;
    for (const [owner, names] of [
      [this, ['WebAssembly', 'FinalizationRegistry', 'WeakRef', 'AggregateError', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'globalThis']],
      [Array.prototype, ['flat', 'flatMap', 'at', 'findLast', 'findLastIndex', 'toSorted', 'toReversed', 'toSpliced', 'with']],
      [Object, ['fromEntries', 'hasOwn', 'groupBy']],
      [String.prototype, ['matchAll', 'replaceAll', 'trimStart', 'trimEnd', 'at', 'isWellFormed', 'toWellFormed']],
      [Promise, ['allSettled', 'any', 'withResolvers']],
    ]) for (const name of names) delete owner[name];
  `,
    context,
  );
  assert.equal(
    vm.runInContext(
      'typeof globalThis + typeof WebAssembly + typeof queueMicrotask + typeof Object.fromEntries',
      context,
    ),
    'undefinedundefinedundefinedundefined',
  );
  // The light part, then the JavaScript build of the clients, as two <script src> in a row give them.
  vm.runInContext(light, context);
  vm.runInContext(code, context);
  const { workbridge, qing } = context;
  assert.equal(typeof qing.call, 'function');
  const client = new workbridge.CAMAPIClient({ apiToken: 't', serverURL: 'http://floor.test/cam' });
  // Objects of the context's realm: compared as JSON.
  const plain = (x) => JSON.parse(JSON.stringify(x));
  assert.deepEqual(plain(await client.sendMessage('messenger', '会议 😀 & more', false, ['a@x.com'])), {
    errors: null,
    messageId: 'msg-1',
  });
  assert.equal(requests[0].url, 'http://floor.test/cam/sendMessage');
  assert.equal(
    new URLSearchParams(requests[0].body).get('message'),
    JSON.stringify({
      panelName: 'messenger',
      message: '会议 😀 & more',
      isOpened: false,
      generalPurposes: { users: 'a@x.com' },
    }),
  );
  assert.equal(requests[0].redirect, 'manual');
  assert.equal(
    workbridge.xuanxuanToken('m=chat&f=getChatUsers&code=myAppCode', '3cd0914d656e90ab181f1d52ff352cfe'),
    'f5633c34c0c551a16c1d63bceb38d6a8',
  );
  qing.config({ cam: { apiToken: 't', serverURL: 'http://floor.test/cam' } }); // the page's fetch, found with no globalThis
  const rooms = await qing.call('cam.getConferenceRooms', {});
  assert.deepEqual(plain([rooms.success, requests[1].url]), ['true', 'http://floor.test/cam/getConferenceRooms']);
  const bad = await qing.call('cam.getConferenceRoomStatus', { yyyyMMdd: '2019-08' });
  assert.deepEqual(plain([bad.success, bad.errorCode, bad.field]), ['false', 'INVALID_ARGUMENT', 'yyyyMMdd']);
  assert.equal(requests.length, 2, 'nothing sent for bad input');
});
