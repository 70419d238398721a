// workbridge/store: a file-backed store for the processes of one machine (Node only).
import type { Store } from './index.js';

export interface FileStoreOptions {
  /** A lock file older than this (ms) is taken over, as is one whose process has died. Default 10000. */
  staleMs?: number;
  /** The longest a change waits for the lock file (ms) before it fails. Default 5000. */
  waitMs?: number;
}

/** The store interface over one JSON file (mode 0600, its directory created 0700). */
export interface FileStore extends Required<Store> {
  readonly path: string;
}

/**
 * A store kept in the JSON file `path`, safe for several processes of one machine: changes are
 * made under a lock file (O_EXCL) and written by rename, so a reader never sees half a file.
 */
export function fileStore(path: string, options?: FileStoreOptions): FileStore;
