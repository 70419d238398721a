// XuanXuan against PHP itself, not the sandbox: tests/php/entry.php applies the XXB server's rules
// (parse_str, http_build_query, md5, the errcode table, the im methods' answers) under `php -S` on
// a loopback port, and every XuanXuan operation of the packed package runs against it with values
// that PHP encodes differently from RFC 3986 in the app code and in gid. php-cli is one of the
// Makefile's Debian packages: without it this test fails, it does not skip.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installPackage, loadBoth, freePort } from './helpers.mjs';

const entry = fileURLToPath(new URL('../php/entry.php', import.meta.url));
// A space, ~, *, +, %, &, CJK and an emoji: each is written differently by http_build_query
// (RFC 1738) and by RFC 3986 or encodeURIComponent, or would split the query if not encoded.
const ODD = ' ~*+%&中😀';
const CODE = `app${ODD}`;
const KEY = 'php-key-3cd0914d656e90ab';
const GID = `team a${ODD}`;
const SENDER = { id: 'bot', name: '机器人', avatar: 'https://x/a.png' };
const GROUPS = { [GID]: { name: `群${ODD}`, members: ['1', '3'] }, plain: { name: '研发部', members: ['4'] } };
const USERS = { 1: '管理员', 3: '张三', 4: '李四' };
let php;
let state;
let wb;

before(async () => {
  const version = spawnSync('php', ['-v'], { encoding: 'utf8' });
  if (version.status !== 0) throw new Error('php is missing: `make test` installs php-cli (apt-get install php-cli)');
  state = mkdtempSync(join(tmpdir(), 'wb-php-'));
  const port = await freePort();
  const child = spawn('php', ['-S', `127.0.0.1:${port}`, entry], {
    env: {
      ...process.env,
      XX_CODE: CODE,
      XX_KEY: KEY,
      XX_STATE: join(state, 'sent.json'),
      XX_GROUPS: JSON.stringify(GROUPS),
      XX_USERS: JSON.stringify(USERS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr.on('data', (d) => (out += d));
  child.stdout.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`php -S exited: ${out}`);
    try {
      await fetch(`${url}/_sent`);
      break;
    } catch (e) {
      if (i > 100) throw new Error(`php -S did not answer: ${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  php = { url, stop: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))) };
  wb = (await loadBoth(installPackage('xxphp'))).esm;
});
after(async () => {
  await php?.stop();
  if (state) rmSync(state, { recursive: true, force: true });
});

const client = (opts = {}) => new wb.XuanxuanClient({ serverURL: php.url, code: CODE, key: KEY, ...opts });
const sent = async () => (await fetch(`${php.url}/_sent`)).json();

test('every XuanXuan operation verifies against PHP with a space, ~, *, +, %, &, CJK and emoji in code and gid', async () => {
  const xx = client({ sender: SENDER });
  const groups = await xx.getGroupChats();
  assert.deepEqual(groups, { [GID]: `群${ODD}`, plain: '研发部' });
  assert.deepEqual(await xx.getChatUsers(GID), { 1: '管理员', 3: '张三' });
  assert.deepEqual(await xx.getChatUsers(), USERS);
  // PHP's json_encode of an empty array is `[]`: resolved as the empty object it stands for.
  assert.deepEqual(await xx.getChatUsers(`no such${ODD}`), {});
  assert.equal(await xx.sendNotification({ users: [1, 3], title: `部署${ODD}`, contentType: 'text' }), null);
  assert.equal(
    await xx.sendChatMessage({ gid: GID, title: `公告${ODD}`, content: `内容${ODD}`, contentType: 'plain' }),
    null,
  );
  const [n, m] = (await sent()).slice(-2);
  assert.deepEqual(n, {
    f: 'sendNotification',
    data: { users: [1, 3], title: `部署${ODD}`, contentType: 'text', sender: SENDER },
  });
  assert.deepEqual(m, {
    f: 'sendChatMessage',
    data: { gid: GID, title: `公告${ODD}`, content: `内容${ODD}`, contentType: 'plain', sender: SENDER },
  });
  // xuanxuanToken of the query however it is written is what PHP checks.
  const q = `m=im&f=getChatUsers&gid=${encodeURIComponent(GID)}&code=${encodeURIComponent(CODE)}`;
  const raw = await (await fetch(`${php.url}/x.php?${q}&token=${wb.xuanxuanToken(q, KEY)}`)).json();
  assert.deepEqual(raw, { result: 'success', data: { 1: '管理员', 3: '张三' } });
});

test("a wrong key, an unknown app and a missing sender reject with the server's words and code", async () => {
  await assert.rejects(
    client({ key: 'wrong-key-777' }).getGroupChats(),
    (e) =>
      e.code === 'AUTH_FAILED' &&
      e.vendorCode === '401' &&
      e.vendorMessage === '无效的token参数' &&
      /无效的token参数/.test(e.message) &&
      !JSON.stringify({ ...e, message: e.message }).includes('wrong-key-777'),
  );
  await assert.rejects(
    client({ code: `other${ODD}` }).getChatUsers(GID),
    (e) => e.code === 'AUTH_FAILED' && e.vendorCode === '404' && e.vendorMessage === '应用不存在',
  );
  // Neither a sender nor the option: refused before anything is sent.
  const before = (await sent()).length;
  const xx = client();
  for (const call of [
    () => xx.sendNotification({ users: [1], title: 't', contentType: 'text' }),
    () => xx.sendChatMessage({ gid: GID, title: 't', contentType: 'text' }),
  ]) {
    await assert.rejects(
      call(),
      (e) => e.code === 'INVALID_ARGUMENT' && e.field === 'sender' && /应当设置发送方信息/.test(e.message),
    );
  }
  // The server's own refusal, read as it gives it: a fetch that drops the sender on the way.
  const dropSender = (url, init) => {
    const body = JSON.parse(init.body);
    delete body.sender;
    return fetch(url, { ...init, body: JSON.stringify(body) });
  };
  await assert.rejects(
    client({ sender: SENDER, fetch: dropSender }).sendChatMessage({ gid: GID, title: 't', contentType: 'text' }),
    (e) => e.code === 'VENDOR_ERROR' && e.vendorCode === 'fail' && e.vendorMessage === '应当设置发送方信息。',
  );
  assert.equal((await sent()).length, before, 'nothing was sent');
});

/** GET `path` as written, byte for byte (fetch would normalise the query first). */
function rawGet(path) {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(php.url);
    request({ hostname, port, path }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });
}

test('xuanxuanToken hashes what PHP hashes for 300 random queries: escapes valid and not, +, ., NUL, repeats', async () => {
  const md5 = (s) => createHash('md5').update(Buffer.from(s, 'latin1')).digest('hex');
  const pieces = [
    'a',
    'b',
    '0',
    '%',
    '+',
    '=',
    '&',
    '.',
    '~',
    '*',
    '-',
    '_',
    '%20',
    '%2B',
    '%26',
    '%3D',
    '%e4%b8%ad',
    '%F0%9F%98%80',
    '%zz',
    '%2',
    '%00',
    'token',
    'code',
  ];
  let seed = 30;
  const rnd = (n) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let i = 0; i < 300; i++) {
    const q = Array.from({ length: 1 + rnd(12) }, () => pieces[rnd(pieces.length)]).join('');
    const canon = await rawGet(`/_canon?${q}`);
    assert.equal(wb.xuanxuanToken(q, KEY), md5(md5(canon) + KEY), `query ${JSON.stringify(q)}: PHP wrote ${canon}`);
  }
});
