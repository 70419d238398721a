#!/usr/bin/env node
// workbridge: the sandbox server, the relay and every operation from a shell. Operations and their
// params come from the same tables as the JS API. Credentials only from the environment.
// Exit status: 0 success; 1 the call failed (a vendor refusal, CAM's `errors`, a non-2xx answer, a
// network failure, a batch not wholly delivered); 2 a usage error or INVALID_ARGUMENT.

import { readFileSync } from 'node:fs';
import { fileStore } from '../store.mjs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as api from '../index.mjs';
import { loadTables } from '../tables.mjs';
import { ENV, PROXY_ENV, ProxyConfigError, envOfOption, missingEnv, optionsFromEnv } from './env.mjs';

const CLASSES = {
  cam: api.CAMAPIClient,
  yunzhijia: api.YunzhijiaClient,
  xuanxuan: api.XuanxuanClient,
  ytx: api.YtxClient,
};
// The tables with their docs and rules (the entries carry names and parameter lists only).
const TABLES = loadTables();
const VERSION = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

class Usage extends Error {}

const SANDBOX_FLAGS = { values: ['port', 'host', 'faults'], booleans: ['help'] };
const RELAY_FLAGS = {
  values: [
    'port',
    'host',
    'allow',
    'origin',
    'max-body',
    'token-env',
    'authorize',
    'rate',
    'global-rate',
    'trust-proxy',
    'sign-on',
    'session-secret-env',
    'max-connections',
  ],
  booleans: ['help', 'allow-no-origin', 'team-reads'],
};
const OPERATION_FLAGS = ['json', 'dry-run', 'pretty', 'help', 'verbose'];
// A call's limits, as the clients' options of the same names: a cron run need not wait the
// default 10 s per attempt. Whole numbers, checked again by the library.
const LIMIT_FLAGS = {
  'timeout-ms': ['timeoutMs', 1],
  'deadline-ms': ['deadlineMs', 1],
  'max-retries': ['maxRetries', 0],
};
// With --file, any write: the items, and how to run them (--chunk for cam sendMessages only).
const BATCH_FLAGS = ['file', 'from', 'resume', 'concurrency'];

function usage() {
  const width = Math.max(...Object.keys(ENV).map((v) => v.length));
  return [
    "usage: workbridge <vendor> <operation> [--<param> <value> ...] [--json '{...}' | --json -] [--dry-run] [--pretty] [--verbose]",
    '                  [--timeout-ms N] [--deadline-ms N] [--max-retries N]   (per attempt, the whole call, retries)',
    '       workbridge <vendor> <write> --file items.json [--concurrency N] [--from N | --resume report.json]   (one write per item)',
    "       workbridge cam sendMessages --file messages.json [--chunk 500] [--from N | --resume report.json]   (the seed's batch file)",
    '       workbridge sandbox [--port 8080] [--host 127.0.0.1] [--faults SPEC]',
    '       workbridge relay --allow OPS --origin ORIGINS [--sign-on yunzhijia] [--token-env NAME] [--authorize ./hook.mjs] [--rate N] [...]',
    '       workbridge --help | --version | <vendor> --help | <vendor> <operation> --help | sandbox --help | relay --help',
    '',
    `vendors: ${Object.keys(CLASSES).join(', ')}`,
    '',
    'environment (credentials come only from here, never from flags):',
    ...Object.entries(ENV).map(([v, names]) => `  ${v.padEnd(width)}  ${names.join(' ')}`),
    `  ${'proxy'.padEnd(width)}  ${PROXY_ENV.join(' ')}   (the CLI and the relay go through HTTPS_PROXY/HTTP_PROXY except for NO_PROXY hosts)`,
    '',
    'output: the result as JSON on stdout; messages and progress on stderr.',
    "exit status: 0 success; 1 the call failed (a vendor refusal, CAM's non-empty errors, a non-2xx answer,",
    '             a network failure, a batch not wholly delivered); 2 a usage error or INVALID_ARGUMENT.',
    '',
    'Yunzhijia with credentials: --token-cache FILE (or WORKBRIDGE_TOKEN_CACHE) keeps the token in FILE (mode 0600)',
    'for the next run, and for other processes on this machine; the token is never printed.',
  ].join('\n');
}

