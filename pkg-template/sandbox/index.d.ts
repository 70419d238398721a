// workbridge/sandbox: a local emulator of all four vendors (Node).

import type { FetchFunction } from '../index.js';

export interface SandboxConfig {
  /**
   * Fault rules `<scope>:<fault>[@rate|xN]`, comma-separated: scope `*`, a vendor or
   * `vendor.operation`; fault `latency=<ms>`, `429[=<retry-after s>]`, `500`/`502`/`503`/`504`,
   * `drop`, `drop-after`, `malformed`. E.g. `'cam.sendMessage:503x2,*:latency=50@0.2'`.
   */
  faults?: string;
  cam?: { apiToken?: string };
  xuanxuan?: { code?: string; key?: string };
  ytx?: { accountSID?: string; authToken?: string; appid?: string };
}

export interface SandboxReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** One line describing the request, credentials masked. */
  log: string;
  /** An injected delay, in ms. */
  delayMs: number;
  /** An injected dropped connection, before or after the request took effect. */
  drop: '' | 'before' | 'after';
}

export interface Sandbox {
  handle(method: string, target: string, headers?: Record<string, string>, body?: string, now?: number): SandboxReply;
  setFaults(spec: string): void;
}

export function createSandbox(config?: SandboxConfig): Sandbox;
/** A fetch answered in-process by `sandbox`: pass it as a client's `fetch` option. */
export function sandboxFetch(sandbox?: Sandbox): FetchFunction;
export function startSandbox(options?: {
  port?: number;
  host?: string;
  config?: SandboxConfig;
  faults?: string;
  log?: ((line: string) => void) | null;
}): Promise<{ url: string; port: number; setFaults(spec: string): void; close(): Promise<void> }>;
