// The installed bin against the sandbox: help at every level, every vendor, every exit status,
// params from flags, --json and stdin, the seed's batch file with progress, and no credential in
// anything it prints.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installPackage, startSandboxBin } from './helpers.mjs';

let work;
let sandbox;
let env;
const printed = [];
const SECRETS = ['sandbox-token', 'sandbox-secret', 'sandbox-key'];

function cli(args, { input, extraEnv = {} } = {}) {
  const run = spawnSync(join(work, 'node_modules/.bin/workbridge'), args, { input, encoding: 'utf8', env: { ...process.env, ...env, ...extraEnv }, timeout: 60_000 });
  printed.push(run.stdout, run.stderr);
  return { code: run.status, out: run.stdout, err: run.stderr };
}

before(async () => {
  work = installPackage('cli');
  sandbox = await startSandboxBin(work);
  const u = sandbox.url;
  env = {
    WORKBRIDGE_CAM_API_TOKEN: 'sandbox-token', WORKBRIDGE_CAM_SERVER_URL: `${u}/cam`,
    WORKBRIDGE_YUNZHIJIA_BASE_URL: `${u}/yunzhijia`, WORKBRIDGE_YUNZHIJIA_EID: '10109', WORKBRIDGE_YUNZHIJIA_SECRET: 'sandbox-secret',
    WORKBRIDGE_XUANXUAN_SERVER_URL: `${u}/xuanxuan`, WORKBRIDGE_XUANXUAN_CODE: 'sandbox', WORKBRIDGE_XUANXUAN_KEY: 'sandbox-key',
    WORKBRIDGE_YTX_BASE_URL: `${u}/ytx`, WORKBRIDGE_YTX_ACCOUNT_SID: 'sandbox-sid', WORKBRIDGE_YTX_AUTH_TOKEN: 'sandbox-token', WORKBRIDGE_YTX_APPID: 'sandbox-app',
  };
});
after(async () => { await sandbox?.stop(); });

test('help at every level lists vendors, operations, parameters with types and limits', () => {
  const top = cli(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.out, /vendors: cam, yunzhijia, xuanxuan, ytx/);
  const vendor = cli(['yunzhijia', '--help']);
  assert.match(vendor.out, /meeting\.create/);
  assert.match(vendor.out, /--noticeTime <integer> \(optional\)/);
  const op = cli(['yunzhijia', 'notice.create', '--help']);
  assert.equal(op.code, 0);
  assert.match(op.out, /--title <string>\s+1 to 40 characters/);
  assert.doesNotMatch(op.out, /meeting\.create/);
});

test('every vendor from the shell, params from flags, ISO dates, --json and stdin', () => {
  const meeting = cli(['yunzhijia', 'meeting.create', '--openid', 'o-cli', '--title', '命令行会议', '--startDate', '2031-01-06T02:00:00Z', '--endDate', '2031-01-06T03:00:00Z', '--actors', 'a1,a2']);
  assert.equal(meeting.code, 0, meeting.err);
  assert.match(JSON.parse(meeting.out).meetingId, /^[0-9a-f]{24}$/);
  const day = cli(['yunzhijia', 'meeting.queryByDay', '--json', JSON.stringify({ day: Date.UTC(2031, 0, 6, 2) }), '--pretty']);
  assert.equal(day.code, 0, day.err);
  assert.equal(JSON.parse(day.out)[0].title, '命令行会议');
  assert.match(day.out, /\n  /, '--pretty indents');
  const users = cli(['xuanxuan', 'getChatUsers', '--json', '-'], { input: '{"gid":"81c6ba89-00ab-4431-8e47-063556ae4886"}' });
  assert.deepEqual(JSON.parse(users.out), { 1: '管理员', 3: '张三' });
  const ytx = cli(['ytx', 'queryMeeting', '--confid', '004', '--meetingcount', '1']);
  assert.equal(JSON.parse(ytx.out)[0].confname, '季度复盘');
});

