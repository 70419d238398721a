// The demo page. Forms come from the package's operation tables, prefilled from the seeds'
// samples; every run shows the requests that actually went out (masked by the package's own
// rules), the result, or the WorkbridgeError with its code and field.
import * as wb from '/pkg/browser.mjs';
import { createSandbox, sandboxFetch } from '/pkg/sandbox/browser.mjs';

const { qing, diagnostics, WorkbridgeError } = wb;
// The tables with their docs, for the forms (the package's entries carry names and params only).
const operations = await (await fetch('/pkg/operations.json')).json();
const $ = (id) => document.getElementById(id);

const VENDORS = {
  cam: {
    label: 'Chat&Messenger',
    Client: wb.CAMAPIClient,
    url: 'serverURL',
    path: '/cam',
    options: { apiToken: 'sandbox-token' },
  },
  yunzhijia: {
    label: '云之家 Yunzhijia',
    Client: wb.YunzhijiaClient,
    url: 'baseURL',
    path: '/yunzhijia',
    options: { eid: '10109', secret: 'sandbox-secret' },
  },
  xuanxuan: {
    label: '喧喧 XuanXuan',
    Client: wb.XuanxuanClient,
    url: 'serverURL',
    path: '/xuanxuan',
    options: {
      code: 'sandbox',
      key: 'sandbox-key',
      sender: { id: 'demo', name: 'Demo', avatar: 'https://example.com/demo.png' },
    },
  },
  ytx: {
    label: '云通信 YTX',
    Client: wb.YtxClient,
    url: 'baseURL',
    path: '/ytx',
    options: { accountSID: 'sandbox-sid', authToken: 'sandbox-token', appid: 'sandbox-app' },
  },
};

// Tomorrow 10:00 and 11:00 in Beijing, so a created meeting shows up in queryByDay.
const day = new Date();
day.setUTCDate(day.getUTCDate() + 1);
day.setUTCHours(2, 0, 0, 0);
const T0 = day.getTime();
const T1 = T0 + 3600_000;
// Ids the page remembers from earlier results, to prefill the next form (meeting, group).
const memory = { id: '', groupId: '', orderId: '' };