const SANDBOX_USAGE = [
  'usage: workbridge sandbox [--port 8080] [--host 127.0.0.1] [--faults SPEC]',
  '',
  'Starts the local emulator of all four vendors: /cam, /yunzhijia, /xuanxuan, /ytx on one port.',
  '  --port PORT     default 8080 (0 picks a free one)',
  '  --host HOST     default 127.0.0.1',
  '  --faults SPEC   comma-separated <scope>:<fault>[@rate|xN]; scope *, a vendor or vendor.operation;',
  '                  fault latency=<ms>, 429[=<s>], 500, 502, 503, 504, drop, drop-after, malformed',
  "                  e.g. 'cam.sendMessage:503x2,*:latency=50@0.2'",
  '',
  'Light-app sign-on: GET /yunzhijia/sandbox/ticket?openid=<openid> issues a ticket (an hour) for one of',
  'its people, which a relay with --sign-on yunzhijia exchanges with the sandbox app id and secret.',
  '(the relay reads them from WORKBRIDGE_YUNZHIJIA_APP_ID and WORKBRIDGE_YUNZHIJIA_APP_SECRET).',
  '',
  'What it received, for checking a run: GET /cam/_sandbox/messages (CAM messages), GET',
  '/xuanxuan/_sandbox/sent (XuanXuan sends), GET /yunzhijia/_sandbox/stats (token requests);',
  'POST /_sandbox/faults with a SPEC sets the faults, POST /yunzhijia/_sandbox/expireTokens expires',
  'every token, POST /yunzhijia/_sandbox/tokenRefusal {errorCode, error, always?} answers refused',
  'tokens with another code.',
  'Bound to loopback, it answers only Host 127.0.0.1, localhost or [::1]; another --host prints a warning.',
].join('\n');

const RELAY_USAGE = [
  'usage: workbridge relay --allow OPS --origin ORIGINS [options]',
  '',
  'Holds the credentials (the environment variables of workbridge --help) and answers',
  'POST /call/<operation> with the params as a JSON body, in the qing.call result shape.',
  '  --allow OPS          operations pages may call, comma-separated: meeting.create,cam.sendMessage,…',
  '  --origin ORIGINS     page origins allowed to call, comma-separated (* for any)',
  '  --allow-no-origin    also serve callers that send no Origin header (servers, scripts, curl)',
  '  --sign-on yunzhijia  pages sign on with the light-app ticket (POST /session {ticket}) and every call',
  '                       acts only as that user; needs WORKBRIDGE_YUNZHIJIA_APP_ID and WORKBRIDGE_YUNZHIJIA_APP_SECRET',
  '  --session-secret-env NAME  the variable holding the session secret shared by every instance',
  '                       (default WORKBRIDGE_RELAY_SESSION_SECRET; without one, sessions are good on this instance only)',
  "  --team-reads         with --sign-on, meeting.queryByDay answers the whole team (default: the caller's own)",
  '  --token-env NAME     require Authorization: Bearer <token>, the token being the value of $NAME (401 otherwise)',
  '  --authorize FILE     an ES module whose default export gets {operation, params, user, headers, ip}',
  '                       and returns true, false (403) or {params} to send instead, or a promise of it',
  '  --rate N             at most N calls per minute per signed-in user (per client address without',
  '                       --sign-on); 429 with Retry-After',
  '  --global-rate N      at most N calls per minute for everyone together',
  '  --trust-proxy HOPS   believe X-Forwarded-For from HOPS proxies in front (a number) or from these',
  '                       proxy addresses (a comma list)',
  '  --max-body SIZE      the largest body, e.g. 65536, 64k, 1m (default 64k; 413 above it)',
  '  --max-connections N  open connections at most (default 1024); headers must arrive within 10 s',
  '                       and a whole request within 30 s',
  '  --port PORT          default 8787',
  '  --host HOST          default 127.0.0.1',
  'Every vendor --allow names needs its credentials in the environment; HTTPS_PROXY, HTTP_PROXY and',
  'NO_PROXY are honoured. Log lines name the caller, operation, the ids it touched and the outcome, never other params or credentials.',
].join('\n');

