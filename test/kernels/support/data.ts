// Deterministic test data: a small seeded PRNG (never Math.random) and N(0,1) f32 samples from it.

/** mulberry32: a tiny seeded 32-bit generator, independent of the generator under test. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

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
