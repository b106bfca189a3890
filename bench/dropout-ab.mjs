// A/B of the dropout kernels of two builds: `node bench/dropout-ab.mjs A.wasm B.wasm`, e.g. the SIMD
// build of a branch (build/regwasm.simd.wasm after `npm run build`) against a copy of the previous one.
// Both instantiate on one WebAssembly.Memory and run on the same buffers, called alternately round by
// round with the read+write SIMD pass (the limit), so load from other work hits every row alike.
// Prints ns per element: median [10th–90th percentile] over rounds.
//   --sizes 1e5,1.6e7   --rate 0.1   --rounds 41 (15 from 1e6 on)
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { compileReadPass, instantiateReadPass } from "./read-pass.mjs";

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    sizes: { type: "string", default: "1e5,1.6e7" },
    rate: { type: "string", default: "0.1" },
    rounds: { type: "string" },
  },
});
if (positionals.length !== 2)
  throw new TypeError("usage: node bench/dropout-ab.mjs A.wasm B.wasm [--sizes 1e5,1.6e7] [--rate 0.1]");
const sizes = flags.sizes.split(",").map(Number);
const rate = Number(flags.rate);
const maxN = Math.max(...sizes);
const memory = new WebAssembly.Memory({ initial: Math.ceil((maxN * 8 + maxN / 8) / 65536) + 64 });
const load = async (file) => (await WebAssembly.instantiate(readFileSync(file), { env: { memory } })).instance.exports;
const [A, B] = await Promise.all(positionals.map(load));
const { readWritePass } = await instantiateReadPass(await compileReadPass(), memory);
// past both builds' static data, 64-byte aligned
const xPtr = (Math.max(A.heapBase(), B.heapBase()) + 63) & ~63;
const outPtr = xPtr + maxN * 4,
  maskPtr = outPtr + maxN * 4;
const x = new Float32Array(memory.buffer, xPtr, maxN);
for (let i = 0; i < maxN; i++) x[i] = Math.sin(i) * 2;

const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))];
for (const n of sizes) {
  let stream = 0;
  const tasks = {
    "A forward, mask": () => A.dropout(outPtr, maskPtr, xPtr, n, rate, 42, 0, stream++, 0),
    "B forward, mask": () => B.dropout(outPtr, maskPtr, xPtr, n, rate, 42, 0, stream++, 0),
    "A forward, no mask": () => A.dropout(outPtr, 0, xPtr, n, rate, 42, 0, stream++, 0),
    "B forward, no mask": () => B.dropout(outPtr, 0, xPtr, n, rate, 42, 0, stream++, 0),
    "A backward, stored mask": () => A.dropoutBackward(outPtr, xPtr, maskPtr, n, rate),
    "B backward, stored mask": () => B.dropoutBackward(outPtr, xPtr, maskPtr, n, rate),
    "read+write pass": () => readWritePass(outPtr, xPtr, n, 1.5),
  };
  const calls = Math.max(1, Math.round(2e6 / n));
  const rounds = Number(flags.rounds ?? (n >= 1e6 ? 15 : 41));
  const times = Object.fromEntries(Object.keys(tasks).map((t) => [t, []]));
  for (const run of Object.values(tasks)) for (let w = 0; w < 20; w++) run(); // past Liftoff
  for (let r = 0; r < rounds; r++)
    for (const [name, run] of Object.entries(tasks)) {
      const t0 = performance.now();
      for (let j = 0; j < calls; j++) run();
      times[name].push(((performance.now() - t0) / calls / n) * 1e6);
    }
  console.log(`n = ${n}, rate ${rate}: ns per element, median [10th–90th percentile] of ${rounds} rounds`);
  for (const [name, t] of Object.entries(times))
    console.log(
      `  ${name.padEnd(24)} ${quantile(t, 0.5).toFixed(3)} [${quantile(t, 0.1).toFixed(3)}–${quantile(t, 0.9).toFixed(3)}]`,
    );
}
