// The installed bin against the sandbox: help at every level, every vendor, every exit status,
// params from flags, --json and stdin, the seed's batch file with progress, and no credential in
// anything it prints.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installPackage, runBin, startSandboxBin } from './helpers.mjs';

let work;
let sandbox;
let env;
const printed = [];
const SECRETS = ['sandbox-token', 'sandbox-secret', 'sandbox-key'];

function cli(args, { input, extraEnv = {} } = {}) {
  const run = spawnSync(join(work, 'node_modules/.bin/workbridge'), args, {
    input,
    encoding: 'utf8',
    env: { ...process.env, ...env, ...extraEnv },
    timeout: 60_000,
  });
  printed.push(run.stdout, run.stderr);
  return { code: run.status, out: run.stdout, err: run.stderr };
}

before(async () => {
  work = installPackage('cli');
  sandbox = await startSandboxBin(work);
  const u = sandbox.url;
  env = {
    WORKBRIDGE_CAM_API_TOKEN: 'sandbox-token',
    WORKBRIDGE_CAM_SERVER_URL: `${u}/cam`,
    WORKBRIDGE_YUNZHIJIA_BASE_URL: `${u}/yunzhijia`,
    WORKBRIDGE_YUNZHIJIA_EID: '10109',
    WORKBRIDGE_YUNZHIJIA_SECRET: 'sandbox-secret',
    WORKBRIDGE_XUANXUAN_SERVER_URL: `${u}/xuanxuan`,
    WORKBRIDGE_XUANXUAN_CODE: 'sandbox',
    WORKBRIDGE_XUANXUAN_KEY: 'sandbox-key',
    WORKBRIDGE_YTX_BASE_URL: `${u}/ytx`,
    WORKBRIDGE_YTX_ACCOUNT_SID: 'sandbox-sid',
    WORKBRIDGE_YTX_AUTH_TOKEN: 'sandbox-token',
    WORKBRIDGE_YTX_APPID: 'sandbox-app',
  };
});
after(async () => {
  await sandbox?.stop();
});

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
  // A Date cannot be typed on a command line: time params say what the CLI takes.
  for (const [v, o, name] of [
    ['yunzhijia', 'meeting.create', 'startDate'],
    ['yunzhijia', 'roomBook.hasNew', 'lastTime'],
    ['cam', 'createQuickCall', 'expireDate'],
  ]) {
    const help = cli([v, o, '--help']).out;
    const line = help.split('\n').find((l) => l.includes(`--${name} <time>`)) ?? '';
    assert.match(line, /Unix ms \(digits\) or an ISO date such as 2026-03-02T09:30/, `${v} ${o} ${name}: ${help}`);
    assert.doesNotMatch(line, /Date\)/, line);
  }
});

test('every vendor from the shell, params from flags, ISO dates, --json and stdin', () => {
  const meeting = cli([
    'yunzhijia',
    'meeting.create',
    '--openid',
    'o-cli',
    '--title',
    '命令行会议',
    '--startDate',
    '2031-01-06T02:00:00Z',
    '--endDate',
    '2031-01-06T03:00:00Z',
    '--actors',
    'a1,a2',
  ]);
  assert.equal(meeting.code, 0, meeting.err);
  assert.match(JSON.parse(meeting.out).meetingId, /^[0-9a-f]{24}$/);
  const day = cli([
    'yunzhijia',
    'meeting.queryByDay',
    '--json',
    JSON.stringify({ day: Date.UTC(2031, 0, 6, 2) }),
    '--pretty',
  ]);
  assert.equal(day.code, 0, day.err);
  assert.equal(JSON.parse(day.out)[0].title, '命令行会议');
  assert.match(day.out, /\n  /, '--pretty indents');
  const users = cli(['xuanxuan', 'getChatUsers', '--json', '-'], {
    input: '{"gid":"81c6ba89-00ab-4431-8e47-063556ae4886"}',
  });
  assert.deepEqual(JSON.parse(users.out), { 1: '管理员', 3: '张三' });
  const ytx = cli(['ytx', 'queryMeeting', '--confid', '004', '--meetingcount', '1']);
  assert.equal(JSON.parse(ytx.out)[0].confname, '季度复盘');
});

