// XuanXuan and YTX end to end through the installed tarball and the sandbox over HTTP, with the
// signatures re-computed independently here with node:crypto from what went on the wire.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { installPackage, loadBoth, startSandboxBin, runBin } from './helpers.mjs';

const md5 = (s) => createHash('md5').update(s, 'utf8').digest('hex');
let work;
let sandbox;
let wb;

/** A fetch that records what was sent, then sends it. */
function recordingFetch() {
  const f = (url, init) => {
    f.sent.push({ url, init });
    return fetch(url, init);
  };
  f.sent = [];
  return f;
}

before(async () => {
  work = installPackage('xxytx');
  sandbox = await startSandboxBin(work);
  // Each vendor's own entry and wasm, as an app that uses one of them ships it.
  wb = { ...(await loadBoth(work, 'workbridge/xuanxuan')).esm, ...(await loadBoth(work, 'workbridge/ytx')).esm };
});
after(async () => {
  await sandbox?.stop();
});

test('xuanxuanToken matches the public example', () => {
  assert.equal(
    wb.xuanxuanToken('m=chat&f=getChatUsers&code=myAppCode', '3cd0914d656e90ab181f1d52ff352cfe'),
    'f5633c34c0c551a16c1d63bceb38d6a8',
  );
  assert.throws(
    () => wb.xuanxuanToken(1, 'k'),
    (e) => e.code === 'INVALID_ARGUMENT' && e.field === 'query',
  );
});

test('XuanXuan calls are signed over exactly the query sent, and verify independently', async () => {
  const f = recordingFetch();
  const xx = new wb.XuanxuanClient({
    serverURL: `${sandbox.url}/xuanxuan`,
    code: 'sandbox',
    key: 'sandbox-key',
    fetch: f,
  });
  const groups = await xx.getGroupChats();
  assert.equal(groups['30683aea-7a1f-4ec8-a6d6-834e0310fd7d'], '第四期项目讨论');
  const members = await xx.getChatUsers('81c6ba89-00ab-4431-8e47-063556ae4886');
  assert.deepEqual(members, { 1: '管理员', 3: '张三' });
  assert.deepEqual(Object.keys(await xx.getChatUsers()), ['1', '3', '4']);
  for (const { url } of f.sent) {
    const query = url.split('?')[1];
    const [signed, token] = query.split('&token=');
    assert.equal(token, md5(md5(signed) + 'sandbox-key'), url);
  }
  assert.match(
    f.sent[1].url,
    /\?m=im&f=getChatUsers&gid=81c6ba89-00ab-4431-8e47-063556ae4886&code=sandbox&token=[0-9a-f]{32}$/,
  );
});

test('sendNotification with actions and sendChatMessage arrive as sent', async () => {
  const xx = new wb.XuanxuanClient({ serverURL: `${sandbox.url}/xuanxuan`, code: 'sandbox', key: 'sandbox-key' });
  const notification = {
    users: [1, 3],
    title: '部署完成',
    subtitle: 'prod',
    content: '**db1** 已恢复 😀',
    contentType: 'text',
    url: 'http://xuan.im',
    actions: [
      { type: 'danger', label: '更新日志', url: 'https://xuan.im/page/changelogs.html' },
      { type: 'primary', label: '查看', url: 'https://x/1' },
    ],
    sender: { id: 'catouse', name: 'Catouse', avatar: 'https://x/a.png' },
  };
  assert.equal(await xx.sendNotification(notification), null);
  const sender = { id: 'bot', avatar: 'https://x/b.png' };
  assert.equal(
    await xx.sendChatMessage({
      gid: '64da14c3-c07a-45af-9c61-4e638de4af26',
      title: '公告',
      contentType: 'plain',
      sender,
    }),
    null,
  );
  const sent = await (await fetch(`${sandbox.url}/xuanxuan/_sandbox/sent`)).json();
  assert.deepEqual(sent.notifications.at(-1), notification);
  assert.deepEqual(sent.messages.at(-1), {
    gid: '64da14c3-c07a-45af-9c61-4e638de4af26',
    title: '公告',
    contentType: 'plain',
    sender,
  });
});

