// Penalty reductions Σ|x| and Σx² over f32 data. Each kernel adds its sums into acc (f64[2]:
// acc[0] += Σ|x|, acc[1] += Σx²) so that a caller can stream a long input through windows that are
// multiples of BLOCK and get the same bits as one call over the whole input.
import { CHUNK, BLOCK, ABS_MASK, LANES_ABS, LANES_SQ, foldVectors, foldLanes, clearLanes } from "./reduce";

// @ts-ignore: decorator
@inline function sums(accPtr: usize, xPtr: usize, n: usize, wantAbs: bool, wantSq: bool): void {
  let absTotal = load<f64>(accPtr);
  let sqTotal = load<f64>(accPtr, 8);
  const full = n & ~(CHUNK - 1);
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const absMask = v128.load(ABS_MASK);
    while (i < full) {
      const end = min(i + BLOCK, full);
      let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
      let q0 = a0, q1 = a0, q2 = a0, q3 = a0;
      do {
        const p = xPtr + (i << 2);
        const x0 = v128.load(p), x1 = v128.load(p, 16), x2 = v128.load(p, 32), x3 = v128.load(p, 48);
        if (wantAbs) {
          a0 = f32x4.add(a0, v128.and(x0, absMask));
          a1 = f32x4.add(a1, v128.and(x1, absMask));
          a2 = f32x4.add(a2, v128.and(x2, absMask));
          a3 = f32x4.add(a3, v128.and(x3, absMask));
        }
        if (wantSq) {
          q0 = f32x4.add(q0, f32x4.mul(x0, x0));
          q1 = f32x4.add(q1, f32x4.mul(x1, x1));
          q2 = f32x4.add(q2, f32x4.mul(x2, x2));
          q3 = f32x4.add(q3, f32x4.mul(x3, x3));
        }
        i += CHUNK;
      } while (i < end);
      if (wantAbs) absTotal += foldVectors(a0, a1, a2, a3);
      if (wantSq) sqTotal += foldVectors(q0, q1, q2, q3);
    }
  } else {
    while (i < full) {
      const end = min(i + BLOCK, full);
      clearLanes(LANES_ABS);
      clearLanes(LANES_SQ);
      do {
        for (let j: usize = 0; j < CHUNK; j++) {
          const x = load<f32>(xPtr + ((i + j) << 2));
          const lane = j << 2;
          if (wantAbs) store<f32>(LANES_ABS + lane, load<f32>(LANES_ABS + lane) + abs<f32>(x));
          if (wantSq) store<f32>(LANES_SQ + lane, load<f32>(LANES_SQ + lane) + x * x);
        }
        i += CHUNK;
      } while (i < end);
      if (wantAbs) absTotal += foldLanes(LANES_ABS);
      if (wantSq) sqTotal += foldLanes(LANES_SQ);
    }
  }
  for (; i < n; i++) {
    const x = load<f32>(xPtr + (i << 2));
    if (wantAbs) absTotal += <f64>abs<f32>(x);
    if (wantSq) sqTotal += <f64>(x * x);
  }
  store<f64>(accPtr, absTotal);
  store<f64>(accPtr, sqTotal, 8);
}

/** acc[0] += Σ|x| over n f32 values at xPtr. */
export function l1Penalty(accPtr: usize, xPtr: usize, n: usize): void {
  sums(accPtr, xPtr, n, true, false);
}

/** acc[1] += Σx² over n f32 values at xPtr. */
export function l2Penalty(accPtr: usize, xPtr: usize, n: usize): void {
  sums(accPtr, xPtr, n, false, true);
}

/** acc[0] += Σ|x| and acc[1] += Σx² in one pass (the caller weighs them by λ1 and λ2). */
export function penalty(accPtr: usize, xPtr: usize, n: usize): void {
  sums(accPtr, xPtr, n, true, true);
}