test('exit status: 2 for usage and invalid input, 1 for vendor and network failures', () => {
  assert.equal(cli(['nobody', 'x']).code, 2);
  assert.equal(cli(['cam', 'explode']).code, 2);
  assert.equal(cli(['cam', 'sendMessage', '--nosuch', 'x']).code, 2);
  const invalid = cli([
    'yunzhijia',
    'notice.create',
    '--currentUid',
    'u',
    '--groupId',
    'g',
    '--title',
    '会'.repeat(41),
    '--content',
    'x',
  ]);
  assert.equal(invalid.code, 2);
  assert.match(invalid.err, /INVALID_ARGUMENT \(title\)/);
  const secretFlag = cli(['ytx', 'queryMeeting', '--authToken', 'x', '--meetingcount', '1']);
  assert.equal(secretFlag.code, 2);
  assert.match(secretFlag.err, /WORKBRIDGE_YTX_AUTH_TOKEN/);
  const vendor = cli([
    'xuanxuan',
    'sendChatMessage',
    '--gid',
    'nope',
    '--title',
    't',
    '--contentType',
    'plain',
    '--sender',
    '{"id":1,"avatar":"a"}',
  ]);
  assert.equal(vendor.code, 1);
  assert.match(vendor.err, /VENDOR_ERROR/);
  const network = cli(['cam', 'getConferenceRooms'], {
    extraEnv: { WORKBRIDGE_CAM_SERVER_URL: 'http://127.0.0.1:9/cam' },
  });
  assert.equal(network.code, 1);
  assert.match(network.err, /NETWORK_ERROR/);
  const auth = cli(['yunzhijia', 'meeting.queryByDay', '--day', '2030-12-03'], {
    extraEnv: { WORKBRIDGE_YUNZHIJIA_SECRET: 'wrong' },
  });
  assert.equal(auth.code, 1);
  assert.match(auth.err, /AUTH_FAILED/);
});

// The CLI runs synchronously (spawnSync), which can hold this process past the sandbox's 5 s
// keep-alive: a pooled socket the server already closed fails once, so that read is tried again.
const stored = async () => {
  const read = async () => (await (await fetch(`${sandbox.url}/cam/_sandbox/messages`)).json()).messages;
  try {
    return await read();
  } catch {
    return read();
  }
};
const faults = async (spec) => {
  const res = await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'POST', body: spec });
  assert.equal(res.status, 200, await res.text());
};

/** The CLI as a child process that the test can act on while it runs. */
async function cliAsync(args, extraEnv = {}) {
  const { code, stdout: out, stderr: err } = await runBin(work, args, { ...env, ...extraEnv });
  printed.push(out, err);
  return { code, out, err };
}

test("sendMessages --file reads the seed's messages.json and reports every item delivered; stderr stays quiet when it is not a terminal", async () => {
  const before = (await stored()).length;
  const items = Array.from({ length: 1200 }, (_, i) =>
    i % 3
      ? { message: `hello ${i}`, property: { users: 'user1@test.com,user2@test.com' } }
      : { send: 'Secret meeting', message: `测试 ${i}` },
  );
  const file = join(work, 'messages.json');
  writeFileSync(file, `messages=${JSON.stringify(items, null, 1)}`);
  const run = cli(['cam', 'sendMessages', '--file', file, '--chunk', '500']);
  assert.equal(run.code, 0, run.err);
  assert.equal(run.err, '');
  assert.deepEqual(JSON.parse(run.out), {
    total: 1200,
    delivered: [[0, 1199]],
    unknown: [],
    notSent: [],
    refused: [],
  });
  const after = await stored();
  assert.equal(after.length - before, 1200);
  assert.equal(after.at(-1).message, 'hello 1199');
});

test('on a terminal, --file shows one progress line on stderr', async () => {
  const items = Array.from({ length: 30 }, (_, i) => ({ message: `tty ${i}`, users: ['user1@test.com'] }));
  const file = join(work, 'tty.json');
  writeFileSync(file, JSON.stringify(items));
  const bin = join(work, 'node_modules/.bin/workbridge');
  // script(1) gives the command a terminal; stdout goes to a file of its own.
  const out = join(work, 'tty-report.json');
  const line = `${bin} cam sendMessages --file ${file} --chunk 10 > ${out}`;
  const run = spawnSync('script', ['-qec', line, '/dev/null'], { encoding: 'utf8', env: { ...process.env, ...env } });
  printed.push(run.stdout, run.stderr);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /\rworkbridge: 30\/30 done: 30 delivered, 0 may have arrived, 0 not sent/);
  assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')).delivered, [[0, 29]]);
});

