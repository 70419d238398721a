#!/usr/bin/env node
// workbridge: the sandbox server and every operation from a shell. Operations and their params
// come from the same tables as the JS API. Credentials only from the environment.
// Exit status: 0 success, 1 vendor/HTTP/network failure, 2 usage error or INVALID_ARGUMENT.

import { readFileSync } from 'node:fs';
import * as api from '../index.mjs';
import { ENV, optionsFromEnv } from './env.mjs';

const CLASSES = { cam: api.CAMAPIClient, yunzhijia: api.YunzhijiaClient, xuanxuan: api.XuanxuanClient, ytx: api.YtxClient };
const VENDORS = Object.fromEntries(Object.entries(CLASSES).map(([vendor, C]) => [vendor, { make: (env) => new C(optionsFromEnv(vendor, env)), env: ENV[vendor] }]));
const SECRET_FLAG = /^(api-?token|access-?token|auth-?token|secret|key|token|sign|authorization)$/i;

class Usage extends Error {}

function help(vendor, opName) {
  if (!vendor) {
    return [
      'usage: workbridge sandbox [--port 8080] [--host 127.0.0.1] [--faults \'cam.sendMessage:503x2,*:latency=50@0.2\']',
      '       workbridge relay --allow meeting.create,cam.sendMessage,… [--origin https://app.example.com,…] [--port 8787] [--max-body 65536]',
      '       workbridge <vendor> <operation> [--<param> <value> ...] [--json \'{...}\' | --json -] [--dry-run] [--pretty]',
      '       workbridge <vendor> --help | workbridge <vendor> <operation> --help',
      '       workbridge cam sendMessages --file messages.json [--chunk 500]   (the seed\'s batch file; progress on stderr)',
      '',
      `vendors: ${Object.keys(VENDORS).join(', ')}`,
      'credentials come from the environment, never from flags.',
    ].join('\n');
  }
  const lines = [`workbridge ${vendor} <operation>   (environment: ${VENDORS[vendor].env.join(', ')})`, ''];
  for (const op of api.operations[vendor].filter((o) => !opName || o.name === opName)) {
    lines.push(`  ${op.name}  ${op.doc}`);
    for (const p of op.params) lines.push(`      --${p.name} <${p.type}>${p.required ? '' : ' (optional)'}  ${p.doc}`);
  }
  return lines.join('\n');
}

function parseFlags(argv) {
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Usage(`unexpected argument ${JSON.stringify(a)}`);
    const name = a.slice(2);
    if (['dry-run', 'pretty', 'help'].includes(name)) { flags[name] = true; continue; }
    if (name === '') throw new Usage('unexpected --');
    if (i + 1 >= argv.length) throw new Usage(`--${name} needs a value`);
    flags[name] = argv[++i];
  }
  return flags;
}

