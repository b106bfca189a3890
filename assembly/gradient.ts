// The regularization gradient fused with the penalty of the same tensor, in one pass:
//   grad[i] += λ1·sign(x[i]) + 2·λ2·x[i],   acc[0] += Σ|x|,   acc[1] += Σx²
// Lanes and folds are those of penalty.ts, so the sums equal penalty()'s bit for bit.
import { CHUNK, BLOCK, ABS_MASK, SIGN_MASK, ONES, LANES_ABS, LANES_SQ, foldVectors, foldLanes, clearLanes } from "./reduce";

// @ts-ignore: decorator
@inline function gradStep(g: v128, x: v128, l1: v128, l2x2: v128, zero: v128, signMask: v128, ones: v128): v128 {
  // sign(x) = copysign(1, x), and signAtZero where x == ±0
  const s = v128.bitselect(zero, v128.or(v128.and(x, signMask), ones), f32x4.eq(x, f32x4.splat(0)));
  return f32x4.add(g, f32x4.add(f32x4.mul(l1, s), f32x4.mul(l2x2, x)));
}

// @ts-ignore: decorator
@inline function gradScalar(g: f32, x: f32, l1: f32, l2x2: f32, zero: f32): f32 {
  const s = x == 0 ? zero : copysign<f32>(1, x);
  return g + (l1 * s + l2x2 * x);
}

/**
 * grad[i] += λ1·sign(x[i]) + 2·λ2·x[i] for n elements (f32 arithmetic), and acc (f64[2]) gets
 * Σ|x| and Σx² added. signAtZero is the sign used where x is ±0 (+1, 0 or −1).
 */
export function addPenaltyGrad(gradPtr: usize, accPtr: usize, xPtr: usize, n: usize, l1: f64, l2: f64, signAtZero: f32): void {
  const l1f = <f32>l1;
  const l2x2f = <f32>(2 * l2);
  let absTotal = load<f64>(accPtr);
  let sqTotal = load<f64>(accPtr, 8);
  const full = n & ~(CHUNK - 1);
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const absMask = v128.load(ABS_MASK), signMask = v128.load(SIGN_MASK), ones = v128.load(ONES);
    const l1v = f32x4.splat(l1f), l2v = f32x4.splat(l2x2f), zero = f32x4.splat(signAtZero);
    while (i < full) {
      const end = min(i + BLOCK, full);
      let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
      let q0 = a0, q1 = a0, q2 = a0, q3 = a0;
      do {
        const p = xPtr + (i << 2), gp = gradPtr + (i << 2);
        const x0 = v128.load(p), x1 = v128.load(p, 16), x2 = v128.load(p, 32), x3 = v128.load(p, 48);
        v128.store(gp, gradStep(v128.load(gp), x0, l1v, l2v, zero, signMask, ones));
        v128.store(gp, gradStep(v128.load(gp, 16), x1, l1v, l2v, zero, signMask, ones), 16);
        v128.store(gp, gradStep(v128.load(gp, 32), x2, l1v, l2v, zero, signMask, ones), 32);
        v128.store(gp, gradStep(v128.load(gp, 48), x3, l1v, l2v, zero, signMask, ones), 48);
        a0 = f32x4.add(a0, v128.and(x0, absMask));
        a1 = f32x4.add(a1, v128.and(x1, absMask));
        a2 = f32x4.add(a2, v128.and(x2, absMask));
        a3 = f32x4.add(a3, v128.and(x3, absMask));
        q0 = f32x4.add(q0, f32x4.mul(x0, x0));
        q1 = f32x4.add(q1, f32x4.mul(x1, x1));
        q2 = f32x4.add(q2, f32x4.mul(x2, x2));
        q3 = f32x4.add(q3, f32x4.mul(x3, x3));
        i += CHUNK;
      } while (i < end);
      absTotal += foldVectors(a0, a1, a2, a3);
      sqTotal += foldVectors(q0, q1, q2, q3);
    }
  } else {
    while (i < full) {
      const end = min(i + BLOCK, full);
      clearLanes(LANES_ABS);
      clearLanes(LANES_SQ);
      do {
        for (let j: usize = 0; j < CHUNK; j++) {
          const x = load<f32>(xPtr + ((i + j) << 2));
          const gp = gradPtr + ((i + j) << 2);
          store<f32>(gp, gradScalar(load<f32>(gp), x, l1f, l2x2f, signAtZero));
          const lane = j << 2;
          store<f32>(LANES_ABS + lane, load<f32>(LANES_ABS + lane) + abs<f32>(x));
          store<f32>(LANES_SQ + lane, load<f32>(LANES_SQ + lane) + x * x);
        }
        i += CHUNK;
      } while (i < end);
      absTotal += foldLanes(LANES_ABS);
      sqTotal += foldLanes(LANES_SQ);
    }
  }
  for (; i < n; i++) {
    const x = load<f32>(xPtr + (i << 2));
    const gp = gradPtr + (i << 2);
    store<f32>(gp, gradScalar(load<f32>(gp), x, l1f, l2x2f, signAtZero));
    absTotal += <f64>abs<f32>(x);
    sqTotal += <f64>(x * x);
  }
  store<f64>(accPtr, absTotal);
  store<f64>(accPtr, sqTotal, 8);
}
