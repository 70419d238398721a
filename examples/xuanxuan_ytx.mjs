// XuanXuan 喧喧: a notification with action buttons, then a group chat message;
// YTX 云通信: a meeting query. Run by `make demo` against the sandbox.

import { XuanxuanClient, YtxClient } from '../pkg/index.mjs';

export async function xuanxuan({ serverURL, code = 'sandbox', key = 'sandbox-key', log = console.log }) {
  // The server refuses a send without a sender: `sender` is the default of every send.
  const sender = { id: 'ci-bot', name: 'CI', avatar: 'https://example.com/ci.png' };
  const xx = new XuanxuanClient({ serverURL, code, key, sender });
  const groups = await xx.getGroupChats();
  log('getGroupChats    ->', groups);
  const gid = Object.keys(groups)[0];
  log('getChatUsers     ->', await xx.getChatUsers(gid));
  await xx.sendNotification({
    users: [1, 3],
    title: '部署完成 Deploy finished',
    content: '**db1** 已恢复 recovered',
    contentType: 'text',
    actions: [
      { type: 'primary', label: '查看 View', url: 'https://example.com/deploys/42' },
      { type: 'danger', label: '回滚 Roll back', url: 'https://example.com/deploys/42/rollback' },
    ],
    sender: { id: 'ci-bot', name: 'CI', avatar: 'https://example.com/ci.png' },
  });
  log('sendNotification -> ok');
  await xx.sendChatMessage({ gid, title: '今日值班 On call today', content: '张三', contentType: 'plain' });
  log('sendChatMessage  -> ok');
}

export async function ytx({ baseURL, log = console.log }) {
  const client = new YtxClient({
    accountSID: 'sandbox-sid',
    authToken: 'sandbox-token',
    appid: 'sandbox-app',
    baseURL,
  });
  const info = await client.queryMeeting({ confid: '002', meetingcount: 1 });
  log('queryMeeting     ->', info);
}
