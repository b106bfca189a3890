// The two random distributions of the variance-scaling initializers, drawn from the counter-based
// stream in counter order and computed in f64 with correctly rounded operations only (+, −, ×, ÷;
// Math.sqrt, which every engine computes with the processor's correctly rounded instruction; and
// portableLog instead of Math.log), each value rounded to f32 once: the same bits in every runtime
// and build.
import type { RandomSource } from "./initializer.js";
import { portableLog } from "./portable-log.js";
import { readWords } from "./word-reader.js";

const TWO_32 = 4294967296;

/** (2w + 1 − 2^32)/2^32 for a word w: the 2^32 odd multiples of 2^-32 in (−1, 1), exact in f64 and symmetric about 0. */
const centered = (w: number): number => (2 * w + 1 - TWO_32) / TWO_32;

/**
 * out[i] = fround(limit·v), v from word i (centered): uniform on (−limit, limit) before the f32
 * rounding, which may reach ±fround(limit). One word per value.
 */
export function fillUniform(out: Float32Array, limit: number, random: RandomSource): void {
  readWords(random, (next) => {
    for (let i = 0; i < out.length; i++) out[i] = limit * centered(next());
  });
}

/** Normal values at or beyond this many standard deviations are dropped, as TensorFlow's truncated_normal does. */
export const TRUNCATE_AT = 2;

/**
 * out[i] = fround(stddev·z) for the i-th z of N(0, 1) with |z| < 2. Marsaglia's polar method on
 * successive word pairs: u, v = centered(w₁), centered(w₂), s = u² + v²; a pair with s ≥ 1 is
 * skipped, else z₁ = u·√(−2·ln s / s), then z₂ = v·√(…), each kept only if |z| < 2. About 1.33 words
 * per value.
 */
export function fillTruncatedNormal(out: Float32Array, stddev: number, random: RandomSource): void {
  readWords(random, (next) => {
    let i = 0;
    while (i < out.length) {
      const u = centered(next());
      const v = centered(next());
      const s = u * u + v * v;
      if (s >= 1) continue;
      const factor = Math.sqrt((-2 * portableLog(s)) / s);
      const z1 = u * factor;
      if (Math.abs(z1) < TRUNCATE_AT) out[i++] = stddev * z1;
      const z2 = v * factor;
      if (i < out.length && Math.abs(z2) < TRUNCATE_AT) out[i++] = stddev * z2;
    }
  });
}