test('XuanXuan refusals carry the vendor message; bad input is INVALID_ARGUMENT', async () => {
  const bad = new wb.XuanxuanClient({ serverURL: `${sandbox.url}/xuanxuan`, code: 'sandbox', key: 'wrong-key-123' });
  await assert.rejects(
    bad.getGroupChats(),
    (e) =>
      // The server's entry refusal: {errcode: 401, errmsg} in HTTP 200.
      e.code === 'AUTH_FAILED' &&
      e.vendorCode === '401' &&
      e.vendorMessage === '无效的token参数' &&
      !JSON.stringify({ ...e, message: e.message }).includes('wrong-key-123'),
  );
  const xx = new wb.XuanxuanClient({ serverURL: `${sandbox.url}/xuanxuan`, code: 'sandbox', key: 'sandbox-key' });
  await assert.rejects(
    xx.sendChatMessage({ gid: 'nope', title: 't', contentType: 'plain', sender: { id: 1, avatar: 'a' } }),
    (e) => e.code === 'VENDOR_ERROR' && /不存在/.test(e.vendorMessage),
  );
  for (const [params, field] of [
    [{ users: [], title: 't', contentType: 'text' }, 'users'],
    [{ users: [1], title: 't', contentType: 'markdown' }, 'contentType'],
    [
      { users: [1], title: 't', contentType: 'text', actions: [{ label: 'l', url: 'u', type: 'normal' }] },
      'actions[0].type',
    ],
    [{ users: [1], title: 't', contentType: 'text', sender: { id: 1 } }, 'sender.avatar'],
  ]) {
    await assert.rejects(xx.sendNotification(params), (e) => e.code === 'INVALID_ARGUMENT' && e.field === field);
  }
});

