// Seeded normal samples for weight initialisation and datasets, from the counter-based stream of
// assembly/random.ts through Box–Muller (in f64 on the JS side: run once, not per step).
import { allocU32 } from "../wasm/buffer.js";
import { randomUint32 } from "../kernels/random.js";
import { defaultInstance, type Instance } from "../wasm/instance.js";

const TWO_POW_32 = 4294967296;

/** n samples of N(0, 1) from stream (seed, stream): the same numbers on every platform. */
export function normals(n: number, seed: number, stream: number, instance: Instance = defaultInstance()): Float64Array {
  const pairs = Math.ceil(n / 2);
  const buf = allocU32(2 * pairs, instance);
  const words = randomUint32(buf, { seed, stream }).view().slice();
  buf.free();
  const out = new Float64Array(2 * pairs);
  for (let i = 0; i < pairs; i++) {
    const u1 = (words[2 * i] + 1) / TWO_POW_32; // (0, 1]: log stays finite
    const u2 = words[2 * i + 1] / TWO_POW_32;
    const r = Math.sqrt(-2 * Math.log(u1));
    out[2 * i] = r * Math.cos(2 * Math.PI * u2);
    out[2 * i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out.subarray(0, n);
}

let nextSeed = 0;
/** Seeds for layers built without one: 0, 1, 2, … in construction order (reproducible per process, like a seeded global RNG). */
export function defaultSeed(): number {
  return nextSeed++;
}
