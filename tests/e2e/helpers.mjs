// Shared set-up for the end-to-end tests: pack pkg/ with npm, install the tarball into a fresh
// project, and start the installed `workbridge sandbox` on a free loopback port.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Debian's Chromium, headless, with nothing that reaches the network on its own. */
export function launchChromium() {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
  return chromium.launch({ executablePath: '/usr/bin/chromium', args });
}

/** Packs pkg/ and installs the tarball into tests/e2e/.work/<name>; returns the project dir. */
export function installPackage(name) {
  const work = join(root, 'tests', 'e2e', '.work', name);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const quiet = { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] };
  execFileSync('npm', ['pack', join(root, 'pkg'), '--pack-destination', work, '--silent'], quiet);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: `e2e-${name}`, private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', `./${tarball}`], quiet);
  // An ES module inside the project, so `import 'workbridge'` resolves as a user's would.
  writeFileSync(join(work, 'esm.mjs'), "export * from 'workbridge';\nexport { default } from 'workbridge';\n");
  writeFileSync(join(work, 'sandbox.mjs'), "export * from 'workbridge/sandbox';\n");
  return work;
}

/** The package (or one of its entries, e.g. `workbridge/cam`) through `import` and `require`. */
export async function loadBoth(work, entry = 'workbridge') {
  let esm;
  if (entry === 'workbridge') {
    esm = await import(pathToFileURL(join(work, 'esm.mjs')).href);
  } else {
    const file = join(work, `esm-${entry.replace(/\W/g, '-')}.mjs`);
    writeFileSync(file, `export * from '${entry}';\nexport { default } from '${entry}';\n`);
    esm = await import(pathToFileURL(file).href);
  }
  const cjs = createRequire(join(work, 'package.json'))(entry);
  return { esm, cjs };
}

/** Starts the installed bin's sandbox on port 0; resolves with {url, lines, stop()}. */
export function startSandboxBin(work, env = {}) {
  const bin = join(work, 'node_modules', '.bin', 'workbridge');
  const child = spawn(bin, ['sandbox', '--port', '0'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sandbox did not start')), 10_000);
    child.stderr.on('data', (d) => lines.push(String(d)));
    child.stdout.on('data', (d) => {
      for (const line of String(d).split('\n').filter(Boolean)) {
        lines.push(line);
        const m = /listening on (http:\/\/[\d.:]+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve({
            url: m[1],
            lines,
            stop: () =>
              new Promise((r) => {
                child.once('exit', r);
                child.kill('SIGTERM');
              }),
          });
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited ${code}: ${lines.join('')}`)));
  });
}

/** The installed `workbridge relay` on a free port; resolves with {url, out() (everything it printed), stop()}. */
export function startRelayBin(work, args, env = {}) {
  const child = spawn(join(work, 'node_modules', '.bin', 'workbridge'), ['relay', '--port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start: ${out}`)), 10_000);
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          out: () => out,
          stop: () =>
            new Promise((r) => {
              child.once('exit', r);
              child.kill();
            }),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited ${code}: ${out}`));
    });
  });
}

/** Runs the installed bin; resolves with {code, stdout, stderr}. */
export function runBin(work, args, env = {}) {
  const bin = join(work, 'node_modules', '.bin', 'workbridge');
  return new Promise((resolve) => {
    const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fetch that counts calls before passing them on: proves "nothing was sent". */
export function countingFetch() {
  const f = (...args) => {
    f.calls += 1;
    return fetch(...args);
  };
  f.calls = 0;
  return f;
}

/** A free loopback port (asked of the OS, then released for the caller to take). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts Debian's redis-server (installed by `make test`) on a free loopback port, in memory
 * only; resolves with {url, stop()}.
 */
export async function startRedis() {
  const bin = '/usr/bin/redis-server';
  if (!existsSync(bin)) throw new Error(`${bin} is missing: \`make test\` installs it (apt-get install redis-server)`);
  const port = await freePort();
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve({
          url: `redis://127.0.0.1:${port}`,
          stop: () =>
            new Promise((r) => {
              child.once('exit', r);
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited ${code}: ${out}`));
    });
  });
}

/**
 * Makes the repository's dev dependency `redis` (node-redis) importable from the test project
 * `work`, as a user's own dependency would be: the package itself depends on nothing.
 */
export function linkRedisClient(work) {
  for (const name of ['redis', '@redis']) {
    const to = join(work, 'node_modules', name);
    if (!existsSync(to)) symlinkSync(join(root, 'node_modules', name), to);
  }
}