test('a batch whose second chunk drops after arriving: the report matches what the server stored; the rest still goes; resuming sends nothing twice', async () => {
  const before = (await stored()).length;
  const items = Array.from({ length: 1200 }, (_, i) => ({
    message: `batch-item ${i}`,
    property: { users: 'user1@test.com' },
  }));
  const file = join(work, 'drop.json');
  writeFileSync(file, JSON.stringify(items));
  // The first chunk is stored at once and answered after 1.5 s; while it waits, the next
  // sendMessages is set to be dropped after it took effect.
  await faults('cam.sendMessages:latency=1500x1');
  const running = cliAsync(['cam', 'sendMessages', '--file', file, '--chunk', '500']);
  const deadline = Date.now() + 20_000;
  while ((await stored()).length < before + 500) {
    assert.ok(Date.now() < deadline, 'the first chunk never arrived');
    await new Promise((r) => setTimeout(r, 20));
  }
  await faults('cam.sendMessages:drop-afterx1');
  const run = await running;
  await faults('');
  assert.equal(run.code, 1, run.err);
  const report = JSON.parse(run.out);
  assert.deepEqual(
    { ...report, errors: undefined },
    {
      total: 1200,
      delivered: [
        [0, 499],
        [1000, 1199],
      ],
      unknown: [[500, 999]],
      notSent: [],
      refused: [],
      errors: undefined,
    },
  );
  assert.deepEqual(
    report.errors.map((e) => [e.items, e.code]),
    [[[500, 999], 'NETWORK_ERROR']],
  );
  assert.match(run.err, /700 delivered, 500 may have arrived \(check before resending\), 0 not sent/);
  // The report against what the sandbox stored: delivered and unknown arrived, notSent did not.
  assert.deepEqual(
    (await stored()).slice(before).map((m) => m.message),
    items.map((it) => it.message),
  );
  // Resuming from the report: nothing is notSent, so nothing is sent; the unknown stay unknown.
  const reportFile = join(work, 'drop-report.json');
  writeFileSync(reportFile, run.out);
  const resumed = cli(['cam', 'sendMessages', '--file', file, '--chunk', '500', '--resume', reportFile]);
  assert.equal(resumed.code, 1, resumed.err);
  assert.deepEqual(JSON.parse(resumed.out).unknown, [[500, 999]]);
  assert.equal((await stored()).length - before, 1200, 'nothing was sent again');
});

test('a chunk the server refuses is not delivered and carries its errors; the others go on; --resume sends exactly the refused ones, and exits 0 when all are delivered', async () => {
  const before = (await stored()).length;
  const items = Array.from({ length: 30 }, (_, i) =>
    i === 14
      ? { send: 'no such room', message: `refusal-test ${i}` }
      : { message: `refusal-test ${i}`, property: { users: 'user1@test.com' } },
  );
  const file = join(work, 'refused.json');
  writeFileSync(file, JSON.stringify(items));
  const run = cli(['cam', 'sendMessages', '--file', file, '--chunk', '10']);
  assert.equal(run.code, 1);
  const report = JSON.parse(run.out);
  assert.deepEqual(
    [report.total, report.delivered, report.unknown, report.notSent],
    [
      30,
      [
        [0, 9],
        [20, 29],
      ],
      [],
      [[10, 19]],
    ],
  );
  assert.deepEqual(
    report.refused.map((r) => r.items),
    [[10, 19]],
  );
  assert.match(JSON.stringify(report.refused[0].errors), /no chat room by that name/);
  assert.match(run.err, /items 10-19 refused by the server: .*no chat room by that name/);
  assert.match(run.err, /send them with --resume/);
  assert.equal((await stored()).length - before, 20, 'only the delivered chunks were stored');

  // The refused item fixed, the run resumed from its report: items 10-19 only, once each.
  items[14] = { message: 'refusal-test 14', property: { users: 'user1@test.com' } };
  writeFileSync(file, JSON.stringify(items));
  const reportFile = join(work, 'refused-report.json');
  writeFileSync(reportFile, run.out);
  const resumed = cli(['cam', 'sendMessages', '--file', file, '--chunk', '10', '--resume', reportFile]);
  assert.equal(resumed.code, 0, resumed.err);
  assert.deepEqual(JSON.parse(resumed.out), { total: 30, delivered: [[0, 29]], unknown: [], notSent: [], refused: [] });
  const all = (await stored()).slice(before).map((m) => m.message);
  assert.deepEqual(all.toSorted(), items.map((it) => it.message).toSorted(), 'every item arrived exactly once');

  const bad = cli(['cam', 'sendMessages', '--file', file, '--from', '30']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--from 30 is past the last item \(29\)/);
  assert.equal(cli(['cam', 'sendMessages', '--file', file, '--from', 'x']).code, 2);
  assert.equal(cli(['cam', 'sendMessages', '--file', file, '--from', '1', '--resume', reportFile]).code, 2);
  writeFileSync(join(work, 'not-a-report.json'), '{"total": 30, "delivered": "all"}');
  const notReport = cli(['cam', 'sendMessages', '--file', file, '--resume', join(work, 'not-a-report.json')]);
  assert.equal(notReport.code, 2, notReport.err);
  assert.match(notReport.err, /INVALID_ARGUMENT \(from\).*not a batch report/);
});

