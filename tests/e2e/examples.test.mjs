// The runnable examples (what `make demo` runs) against a sandbox, so the docs never rot.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../../pkg/sandbox/index.mjs';
import { main as cam } from '../../examples/cam.mjs';
import { xuanxuan, ytx } from '../../examples/xuanxuan_ytx.mjs';
import { main as yunzhijia } from '../../examples/yunzhijia.mjs';

let s;
const lines = [];
const log = (...args) => lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));

before(async () => {
  s = await startSandbox({ port: 0, log: null });
});
after(async () => {
  await s.close();
});

test('the Chat&Messenger example runs every step and reports the invalid input', async () => {
  const status = await cam({ serverURL: `${s.url}/cam`, log });
  assert.equal(status.conferenceRoomStatus.yyyyMMdd, '201908');
  assert.ok(
    lines.some((l) => l.startsWith('invalid input') && l.includes('INVALID_ARGUMENT (yyyyMMdd)')),
    lines.join('\n'),
  );
  assert.ok(lines.some((l) => l.includes('Weekly sync')));
});

test('the XuanXuan and YTX examples run against the sandbox', async () => {
  await xuanxuan({ serverURL: `${s.url}/xuanxuan`, log });
  await ytx({ baseURL: `${s.url}/ytx`, log });
  assert.ok(lines.includes('sendNotification -> ok'));
  assert.ok(lines.some((l) => l.startsWith('queryMeeting') && l.includes('"confid":"002"')));
});

test('the Yunzhijia example books a meeting, posts a notice and syncs bookings', async () => {
  const { meetingId, lastTime } = await yunzhijia({ baseURL: `${s.url}/yunzhijia`, log });
  assert.match(meetingId, /^[0-9a-f]{24}$/);
  assert.equal(typeof lastTime, 'number');
  // The example's booking, plus the seeded samples' booking and cancelled booking (bookInfo's add and delete).
  assert.ok(
    lines.some((l) => l.includes('2 added, 1 deleted')),
    lines.join('\n'),
  );
});
