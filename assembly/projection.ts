// Projections of a parameter after an optimizer update: proximal L1 (soft-thresholding), the
// non-negativity constraint, and the two passes of the norm constraints (f64 sums of squares per
// column or per row, then each value times an f64 factor of its column or row). Every SIMD loop does
// per lane what the scalar loop does per element (softThreshold: one f32 subtraction; the norm
// passes: f32 → f64 promotion, f64 multiply and add, one rounding to f32, each column's sum over
// the rows in order), so both builds agree bit for bit. rowSquares stays scalar: a row's one sum
// must run in element order.
import { SIGN_MASK } from "./reduce";

/** Smallest normal f32, 2^-126: smaller results are stored as 0, as the optimizer kernels do. */
const FLT_MIN: f32 = 1.1754943508222875e-38;

/**
 * w ← sign(w)·max(|w| − t, 0) over n values in f32 (|w| − t below 2^-126 gives +0); NaN stays NaN.
 * t ≥ 0 is lr·λ1, the proximal step of λ1·Σ|w|.
 */
export function softThreshold(wPtr: usize, n: usize, threshold: f32): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const t = f32x4.splat(threshold), min = f32x4.splat(FLT_MIN), signMask = v128.load(SIGN_MASK);
    const n4 = n & ~3;
    if (i < n4) do {
      const p = wPtr + (i << 2);
      const w = v128.load(p);
      const shrunk = f32x4.sub(f32x4.abs(w), t);
      const value = v128.and(v128.or(shrunk, v128.and(w, signMask)), f32x4.ge(shrunk, min));
      v128.store(p, v128.bitselect(w, value, f32x4.ne(w, w)));
      i += 4;
    } while (i < n4);
  }
  for (; i < n; i++) {
    const p = wPtr + (i << 2);
    const w = load<f32>(p);
    const shrunk = abs<f32>(w) - threshold;
    store<f32>(p, w != w ? w : shrunk >= FLT_MIN ? copysign<f32>(shrunk, w) : 0);
  }
}

/** w ← 0 where w < 0, over n values (−0 and NaN are kept). */
export function clampNonNegative(wPtr: usize, n: usize): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    const n4 = n & ~3;
    if (i < n4) do {
      const p = wPtr + (i << 2);
      const w = v128.load(p);
      v128.store(p, v128.andnot(w, f32x4.lt(w, zero)));
      i += 4;
    } while (i < n4);
  }
  for (; i < n; i++) {
    const p = wPtr + (i << 2);
    if (load<f32>(p) < 0) store<f32>(p, 0);
  }
}

/** sums[j] = Σ_i w[i, j]² (f64, i in order) for a rows × cols matrix, row-major. */
export function columnSquares(sumsPtr: usize, wPtr: usize, rows: usize, cols: usize): void {
  for (let j: usize = 0; j < cols; j++) store<f64>(sumsPtr + (j << 3), 0);
  for (let i: usize = 0; i < rows; i++) {
    const row = wPtr + ((i * cols) << 2);
    let j: usize = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 2 <= cols; j += 2) {
        const x = f64x2.promote_low_f32x4(v128.load64_zero(row + (j << 2)));
        const s = sumsPtr + (j << 3);
        v128.store(s, f64x2.add(v128.load(s), f64x2.mul(x, x)));
      }
    }
    for (; j < cols; j++) {
      const x = <f64>load<f32>(row + (j << 2));
      store<f64>(sumsPtr + (j << 3), load<f64>(sumsPtr + (j << 3)) + x * x);
    }
  }
}

/** sums[i] = Σ_j w[i, j]² (f64, j in order) for a rows × cols matrix, row-major. */
export function rowSquares(sumsPtr: usize, wPtr: usize, rows: usize, cols: usize): void {
  for (let i: usize = 0; i < rows; i++) {
    const row = wPtr + ((i * cols) << 2);
    let sum: f64 = 0;
    for (let j: usize = 0; j < cols; j++) {
      const x = <f64>load<f32>(row + (j << 2));
      sum += x * x;
    }
    store<f64>(sumsPtr + (i << 3), sum);
  }
}

/** w[i, j] ← f32(w[i, j]·factors[j]) (the product in f64). */
export function scaleColumns(wPtr: usize, factorsPtr: usize, rows: usize, cols: usize): void {
  for (let i: usize = 0; i < rows; i++) {
    const row = wPtr + ((i * cols) << 2);
    let j: usize = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 2 <= cols; j += 2) {
        const p = row + (j << 2);
        const x = f64x2.promote_low_f32x4(v128.load64_zero(p));
        v128.store64_lane(p, f32x4.demote_f64x2_zero(f64x2.mul(x, v128.load(factorsPtr + (j << 3)))), 0);
      }
    }
    for (; j < cols; j++) {
      const p = row + (j << 2);
      store<f32>(p, <f32>(<f64>load<f32>(p) * load<f64>(factorsPtr + (j << 3))));
    }
  }
}

/** w[i, j] ← f32(w[i, j]·factors[i]) (the product in f64). */
export function scaleRows(wPtr: usize, factorsPtr: usize, rows: usize, cols: usize): void {
  for (let i: usize = 0; i < rows; i++) {
    const row = wPtr + ((i * cols) << 2);
    const factor = load<f64>(factorsPtr + (i << 3));
    let j: usize = 0;
    if (ASC_FEATURE_SIMD) {
      const f = f64x2.splat(factor);
      for (; j + 2 <= cols; j += 2) {
        const p = row + (j << 2);
        v128.store64_lane(p, f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(v128.load64_zero(p)), f)), 0);
      }
    }
    for (; j < cols; j++) {
      const p = row + (j << 2);
      store<f32>(p, <f32>(<f64>load<f32>(p) * factor));
    }
  }
}