test('--from N accounts for every item: what it skipped is reported as skipped, and the run exits 1 (they are not known to be delivered)', async () => {
  const before = (await stored()).length;
  const items = Array.from({ length: 12 }, (_, i) => ({ message: `from-test ${i}`, users: ['user1@test.com'] }));
  const file = join(work, 'from.json');
  writeFileSync(file, JSON.stringify(items));
  const run = cli(['cam', 'sendMessages', '--file', file, '--chunk', '5', '--from', '7']);
  assert.equal(run.code, 1, run.err);
  assert.deepEqual(JSON.parse(run.out), {
    total: 12,
    delivered: [[7, 11]],
    unknown: [],
    notSent: [],
    refused: [],
    skipped: [[0, 6]],
  });
  assert.match(run.err, /7 items skipped \(--from\): not known to be delivered/);
  assert.deepEqual(
    (await stored()).slice(before).map((m) => m.message),
    items.slice(7).map((it) => it.message),
  );
});

test('an empty --file, or one that is not a list of params, is refused (exit 2) and nothing is sent', async () => {
  const before = (await stored()).length;
  for (const [name, text, pattern] of [
    ['empty.json', '[]', /is an empty list: there is nothing to send/],
    ['empty-seed.json', 'messages=[]', /is an empty list/],
    ['object.json', '{"message": "x"}', /is not a JSON array/],
  ]) {
    const file = join(work, name);
    writeFileSync(file, text);
    const run = cli(['cam', 'sendMessages', '--file', file]);
    assert.equal(run.code, 2, `${name}: ${run.err}`);
    assert.match(run.err, pattern);
    assert.equal(run.out, '');
  }
  const file = join(work, 'xx-items.json');
  writeFileSync(file, '[{"gid": "g"}, 3]');
  const notObject = cli(['xuanxuan', 'sendChatMessage', '--file', file]);
  assert.equal(notObject.code, 2);
  assert.match(notObject.err, /item 1 of .* is not an object of params/);
  writeFileSync(file, '[]');
  assert.equal(cli(['xuanxuan', 'sendChatMessage', '--file', file]).code, 2);
  assert.equal(cli(['cam', 'getConferenceRooms', '--file', file]).code, 2, 'a read takes no --file');
  assert.equal(cli(['cam', 'sendMessage', '--from', '3']).code, 2, '--from goes with --file');
  assert.equal((await stored()).length, before);
});

