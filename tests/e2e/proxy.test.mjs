// HTTPS_PROXY, HTTP_PROXY and NO_PROXY in the installed CLI and relay, against a small forward
// proxy written here that records what it saw: http:// targets in absolute form, https:// targets
// through CONNECT (to a TLS front of the sandbox with a certificate made for the test), Basic
// proxy credentials, NO_PROXY bypass, a proxy that refuses, a malformed proxy variable.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createServer, request } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { connect } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installPackage, runBin, startSandboxBin } from './helpers.mjs';

let work;
let sandbox;
let proxy;
let tlsFront;
let certFile;

/** A forward proxy: absolute-form requests are forwarded, CONNECT is tunnelled; `refuse` answers 407. */
function startProxy() {
  const seen = [];
  const state = { seen, refuse: false };
  const server = createServer((req, res) => {
    seen.push({ method: req.method, target: req.url, auth: req.headers['proxy-authorization'] ?? null });
    if (state.refuse) return res.writeHead(407, { 'Proxy-Authenticate': 'Basic' }).end();
    const url = new URL(req.url);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const up = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  // Tunnels leave the HTTP server's books (closeAllConnections does not see them): track them.
  const tunnels = new Set();
  server.on('connect', (req, socket, head) => {
    tunnels.add(socket);
    socket.on('close', () => tunnels.delete(socket));
    seen.push({ method: 'CONNECT', target: req.url, auth: req.headers['proxy-authorization'] ?? null });
    if (state.refuse)
      return socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n');
    const [host, port] = req.url.split(':');
    const up = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () => {
      state.url = `http://127.0.0.1:${server.address().port}`;
      state.close = () =>
        new Promise((c) => {
          for (const t of tunnels) t.destroy();
          server.closeAllConnections();
          server.close(c);
        });
      r(state);
    }),
  );
}

before(async () => {
  work = installPackage('proxy');
  sandbox = await startSandboxBin(work);
  proxy = await startProxy();
  // A TLS front for the sandbox, with a certificate for localhost made here and trusted through
  // NODE_EXTRA_CA_CERTS, so https:// targets go through CONNECT with the certificate checked.
  const dir = mkdtempSync(join(tmpdir(), 'wb-proxy-'));
  certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  const backend = new URL(sandbox.url);
  tlsFront = createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(certFile) }, (req, res) => {
    const up = request(
      { host: backend.hostname, port: backend.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(up);
  });
  await new Promise((r) => tlsFront.listen(0, '127.0.0.1', r));
});
after(async () => {
  await proxy?.close();
  tlsFront?.closeAllConnections();
  await new Promise((r) => (tlsFront ? tlsFront.close(r) : r()));
  await sandbox?.stop();
});

const camEnv = (serverURL, extra = {}) => ({
  WORKBRIDGE_CAM_API_TOKEN: 'sandbox-token',
  WORKBRIDGE_CAM_SERVER_URL: serverURL,
  ...extra,
});
// The test's own environment may carry a proxy: every case sets all six variables itself.
const NO_PROXY_VARS = { HTTPS_PROXY: '', https_proxy: '', HTTP_PROXY: '', http_proxy: '', NO_PROXY: '', no_proxy: '' };

async function cli(args, env) {
  const { code, stdout: out, stderr: err } = await runBin(work, args, { ...NO_PROXY_VARS, ...env });
  return { code, out, err };
}

// The relay takes only JSON bodies (415 otherwise).
const JSON_BODY = { 'Content-Type': 'application/json' };

/** The installed relay, serving cam.getConferenceRooms; resolves with {url, stop()}. */
async function startRelay(env) {
  const child = spawn(
    join(work, 'node_modules/.bin/workbridge'),
    ['relay', '--port', '0', '--allow', 'cam.getConferenceRooms', '--allow-no-origin'],
    { env: { ...process.env, ...NO_PROXY_VARS, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`relay exited ${code}`)));
  });
  const stop = () =>
    new Promise((r) => {
      child.once('exit', r);
      child.kill();
    });
  return { url, stop };
}

test('HTTP_PROXY: the CLI sends http:// calls through the proxy in absolute form, with its Basic credentials', async () => {
  proxy.seen.length = 0;
  const proxyURL = proxy.url.replace('http://', 'http://ops:pr0xy-pass@');
  const run = await cli(['cam', 'getConferenceRooms'], camEnv(`${sandbox.url}/cam`, { HTTP_PROXY: proxyURL }));
  assert.equal(run.code, 0, run.err);
  assert.ok(Array.isArray(JSON.parse(run.out).conferenceRooms));
  assert.deepEqual(proxy.seen, [
    {
      method: 'GET',
      target: `${sandbox.url}/cam/getConferenceRooms`,
      auth: `Basic ${Buffer.from('ops:pr0xy-pass').toString('base64')}`,
    },
  ]);
  assert.ok(!run.out.includes('pr0xy-pass') && !run.err.includes('pr0xy-pass'));
});

test('HTTPS_PROXY: https:// calls go through a CONNECT tunnel, the target certificate checked', async () => {
  proxy.seen.length = 0;
  const target = `https://localhost:${tlsFront.address().port}/cam`;
  const run = await cli(
    ['cam', 'sendMessage', '--panelName', 'messenger', '--message', 'through the tunnel', '--users', 'a@x.com'],
    camEnv(target, { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: certFile }),
  );
  assert.equal(run.code, 0, run.err);
  assert.match(JSON.parse(run.out).messageId, /.+/);
  assert.deepEqual(proxy.seen, [{ method: 'CONNECT', target: `localhost:${tlsFront.address().port}`, auth: null }]);
  const sent = await (await fetch(`${sandbox.url}/cam/_sandbox/messages`)).json();
  assert.equal(sent.messages.at(-1).message, 'through the tunnel');

  // Without the test's CA the certificate is refused: a network failure, exit 1, nothing sent.
  const before = sent.messages.length;
  const untrusted = await cli(
    ['cam', 'sendMessage', '--panelName', 'messenger', '--message', 'must not arrive', '--users', 'a@x.com'],
    camEnv(target, { HTTPS_PROXY: proxy.url }),
  );
  assert.equal(untrusted.code, 1);
  assert.match(untrusted.err, /NETWORK_ERROR/);
  assert.equal((await (await fetch(`${sandbox.url}/cam/_sandbox/messages`)).json()).messages.length, before);
});

