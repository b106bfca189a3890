// Deterministic test data from the shared seeded generator (never Math.random): N(0,1) and uniform f32.
import { mulberry32 } from "../../support/mulberry32.js";

/** n samples of N(0, 1) rounded to f32 (Box–Muller over mulberry32). */
export function normalF32(n: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const t = 2 * Math.PI * next();
    out[i] = r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

/** n f32 values uniform in [lo, hi). */
export function uniformF32(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const next = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * next();
  return out;
}

/** The lengths around SIMD edges the design asks for (the large size is tested separately). */
export const EDGE_LENGTHS = [0, 1, 3, 4, 5, 15, 16, 17, 1023, 4097] as const;

/** Two windows of the Float32Array copy path plus a ragged tail (window = 65536 elements). */
export const MULTI_WINDOW = 65536 * 2 + 37;