test('--file works for every write: Yunzhijia meetings and XuanXuan notifications, each arriving once', async () => {
  const day = Date.UTC(2027, 8, 1, 2);
  const meetings = Array.from({ length: 5 }, (_, i) => ({
    openid: 'o-cli',
    title: `cli-batch ${i}`,
    startDate: day + i * 60_000,
    endDate: day + i * 60_000 + 1,
  }));
  const file = join(work, 'meetings.json');
  writeFileSync(file, JSON.stringify(meetings));
  const run = cli(['yunzhijia', 'meeting.create', '--file', file, '--concurrency', '2']);
  assert.equal(run.code, 0, run.err);
  assert.deepEqual(JSON.parse(run.out), { total: 5, delivered: [[0, 4]], unknown: [], notSent: [], refused: [] });
  const listed = cli(['yunzhijia', 'meeting.queryByDay', '--day', String(day)]);
  assert.deepEqual(
    JSON.parse(listed.out)
      .map((m) => m.title)
      .filter((t) => t.startsWith('cli-batch'))
      .toSorted(),
    meetings.map((m) => m.title),
  );
  const notes = Array.from({ length: 3 }, (_, i) => ({
    users: [1],
    title: `cli-note ${i}`,
    contentType: 'text',
    sender: { id: 'bot', name: 'Bot', avatar: 'https://example.com/bot.png' },
  }));
  writeFileSync(file, JSON.stringify(notes));
  const sent = cli(['xuanxuan', 'sendNotification', '--file', file]);
  assert.equal(sent.code, 0, sent.err);
  assert.deepEqual(JSON.parse(sent.out).delivered, [[0, 2]]);
  const bad = cli(['xuanxuan', 'sendNotification', '--file', file, '--title', 'x']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--title does not go with --file/);
});

test('--token-cache keeps the Yunzhijia token in a 0600 file: the next run fetches none, and the token is never printed', async () => {
  const cache = join(work, 'cache', 'token.json');
  const stats = async () => (await fetch(`${sandbox.url}/yunzhijia/_sandbox/stats`)).json();
  const start = await stats();
  const args = ['yunzhijia', 'meeting.queryByDay', '--day', '2018-08-30'];
  const first = cli([...args, '--token-cache', cache]);
  assert.equal(first.code, 0, first.err);
  const afterFirst = await stats();
  assert.equal(afterFirst.tokenRequests - start.tokenRequests, 1);
  assert.equal(statSync(cache).mode & 0o777, 0o600);
  const second = cli(args, { extraEnv: { WORKBRIDGE_TOKEN_CACHE: cache } });
  assert.equal(second.code, 0, second.err);
  assert.equal((await stats()).tokenRequests, afterFirst.tokenRequests, 'the second run read the cache');
  const token = Object.values(JSON.parse(readFileSync(cache, 'utf8')).data)[0].v;
  assert.ok(token.length > 8);
  for (const text of [first.out, first.err, second.out, second.err]) assert.ok(!text.includes(token));
  assert.equal(
    cli(['cam', 'getConferenceRooms', '--token-cache', cache]).code,
    2,
    'only Yunzhijia has a token to keep',
  );
});

test('a batch file with one bad item sends nothing and names the item', async () => {
  const before = (await (await fetch(`${sandbox.url}/cam/_sandbox/messages`)).json()).messages.length;
  const items = Array.from({ length: 800 }, (_, i) => ({
    message: `m${i}`,
    property: { users: i === 700 ? 'not-an-address' : 'a@x.com' },
  }));
  const file = join(work, 'bad.json');
  writeFileSync(file, JSON.stringify(items));
  const run = cli(['cam', 'sendMessages', '--file', file, '--chunk', '500']);
  assert.equal(run.code, 2);
  assert.match(run.err, /INVALID_ARGUMENT \(items\[700\]\.users\[0\]\)/);
  const after = (await (await fetch(`${sandbox.url}/cam/_sandbox/messages`)).json()).messages.length;
  assert.equal(after, before);
});

