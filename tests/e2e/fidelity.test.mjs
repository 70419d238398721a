// Fidelity: every documented sample request of the seeds (tests/fixtures/seed_samples.json), sent
// raw over HTTP to the installed `workbridge sandbox` (no client), each answer compared with the
// sample response's shape: members, JSON types, envelope. Signatures are computed here with
// node:crypto, independently of the package.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { installPackage, startSandboxBin } from './helpers.mjs';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/seed_samples.json', import.meta.url), 'utf8'));
const md5 = (s) => createHash('md5').update(s, 'utf8').digest('hex');
const creds = {
  'cam.apiToken': 'sandbox-token',
  'xuanxuan.code': 'sandbox',
  'xuanxuan.key': 'sandbox-key',
  'ytx.accountSID': 'sandbox-sid',
  'ytx.authToken': 'sandbox-token',
  'ytx.appid': 'sandbox-app',
};
let sandbox;

before(async () => {
  sandbox = await startSandboxBin(installPackage('fidelity'));
});
after(async () => {
  await sandbox?.stop();
});

const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Fills `{name}` from vars: a string that is one placeholder of a number becomes the number. */
function fill(value, vars) {
  if (typeof value === 'string') {
    const whole = /^\{([\w.]+)\}$/.exec(value);
    if (whole && typeof vars[whole[1]] === 'number') return vars[whole[1]];
    return value.replace(/\{([\w.]+)\}/g, (m, name) => {
      if (!(name in vars)) throw new Error(`no value for ${m}`);
      return String(vars[name]);
    });
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, vars));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)]));
  return value;
}

/** yyyyMMddHHmmss in Beijing time, as YTX's timestamp. */
function beijingStamp(ms) {
  return new Date(ms + 8 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function requestOf(sample, vars) {
  const r = sample.request;
  const v = { ...vars };
  if (r.ytxAuth) {
    const ts = beijingStamp(Date.now());
    v['ytx.sign'] = md5(`${creds['ytx.accountSID']}${creds['ytx.authToken']}${ts}`).toUpperCase();
    v['ytx.authorization'] = Buffer.from(`${creds['ytx.accountSID']}|${ts}`).toString('base64');
  }
  let path = fill(r.path, v);
  if (r.query !== undefined) {
    const q = fill(r.query, v);
    path += `?${q}${r.xuanxuanToken ? `&token=${md5(md5(q) + creds['xuanxuan.key'])}` : ''}`;
  }
  let body;
  if (r.json !== undefined) body = JSON.stringify(fill(r.json, v));
  else if (r.formJson !== undefined)
    body = Object.entries(fill(r.formJson, v))
      .map(([k, x]) => `${k}=${encodeURIComponent(JSON.stringify(x))}`)
      .join('&');
  else if (r.form !== undefined) body = fill(r.form, v);
  else if (r.raw !== undefined) body = fill(r.raw, v);
  return { method: r.method, path, headers: fill(r.headers ?? {}, v), body };
}

/** Differences between the sample's shape and the answer's, as "path: what" lines. */
function compare(sample, actual, path, spec, out) {
  const allowed = spec.types?.[path] ?? [typeOf(sample)];
  if (!allowed.includes(typeOf(actual))) {
    out.push(`${path || '(body)'}: ${typeOf(actual)} where the sample has ${allowed.join(' or ')}`);
    return;
  }
  if (typeOf(sample) === 'array' && typeOf(actual) === 'array' && sample.length > 0) {
    if (actual.length === 0) out.push(`${path}: empty, so its items cannot be compared with the sample's`);
    for (const item of actual) compare(sample[0], item, `${path}[]`, spec, out);
  } else if (typeOf(sample) === 'object' && typeOf(actual) === 'object') {
    if (spec.dynamicKeys?.includes(path)) {
      const proto = Object.values(sample)[0];
      for (const v of Object.values(actual)) compare(proto, v, `${path}.*`, spec, out);
      return;
    }
    const at = (k) => (path ? `${path}.${k}` : k);
    for (const k of Object.keys(sample)) {
      if (!(k in actual)) out.push(`${at(k)}: missing`);
      else compare(sample[k], actual[k], at(k), spec, out);
    }
    if (spec.match !== 'subset')
      for (const k of Object.keys(actual)) if (!(k in sample)) out.push(`${at(k)}: not in the sample`);
  }
}

const get = (v, path) => path.split('.').reduce((x, k) => (x == null ? undefined : x[k]), v);

test('the fixture transcribes every documented operation of the seeds and one error per vendor', () => {
  const ops = new Set(fixture.samples.filter((s) => !s.error).map((s) => s.operation.split(' (')[0]));
  // Every operation of the tables has a sample, and so have the two token endpoints: an
  // operation added to a table without one fails here.
  const tables = JSON.parse(readFileSync(new URL('../../pkg/operations.json', import.meta.url), 'utf8'));
  const want = Object.entries(tables).flatMap(([vendor, list]) => list.map((op) => `${vendor}.${op.name}`));
  want.push('yunzhijia.token.getAccessToken', 'yunzhijia.token.refreshToken');
  assert.deepEqual([...ops].sort(), want.sort());
  const errors = fixture.samples.filter((s) => s.error).map((s) => s.operation.split(' ')[0]);
  assert.deepEqual(errors.sort(), ['cam', 'xuanxuan', 'ytx', 'yunzhijia']);
});

test('every documented sample request is answered in the shape of its sample response', async () => {
  const vars = { ...creds, now: Date.now(), future: Date.now() + 86_400_000 };
  const report = [];
  for (const sample of fixture.samples) {
    const req = requestOf(sample, vars);
    const res = await fetch(sandbox.url + req.path, {
      method: req.method,
      headers: req.headers,
      body: req.method === 'GET' ? undefined : req.body,
    });
    const text = await res.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      report.push(`${sample.operation}: not JSON: ${text.slice(0, 80)}`);
      continue;
    }
    const out = [];
    compare(sample.response, body, '', sample, out);
    for (const p of sample.sameValues ?? [])
      if (get(body, p) !== get(sample.response, p))
        out.push(`${p}: ${JSON.stringify(get(body, p))}, the seed says ${JSON.stringify(get(sample.response, p))}`);
    if (sample.error) {
      const refused =
        body.errors?.length > 0 ||
        body.success === false ||
        body.result === 'fail' ||
        (body.statusCode && body.statusCode !== '0');
      if (!refused) out.push('not a refusal');
    } else if (res.status !== 200) out.push(`HTTP ${res.status}`);
    for (const line of out) report.push(`${sample.operation}: ${line}  [${text.slice(0, 120)}]`);
    for (const [name, path] of Object.entries(sample.save ?? {})) {
      vars[name] = get(body, path);
      if (vars[name] === undefined) report.push(`${sample.operation}: nothing at ${path} to save as ${name}`);
    }
  }
  assert.deepEqual(report, []);
});
