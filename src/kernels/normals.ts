// Seeded normal samples for weight initialisation and data sets, from the counter-based stream of
// assembly/random.ts through Box–Muller (in f64 on the JS side: run once, not per step).
import { allocU32 } from "../wasm/buffer.js";
import { defaultInstance, type Instance } from "../wasm/instance.js";
import { randomUint32Unchecked, toStreamArgs } from "./random.js";

const TWO_POW_32 = 4294967296;

/** n samples of N(0, 1) from stream (seed, stream) of a valid seed: the same numbers on every platform. */
export function normals(n: number, seed: number, stream: number, instance: Instance = defaultInstance()): Float64Array {
  const pairs = Math.ceil(n / 2);
  const buf = allocU32(2 * pairs, instance);
  randomUint32Unchecked(instance, buf, toStreamArgs(seed, stream, 0));
  const words = buf.view().slice();
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
