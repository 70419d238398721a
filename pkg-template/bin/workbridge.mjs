#!/usr/bin/env node
// workbridge: the sandbox server, the relay and every operation from a shell. Operations and their
// params come from the same tables as the JS API. Credentials only from the environment.
// Exit status: 0 success; 1 the call failed (a vendor refusal, CAM's `errors`, a non-2xx answer, a
// network failure, a batch not wholly delivered); 2 a usage error or INVALID_ARGUMENT.

import { readFileSync } from 'node:fs';
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
  values: ['port', 'host', 'allow', 'origin', 'max-body', 'token-env', 'authorize', 'rate'],
  booleans: ['help', 'allow-no-origin'],
};
const OPERATION_FLAGS = ['json', 'dry-run', 'pretty', 'help', 'verbose'];
// A call's limits, as the clients' options of the same names: a cron run need not wait the
// default 10 s per attempt. Whole numbers, checked again by the library.
const LIMIT_FLAGS = {
  'timeout-ms': ['timeoutMs', 1],
  'deadline-ms': ['deadlineMs', 1],
  'max-retries': ['maxRetries', 0],
};
const BATCH_FLAGS = ['file', 'chunk', 'from'];

function usage() {
  const width = Math.max(...Object.keys(ENV).map((v) => v.length));
  return [
    "usage: workbridge <vendor> <operation> [--<param> <value> ...] [--json '{...}' | --json -] [--dry-run] [--pretty] [--verbose]",
    '                  [--timeout-ms N] [--deadline-ms N] [--max-retries N]   (per attempt, the whole call, retries)',
    "       workbridge cam sendMessages --file messages.json [--chunk 500] [--from N]   (the seed's batch file)",
    '       workbridge sandbox [--port 8080] [--host 127.0.0.1] [--faults SPEC]',
    '       workbridge relay --allow OPS --origin ORIGINS [--allow-no-origin] [--token-env NAME] [--authorize ./hook.mjs] [--rate N] [--max-body 64k] [--port 8787]',
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
].join('\n');

const RELAY_USAGE = [
  'usage: workbridge relay --allow OPS --origin ORIGINS [options]',
  '',
  'Holds the credentials (the environment variables of workbridge --help) and answers',
  'POST /call/<operation> with the params as a JSON body, in the qing.call result shape.',
  '  --allow OPS          operations pages may call, comma-separated: meeting.create,cam.sendMessage,…',
  '  --origin ORIGINS     page origins allowed to call, comma-separated (* for any)',
  '  --allow-no-origin    also serve callers that send no Origin header (servers, scripts, curl)',
  '  --token-env NAME     require Authorization: Bearer <token>, the token being the value of $NAME (401 otherwise)',
  '  --authorize FILE     an ES module whose default export gets {operation, params, headers, ip}',
  '                       and returns true/false or a promise of it (403 when false)',
  '  --rate N             at most N calls per minute per client address (429 with Retry-After)',
  '  --max-body SIZE      the largest body, e.g. 65536, 64k, 1m (default 64k; 413 above it)',
  '  --port PORT          default 8787',
  '  --host HOST          default 127.0.0.1',
  'Every vendor --allow names needs its credentials in the environment; HTTPS_PROXY, HTTP_PROXY and',
  'NO_PROXY are honoured. Log lines name the caller, operation and outcome, never params or credentials.',
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
      lines.push('      --from <n> (optional)  resume at item n (the first notSent index of an earlier report)');
      lines.push(
        '      stdout: {"total", "delivered", "unknown", "notSent"} as inclusive [from, to] item ranges; progress on stderr',
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
    case 'string[]':
      return text.split(',').map((s) => s.trim());
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
function makeClient(vendor, verbose = false, limits = {}) {
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
    return new CLASSES[vendor]({
      ...options,
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
// array, items `{message, property: {users}}` or `{send, message}`; read as UTF-8.
function readBatchFile(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Usage(`--file: cannot read ${path}: ${e.code || e.message}`);
  }
  text = text
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/^messages\s*=\s*/, '');
  let items;
  try {
    items = JSON.parse(text);
  } catch {
    throw new Usage(`--file: ${path} is not a JSON array of messages`);
  }
  if (!Array.isArray(items)) throw new Usage(`--file: ${path} is not a JSON array of messages`);
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

// Whether a failed request may have taken effect. Only an answer that refused it (a 4xx, a
// vendor refusal) or a request that provably never left means "not sent"; a dropped connection,
// a timeout or a 5xx may have arrived.
function mayHaveArrived(e) {
  if (!(e instanceof api.WorkbridgeError)) return true;
  if (typeof e.status === 'number' && e.status >= 500) return true;
  if (['INVALID_ARGUMENT', 'AUTH_FAILED', 'VENDOR_ERROR'].includes(e.code)) return false;
  if (e.code === 'HTTP_ERROR' && typeof e.status === 'number') return false;
  if (e.code === 'NETWORK_ERROR' && e.retryable === true) return false;
  return true;
}

function addRange(list, from, to) {
  const last = list[list.length - 1];
  if (last && last[1] + 1 === from) last[1] = to;
  else list.push([from, to]);
}

class BatchFailed extends Error {}

// A large batch goes in chunks, progress on stderr. The first chunk that fails stops the run, so
// the report's first notSent index is where `--from` resumes without sending anything twice.
async function sendBatch(client, items, chunk, from) {
  // Every item is checked before the first chunk goes, so a bad item sends nothing.
  for (let start = from; start < items.length; start += chunk) {
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
  const report = { total: items.length, delivered: [], unknown: [], notSent: [] };
  if (from > 0) report.from = from;
  const progress = (line) => process.stderr.write(`workbridge: ${line}\n`);
  for (let start = from; start < items.length; start += chunk) {
    const end = Math.min(start + chunk, items.length) - 1;
    let res;
    try {
      res = await client.sendMessages(items.slice(start, end + 1));
    } catch (e) {
      const list = mayHaveArrived(e) ? report.unknown : report.notSent;
      addRange(list, start, end);
      report.error = {
        items: [start, end],
        code: e.code || 'ERROR',
        message: e.message || String(e),
        ...(e.status !== undefined ? { status: e.status } : {}),
      };
      if (list === report.notSent && (e.vendorMessage !== undefined || typeof e.status === 'number')) {
        report.refused = [{ items: [start, end], errors: [e.vendorMessage ?? e.message] }];
      }
      progress(`items ${start}-${end}: ${e.code || 'ERROR'}: ${e.message}`);
    }
    const errors = res && camErrors(res);
    if (errors) {
      addRange(report.notSent, start, end);
      report.refused = [{ items: [start, end], errors }];
      progress(`items ${start}-${end} refused by the server: ${errors.join('; ')}`);
    } else if (res) {
      addRange(report.delivered, start, end);
      progress(`delivered ${end + 1 - from}/${items.length - from} (items ${start}-${end})`);
      continue;
    }
    if (end + 1 < items.length) addRange(report.notSent, end + 1, items.length - 1);
    const n = (l) => l.reduce((s, [a, b]) => s + b - a + 1, 0);
    const resume = report.notSent.length ? `; resume with --from ${report.notSent[0][0]}` : '';
    progress(
      `${n(report.delivered)} delivered, ${n(report.unknown)} may have arrived (check before resending), ${n(report.notSent)} not sent${resume}`,
    );
    throw Object.assign(new BatchFailed('the batch was not wholly delivered'), { report });
  }
  return report;
}

async function runOperation(vendor, opName, argv) {
  const op = TABLES[vendor].find((o) => o.name === opName);
  if (!op) {
    const hint = TABLES[vendor].find((o) => o.name.toLowerCase() === String(opName).toLowerCase());
    throw new Usage(
      `${vendor} has no operation ${JSON.stringify(opName)}${hint ? `; did you mean ${hint.name}?` : ''}; see workbridge ${vendor} --help`,
    );
  }
  const batch = vendor === 'cam' && op.name === 'sendMessages';
  const params = op.params.map((p) => p.name);
  const known = (name) =>
    ['dry-run', 'pretty', 'help', 'verbose'].includes(name)
      ? 'boolean'
      : name === 'json' || params.includes(name) || name in LIMIT_FLAGS || (batch && BATCH_FLAGS.includes(name))
        ? 'value'
        : undefined;
  const flags = parseFlags(argv, (name) => known(name), ENV[vendor].join(', '));
  if (flags.help) return { help: vendorHelp(vendor, op.name) };
  const limits = limitOptions(flags);
  if (flags.file !== undefined) {
    const chunk = flags.chunk === undefined ? 500 : wholeNumber('chunk', flags.chunk, 1);
    const items = readBatchFile(flags.file);
    const from = flags.from === undefined ? 0 : wholeNumber('from', flags.from, 0);
    if (from > items.length) throw new Usage(`--from ${from} is past the last item (${items.length - 1})`);
    const client = makeClient(vendor, flags.verbose, limits);
    return flags['dry-run']
      ? client.dryRun('sendMessages', items.slice(from, from + chunk))
      : sendBatch(client, items, chunk, from);
  }
  if (flags.chunk !== undefined || flags.from !== undefined) throw new Usage('--chunk and --from go with --file');
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
    if (OPERATION_FLAGS.includes(name) || name in LIMIT_FLAGS) continue;
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
  const client = makeClient(vendor, flags.verbose, limits);
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
    options.token && 'bearer token',
    options.authorize && 'authorize hook',
    options.rate && `${options.rate}/min per address`,
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