test('NO_PROXY: listed hosts go direct and the proxy sees nothing', async () => {
  proxy.seen.length = 0;
  for (const noProxy of ['127.0.0.1', 'example.com,127.0.0.1', '*', `127.0.0.1:${new URL(sandbox.url).port}`]) {
    const run = await cli(
      ['cam', 'getConferenceRooms'],
      camEnv(`${sandbox.url}/cam`, { HTTP_PROXY: proxy.url, NO_PROXY: noProxy }),
    );
    assert.equal(run.code, 0, `${noProxy}: ${run.err}`);
  }
  assert.deepEqual(proxy.seen, []);
  const otherPort = await cli(
    ['cam', 'getConferenceRooms'],
    camEnv(`${sandbox.url}/cam`, { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1:1' }),
  );
  assert.equal(otherPort.code, 0, otherPort.err);
  assert.equal(proxy.seen.length, 1, 'a NO_PROXY entry for another port does not match');
});

test('a proxy that refuses fails the call (exit 1) naming the proxy but not its password; a malformed proxy variable is exit 2, not echoed', async () => {
  proxy.refuse = true;
  try {
    const proxyURL = proxy.url.replace('http://', 'http://ops:pr0xy-pass@');
    const https = await cli(
      ['cam', 'getConferenceRooms'],
      camEnv(`https://localhost:${tlsFront.address().port}/cam`, {
        HTTPS_PROXY: proxyURL,
        NODE_EXTRA_CA_CERTS: certFile,
      }),
    );
    assert.equal(https.code, 1);
    assert.match(https.err, /refused the tunnel .*HTTP 407/);
    assert.ok(https.err.includes(new URL(proxy.url).host));
    assert.ok(
      !https.err.includes('pr0xy-pass') && !https.err.includes(Buffer.from('ops:pr0xy-pass').toString('base64')),
    );
    const http = await cli(['cam', 'getConferenceRooms'], camEnv(`${sandbox.url}/cam`, { HTTP_PROXY: proxyURL }));
    assert.equal(http.code, 1, http.out);
  } finally {
    proxy.refuse = false;
  }
  const malformed = await cli(
    ['cam', 'getConferenceRooms'],
    camEnv(`${sandbox.url}/cam`, { HTTPS_PROXY: 'socks5://u:s3cret-proxy@host:1080' }),
  );
  assert.equal(malformed.code, 2);
  assert.match(malformed.err, /HTTPS_PROXY must be a proxy URL/);
  assert.ok(!malformed.err.includes('s3cret-proxy'));
});

test('the relay goes through the proxy too', async () => {
  proxy.seen.length = 0;
  const relay = await startRelay(camEnv(`${sandbox.url}/cam`, { HTTP_PROXY: proxy.url }));
  try {
    const url = relay.url;
    const res = await fetch(`${url}/call/cam.getConferenceRooms`, { method: 'POST', headers: JSON_BODY, body: '{}' });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).success, 'true');
    assert.deepEqual(
      proxy.seen.map((s) => [s.method, s.target]),
      [['GET', `${sandbox.url}/cam/getConferenceRooms`]],
    );
  } finally {
    await relay.stop();
  }
});

// A proxy (or the error page of one) that quotes the request back: its own Basic credentials
// must come out masked, on stderr and in what the relay hands a page, as a vendor token does.
test('a proxy that echoes its Proxy-Authorization back leaks no proxy credential, in any form', async () => {
  const echo = createServer((req, res) => {
    const status = req.url.includes('/ok/') ? 200 : 500;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [`you sent ${JSON.stringify(req.headers)} ${req.url}`] }));
  });
  await new Promise((r) => echo.listen(0, '127.0.0.1', r));
  const proxyURL = `http://ops:pr0xy-pass@127.0.0.1:${echo.address().port}`;
  const basic = Buffer.from('ops:pr0xy-pass').toString('base64');
  const leaks = (text) => ['pr0xy-pass', basic, encodeURIComponent('pr0xy-pass')].filter((f) => text.includes(f));
  try {
    for (const path of ['fail', 'ok']) {
      const run = await cli(
        ['cam', 'getConferenceRooms'],
        camEnv(`http://vendor.example/${path}/cam`, { HTTP_PROXY: proxyURL }),
      );
      assert.equal(run.code, 1, run.out + run.err);
      assert.match(run.out + run.err, /you sent/, 'the echo is printed');
      assert.deepEqual(leaks(run.out + run.err), [], `${path}: ${run.out}${run.err}`);
    }
    const relay = await startRelay(camEnv('http://vendor.example/ok/cam', { HTTP_PROXY: proxyURL }));
    try {
      const url = relay.url;
      const text = await (
        await fetch(`${url}/call/cam.getConferenceRooms`, { method: 'POST', headers: JSON_BODY, body: '{}' })
      ).text();
      assert.match(text, /you sent/);
      assert.deepEqual(leaks(text), [], text);
    } finally {
      await relay.stop();
    }
  } finally {
    echo.close();
  }
});
