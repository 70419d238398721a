// workbridge/sandbox: a local emulator of all four vendors (Node).

export interface SandboxConfig {
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
}

export interface Sandbox {
  handle(method: string, target: string, headers?: Record<string, string>, body?: string, now?: number): SandboxReply;
}

export function createSandbox(config?: SandboxConfig): Sandbox;
/** A fetch answered in-process by `sandbox`: pass it as a client's `fetch` option. */
export function sandboxFetch(sandbox?: Sandbox): (input: string, init?: RequestInit) => Promise<Response>;
export function startSandbox(options?: {
  port?: number;
  host?: string;
  config?: SandboxConfig;
  log?: ((line: string) => void) | null;
}): Promise<{ url: string; port: number; close(): Promise<void> }>;
