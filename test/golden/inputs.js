// Deterministic f32 inputs for the golden vectors, regenerated from a seed in the generator and in
// every test run (so vectors.json stores only outputs). Only integer hashing (Math.imul), exact
// f64 steps and Math.fround are used, so every JS engine produces the same bits.
import { mulberry32Uint32 } from "../support/mulberry32.js";

/**
 * n f32 values, mostly uniform in [-4, 4), with the values kernels treat specially mixed in:
 * +0 and -0 (sign(0) conventions), subnormals (no flush-to-zero allowed) and large magnitudes.
 * @param {number} n
 * @param {number} seed
 * @returns {Float32Array}
 */
export function goldenInput(n, seed) {
  const next = mulberry32Uint32(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = next();
    const uniform = (u / 2 ** 32 - 0.5) * 8; // exact in f64
    if (i % 17 === 5) x[i] = 0;
    else if (i % 31 === 7) x[i] = -0;
    else if (i % 97 === 11)
      x[i] = (u & 1 ? -1 : 1) * (u >>> 9) * 2 ** -149; // subnormal, exact
    else if (i % 53 === 3) x[i] = uniform * 4096;
    else x[i] = uniform;
  }
  return x;
}
