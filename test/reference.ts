// Plain-TypeScript reference implementations of the regularization kernels, written from the
// specification (issue 2 §2 and §4, the NNFS reference notes), not from the WASM code; the random words
// come from test/support/reference-generator.js, the one reference of the generator. Sums run in float64; where the specification fixes f32
// arithmetic (the gradient, dropout scaling) every f32 operation is reproduced with Math.fround, which
// is exact: an f32 +, − or × rounded through f64 equals the f32 operation (f64 has > 2·24 + 2 bits).

import { refKeepUniforms } from "./support/reference-generator.js";

// ---------------------------------------------------------------- penalties

/** Σ|x| in float64 (each f32 value is exact in f64). */
export function refL1(x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]);
  return sum;
}

/** Σx² in float64. */
export function refL2(x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i] * x[i];
  return sum;
}

/** λ1·Σ|x| + λ2·Σx²; a term whose λ is 0 is absent (so 0·∞ never makes a NaN). */
export function refPenalty(x: ArrayLike<number>, l1: number, l2: number): number {
  return (l1 === 0 ? 0 : l1 * refL1(x)) + (l2 === 0 ? 0 : l2 * refL2(x));
}

// ---------------------------------------------------------------- gradient

/** sign(x) with the NNFS rule for x > 0 / x < 0 and the chosen value at ±0; NaN stays NaN. */
export function refSign(x: number, signAtZero: number): number {
  if (x === 0) return signAtZero;
  return x > 0 ? 1 : x < 0 ? -1 : NaN;
}

/**
 * grad[i] + λ1·sign(x[i]) + 2·λ2·x[i] in the f32 arithmetic the issue fixes:
 * f32(grad + f32(f32(f32(λ1)·s) + f32(f32(2λ2)·x))). Both λ zero adds nothing (grad is left as is).
 * Returns a new array; grad and x may be the same array.
 */
export function refAddPenaltyGrad(
  grad: Float32Array,
  x: Float32Array,
  l1: number,
  l2: number,
  signAtZero = 1,
): Float32Array {
  const out = Float32Array.from(grad);
  if (l1 === 0 && l2 === 0) return out;
  const f = Math.fround;
  const l1f = f(l1),
    l2x2f = f(2 * l2);
  for (let i = 0; i < x.length; i++) {
    const s = refSign(x[i], signAtZero);
    out[i] = f(grad[i] + f(f(l1f * s) + f(l2x2f * x[i])));
  }
  return out;
}

// ---------------------------------------------------------------- dropout

/**
 * The keep rule: element c is kept iff v(c) < floor((1 − rate)·2^32) (may be 2^32: keep all), v(c)
 * the uniform whose bit 31 − k is bit c & 31 of the raw word u(32·(c >> 5) + k).
 */
export function refKeepThreshold(rate: number): number {
  return Math.floor((1 - rate) * 2 ** 32);
}

/** The scale of kept values: f32(1 / (1 − rate)). */
export function refScale(rate: number): number {
  return Math.fround(1 / (1 - rate));
}

export interface RefDropout {
  output: Float32Array;
  /** 1 where element i was kept. */
  keep: Uint8Array;
}

/**
 * Inverted dropout: rate 0 is an exact copy with every element kept, rate 1 all +0 with none kept;
 * otherwise keep iff v < threshold and output f32(x·scale), dropped elements +0.
 */
export function refDropout(x: Float32Array, rate: number, seed: number, stream = 0, offset = 0): RefDropout {
  const n = x.length;
  if (rate === 0) return { output: Float32Array.from(x), keep: new Uint8Array(n).fill(1) };
  if (rate === 1) return { output: new Float32Array(n), keep: new Uint8Array(n) };
  const uniforms = refKeepUniforms(n, seed, stream, offset);
  const threshold = refKeepThreshold(rate);
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) keep[i] = uniforms[i] < threshold ? 1 : 0;
  return { output: refApplyMask(x, keep, rate), keep };
}

/** dy·mask·scale: the dropout gradient for a given keep pattern (also the forward's value rule). */
export function refApplyMask(values: Float32Array, keep: ArrayLike<number>, rate: number): Float32Array {
  const out = new Float32Array(values.length);
  if (rate === 0) {
    out.set(values);
    return out;
  }
  if (rate === 1) return out;
  const scale = refScale(rate);
  for (let i = 0; i < values.length; i++) out[i] = keep[i] ? Math.fround(values[i] * scale) : 0;
  return out;
}

// ---------------------------------------------------------------- bit masks

/** Packs one flag per element: bit i&31 of word i>>5 is 1 where keep[i]; bits past n are 0. */
export function refPackBits(keep: ArrayLike<number>): Uint32Array {
  const mask = new Uint32Array(Math.ceil(keep.length / 32));
  for (let i = 0; i < keep.length; i++) if (keep[i]) mask[i >> 5] |= 1 << (i & 31);
  return mask;
}

/** The first n flags of a packed mask. */
export function refUnpackBits(mask: Uint32Array, n: number): Uint8Array {
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) keep[i] = (mask[i >> 5] >>> (i & 31)) & 1;
  return keep;
}
