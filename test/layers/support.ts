// Test helpers for the layer suites: a seeded generator independent of the code under test, and
// float64 reference math.

import { mulberry32 } from "../support/mulberry32.js";

/** mulberry32: a small seeded generator (not the library's). */
export const rng = mulberry32;

/** n f32 values uniform in [lo, hi). */
export function uniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const next = rng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * next());
}

/** out (m×n) = a (m×k) · b (k×n) in float64, plus bias, then ReLU. */
export function refMatmul(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  bias?: ArrayLike<number>,
  relu = false,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = bias ? bias[j] : 0;
      for (let kk = 0; kk < k; kk++) s += a[i * k + kk] * b[kk * n + j];
      out[i * n + j] = relu ? Math.max(s, 0) : s;
    }
  }
  return out;
}

/** The transpose of a (m×n). */
export function refTranspose(a: ArrayLike<number>, m: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = a[i * n + j];
  return out;
}

/**
 * Largest |got − want| / (Σ|terms| bound) over elements, where `scale[i]` bounds the magnitude of
 * the terms summed into element i: an f32 sum of k terms errs by at most ~k·2^-24·Σ|terms|.
 */
export function maxScaledError(got: ArrayLike<number>, want: ArrayLike<number>, scale: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(scale[i], 1e-30));
  return worst;
}

/** Index of the first differing bit pattern, or −1 when the arrays are bitwise identical. */
export function firstBitDifference(a: Float32Array, b: Float32Array): number {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  if (ua.length !== ub.length) return 0;
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return i;
  return -1;
}