// The tables describe a time as JS takes it ("Unix ms or Date"); a shell cannot pass a Date, so
// the help says what a flag takes instead (see the 'time' case of the flag parser).
const CLI_TIME = 'Unix ms (digits) or an ISO date such as 2026-03-02T09:30 (Beijing time unless it has an offset)';
function cliDoc(p) {
  if (p.type !== 'time') return p.doc;
  return `${p.doc.replace(/ \(Unix ms or Date\)/, '')}; ${CLI_TIME}`;
}

function vendorHelp(vendor, opName) {
  const lines = [`workbridge ${vendor} <operation>   (environment: ${ENV[vendor].join(', ')})`, ''];
  for (const op of TABLES[vendor].filter((o) => !opName || o.name === opName)) {
    lines.push(`  ${op.name}  ${op.doc}`);
    // The rule comes from the operation table, as validation does.
    for (const p of op.params)
      lines.push(
        `      --${p.name} <${p.type}>${p.required ? '' : ' (optional)'}  ${p.rule ? `${p.rule}; ` : ''}${cliDoc(p)}`,
      );
    if (vendor === 'cam' && op.name === 'sendMessages') {
      lines.push(
        "      --file <path>  the seed's messages.json (messages=[…] or a JSON array); every item is checked first",
      );
      lines.push('      --chunk <n> (optional)  items per request, default 500');
    } else if (op.kind === 'write') {
      lines.push(
        '      --file <path>  a JSON array of params, one write each; every item is checked before the first is sent',
      );
    }
    if (op.kind === 'write') {
      lines.push(
        `      --concurrency <n> (optional)  writes under way at once, default ${vendor === 'cam' && op.name === 'sendMessages' ? 1 : 8}`,
      );
      lines.push('      --from <n> (optional)  start at item n; the items before it are reported as skipped');
      lines.push(
        '      --resume <report.json> (optional)  the report of an earlier run: only its notSent items are sent',
      );
      lines.push(
        '      stdout: {"total", "delivered", "unknown", "notSent", "refused"} as inclusive [from, to] item ranges;',
      );
      lines.push(
        '      exit 0 only when every item of the file is delivered; progress on stderr when it is a terminal',
      );
    }
  }
  return lines.join('\n');
}

// A flag whose name says it carries a credential. Its value is never repeated back.
const SECRET_NAME =
  /(token|secret|passw(or)?d|pwd|key|authorization|auth|sig|sign|signature|credentials?|cookie)$|^xcam/;
const looksSecret = (name) => SECRET_NAME.test(name.toLowerCase().replace(/[^a-z0-9]/g, ''));

/**
 * `--name value`, `--name=value` and boolean `--name`. `known(name)` says whether a flag exists and
 * whether it takes a value. Values are never echoed in errors: they may be secrets.
 */
function parseFlags(argv, known, secretHint) {
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-' || a === '--')
      throw new Usage(`unexpected argument at position ${i + 1}; flags are written --name value`);
    const eq = a.indexOf('=');
    const name = a.slice(a.startsWith('--') ? 2 : 1, eq < 0 ? undefined : eq);
    const kind = a.startsWith('--') ? known(name) : undefined;
    // A repeated flag would let one of the two win silently (a cron line edited twice).
    if (kind && Object.hasOwn(flags, name)) throw new Usage(`--${name} is given more than once; give it once`);
    if (!kind) {
      if (looksSecret(name))
        throw new Usage(
          `--${name.replace(/^-+/, '')}: credentials are read from the environment${secretHint ? ` (${secretHint})` : ''}, never from flags; the value was not used`,
        );
      throw new Usage(`unknown flag -${a.startsWith('--') ? '-' : ''}${name}`);
    }
    if (kind === 'boolean') {
      if (eq >= 0) throw new Usage(`--${name} takes no value`);
      flags[name] = true;
    } else if (eq >= 0) {
      flags[name] = a.slice(eq + 1);
    } else {
      if (i + 1 >= argv.length) throw new Usage(`--${name} needs a value`);
      flags[name] = argv[++i];
    }
  }
  return flags;
}

const flagSpec =
  ({ values = [], booleans = [] }) =>
  (name) =>
    booleans.includes(name) ? 'boolean' : values.includes(name) ? 'value' : undefined;

