import sandbox from './index.cjs';
export const { createSandbox, sandboxFetch, startSandbox } = sandbox;
export default sandbox;