test('bare workbridge prints the usage and exits 2; --version; --help on every subcommand starts nothing', () => {
  const bare = cli([]);
  assert.equal(bare.code, 2);
  assert.match(bare.err, /^usage: workbridge/);
  assert.equal(bare.out, '');
  const version = cli(['--version']);
  assert.equal(version.code, 0);
  assert.equal(
    version.out.trim(),
    JSON.parse(readFileSync(join(work, 'node_modules/workbridge/package.json'), 'utf8')).version,
  );
  const top = cli(['--help']);
  for (const name of [
    'WORKBRIDGE_CAM_API_TOKEN',
    'WORKBRIDGE_CAM_SERVER_URL',
    'WORKBRIDGE_YUNZHIJIA_BASE_URL',
    'WORKBRIDGE_YUNZHIJIA_EID',
    'WORKBRIDGE_YUNZHIJIA_APP_ID',
    'WORKBRIDGE_YUNZHIJIA_SECRET',
    'WORKBRIDGE_YUNZHIJIA_SCOPE',
    'WORKBRIDGE_YUNZHIJIA_ACCESS_TOKEN',
    'WORKBRIDGE_XUANXUAN_SERVER_URL',
    'WORKBRIDGE_XUANXUAN_CODE',
    'WORKBRIDGE_XUANXUAN_KEY',
    'WORKBRIDGE_XUANXUAN_SENDER',
    'WORKBRIDGE_YTX_BASE_URL',
    'WORKBRIDGE_YTX_ACCOUNT_SID',
    'WORKBRIDGE_YTX_AUTH_TOKEN',
    'WORKBRIDGE_YTX_APPID',
    'HTTPS_PROXY',
    'HTTP_PROXY',
    'NO_PROXY',
  ])
    assert.ok(top.out.includes(name), `--help lists ${name}`);
  const sandboxHelp = cli(['sandbox', '--help', '--port', '0']);
  assert.equal(sandboxHelp.code, 0);
  assert.match(sandboxHelp.out, /usage: workbridge sandbox/);
  assert.doesNotMatch(sandboxHelp.out, /listening/);
  const relayHelp = cli(['relay', '--help']);
  assert.equal(relayHelp.code, 0);
  assert.match(relayHelp.out, /usage: workbridge relay/);
  assert.equal(cli(['cam', '--help']).code, 0);
  assert.equal(cli(['cam']).code, 2);
  const opHelp = cli(['cam', 'sendMessages', '--help']);
  assert.equal(opHelp.code, 0);
  assert.match(opHelp.out, /--from <n>/);
});

test('--help after an operation prints its usage and sends nothing', async () => {
  const before = (await stored()).length;
  const run = cli([
    'cam',
    'sendMessage',
    '--panelName',
    'messenger',
    '--message',
    'must not be sent',
    '--users',
    'a@x.com',
    '--help',
  ]);
  assert.equal(run.code, 0);
  assert.match(run.out, /sendMessage/);
  assert.equal((await stored()).length, before);
});

test('missing credentials name the environment variable', () => {
  const cam = cli(['cam', 'getConferenceRooms'], { extraEnv: { WORKBRIDGE_CAM_API_TOKEN: '' } });
  assert.equal(cam.code, 2);
  assert.match(cam.err, /WORKBRIDGE_CAM_API_TOKEN/);
  assert.doesNotMatch(cam.err, /apiToken/);
  const yzj = cli(['yunzhijia', 'meeting.queryByDay', '--day', '2030-12-03'], {
    extraEnv: { WORKBRIDGE_YUNZHIJIA_SECRET: '' },
  });
  assert.equal(yzj.code, 2);
  assert.match(yzj.err, /WORKBRIDGE_YUNZHIJIA_SECRET/);
  const ytx = cli(['ytx', 'queryMeeting', '--meetingcount', '1'], { extraEnv: { WORKBRIDGE_YTX_APPID: '' } });
  assert.equal(ytx.code, 2);
  assert.match(ytx.err, /WORKBRIDGE_YTX_APPID/);
  const xx = cli(['xuanxuan', 'getChatUsers'], { extraEnv: { WORKBRIDGE_XUANXUAN_KEY: '' } });
  assert.equal(xx.code, 2);
  assert.match(xx.err, /WORKBRIDGE_XUANXUAN_KEY/);
});

test('secret-looking flags are refused in every spelling, the value never echoed, nothing sent', async () => {
  const before = (await stored()).length;
  const base = ['cam', 'sendMessage', '--panelName', 'messenger', '--message', 'x', '--users', 'a@x.com'];
  const spellings = [
    ['--apiToken=S3CRET-A1'],
    ['--api-token', 'S3CRET-A2'],
    ['--API_TOKEN=S3CRET-A3'],
    ['--x-cam-apiToken', 'S3CRET-A4'],
    ['--accessToken=S3CRET-A5'],
    ['--secret', 'S3CRET-A6'],
    ['-apiToken=S3CRET-A7'],
    ['--authToken=S3CRET-A8'],
    ['--key', 'S3CRET-A9'],
    ['--password=S3CRET-B1'],
    ['--Authorization', 'Bearer S3CRET-B2'],
    ['--nosuch=S3CRET-B3'],
  ];
  for (const flag of spellings) {
    for (const args of [
      [...base, ...flag],
      ['cam', 'sendMessage', ...flag, ...base.slice(2)],
    ]) {
      const run = cli(args);
      assert.equal(run.code, 2, flag.join(' '));
      const secret = flag.join(' ').match(/S3CRET-\w\w/)[0];
      assert.ok(!run.err.includes(secret) && !run.out.includes(secret), `${flag.join(' ')} echoed: ${run.err}`);
    }
  }
  const named = cli([...base, '--api-token', 'S3CRET-C1']);
  assert.match(named.err, /WORKBRIDGE_CAM_API_TOKEN/);
  const top = cli(['--apiToken=S3CRET-C2']);
  assert.equal(top.code, 2);
  assert.ok(!top.err.includes('S3CRET-C2'));
  assert.equal((await stored()).length, before, 'nothing was sent');
  // A parameter that happens to be called password (a quick call's) is still a parameter.
  const quick = cli(['cam', 'createQuickCall', '--expireDate', String(Date.now() + 3_600_000), '--password', '1234']);
  assert.equal(quick.code, 0, quick.err);
});

