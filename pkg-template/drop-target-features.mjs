// Copies a wasm module without its `target_features` custom section, for the build without
// reference types (make build's JavaScript fallback). Rust's prebuilt standard library marks
// every module `+reference-types`, even one compiled with `-reference-types`; wasm-bindgen
// reads that mark and expects an externref table the code does not have. With no mark it
// emits its heap-based glue and no externref table, which wasm2js (one table at most) can take.
//
//   node drop-target-features.mjs in.wasm out.wasm

import { readFileSync, writeFileSync } from 'node:fs';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node drop-target-features.mjs in.wasm out.wasm');
  process.exit(2);
}
const bytes = readFileSync(input);
if (bytes.readUInt32LE(0) !== 0x6d736100) {
  console.error(`${input}: not a wasm module`);
  process.exit(1);
}
let at = 8;
const leb = () => {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    if (b === undefined) throw new Error(`${input}: truncated section header`);
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return value;
  }
};
const kept = [bytes.subarray(0, 8)];
while (at < bytes.length) {
  const start = at;
  const id = bytes[at++];
  const size = leb();
  const body = at;
  const end = body + size;
  if (end > bytes.length) throw new Error(`${input}: section ${id} runs past the end`);
  if (id === 0) {
    at = body;
    const nameLength = leb();
    const name = bytes.subarray(at, at + nameLength).toString('utf8');
    if (name === 'target_features') {
      at = end;
      continue;
    }
  }
  at = end;
  kept.push(bytes.subarray(start, end));
}
writeFileSync(output, Buffer.concat(kept));