// A flag's text as the param's type wants it; the wasm side still validates everything.
function convert(param, text) {
  switch (param.type) {
    case 'string[]': return text.split(',').map((s) => s.trim());
    case 'boolean':
      if (text === 'true' || text === 'false') return text === 'true';
      throw new Usage(`--${param.name} takes true or false`);
    case 'integer': case 'time': {
      if (/^-?\d+$/.test(text)) return Number(text);
      const t = Date.parse(text);
      if (param.type === 'time' && !Number.isNaN(t)) return t;
      throw new Usage(`--${param.name} takes a number${param.type === 'time' ? ' or an ISO date' : ''}`);
    }
    case 'json':
      try {
        return JSON.parse(text);
      } catch {
        // A comma list where JSON was expected: ids as numbers, names as strings.
        if (/^[^[{"]/.test(text)) return text.split(',').map((s) => s.trim()).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
        throw new Usage(`--${param.name} takes JSON`);
      }
    default: return text;
  }
}

// The seed's messages.json, as `curl -d @messages.json` posts it: `messages=[...]` or a bare
// array, items `{message, property: {users}}` or `{send, message}`; read as UTF-8.
function readBatchFile(path) {
  let text;
  try { text = readFileSync(path, 'utf8'); } catch (e) { throw new Usage(`--file: cannot read ${path}: ${e.code || e.message}`); }
  text = text.replace(/^\uFEFF/, '').trim().replace(/^messages\s*=\s*/, '');
  let items;
  try { items = JSON.parse(text); } catch { throw new Usage(`--file: ${path} is not a JSON array of messages`); }
  if (!Array.isArray(items)) throw new Usage(`--file: ${path} is not a JSON array of messages`);
  return items.map((it) => (it && typeof it === 'object' && it.property && typeof it.property === 'object'
    ? { message: it.message, users: it.property.users }
    : it));
}

// A large batch goes in chunks, with progress on stderr; a failed chunk stops the run and the
// report says exactly which items were sent and which were not, so nothing is lost or resent.
async function sendBatch(client, items, chunk) {
  // Every item is checked before the first chunk goes, so a bad item sends nothing.
  for (let start = 0; start < items.length; start += chunk) {
    try {
      client.dryRun('sendMessages', items.slice(start, start + chunk));
    } catch (e) {
      if (e.field) {
        const absolute = e.field.replace(/^items\[(\d+)\]/, (_, i) => `items[${Number(i) + start}]`);
        e.message = e.message.replaceAll(e.field, absolute);
        e.field = absolute;
      }
      throw e;
    }
  }
  const sent = [];
  for (let start = 0; start < items.length; start += chunk) {
    const part = items.slice(start, start + chunk);
    try {
      const res = await client.sendMessages(part);
      sent.push(...(res.messageIds ?? part.map(() => null)));
      if (items.length > chunk) process.stderr.write(`workbridge: sent ${Math.min(start + chunk, items.length)}/${items.length}\n`);
    } catch (e) {
      e.batch = { sent: start, notSent: items.length - start, firstNotSent: start };
      throw e;
    }
  }
  return { sent: items.length, messageIds: sent };
}

async function runOperation(vendor, opName, argv) {
  const flags = parseFlags(argv);
  const op = api.operations[vendor].find((o) => o.name === opName);
  if (!op) throw new Usage(`${vendor} has no operation ${JSON.stringify(opName)}; see workbridge ${vendor} --help`);
  if (flags.help) return { help: help(vendor, op.name) };
  if (flags.file !== undefined) {
    if (vendor !== 'cam' || op.name !== 'sendMessages') throw new Usage('--file is for cam sendMessages');
    const chunk = flags.chunk === undefined ? 500 : Number(flags.chunk);
    if (!Number.isInteger(chunk) || chunk < 1) throw new Usage('--chunk takes a positive integer');
    const items = readBatchFile(flags.file);
    const client = VENDORS[vendor].make(process.env);
    return flags['dry-run'] ? client.dryRun('sendMessages', items.slice(0, chunk)) : sendBatch(client, items, chunk);
  }
  let params = {};
  if (flags.json !== undefined) {
    const text = flags.json === '-' ? readFileSync(0, 'utf8') : flags.json;
    try { params = JSON.parse(text); } catch { throw new Usage('--json takes a JSON object'); }
  }
  for (const [name, value] of Object.entries(flags)) {
    if (['json', 'dry-run', 'pretty', 'file', 'chunk'].includes(name)) continue;
    if (SECRET_FLAG.test(name)) throw new Usage(`--${name}: credentials are read from the environment (${VENDORS[vendor].env.join(', ')}), never from flags`);
    const param = op.params.find((p) => p.name === name);
    if (!param) throw new Usage(`${vendor}.${opName} has no parameter --${name}`);
    params[name] = convert(param, value);
  }
  const client = VENDORS[vendor].make(process.env);
  const args = op.positional ? op.params.map((p) => params[p.name]) : [params];
  if (flags['dry-run']) return client.dryRun(op.name, ...args);
  const [area, method] = op.name.includes('.') ? op.name.split('.') : [null, op.name];
  return area ? client[area][method](...args) : client[method](...args);
}

async function main(argv) {
  const [first, second, ...rest] = argv;
  if (!first || first === '--help' || first === '-h') { console.log(help()); return 0; }
  if (first === 'sandbox') {
    const flags = parseFlags([second, ...rest].filter((a) => a !== undefined));
    const { startSandbox } = await import('../sandbox/index.mjs');
    const port = flags.port === undefined ? 8080 : Number(flags.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Usage('--port takes a port number');
    let s;
    try {
      s = await startSandbox({ port, host: flags.host || '127.0.0.1', faults: flags.faults });
    } catch (e) {
      throw new Usage(typeof e === 'string' ? e : e.message);
    }
    console.log(`workbridge sandbox listening on ${s.url} (vendors under /cam, /yunzhijia, /xuanxuan, /ytx)`);
    const stop = () => s.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return undefined;
  }
  if (first === 'relay') {
    const flags = parseFlags([second, ...rest].filter((a) => a !== undefined));
    if (!flags.allow) throw new Usage('relay needs --allow with the operations pages may call, e.g. --allow meeting.create,notice.create');
    const { startRelay } = await import('./relay.mjs');
    const list = (v) => (v ? String(v).split(',').map((x) => x.trim()).filter(Boolean) : []);
    const port = flags.port === undefined ? 8787 : Number(flags.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Usage('--port takes a port number');
    const r = await startRelay({ port, host: flags.host || '127.0.0.1', allow: list(flags.allow), origins: list(flags.origin), maxBodyBytes: flags['max-body'] ? Number(flags['max-body']) : undefined });
    console.log(`workbridge relay listening on ${r.url} (credentials for: ${r.vendors.join(', ') || 'none'}; allows: ${flags.allow})`);
    const stop = () => r.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return undefined;
  }
  if (!VENDORS[first]) throw new Usage(`unknown vendor ${JSON.stringify(first)}; vendors: ${Object.keys(VENDORS).join(', ')}`);
  if (!second || second === '--help') { console.log(help(first)); return 0; }
  const pretty = rest.includes('--pretty');
  const result = await runOperation(first, second, rest);
  if (result && typeof result.help === 'string') { console.log(result.help); return 0; }
  console.log(JSON.stringify(result ?? null, null, pretty ? 2 : 0));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { if (code !== undefined) process.exitCode = code; },
  (e) => {
    if (e instanceof Usage) {
      console.error(`workbridge: ${e.message}`);
      process.exitCode = 2;
    } else if (e instanceof api.WorkbridgeError) {
      console.error(`workbridge: ${e.code}${e.field ? ` (${e.field})` : ''}: ${e.message}`);
      if (e.batch) console.error(`workbridge: items 0..${e.batch.sent - 1} were sent; ${e.batch.notSent} from item ${e.batch.firstNotSent} on were not`);
      process.exitCode = e.code === 'INVALID_ARGUMENT' ? 2 : 1;
    } else {
      console.error(`workbridge: ${e && e.message ? e.message : e}`);
      process.exitCode = 1;
    }
  },
);
