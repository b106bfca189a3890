// The regularization gradient fused with the penalty of the same tensor, in one pass:
//   grad[i] += λ1·sign(x[i]) + 2·λ2·x[i],   acc[0] += Σ|x|,   acc[1] += Σx²
// The sums are penalty.ts's own block sums, so they equal penalty()'s bit for bit.
import { CHUNK, BLOCK, SIGN_MASK } from "./reduce";
import { addBlockSums, addTailSums } from "./penalty";

// λ1·sign(x) is formed as copysign(λ1, x) (bitwise: no multiply), replaced by λ1·signAtZero where
// x is ±0; it equals f32(λ1)·sign(x) exactly since the sign is ±1 or 0.

// @ts-ignore: decorator
@inline function gradStep(g: v128, x: v128, l1: v128, l2x2: v128, l1AtZero: v128, signMask: v128): v128 {
  const l1Term = v128.bitselect(l1AtZero, v128.or(v128.and(x, signMask), l1), f32x4.eq(x, f32x4.splat(0)));
  return f32x4.add(g, f32x4.add(l1Term, f32x4.mul(l2x2, x)));
}

// @ts-ignore: decorator
@inline function gradScalar(g: f32, x: f32, l1: f32, l2x2: f32, l1AtZero: f32): f32 {
  const l1Term = x == 0 ? l1AtZero : copysign<f32>(l1, x);
  return g + (l1Term + l2x2 * x);
}

/** grad += λ1·sign(x) + 2λ2·x over count elements (SIMD over whole vectors, then scalar). */
// @ts-ignore: decorator
@inline export function addGradRange(gradPtr: usize, xPtr: usize, count: usize, l1f: f32, l2x2f: f32, l1AtZero: f32): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const signMask = v128.load(SIGN_MASK);
    const l1v = f32x4.splat(l1f), l2v = f32x4.splat(l2x2f), zero = f32x4.splat(l1AtZero);
    const full = count & ~3;
    if (i < full) do {
      const p = i << 2;
      v128.store(gradPtr + p, gradStep(v128.load(gradPtr + p), v128.load(xPtr + p), l1v, l2v, zero, signMask));
      i += 4;
    } while (i < full);
  }
  for (; i < count; i++) {
    const p = i << 2;
    store<f32>(gradPtr + p, gradScalar(load<f32>(gradPtr + p), load<f32>(xPtr + p), l1f, l2x2f, l1AtZero));
  }
}

// Block by block: the sums of a block, then its gradient while x is still in L1 cache. x streams
// from memory once, and neither loop runs out of registers (one fused loop spilled under V8).
// Sums come first so that they see x before grad is written (grad may alias x).
/**
 * grad[i] += λ1·sign(x[i]) + 2·λ2·x[i] for n elements (f32 arithmetic), and acc (f64[2]) gets
 * Σ|x| and Σx² added. signAtZero is the sign used where x is ±0 (+1, 0 or −1).
 */
export function addPenaltyGrad(gradPtr: usize, accPtr: usize, xPtr: usize, n: usize, l1: f64, l2: f64, signAtZero: f32): void {
  const l1f = <f32>l1, l2x2f = <f32>(2 * l2);
  const l1AtZero = l1f * signAtZero; // +0 when signAtZero is 0 (λ1 ≥ 0)
  const full = n & ~(CHUNK - 1);
  let i: usize = 0;
  while (i < full) {
    const count = min(BLOCK, full - i);
    const p = i << 2;
    addBlockSums(accPtr, xPtr + p, count, true, true);
    addGradRange(gradPtr + p, xPtr + p, count, l1f, l2x2f, l1AtZero);
    i += count;
  }
  addTailSums(accPtr, xPtr + (i << 2), n - i, true, true);
  addGradRange(gradPtr + (i << 2), xPtr + (i << 2), n - i, l1f, l2x2f, l1AtZero);
}