// From the seeds' samples (with the sandbox's own room and group ids where a sample has "xxxxx").
const SAMPLES = {
  cam: {
    sendMessage: { panelName: 'messenger', message: 'Hello!', isOpened: 'false', users: 'user1@xxx.com,user2@xxx.com' },
    sendMessages: {
      items:
        '[{"message":"hello 1","users":"user1@test.com,user2@test.com"},{"send":"Secret meeting","message":"test 1"}]',
    },
    createQuickCall: { expireDate: String(Date.now() + 3600_000), password: 'password!' },
    updateChatRoom: {
      chatRoom:
        '{"name":"Secret meeting 2","createUserId":"11u1pu9d32p8vuvjoZdd","isMessageThread":true,"isPublic":false,"memberUids":{"11u1pu9d32p8vuvjoZdd":true,"1lmn7hoh3s1ja26fsazw":false}}',
    },
    getConferenceRoomStatus: { yyyyMMdd: '201908' },
  },
  yunzhijia: {
    'meeting.create': {
      openid: '5a67e08d00b0e8dfe4aab4fa',
      title: '测试会议',
      content: '新增会议测试',
      meetingPlace: '云8会议室',
      startDate: String(T0),
      endDate: String(T1),
      roomId: '5c121cfd7453ed63750a9767',
      noticeTime: '0',
      topState: '0',
      actors: 'xxxxxx1,xxxxxx2',
      type: 'sign',
      submitExperience: 'true',
    },
    'meeting.modify': {
      id: () => memory.id,
      openid: '5a67e08d00b0e8dfe4aab4fa',
      title: '测试会议',
      content: '更新会议测试',
      addActors: 'xxxxxx3',
    },
    'meeting.cancel': { id: () => memory.id, openid: '5a67e08d00b0e8dfe4aab4fa' },
    'meeting.repeatMeeting': {
      openid: '5a67e08d00b0e8dfe4aab4fa',
      title: '测试会议',
      content: '批量修改重复日程接口',
      startDate: String(T0 + 86400_000 * 7),
      endDate: String(T1 + 86400_000 * 7),
      noticeTime: '0',
      topState: '0',
      repeat: '1',
      repeatEndDate: String(T1 + 86400_000 * 14),
    },
    'meeting.batchModify': { id: () => memory.id, openid: '5a67e08d00b0e8dfe4aab4fa', title: '测试会议 v2' },
    'meeting.batchCancel': { id: () => memory.id, openid: '5a67e08d00b0e8dfe4aab4fa' },
    'meeting.queryByDay': { day: String(T0) },
    'roomBook.hasNew': { eid: '10109' },
    'roomBook.bookInfo': { eid: '10109', pageIndex: '1', pageSize: '50' },
    'roomBook.freeRooms': { openId: 'fsdfsdfdsfsdfdsfewfaga', startTime: String(T0), endTime: String(T1) },
    'roomBook.getActors': { orderId: () => memory.orderId },
    'group.createGroup': {
      groupName: '讨论组',
      currentUid: '5b503ee9e4b02abb5318b23e',
      userIds: '5b6cea82e4b05df05b3efc2b,5bee6706e4b073e587c144ae',
    },
    'group.addGroupUser': {
      currentUid: '5b503ee9e4b02abb5318b23e',
      groupId: () => memory.groupId,
      userIds: '5b90c663e4b0216ee04a768c',
    },
    'group.groupUsers': { currentUid: '5b503ee9e4b02abb5318b23e', groupId: () => memory.groupId },
    'notice.create': {
      currentUid: '5b503ee9e4b02abb5318b23e',
      groupId: () => memory.groupId,
      title: '群公告标题',
      content: '群公告内容',
    },
    'banner.create': {
      currentUid: '5b503ee9e4b02abb5318b23e',
      groupId: () => memory.groupId,
      params: '{"title":"string","content":"string","webpageUrl":"https://www.yunzhijia.com"}',
    },
    'message.createForCloudflow': { currentUid: '5b503ee9e4b02abb5318b23e', groupId: () => memory.groupId },
  },
  xuanxuan: {
    getChatUsers: { gid: '30683aea-7a1f-4ec8-a6d6-834e0310fd7d' },
    sendNotification: {
      users: '[1, 3]',
      title: '测试通知消息',
      subtitle: '测试通知消息副标题',
      content: '**测试消息**内容',
      contentType: 'text',
      url: 'http://xuan.im',
      actions: '[{"type":"danger","label":"更新日志","url":"https://xuan.im/page/changelogs.html"}]',
      sender: '{"avatar":"https://avatars2.githubusercontent.com/u/472425?s=460&v=4","name":"Catouse","id":"catouse"}',
    },
    sendChatMessage: {
      gid: '64da14c3-c07a-45af-9c61-4e638de4af26',
      title: '测试通知消息',
      content: '**测试消息**内容',
      contentType: 'text',
    },
  },
  ytx: { queryMeeting: { confid: '002', meetingcount: '1' } },
};

let vendor = 'cam';
const pageFetch = sandboxFetch(createSandbox());
let requests = [];

// A fetch that records what went out (masked) and what came back, then answers.
function recordingFetch(base) {
  return async (url, init = {}) => {
    const shown = diagnostics.maskRequest({
      method: init.method || 'GET',
      url: String(url),
      headers: init.headers || {},
      body: init.body ?? null,
    });
    requests.push(shown);
    const res = await base(url, init);
    shown.response = `${res.status} ${(await res.clone().text()).slice(0, 400)}`;
    return res;
  };
}

function baseFetch() {
  return $('mode').value === 'page' ? pageFetch : (...a) => globalThis.fetch(...a);
}

function clientOptions(v) {
  const options = JSON.parse($('options').value || '{}');
  const mode = $('mode').value;
  const root =
    mode === 'page'
      ? 'http://sandbox.local'
      : mode === 'custom'
        ? $('target').value.replace(/\/+$/, '')
        : location.origin;
  return {
    ...options,
    [VENDORS[v].url]: `${root}${mode === 'custom' ? '' : VENDORS[v].path}`,
    fetch: recordingFetch(baseFetch()),
  };
}