// A flag's text as the param's type wants it; the wasm side still validates everything.
function convert(param, text) {
  switch (param.type) {
    case 'string[]': {
      // A comma list, or a JSON array (as --json and the library take it).
      if (!text.trim().startsWith('[')) return text.split(',').map((s) => s.trim());
      let list;
      try {
        list = JSON.parse(text);
      } catch {
        list = undefined;
      }
      if (Array.isArray(list) && list.every((s) => typeof s === 'string')) return list;
      throw new Usage(`--${param.name} takes a comma list (a@x.com,b@x.com) or a JSON array of strings`);
    }
    case 'boolean':
      if (text === 'true' || text === 'false') return text === 'true';
      throw new Usage(`--${param.name} takes true or false`);
    case 'integer':
      if (/^-?\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
      throw new Usage(`--${param.name} takes a whole number`);
    // Digits are Unix ms; anything else goes to the library as it is, which reads ISO dates the
    // same way for the CLI, --json and JS (a date without an offset is Beijing time) and names
    // the parameter if it is not one.
    // Digits beyond 2^53 are refused: Number() would round them to another time.
    case 'time':
      if (/^\d+$/.test(text) && !Number.isSafeInteger(Number(text)))
        throw new Usage(
          `--${param.name}: ${text.length} digits is beyond 2^53 (9007199254740991), which no time in Unix ms reaches`,
        );
      return /^\d+$/.test(text) ? Number(text) : text;
    case 'json':
      try {
        return JSON.parse(text);
      } catch {
        // A comma list where JSON was expected: ids as numbers, names as strings.
        if (/^[^[{"]/.test(text))
          return text
            .split(',')
            .map((s) => s.trim())
            .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
        throw new Usage(`--${param.name} takes JSON`);
      }
    default:
      return text;
  }
}

const wholeNumber = (flag, text, min) => {
  if (!/^\d+$/.test(String(text)) || Number(text) < min || !Number.isSafeInteger(Number(text)))
    throw new Usage(`--${flag} takes a whole number${min ? ` from ${min}` : ''}`);
  return Number(text);
};

// --verbose: one line per request, answer, retry and failure on stderr, from the clients'
// onEvent hook (URLs masked as errors mask them).
function verboseLine(e) {
  const parts = [`workbridge: ${e.type}`, `${e.vendor}.${e.operation}`];
  if (e.attempt !== undefined) parts.push(`#${e.attempt}`);
  if (e.method) parts.push(e.method, e.url);
  if (e.status !== undefined) parts.push(String(e.status));
  if (e.code) parts.push(e.code);
  if (e.durationMs !== undefined) parts.push(`${Math.round(e.durationMs)}ms`);
  if (e.delayMs !== undefined) parts.push(`then waits ${Math.round(e.delayMs)}ms`);
  process.stderr.write(`${parts.join(' ')}\n`);
}

/** The client options of the limit flags given (`--timeout-ms` and its siblings). */
function limitOptions(flags) {
  const options = {};
  for (const [flag, [option, min]] of Object.entries(LIMIT_FLAGS))
    if (flags[flag] !== undefined) options[option] = wholeNumber(flag, flags[flag], min);
  return options;
}

/** The client of `vendor` from the environment; a missing or malformed variable is named. */
function makeClient(vendor, verbose = false, tokenCache = undefined, limits = {}) {
  const missing = missingEnv(vendor, process.env);
  if (missing) throw new Usage(`${vendor} needs its credentials in the environment: ${missing}`);
  let options;
  try {
    options = optionsFromEnv(vendor, process.env);
  } catch (e) {
    if (e instanceof ProxyConfigError) throw new Usage(e.message);
    throw e;
  }
  try {
    // The CLI prints results: secrets a server echoes inside one are masked like those in errors.
    // A Yunzhijia token fetched with credentials is kept in the cache file for the next run.
    const cache =
      tokenCache && vendor === 'yunzhijia' && !options.accessToken ? { tokenStore: fileStore(tokenCache) } : {};
    return new CLASSES[vendor]({
      ...options,
      ...cache,
      ...limits,
      redactSecrets: true,
      ...(verbose ? { onEvent: verboseLine } : {}),
    });
  } catch (e) {
    const variable = e && e.field && envOfOption(vendor, e.field);
    if (variable) e.message = `${variable}: ${e.message}`;
    throw e;
  }
}

// The seed's messages.json, as `curl -d @messages.json` posts it: `messages=[...]` or a bare
// array, items `{message, property: {users}}` or `{send, message}`; read as UTF-8. For the other
// writes, a JSON array of params objects.
function readBatchFile(path, seed) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Usage(`--file: cannot read ${path}: ${e.code || e.message}`);
  }
  text = text.replace(/^\uFEFF/, '').trim();
  if (seed) text = text.replace(/^messages\s*=\s*/, '');
  const what = seed ? 'a JSON array of messages' : 'a JSON array of params objects';
  let items;
  try {
    items = JSON.parse(text);
  } catch {
    throw new Usage(`--file: ${path} is not ${what}`);
  }
  if (!Array.isArray(items)) throw new Usage(`--file: ${path} is not ${what}`);
  if (items.length === 0) throw new Usage(`--file: ${path} is an empty list: there is nothing to send`);
  if (!seed) {
    const bad = items.findIndex((it) => it === null || typeof it !== 'object' || Array.isArray(it));
    if (bad >= 0) throw new Usage(`--file: item ${bad} of ${path} is not an object of params`);
    return items;
  }
  return items.map((it) =>
    it && typeof it === 'object' && it.property && typeof it.property === 'object'
      ? { message: it.message, users: it.property.users }
      : it,
  );
}

/** CAM answers a refusal in the body (`{"errors": [...]}`); null or an empty list means none. */
const camErrors = (body) => {
  const errors = body && typeof body === 'object' ? body.errors : undefined;
  if (errors === undefined || errors === null || errors === '' || (Array.isArray(errors) && errors.length === 0))
    return undefined;
  return Array.isArray(errors) ? errors : [errors];
};

class BatchFailed extends Error {}

// An earlier report (--resume): read as the library takes it (it checks the ranges).
function readReport(path) {
  let report;
  try {
    report = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Usage(`--resume: ${path} is not a batch report (${e.code || 'not JSON'})`);
  }
  if (!report || typeof report !== 'object' || Array.isArray(report))
    throw new Usage(`--resume: ${path} is not a batch report`);
  return report;
}

const items = (n) => `${n} item${n === 1 ? '' : 's'}`;
const n = (list) => (list || []).reduce((s, [a, b]) => s + b - a + 1, 0);

// The whole file through client.batch: one JSON report on stdout, whatever happened; a progress
// line on stderr when it is a terminal, and a closing line whenever something was not delivered.
// Exit 0 only when every item of the file was delivered, by this run or the one resumed.
async function runBatch(client, op, list, options) {
  const tty = Boolean(process.stderr.isTTY);
  let shown = 0;
  const onProgress = tty
    ? (p) => {
        const t = Date.now();
        if (t - shown < 100 && p.done < p.total) return;
        shown = t;
        process.stderr.write(
          `\rworkbridge: ${p.done}/${p.total} done: ${p.delivered} delivered, ${p.unknown} may have arrived, ${p.notSent} not sent`,
        );
      }
    : undefined;
  const report = await client.batch(op.name, list, { ...options, ...(onProgress ? { onProgress } : {}) });
  if (tty && shown) process.stderr.write('\n');
  const delivered = n(report.delivered);
  if (delivered === report.total) return report;
  const say = (line) => process.stderr.write(`workbridge: ${line}\n`);
  for (const r of report.refused) say(`items ${r.items[0]}-${r.items[1]} refused by the server: ${r.message}`);
  for (const e of report.errors || []) say(`items ${e.items[0]}-${e.items[1]}: ${e.code}: ${e.message}`);
  if (report.skipped) say(`${items(n(report.skipped))} skipped (--from): not known to be delivered`);
  const resume = report.notSent.length ? '; send them with --resume <this report>' : '';
  say(
    `${delivered} delivered, ${n(report.unknown)} may have arrived (check before resending), ${n(report.notSent)} not sent${resume}`,
  );
  throw Object.assign(new BatchFailed('the batch was not wholly delivered'), { report });
}

async function runOperation(vendor, opName, argv) {
  const op = TABLES[vendor].find((o) => o.name === opName);
  if (!op) {
    const hint = TABLES[vendor].find((o) => o.name.toLowerCase() === String(opName).toLowerCase());
    throw new Usage(
      `${vendor} has no operation ${JSON.stringify(opName)}${hint ? `; did you mean ${hint.name}?` : ''}; see workbridge ${vendor} --help`,
    );
  }
  const seed = vendor === 'cam' && op.name === 'sendMessages';
  const write = op.kind === 'write';
  const params = op.params.map((p) => p.name);
  const known = (name) =>
    ['dry-run', 'pretty', 'help', 'verbose'].includes(name)
      ? 'boolean'
      : name === 'json' ||
          params.includes(name) ||
          name in LIMIT_FLAGS ||
          (write && BATCH_FLAGS.includes(name)) ||
          (seed && name === 'chunk') ||
          (vendor === 'yunzhijia' && name === 'token-cache')
        ? 'value'
        : undefined;
  const flags = parseFlags(argv, (name) => known(name), ENV[vendor].join(', '));
  if (flags.help) return { help: vendorHelp(vendor, op.name) };
  const limits = limitOptions(flags);
  const tokenCache = flags['token-cache'] ?? (process.env.WORKBRIDGE_TOKEN_CACHE || undefined);
  if (flags['token-cache'] === '') throw new Usage('--token-cache takes a file path');
  if (flags.file !== undefined) {
    const other = Object.keys(flags).find((k) => params.includes(k) || k === 'json');
    if (other !== undefined) throw new Usage(`--${other} does not go with --file: the params come from the file`);
    if (flags.from !== undefined && flags.resume !== undefined)
      throw new Usage('--from and --resume: one or the other');
    const list = readBatchFile(flags.file, seed);
    const options = { concurrency: seed ? 1 : 8 };
    if (seed) options.chunk = flags.chunk === undefined ? 500 : wholeNumber('chunk', flags.chunk, 1);
    if (flags.concurrency !== undefined) options.concurrency = wholeNumber('concurrency', flags.concurrency, 1);
    if (flags.from !== undefined) {
      options.from = wholeNumber('from', flags.from, 0);
      if (options.from > list.length - 1)
        throw new Usage(`--from ${options.from} is past the last item (${list.length - 1})`);
    }
    if (flags.resume !== undefined) options.from = readReport(flags.resume);
    const client = makeClient(vendor, flags.verbose, tokenCache, limits);
    if (flags['dry-run']) {
      const first = typeof options.from === 'number' ? options.from : 0;
      return seed
        ? client.dryRun('sendMessages', list.slice(first, first + options.chunk))
        : client.dryRun(op.name, ...(op.positional ? op.params.map((p) => list[first][p.name]) : [list[first]]));
    }
    return runBatch(client, op, list, options);
  }
  for (const f of ['chunk', 'from', 'resume', 'concurrency'])
    if (flags[f] !== undefined) throw new Usage(`--${f} goes with --file`);
  let values = {};
  if (flags.json !== undefined) {
    const text = flags.json === '-' ? readFileSync(0, 'utf8') : flags.json;
    try {
      values = JSON.parse(text);
    } catch {
      throw new Usage('--json takes a JSON object');
    }
    if (!values || typeof values !== 'object' || Array.isArray(values)) throw new Usage('--json takes a JSON object');
  }
  for (const [name, value] of Object.entries(flags)) {
    if (OPERATION_FLAGS.includes(name) || name in LIMIT_FLAGS || name === 'token-cache') continue;
    // The same param in --json and as a flag is a repeat too: neither may win silently.
    if (Object.hasOwn(values, name)) throw new Usage(`--${name} is given both as a flag and in --json; give it once`);
    values[name] = convert(
      op.params.find((p) => p.name === name),
      value,
    );
  }
  // Positional methods take their params by name from --json: a name that is not one of them
  // would be dropped on the way, so it is refused here as the library refuses it elsewhere.
  const stray = Object.keys(values).find((k) => !params.includes(k));
  if (op.positional && stray !== undefined)
    throw new Usage(
      `--json: ${JSON.stringify(stray)} is not a parameter of ${vendor} ${op.name} (${params.join(', ') || 'none'})`,
    );
  const client = makeClient(vendor, flags.verbose, tokenCache, limits);
  const args = op.positional ? op.params.map((p) => values[p.name]) : [values];
  if (flags['dry-run']) return client.dryRun(op.name, ...args);
  const [area, method] = op.name.includes('.') ? op.name.split('.') : [null, op.name];
  const result = await (area ? client[area][method](...args) : client[method](...args));
  const errors = vendor === 'cam' ? camErrors(result) : undefined;
  if (errors)
    throw Object.assign(new Error(`the server refused ${vendor}.${op.name}: ${errors.join('; ')}`), { result });
  return result;
}

function listen(server, what) {
  console.log(`workbridge ${what}`);
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function sandbox(argv) {
  const flags = parseFlags(argv, flagSpec(SANDBOX_FLAGS));
  const port = flags.port === undefined ? 8080 : wholeNumber('port', flags.port, 0);
  if (port > 65535) throw new Usage('--port takes a port number');
  const { startSandbox } = await import('../sandbox/index.mjs');
  let s;
  try {
    s = await startSandbox({ port, host: flags.host || '127.0.0.1', faults: flags.faults });
  } catch (e) {
    if (e && e.code === 'EADDRINUSE') throw e;
    throw new Usage(typeof e === 'string' ? e : e.message);
  }
  listen(s, `sandbox listening on ${s.url} (vendors under /cam, /yunzhijia, /xuanxuan, /ytx)`);
  return undefined;
}

async function relay(argv) {
  const flags = parseFlags(
    argv,
    flagSpec(RELAY_FLAGS),
    "the vendors' WORKBRIDGE_* variables; --token-env names the variable holding the relay's own token",
  );
  if (!flags.allow)
    throw new Usage(
      'relay needs --allow with the operations pages may call, e.g. --allow meeting.create,cam.sendMessage (see workbridge relay --help)',
    );
  const { startRelay, parseSize, RelayConfigError } = await import('./relay.mjs');
  const list = (v) =>
    v
      ? String(v)
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : [];
  const port = flags.port === undefined ? 8787 : wholeNumber('port', flags.port, 0);
  if (port > 65535) throw new Usage('--port takes a port number');
  const options = {
    port,
    host: flags.host || '127.0.0.1',
    allow: list(flags.allow),
    origins: list(flags.origin),
    allowNoOrigin: Boolean(flags['allow-no-origin']),
  };
  try {
    if (flags['max-body'] !== undefined) options.maxBodyBytes = parseSize(flags['max-body']);
  } catch (e) {
    throw new Usage(e.message);
  }
  if (flags.rate !== undefined) options.rate = wholeNumber('rate', flags.rate, 1);
  if (flags['global-rate'] !== undefined) options.globalRate = wholeNumber('global-rate', flags['global-rate'], 1);
  if (flags['max-connections'] !== undefined)
    options.maxConnections = wholeNumber('max-connections', flags['max-connections'], 1);
  if (flags['trust-proxy'] !== undefined) {
    const hops = String(flags['trust-proxy']);
    options.trustProxy = /^\d+$/.test(hops) ? wholeNumber('trust-proxy', hops, 0) : list(hops);
  }
  if (flags['sign-on'] !== undefined) options.signOn = flags['sign-on'];
  if (flags['team-reads']) options.teamReads = true;
  if (flags['session-secret-env'] !== undefined) {
    const name = flags['session-secret-env'];
    if (!/^[A-Z][A-Z0-9_]{0,63}$/.test(name))
      throw new Usage(
        '--session-secret-env takes the NAME (UPPER_CASE) of an environment variable that holds the secret',
      );
    if (!process.env[name]) throw new Usage(`--session-secret-env: ${name} is not set or is empty`);
    options.sessionSecret = process.env[name];
  }
  if (flags['token-env'] !== undefined) {
    const name = flags['token-env'];
    // Something that is not a variable's name is never echoed: a token pasted here by mistake
    // must not land in a log. A name is echoed (never the variable's value).
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new Usage('--token-env takes the NAME of an environment variable that holds the token');
    // Named only when it looks like one (UPPER_CASE): a token pasted by mistake may fit [A-Za-z0-9_].
    if (!process.env[name])
      throw new Usage(
        /^[A-Z][A-Z0-9_]{0,63}$/.test(name)
          ? `--token-env: ${name} is not set or is empty`
          : '--token-env: the variable it names is not set or is empty (a name not in UPPER_CASE is not repeated, in case it is the token)',
      );
    options.token = process.env[name];
  }
  if (flags.authorize !== undefined) {
    let hook;
    try {
      hook = await import(pathToFileURL(resolve(flags.authorize)).href);
    } catch (e) {
      throw new Usage(`--authorize: cannot load ${flags.authorize}: ${e && e.message ? e.message.split('\n')[0] : e}`);
    }
    if (typeof hook.default !== 'function')
      throw new Usage(`--authorize: ${flags.authorize} has no default export function`);
    options.authorize = hook.default;
  }
  if (!options.origins.length && !options.allowNoOrigin) {
    throw new Usage(
      'relay needs --origin with the page origins allowed to call it (or --allow-no-origin for servers and scripts)',
    );
  }
  let r;
  try {
    r = await startRelay(options);
  } catch (e) {
    if (e instanceof RelayConfigError || e instanceof ProxyConfigError) throw new Usage(e.message);
    throw e;
  }
  const extras = [
    options.signOn && `sign-on ${options.signOn}`,
    options.token && 'bearer token',
    options.authorize && 'authorize hook',
    options.rate && `${options.rate}/min per ${options.signOn ? 'user' : 'address'}`,
    options.globalRate && `${options.globalRate}/min in all`,
  ].filter(Boolean);
  listen(
    r,
    `relay listening on ${r.url} (credentials for: ${r.vendors.join(', ') || 'none'}; allows: ${options.allow.join(',')}${extras.length ? `; ${extras.join(', ')}` : ''})`,
  );
  return undefined;
}

async function main(argv) {
  const [first, second, ...rest] = argv;
  if (first === undefined) {
    console.error(usage());
    return 2;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    console.log(usage());
    return 0;
  }
  if (first === '--version' || first === '-v') {
    console.log(VERSION);
    return 0;
  }
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  if (first === 'sandbox' || first === 'relay') {
    // Help starts nothing, whatever else is on the line.
    if (wantsHelp) {
      console.log(first === 'sandbox' ? SANDBOX_USAGE : RELAY_USAGE);
      return 0;
    }
    await (first === 'sandbox' ? sandbox : relay)(argv.slice(1));
    return undefined;
  }
  if (!CLASSES[first]) {
    if (first.startsWith('-')) parseFlags([first], () => undefined, 'see workbridge --help');
    throw new Usage(`unknown vendor ${JSON.stringify(first)}; vendors: ${Object.keys(CLASSES).join(', ')}`);
  }
  if (second === undefined || second === '--help' || second === '-h') {
    if (second === undefined) {
      console.error(vendorHelp(first));
      return 2;
    }
    console.log(vendorHelp(first));
    return 0;
  }
  if (wantsHelp && TABLES[first].some((o) => o.name === second)) {
    console.log(vendorHelp(first, second));
    return 0;
  }
  const pretty = rest.includes('--pretty');
  const result = await runOperation(first, second, rest);
  if (result && typeof result.help === 'string') {
    console.log(result.help);
    return 0;
  }
  console.log(JSON.stringify(result ?? null, null, pretty ? 2 : 0));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (e) => {
    if (e instanceof Usage) {
      console.error(`workbridge: ${e.message}`);
      process.exitCode = 2;
    } else if (e instanceof BatchFailed) {
      console.log(JSON.stringify(e.report));
      process.exitCode = 1;
    } else if (e instanceof api.WorkbridgeError) {
      const vendorSays = e.vendorMessage && !e.message.includes(e.vendorMessage) ? ` (${e.vendorMessage})` : '';
      console.error(`workbridge: ${e.code}${e.field ? ` (${e.field})` : ''}: ${e.message}${vendorSays}`);
      process.exitCode = e.code === 'INVALID_ARGUMENT' ? 2 : 1;
    } else {
      if (e && e.result !== undefined) console.log(JSON.stringify(e.result));
      console.error(`workbridge: ${e && e.message ? e.message : e}`);
      process.exitCode = 1;
    }
  },
);