test('YTX queryMeeting: Sign and Authorization share one Beijing timestamp and verify independently', async () => {
  const f = recordingFetch();
  const ytx = new wb.YtxClient({
    accountSID: 'sandbox-sid',
    authToken: 'sandbox-token',
    appid: 'sandbox-app',
    baseURL: `${sandbox.url}/ytx`,
    fetch: f,
  });
  const info = await ytx.queryMeeting({ confid: '002', meetingcount: 1 });
  assert.deepEqual(
    info.map((c) => c.confid),
    ['002'],
  );
  const { url, init } = f.sent[0];
  assert.equal(init.method, 'POST');
  assert.equal(init.headers.Accept, 'application/json');
  assert.equal(init.headers['Content-Type'], 'application/json;charset=utf-8');
  const [sid, ts] = Buffer.from(init.headers.Authorization, 'base64').toString('utf8').split('|');
  assert.equal(sid, 'sandbox-sid');
  assert.match(ts, /^\d{14}$/);
  const beijingNow = new Date(Date.now() + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
  assert.ok(Math.abs(Number(beijingNow) - Number(ts)) <= 100, `${ts} vs ${beijingNow}`);
  const sign = new URL(url).searchParams.get('Sign');
  assert.equal(sign, md5(`sandbox-sidsandbox-token${ts}`).toUpperCase());
  assert.equal(wb.ytxSign('sandbox-sid', 'sandbox-token', ts), sign);
  assert.equal(wb.ytxAuthorization('sandbox-sid', ts), init.headers.Authorization);
  assert.deepEqual(JSON.parse(init.body), {
    action: 'queryMeeting',
    appid: 'sandbox-app',
    confid: '002',
    meetingcount: 1,
  });
  assert.equal((await ytx.queryMeeting({ meetingcount: 5 })).length, 3);
});

test('ytxSign and ytxAuthorization refuse a timestamp that is not yyyyMMddHHmmss, naming it', () => {
  for (const ts of [
    '',
    '2014-04-16 14:20:30',
    '201404161420',
    '1397629230000',
    '２０１４０４１６１４２０３０',
    '20140416142030 ',
  ]) {
    for (const [f, args] of [
      ['ytxSign', ['sid', 'tok', ts]],
      ['ytxAuthorization', ['sid', ts]],
    ]) {
      assert.throws(
        () => wb[f](...args),
        (e) => e.code === 'INVALID_ARGUMENT' && e.field === 'timestamp' && /yyyyMMddHHmmss/.test(e.message),
        `${f}(${JSON.stringify(ts)})`,
      );
    }
  }
  assert.equal(wb.ytxSign('sid', 'tok', '20140416142030'), md5('sidtok20140416142030').toUpperCase());
  assert.equal(wb.ytxAuthorization('sid', '20140416142030'), Buffer.from('sid|20140416142030').toString('base64'));
});

test('YTX refusals: wrong token, wrong app (-205 with its causes), bad input', async () => {
  const base = { accountSID: 'sandbox-sid', appid: 'sandbox-app', baseURL: `${sandbox.url}/ytx` };
  const wrong = new wb.YtxClient({ ...base, authToken: 'not-the-token' });
  await assert.rejects(
    wrong.queryMeeting({ meetingcount: 1 }),
    (e) =>
      e.code === 'AUTH_FAILED' &&
      e.vendorCode === '-103' &&
      /Sign 校验失败/.test(e.vendorMessage) &&
      !JSON.stringify({ ...e, message: e.message }).includes('not-the-token'),
  );
  const otherApp = new wb.YtxClient({ ...base, authToken: 'sandbox-token', appid: 'other-app' });
  await assert.rejects(
    otherApp.queryMeeting({ meetingcount: 1 }),
    (e) => e.vendorCode === '-205' && /whitelist/.test(e.message),
  );
  const ytx = new wb.YtxClient({ ...base, authToken: 'sandbox-token' });
  await assert.rejects(
    ytx.queryMeeting({ meetingcount: 0 }),
    (e) => e.code === 'INVALID_ARGUMENT' && e.field === 'meetingcount',
  );
  await assert.rejects(ytx.queryMeeting({ meetingcount: 'one' }), (e) => e.field === 'meetingcount');
  assert.ok(await ytx.queryMeeting({ meetingcount: '1' }), 'digits as a string are a number, as the seeds write some');
  assert.throws(
    () => new wb.YtxClient({ accountSID: 's', authToken: 't', appid: 'a' }),
    (e) => e.field === 'env',
  );
});

test('the CLI reaches XuanXuan and YTX with credentials from the environment', async () => {
  const env = {
    WORKBRIDGE_XUANXUAN_SERVER_URL: `${sandbox.url}/xuanxuan`,
    WORKBRIDGE_XUANXUAN_CODE: 'sandbox',
    WORKBRIDGE_XUANXUAN_KEY: 'sandbox-key',
    WORKBRIDGE_YTX_BASE_URL: `${sandbox.url}/ytx`,
    WORKBRIDGE_YTX_ACCOUNT_SID: 'sandbox-sid',
    WORKBRIDGE_YTX_AUTH_TOKEN: 'sandbox-token',
    WORKBRIDGE_YTX_APPID: 'sandbox-app',
  };
  const n = await runBin(
    work,
    [
      'xuanxuan',
      'sendNotification',
      '--users',
      '1,3',
      '--title',
      'cron 告警',
      '--contentType',
      'text',
      '--sender',
      '{"id":"cron","avatar":"https://x/c.png"}',
    ],
    env,
  );
  assert.equal(n.code, 0, n.stderr);
  // The server requires a sender: WORKBRIDGE_XUANXUAN_SENDER is the default of every send, and
  // with neither it nor --sender the CLI refuses before sending.
  const chat = ['xuanxuan', 'sendChatMessage', '--gid', '64da14c3-c07a-45af-9c61-4e638de4af26', '--title', '值班'];
  const bot = { id: 'cron-bot', avatar: 'https://x/bot.png' };
  const m = await runBin(work, [...chat, '--contentType', 'plain'], {
    ...env,
    WORKBRIDGE_XUANXUAN_SENDER: JSON.stringify(bot),
  });
  assert.equal(m.code, 0, m.stderr);
  const sent = await (await fetch(`${sandbox.url}/xuanxuan/_sandbox/sent`)).json();
  assert.deepEqual(sent.messages.at(-1).sender, bot);
  const none = await runBin(work, [...chat, '--contentType', 'plain'], env);
  assert.equal(none.code, 2, none.stderr);
  assert.match(none.stderr, /INVALID_ARGUMENT \(sender\).*应当设置发送方信息/);
  const bad = await runBin(work, [...chat, '--contentType', 'plain'], { ...env, WORKBRIDGE_XUANXUAN_SENDER: 'bot' });
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /WORKBRIDGE_XUANXUAN_SENDER/);
  const q = await runBin(work, ['ytx', 'queryMeeting', '--confid', '003', '--meetingcount', '1'], env);
  assert.equal(q.code, 0, q.stderr);
  assert.equal(JSON.parse(q.stdout)[0].confname, '运维值班');
  const key = await runBin(work, ['xuanxuan', 'getGroupChats', '--key', 'x'], env);
  assert.equal(key.code, 2);
  // Refused credentials: exit 1, AUTH_FAILED, the vendor's own words, and never the secret.
  for (const [args, wrong, said] of [
    [['xuanxuan', 'getGroupChats'], { WORKBRIDGE_XUANXUAN_KEY: 'wrong-key-456' }, /无效的token参数/],
    [
      ['ytx', 'queryMeeting', '--meetingcount', '1'],
      { WORKBRIDGE_YTX_AUTH_TOKEN: 'wrong-token-789' },
      /-103.*Sign 校验失败|Sign 校验失败/,
    ],
  ]) {
    const r = await runBin(work, args, { ...env, ...wrong });
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /AUTH_FAILED/, r.stderr);
    assert.match(r.stderr, said, r.stderr);
    assert.ok(!(r.stdout + r.stderr).includes(Object.values(wrong)[0]), r.stderr);
  }
});
