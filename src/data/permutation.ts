// The order in which an epoch visits the training rows: a Fisher–Yates shuffle driven by the
// counter-based generator, so epoch e under a seed is the same permutation in every runtime, on every
// build, however training was split across fit() calls or resumed from JSON.
import { randomUint32Unchecked, toStreamArgs } from "../kernels/random.js";
import { allocU32 } from "../wasm/buffer.js";
import type { Instance } from "../wasm/instance.js";

const SEED_SPACE = 2n ** 53n;
/** Mixed into the seed so a shuffle never shares a stream with a layer seeded with the same number. */
const SHUFFLE_SALT = 0x5348_5546_4c45n; // "SHUFLE"

/** Largest row count: each row draws two 32-bit words from one stream of 2^32 counters. */
export const MAX_SHUFFLE_ROWS = 2 ** 31;

/**
 * A permutation of 0 … rows − 1 for `epoch` (counting every epoch the model was trained) under `seed`.
 * Swap i takes j = ⌊u·(i + 1)⌋ with u a 53-bit fraction from two words of stream (seed, epoch): the
 * bias against an exact uniform choice is below rows / 2^53.
 */
export function permutation(rows: number, seed: number, epoch: number, instance: Instance): Uint32Array {
  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  if (rows < 2) return order;
  const words = allocU32(2 * (rows - 1), instance);
  let u: Uint32Array;
  try {
    const salted = Number((BigInt(seed) + SHUFFLE_SALT) % SEED_SPACE);
    randomUint32Unchecked(instance, words, toStreamArgs(salted, epoch % 2 ** 32, 0));
    u = words.view().slice();
  } finally {
    words.free();
  }
  for (let i = rows - 1, w = 0; i > 0; i--, w += 2) {
    const fraction = ((u[w] >>> 5) * 2 ** 26 + (u[w + 1] >>> 6)) / 2 ** 53;
    const j = Math.floor(fraction * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}
