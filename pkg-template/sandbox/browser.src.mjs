// workbridge/sandbox in a browser: the vendor emulator in the page, for demos and tests with no
// server. `sandboxFetch()` is a fetch to give a client; state lives as long as the page.
import init, { Sandbox } from './web/workbridge_sandbox.js';

await init();
/*ADAPTER*/
export const { createSandbox, sandboxFetch } = makeSandboxApi(Sandbox);