test('a CAM refusal (a non-empty errors array) exits 1 and says why', () => {
  const refused = cli(['cam', 'sendMessage', '--panelName', 'no such room', '--message', 'x', '--users', 'a@x.com']);
  assert.equal(refused.code, 1, refused.err);
  assert.match(refused.err, /no chat room by that panelName/);
});

test('a wrong CAM server path (HTTP 404) exits 1', async () => {
  const wrongPath = cli(['cam', 'getConferenceRooms'], {
    extraEnv: { WORKBRIDGE_CAM_SERVER_URL: `${sandbox.url}/cma` },
  });
  assert.equal(wrongPath.code, 1, `a 404 must not exit 0: ${wrongPath.out}`);
  // A 404 page of a web server that is not CAM at all.
  const other = createServer((req, res) =>
    res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"Not Found"}'),
  );
  await new Promise((r) => other.listen(0, '127.0.0.1', r));
  try {
    const run = await cliAsync(['cam', 'getConferenceRooms'], {
      WORKBRIDGE_CAM_SERVER_URL: `http://127.0.0.1:${other.address().port}/api`,
    });
    assert.equal(run.code, 1, `a 404 must not exit 0: ${run.out}`);
  } finally {
    await new Promise((r) => other.close(r));
  }
});

test('a repeated flag and a time beyond 2^53 exit 2 naming them, and nothing is sent', async () => {
  const before = (await stored()).length;
  const twice = cli([
    'cam',
    'sendMessage',
    '--panelName',
    'a',
    '--message',
    'x',
    '--users',
    'a@x.com',
    '--message',
    'y',
  ]);
  assert.equal(twice.code, 2, twice.err);
  assert.match(twice.err, /--message is given more than once/);
  const eq = cli(['xuanxuan', 'getChatUsers', '--gid=a', '--gid', 'b']);
  assert.equal(eq.code, 2, eq.err);
  assert.match(eq.err, /--gid is given more than once/);
  const both = cli(['xuanxuan', 'getChatUsers', '--json', '{"gid":"a"}', '--gid', 'b']);
  assert.equal(both.code, 2, both.err);
  assert.match(both.err, /--gid is given both as a flag and in --json/);
  const sandboxTwice = cli(['sandbox', '--port', '0', '--port', '1']);
  assert.equal(sandboxTwice.code, 2, sandboxTwice.err);
  assert.match(sandboxTwice.err, /--port is given more than once/);
  // 2^53 + 1 would be read as 2^53 by Number(): refused, never rounded to another time.
  const far = cli(['yunzhijia', 'roomBook.hasNew', '--eid', '10109', '--lastTime', '9007199254740993']);
  assert.equal(far.code, 2, far.err);
  assert.match(far.err, /--lastTime: 16 digits is beyond 2\^53/);
  // Through --json the digit string reaches the library, which refuses it naming the param.
  const json = cli(['yunzhijia', 'roomBook.hasNew', '--json', '{"eid":"10109","lastTime":"99999999999999999999"}']);
  assert.equal(json.code, 2, json.err);
  assert.match(json.err, /INVALID_ARGUMENT \(lastTime\)/);
  assert.equal((await stored()).length, before, 'nothing was sent');
});

