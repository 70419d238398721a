'use strict';
// workbridge/store: a store for one machine, in one JSON file, for the processes of one machine
// (a cron job that starts a process a minute, a few workers): a Yunzhijia token, shared limits,
// roomBook.sync's cursor and lease. It implements the one store interface of the package:
//   get(key), set(key, value, ttlMs), lock(key, ttlMs), incr(key, ttlMs).
// Every change is made under a lock file taken with O_EXCL (a holder that died, or that held it
// longer than `staleMs`, is overtaken), then written to a temporary file and renamed over the
// old one, so a reader sees the old file or the new one, never half of one. The files are mode
// 0600: the token in them is a credential. Node only.

const fs = require('node:fs/promises');
const { dirname } = require('node:path');
const { randomUUID } = require('node:crypto');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function fail(path, why) {
  return new Error(`workbridge/store: ${path}: ${why}`);
}

/**
 * A store kept in the JSON file `path` (created, mode 0600, with its directory, mode 0700).
 * `staleMs` (default 10 s): a lock file older than this is taken over, as is one whose process
 * has died; `waitMs` (default 5 s): the longest a change waits for the lock file.
 */
function fileStore(path, options = {}) {
  if (typeof path !== 'string' || path === '') throw new TypeError('fileStore(path): `path` must be a file path');
  const staleMs = options.staleMs ?? 10_000;
  const waitMs = options.waitMs ?? 5_000;
  if (!Number.isFinite(staleMs) || staleMs <= 0) throw new TypeError('fileStore: `staleMs` must be a positive number');
  if (!Number.isFinite(waitMs) || waitMs <= 0) throw new TypeError('fileStore: `waitMs` must be a positive number');
  const lockPath = `${path}.lock`;
  let madeDir = false;

  async function read() {
    let text;
    try {
      text = await fs.readFile(path, 'utf8');
    } catch (e) {
      if (e.code === 'ENOENT') return { data: {}, locks: {} };
      throw fail(path, `cannot read it (${e.code || e.message})`);
    }
    try {
      const parsed = JSON.parse(text);
      if (parsed && typeof parsed === 'object')
        return {
          data: parsed.data && typeof parsed.data === 'object' ? parsed.data : {},
          locks: parsed.locks && typeof parsed.locks === 'object' ? parsed.locks : {},
        };
    } catch (_) {
      /* a file that is not this store's: started afresh below, as an empty store */
    }
    return { data: {}, locks: {} };
  }

  async function write(state) {
    const t = Date.now();
    for (const table of [state.data, state.locks])
      for (const k of Object.keys(table)) if (!(table[k] && table[k].e > t)) delete table[k];
    const tmp = `${path}.${process.pid}.${randomUUID()}.tmp`;
    try {
      await fs.writeFile(tmp, JSON.stringify(state), { mode: 0o600 });
      await fs.rename(tmp, path);
    } catch (e) {
      await fs.rm(tmp, { force: true }).catch(() => {});
      throw fail(path, `cannot write it (${e.code || e.message})`);
    }
  }

  // The lock file's text if its holder is gone (its process has died, or it is older than
  // staleMs); undefined while it is held, or when it is already gone.
  async function staleText() {
    try {
      const [text, info] = await Promise.all([fs.readFile(lockPath, 'utf8'), fs.stat(lockPath)]);
      if (Date.now() - info.mtimeMs > staleMs) return text;
      const pid = Number(text.split(' ')[0]);
      if (text !== '' && Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid) {
        try {
          process.kill(pid, 0);
        } catch (e) {
          if (e.code === 'ESRCH') return text;
        }
      }
      return undefined;
    } catch (e) {
      return undefined;
    }
  }

  // Takes a stale lock file away: renamed aside, then checked to be the one judged stale. One
  // taken by another process in between is put back (link fails rather than overwrite).
  async function takeOver(text) {
    const away = `${lockPath}.${randomUUID()}.stale`;
    try {
      await fs.rename(lockPath, away);
    } catch (_) {
      return;
    }
    try {
      if ((await fs.readFile(away, 'utf8')) !== text) await fs.link(away, lockPath).catch(() => {});
    } finally {
      await fs.rm(away, { force: true }).catch(() => {});
    }
  }

  // The changes of this process one after another (they would only contend for the lock file),
  // each under the lock file against the other processes.
  let chain = Promise.resolve();
  function locked(change) {
    const run = chain.then(() => lockedFile(change));
    chain = run.catch(() => {});
    return run;
  }

  // Runs `change(state)` under the lock file, then writes the state if it says so.
  async function lockedFile(change) {
    if (!madeDir) {
      await fs.mkdir(dirname(path), { recursive: true, mode: 0o700 });
      madeDir = true;
    }
    const until = Date.now() + waitMs;
    const mine = `${process.pid} ${randomUUID()}`;
    for (let round = 0; ; round++) {
      try {
        const handle = await fs.open(lockPath, 'wx', 0o600);
        try {
          await handle.writeFile(mine);
        } finally {
          await handle.close();
        }
        break;
      } catch (e) {
        if (e.code !== 'EEXIST') throw fail(lockPath, `cannot create the lock file (${e.code || e.message})`);
      }
      const stale = await staleText();
      if (stale !== undefined) {
        await takeOver(stale);
        continue;
      }
      if (Date.now() > until) throw fail(lockPath, `the lock file stayed taken for ${waitMs} ms`);
      await sleep(2 + Math.random() * Math.min(20, 2 * round));
    }
    try {
      const state = await read();
      const { result, dirty } = change(state, Date.now());
      if (dirty) await write(state);
      return result;
    } finally {
      // Removed only if still ours (a holder that was overtaken must not remove the next one's).
      try {
        if ((await fs.readFile(lockPath, 'utf8')) === mine) await fs.rm(lockPath, { force: true });
      } catch (_) {
        /* already gone */
      }
    }
  }

  const ttl = (ttlMs, what) => {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw fail(path, `${what}: ttlMs must be a positive number`);
    return ttlMs;
  };
  const live = (entry, t) => entry && typeof entry === 'object' && entry.e > t;

  return {
    path,
    async get(key) {
      const { data } = await read();
      const entry = data[String(key)];
      return live(entry, Date.now()) ? entry.v : null;
    },
    async set(key, value, ttlMs) {
      const ms = ttl(ttlMs, 'set');
      await locked((state, t) => {
        state.data[String(key)] = { v: String(value), e: t + ms };
        return { dirty: true };
      });
    },
    async incr(key, ttlMs) {
      const ms = ttl(ttlMs, 'incr');
      return locked((state, t) => {
        const entry = state.data[String(key)];
        const n = live(entry, t) && Number.isFinite(Number(entry.v)) ? Number(entry.v) + 1 : 1;
        state.data[String(key)] = { v: String(n), e: live(entry, t) ? entry.e : t + ms };
        return { result: n, dirty: true };
      });
    },
    async lock(key, ttlMs) {
      const ms = ttl(ttlMs, 'lock');
      const id = randomUUID();
      const held = await locked((state, t) => {
        if (live(state.locks[String(key)], t)) return { result: false, dirty: false };
        state.locks[String(key)] = { v: id, e: t + ms };
        return { result: true, dirty: true };
      });
      if (!held) return null;
      return () =>
        locked((state) => {
          const entry = state.locks[String(key)];
          if (!entry || entry.v !== id) return { dirty: false };
          delete state.locks[String(key)];
          return { dirty: true };
        });
    },
  };
}

module.exports = { fileStore };