function valueOf(p, text) {
  if (text === '') return undefined;
  if (p.type === 'boolean') return text === 'true';
  if (p.type === 'integer') return /^-?\d+$/.test(text) ? Number(text) : text;
  if (p.type === 'time') return /^\d+$/.test(text) ? Number(text) : new Date(text);
  if (p.type === 'string[]') return text.split(',').map((s) => s.trim());
  if (p.type === 'json') {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function currentOp() {
  return operations[vendor].find((o) => o.name === $('op').value);
}

function paramsFromForm(op) {
  const params = {};
  for (const p of op.params) {
    const v = valueOf(p, $('params').querySelector(`[name="${p.name}"]`).value.trim());
    if (v !== undefined) params[p.name] = v;
  }
  return params;
}

function showCode() {
  const op = currentOp();
  const params = paramsFromForm(op);
  const name = VENDORS[vendor].Client.name;
  const json = JSON.stringify(params);
  const call = op.positional
    ? `${op.name}(${op.params.map((p) => JSON.stringify(params[p.name])).join(', ')})`
    : `${op.name}(${json})`;
  $('code-promise').textContent = `const client = new ${name}({ … });\nconst data = await client.${call};`;
  const qingName = vendor === 'yunzhijia' ? op.name : `${vendor}.${op.name}`;
  $('code-qing').textContent =
    `qing.call('${qingName}', { ...${json},\n  success(res) {}, error(res) {}, complete(res) {} });`;
}

function showParams() {
  const op = currentOp();
  $('doc').textContent = op.doc;
  const samples = SAMPLES[vendor]?.[op.name] ?? {};
  $('params').replaceChildren(
    ...op.params.map((p) => {
      const label = document.createElement('label');
      label.textContent = `${p.name} (${p.type}${p.required ? '' : ', optional'}) — ${p.doc}`;
      const input = document.createElement(p.type === 'json' ? 'textarea' : 'input');
      input.name = p.name;
      const sample = samples[p.name];
      input.value = typeof sample === 'function' ? sample() : (sample ?? '');
      input.addEventListener('input', showCode);
      label.append(input);
      return label;
    }),
  );
  showCode();
}

function selectVendor(v) {
  vendor = v;
  for (const b of $('tabs').children) b.setAttribute('aria-selected', String(b.dataset.vendor === v));
  const light = v === 'light';
  $('form-panel').hidden = light;
  $('light-panel').hidden = !light;
  if (light) return;
  $('op').replaceChildren(...operations[v].map((o) => new Option(o.name, o.name)));
  $('options').value = JSON.stringify(VENDORS[v].options, null, 1);
  showParams();
}

function show(outcome) {
  $('requests').textContent = requests.length
    ? requests
        .map(
          (r) =>
            `${r.method} ${r.url}\n${JSON.stringify(r.headers)}${r.body ? `\n${r.body}` : ''}\n→ ${r.response ?? '(no answer)'}`,
        )
        .join('\n\n')
    : '(nothing was sent)';
  const { ok, value } = outcome;
  $('result').className = ok ? 'ok' : 'error';
  $('result').textContent = JSON.stringify(value, null, 2);
}

function remember(data) {
  if (data && typeof data === 'object') {
    if (data.meetingId) memory.id = data.meetingId;
    if (data.meetingIds) memory.id = data.meetingIds[0];
    if (data.groupId) memory.groupId = data.groupId;
    if (Array.isArray(data.add) && data.add.length) memory.orderId = data.add.at(-1).orderId;
  }
}

async function runPromise() {
  requests = [];
  const op = currentOp();
  const params = paramsFromForm(op);
  try {
    if ($('mode').value === 'relay') throw new Error('the relay is reached through qing.call: use "Run: qing.call"');
    const client = new VENDORS[vendor].Client(clientOptions(vendor));
    const target = op.name.includes('.') ? client[op.name.split('.')[0]] : client;
    const method = op.name.includes('.') ? op.name.split('.')[1] : op.name;
    const data = op.positional
      ? await target[method](...op.params.map((p) => params[p.name]))
      : await target[method](params);
    remember(data);
    show({ ok: true, value: data });
  } catch (e) {
    show({
      ok: false,
      value:
        e instanceof WorkbridgeError
          ? { WorkbridgeError: e.code, field: e.field, status: e.status, vendorCode: e.vendorCode, message: e.message }
          : String(e),
    });
  }
}

async function runQing() {
  requests = [];
  const op = currentOp();
  const mode = $('mode').value;
  qing.config(
    mode === 'relay'
      ? { relay: $('target').value, fetch: recordingFetch(baseFetch()) }
      : { [vendor]: clientOptions(vendor) },
  );
  const name = vendor === 'yunzhijia' ? op.name : `${vendor}.${op.name}`;
  const res = await qing.call(name, { ...paramsFromForm(op), complete() {} });
  remember(res.data);
  show({ ok: res.success === 'true' || res.success === true, value: res });
}

// The light-app panel. Simulated, the call runs in a light-app page of its own (the iframe
// #phone, with workbridge.global.js alone) inside an emulated app: the WebView's user agent is the
// app's, and its native side sees only what the app's does, the `xuntong:` URLs of prompt() texts
// (Android 9.59+) or of iframe navigations (iOS), and answers through
// XuntongJSBridge.handleMessageFromXT. Not simulated, the call goes to the app this page runs in.
const PHONES = {
  android:
    'Qing/0.9.60;Android 10;HUAWEI;ELE-AL00;Mozilla/5.0 (Linux; Android 10; ELE-AL00) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/83.0 Mobile Safari/537.36',
  ios: 'Qing/0.9.29;iOS 10.2;Apple;iPhone9,1;Mozilla/5.0 (iPhone; CPU iPhone OS 10_2 like Mac OS X) AppleWebKit/602.3.12 (KHTML, like Gecko) Mobile/14C89',
};
// The app's native side: what it saw, and its answer a moment later.
window.__wbNative = (win, via, url) => {
  const m = /^xuntong:([^:]*):([^:]*):(.*)$/.exec(String(url));
  if (!m) return;
  const [, name, id, encoded] = m;
  const params = encoded ? JSON.parse(decodeURIComponent(encoded)) : {};
  requests.push({ method: `app (${via})`, url, headers: { callbackId: id }, body: JSON.stringify(params) });
  const data = { [name === 'createLive' ? 'liveId' : 'meetingId']: `sim-${Date.now() % 100000}`, params };
  const message = JSON.stringify({ success: 'true', errorCode: '', error: '', data });
  requests.at(-1).response = `XuntongJSBridge.handleMessageFromXT('${id}', '${message}')`;
  setTimeout(() => win.XuntongJSBridge.handleMessageFromXT(id, message), 150);
};
const PHONE_PAGE = (ua) => `<!doctype html><meta charset="utf-8"><script>
  Object.defineProperty(navigator, 'userAgent', { value: ${JSON.stringify(ua)} });
  window.prompt = function (text) { parent.__wbNative(window, 'prompt', text); return ''; };
  new MutationObserver(function (records) {
    records.forEach(function (r) { if (r.target.tagName === 'IFRAME') parent.__wbNative(window, 'iframe', r.target.getAttribute('src')); });
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['src'] });
<\/script><script src="/pkg/workbridge.global.js"><\/script>`;
let phone;
function phoneFor(kind) {
  if (phone && phone.kind === kind) return phone.ready;
  $('phone')?.remove();
  const frame = document.createElement('iframe');
  frame.id = 'phone';
  frame.hidden = true;
  frame.title = 'the simulated light-app page';
  const ready = new Promise((resolve) => frame.addEventListener('load', () => resolve(frame.contentWindow)));
  frame.srcdoc = PHONE_PAGE(PHONES[kind]);
  $('light-panel').append(frame);
  phone = { kind, ready };
  return ready;
}

async function runNative(name) {
  requests = [];
  const params = { groupId: memory.groupId || 'xxx' };
  const page = $('simulate').checked ? await phoneFor($('phone-kind').value) : window;
  const res = await page.qing.call(name, params);
  show({ ok: res.success === 'true' || res.success === true, value: res });
}

for (const [v, meta] of Object.entries({ ...VENDORS, light: { label: '轻应用 Light app' } })) {
  const b = document.createElement('button');
  b.textContent = meta.label;
  b.dataset.vendor = v;
  b.setAttribute('role', 'tab');
  b.addEventListener('click', () => selectVendor(v));
  $('tabs').append(b);
}
$('op').addEventListener('change', showParams);
$('run-promise').addEventListener('click', runPromise);
$('run-qing').addEventListener('click', runQing);
$('mode').addEventListener('change', () => {
  $('target').hidden = !['custom', 'relay'].includes($('mode').value);
});
for (const b of document.querySelectorAll('[data-native]'))
  b.addEventListener('click', () => runNative(b.dataset.native));
$('in-app').textContent = String(qing.isInApp());
selectVendor('cam');
document.body.dataset.ready = 'true';