test('exit status: 2 for usage and invalid input, 1 for vendor and network failures', () => {
  assert.equal(cli(['nobody', 'x']).code, 2);
  assert.equal(cli(['cam', 'explode']).code, 2);
  assert.equal(cli(['cam', 'sendMessage', '--nosuch', 'x']).code, 2);
  const invalid = cli(['yunzhijia', 'notice.create', '--currentUid', 'u', '--groupId', 'g', '--title', '会'.repeat(41), '--content', 'x']);
  assert.equal(invalid.code, 2);
  assert.match(invalid.err, /INVALID_ARGUMENT \(title\)/);
  const secretFlag = cli(['ytx', 'queryMeeting', '--authToken', 'x', '--meetingcount', '1']);
  assert.equal(secretFlag.code, 2);
  assert.match(secretFlag.err, /WORKBRIDGE_YTX_AUTH_TOKEN/);
  const vendor = cli(['xuanxuan', 'sendChatMessage', '--gid', 'nope', '--title', 't', '--contentType', 'plain']);
  assert.equal(vendor.code, 1);
  assert.match(vendor.err, /VENDOR_ERROR/);
  const network = cli(['cam', 'getConferenceRooms'], { extraEnv: { WORKBRIDGE_CAM_SERVER_URL: 'http://127.0.0.1:9/cam' } });
  assert.equal(network.code, 1);
  assert.match(network.err, /NETWORK_ERROR/);
  const auth = cli(['yunzhijia', 'meeting.queryByDay', '--day', '1'], { extraEnv: { WORKBRIDGE_YUNZHIJIA_SECRET: 'wrong' } });
  assert.equal(auth.code, 1);
  assert.match(auth.err, /AUTH_FAILED/);
});

test("sendMessages --file reads the seed's messages.json, shows progress, and sends every item once", async () => {
  const before = (await (await fetch(`${sandbox.url}/cam/_sandbox/messages`)).json()).messages.length;
  const items = Array.from({ length: 1200 }, (_, i) => (i % 3
    ? { message: `hello ${i}`, property: { users: 'user1@test.com,user2@test.com' } }
    : { send: 'Secret meeting', message: `测试 ${i}` }));
  const file = join(work, 'messages.json');
  writeFileSync(file, `messages=${JSON.stringify(items, null, 1)}`);
  const run = cli(['cam', 'sendMessages', '--file', file, '--chunk', '500']);
  assert.equal(run.code, 0, run.err);
  assert.deepEqual(run.err.trim().split('\n'), ['workbridge: sent 500/1200', 'workbridge: sent 1000/1200', 'workbridge: sent 1200/1200']);
  assert.equal(JSON.parse(run.out).sent, 1200);
  const after = (await (await fetch(`${sandbox.url}/cam/_sandbox/messages`)).json()).messages;
  assert.equal(after.length - before, 1200);
  assert.equal(after.at(-1).message, 'hello 1199');
});

test('a batch file with one bad item sends nothing and names the item', async () => {
  const before = (await (await fetch(`${sandbox.url}/cam/_sandbox/messages`)).json()).messages.length;
  const items = Array.from({ length: 800 }, (_, i) => ({ message: `m${i}`, property: { users: i === 700 ? 'not-an-address' : 'a@x.com' } }));
  const file = join(work, 'bad.json');
  writeFileSync(file, JSON.stringify(items));
  const run = cli(['cam', 'sendMessages', '--file', file, '--chunk', '500']);
  assert.equal(run.code, 2);
  assert.match(run.err, /INVALID_ARGUMENT \(items\[700\]\.users\[0\]\)/);
  const after = (await (await fetch(`${sandbox.url}/cam/_sandbox/messages`)).json()).messages.length;
  assert.equal(after, before);
});

test('nothing the CLI printed holds a credential', () => {
  assert.ok(printed.length > 20);
  for (const text of printed) for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} printed`);
});