test("--timeout-ms, --deadline-ms and --max-retries are the call's limits", async () => {
  // A server that accepts and never answers: only the flags decide how long the CLI waits.
  const silent = createServer(() => {});
  await new Promise((r) => silent.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${silent.address().port}/cam`;
  try {
    const t0 = Date.now();
    const one = await cliAsync(
      ['cam', 'getConferenceRooms', '--timeout-ms', '150', '--max-retries', '0', '--verbose'],
      {
        WORKBRIDGE_CAM_SERVER_URL: url,
      },
    );
    assert.equal(one.code, 1, one.err);
    assert.match(one.err, /TIMEOUT/);
    assert.equal(one.err.match(/workbridge: request /g)?.length, 1, one.err);
    assert.ok(Date.now() - t0 < 8_000, 'not the default 10 s per attempt');
    const three = await cliAsync(
      ['cam', 'getConferenceRooms', '--timeout-ms', '100', '--max-retries', '2', '--verbose'],
      {
        WORKBRIDGE_CAM_SERVER_URL: url,
      },
    );
    assert.equal(three.err.match(/workbridge: request /g)?.length, 3, three.err);
    const t1 = Date.now();
    const deadline = await cliAsync(['cam', 'getConferenceRooms', '--deadline-ms', '300'], {
      WORKBRIDGE_CAM_SERVER_URL: url,
    });
    assert.equal(deadline.code, 1, deadline.err);
    assert.match(deadline.err, /TIMEOUT/);
    assert.ok(Date.now() - t1 < 8_000, 'the deadline, not the default timeout, ended it');
  } finally {
    silent.closeAllConnections();
    await new Promise((r) => silent.close(r));
  }
  for (const [flag, value] of [
    ['--timeout-ms', '0'],
    ['--max-retries', '-1'],
    ['--deadline-ms', 'soon'],
  ]) {
    const bad = cli(['cam', 'getConferenceRooms', flag, value]);
    assert.equal(bad.code, 2, `${flag} ${value}: ${bad.err}`);
    assert.match(bad.err, new RegExp(`${flag} takes a whole number`));
  }
});

test('nothing the CLI printed holds a credential', () => {
  assert.ok(printed.length > 20);
  for (const text of printed) for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} printed`);
});

test('--verbose prints each request and answer on stderr, from onEvent, with credentials masked', async () => {
  const run = cli(['cam', 'getConferenceMaster', '--verbose'], {
    extraEnv: { WORKBRIDGE_CAM_API_TOKEN: 'sandbox-token', WORKBRIDGE_CAM_SERVER_URL: `${sandbox.url}/cam` },
  });
  assert.equal(run.code, 0, run.err);
  run.stderr = run.err;
  run.stdout = run.out;
  assert.match(
    run.stderr,
    /workbridge: request cam\.getConferenceMaster #1 POST http:\/\/127\.0\.0\.1:\d+\/cam\/getConferenceMaster/,
  );
  assert.match(run.stderr, /workbridge: response cam\.getConferenceMaster #1 POST \S+ 200 \d+ms/);
  assert.ok(!run.stderr.includes('sandbox-token'));
  assert.ok(JSON.parse(run.stdout).conferenceRooms, 'stdout is still the result alone');
});

// From a new user's trial of the tarball: a JSON array given to a list flag was split at its
// commas and sent as two odd addresses (seen failing first).
test('a list flag takes a comma list or a JSON array; a broken array or a JSON text as an address is refused', async () => {
  const send = (users) =>
    cli(['cam', 'sendMessage', '--panelName', 'messenger', '--message', `list ${users}`, '--users', users]);
  const ok = send('["json1@x.com","json2@x.com"]');
  assert.equal(ok.code, 0, ok.err);
  const mine = (await stored()).filter((m) => m.message === 'list ["json1@x.com","json2@x.com"]');
  assert.equal(mine.length, 1);
  assert.deepEqual(mine[0].users, ['json1@x.com', 'json2@x.com']);
  const broken = send('["json1@x.com","json2@x.com"');
  assert.equal(broken.code, 2, broken.err);
  assert.match(broken.err, /--users takes a comma list/);
  const quoted = cli(['cam', 'sendMessage', '--panelName', 'messenger', '--message', 'q', '--users', '"a@x.com"']);
  assert.equal(quoted.code, 2, quoted.err);
  assert.match(quoted.err, /users\[0\]/);
  assert.equal((await stored()).filter((m) => m.message === 'q').length, 0, 'nothing sent');
});
