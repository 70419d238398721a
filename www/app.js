// The demo page: forms derived from the operation tables, run in the page through the package.
import { CAMAPIClient, WorkbridgeError, operations } from '/pkg/browser.mjs';

const $ = (id) => document.getElementById(id);
// Prefilled from seed 000's samples.
const SAMPLES = {
  sendMessage: { panelName: 'messenger', message: 'Hello!', isOpened: 'false', users: 'user1@xxx.com,user2@xxx.com' },
  sendMessages: { items: '[{"message":"hello 1","users":"user1@test.com,user2@test.com"},{"send":"Secret meeting","message":"test 1"}]' },
  createQuickCall: { expireDate: String(Date.now() + 3600_000), password: 'password!' },
  updateChatRoom: { chatRoom: '{"name":"Secret meeting 2","isMessageThread":true,"isPublic":false,"memberUids":{"11u1pu9d32p8vuvjoZdd":true}}' },
  getConferenceRoomStatus: { yyyyMMdd: '201908' },
};

$('serverURL').value = `${location.origin}/cam`;
for (const op of operations.cam) $('op').add(new Option(op.name, op.name));

function showParams() {
  const op = operations.cam.find((o) => o.name === $('op').value);
  $('doc').textContent = op.doc;
  $('params').replaceChildren(...op.params.map((p) => {
    const label = document.createElement('label');
    label.textContent = `${p.name} (${p.type}${p.required ? '' : ', optional'})`;
    const input = document.createElement(p.type === 'json' ? 'textarea' : 'input');
    input.name = p.name;
    input.value = SAMPLES[op.name]?.[p.name] ?? '';
    input.title = p.doc;
    label.append(input);
    return label;
  }));
  return op;
}

function value(p, text) {
  if (text === '') return undefined;
  if (p.type === 'boolean') return text === 'true';
  if (p.type === 'integer' || p.type === 'time') return /^\d+$/.test(text) ? Number(text) : text;
  if (p.type === 'json') { try { return JSON.parse(text); } catch { return text; } }
  return text;
}

$('op').addEventListener('change', showParams);
$('run').addEventListener('click', async () => {
  const op = operations.cam.find((o) => o.name === $('op').value);
  const args = op.params.map((p) => value(p, $('params').querySelector(`[name="${p.name}"]`).value));
  $('result').classList.remove('error');
  try {
    const client = new CAMAPIClient({ apiToken: $('apiToken').value, serverURL: $('serverURL').value });
    $('request').textContent = JSON.stringify(client.dryRun(op.name, ...args), null, 2);
    $('result').textContent = JSON.stringify(await client[op.name](...args), null, 2);
  } catch (e) {
    $('result').classList.add('error');
    const shown = e instanceof WorkbridgeError ? { code: e.code, field: e.field, status: e.status, message: e.message } : String(e);
    $('result').textContent = JSON.stringify(shown, null, 2);
  }
});
showParams();
