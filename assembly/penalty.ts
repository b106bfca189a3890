// Penalty reductions Σ|x| and Σx² over f32 data. Each kernel adds its sums into acc (f64[2]:
// acc[0] += Σ|x|, acc[1] += Σx²) so that a caller can stream a long input through windows that are
// multiples of BLOCK and get the same bits as one call over the whole input.
import { CHUNK, BLOCK, ABS_MASK, LANES_ABS, LANES_SQ, foldVectors, foldLanes, clearLanes } from "./reduce";

// @ts-ignore: decorator
@inline function addAbs(acc: v128, x: v128, absMask: v128): v128 {
  return f32x4.add(acc, v128.and(x, absMask));
}

// @ts-ignore: decorator
@inline function addSq(acc: v128, x: v128): v128 {
  return f32x4.add(acc, f32x4.mul(x, x));
}

/**
 * Adds the sums of one block (count: a multiple of CHUNK, at most BLOCK) into acc: 16 f32 lanes,
 * lane j taking elements j, j+16, …, then folded into f64. Shared by every kernel that reduces,
 * so all of them return the same bits for the same x.
 */
// @ts-ignore: decorator
@inline export function addBlockSums(accPtr: usize, xPtr: usize, count: usize, wantAbs: bool, wantSq: bool): void {
  if (ASC_FEATURE_SIMD) {
    // two chunks per iteration over a bumped pointer; lane j still sums j, j+16, j+32, … in order
    const absMask = v128.load(ABS_MASK);
    let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
    let q0 = a0, q1 = a0, q2 = a0, q3 = a0;
    let p = xPtr;
    const end = xPtr + (count << 2), pairsEnd = xPtr + ((count & ~(2 * CHUNK - 1)) << 2);
    // each vector is loaded once and feeds both sums (loading it per sum cost a second load stream)
    if (wantAbs && wantSq) {
      // both sums: one chunk per iteration, the same order. Two chunks per iteration keep 8 loaded
      // vectors, 8 accumulators and the mask live, more than V8's 15 xmm registers: it spilled the
      // Σ|x| accumulators, and each store and reload sat on their add chains (2× slower in cache)
      while (p < end) {
        let x = v128.load(p);
        a0 = addAbs(a0, x, absMask);
        q0 = addSq(q0, x);
        x = v128.load(p, 16);
        a1 = addAbs(a1, x, absMask);
        q1 = addSq(q1, x);
        x = v128.load(p, 32);
        a2 = addAbs(a2, x, absMask);
        q2 = addSq(q2, x);
        x = v128.load(p, 48);
        a3 = addAbs(a3, x, absMask);
        q3 = addSq(q3, x);
        p += 4 * CHUNK;
      }
    }
    if (p < pairsEnd) do {
      let x = v128.load(p);
      if (wantAbs) a0 = addAbs(a0, x, absMask);
      if (wantSq) q0 = addSq(q0, x);
      x = v128.load(p, 16);
      if (wantAbs) a1 = addAbs(a1, x, absMask);
      if (wantSq) q1 = addSq(q1, x);
      x = v128.load(p, 32);
      if (wantAbs) a2 = addAbs(a2, x, absMask);
      if (wantSq) q2 = addSq(q2, x);
      x = v128.load(p, 48);
      if (wantAbs) a3 = addAbs(a3, x, absMask);
      if (wantSq) q3 = addSq(q3, x);
      x = v128.load(p, 64);
      if (wantAbs) a0 = addAbs(a0, x, absMask);
      if (wantSq) q0 = addSq(q0, x);
      x = v128.load(p, 80);
      if (wantAbs) a1 = addAbs(a1, x, absMask);
      if (wantSq) q1 = addSq(q1, x);
      x = v128.load(p, 96);
      if (wantAbs) a2 = addAbs(a2, x, absMask);
      if (wantSq) q2 = addSq(q2, x);
      x = v128.load(p, 112);
      if (wantAbs) a3 = addAbs(a3, x, absMask);
      if (wantSq) q3 = addSq(q3, x);
      p += 8 * CHUNK;
    } while (p < pairsEnd);
    if (p < end) { // one chunk left
      let x = v128.load(p);
      if (wantAbs) a0 = addAbs(a0, x, absMask);
      if (wantSq) q0 = addSq(q0, x);
      x = v128.load(p, 16);
      if (wantAbs) a1 = addAbs(a1, x, absMask);
      if (wantSq) q1 = addSq(q1, x);
      x = v128.load(p, 32);
      if (wantAbs) a2 = addAbs(a2, x, absMask);
      if (wantSq) q2 = addSq(q2, x);
      x = v128.load(p, 48);
      if (wantAbs) a3 = addAbs(a3, x, absMask);
      if (wantSq) q3 = addSq(q3, x);
    }
    if (wantAbs) store<f64>(accPtr, load<f64>(accPtr) + foldVectors(a0, a1, a2, a3));
    if (wantSq) store<f64>(accPtr, load<f64>(accPtr, 8) + foldVectors(q0, q1, q2, q3), 8);
  } else {
    clearLanes(LANES_ABS);
    clearLanes(LANES_SQ);
    for (let i: usize = 0; i < count; i += CHUNK) {
      for (let j: usize = 0; j < CHUNK; j++) {
        const x = load<f32>(xPtr + ((i + j) << 2));
        const lane = j << 2;
        if (wantAbs) store<f32>(LANES_ABS + lane, load<f32>(LANES_ABS + lane) + abs<f32>(x));
        if (wantSq) store<f32>(LANES_SQ + lane, load<f32>(LANES_SQ + lane) + x * x);
      }
    }
    if (wantAbs) store<f64>(accPtr, load<f64>(accPtr) + foldLanes(LANES_ABS));
    if (wantSq) store<f64>(accPtr, load<f64>(accPtr, 8) + foldLanes(LANES_SQ), 8);
  }
}

/** Adds the last count (< CHUNK) elements one by one into acc, in f64. */
// @ts-ignore: decorator
@inline export function addTailSums(accPtr: usize, xPtr: usize, count: usize, wantAbs: bool, wantSq: bool): void {
  let absTotal = load<f64>(accPtr), sqTotal = load<f64>(accPtr, 8);
  for (let i: usize = 0; i < count; i++) {
    const x = load<f32>(xPtr + (i << 2));
    if (wantAbs) absTotal += <f64>abs<f32>(x);
    if (wantSq) sqTotal += <f64>(x * x);
  }
  store<f64>(accPtr, absTotal);
  store<f64>(accPtr, sqTotal, 8);
}

// @ts-ignore: decorator
@inline function sums(accPtr: usize, xPtr: usize, n: usize, wantAbs: bool, wantSq: bool): void {
  const full = n & ~(CHUNK - 1);
  let i: usize = 0;
  while (i < full) {
    const count = min(BLOCK, full - i);
    addBlockSums(accPtr, xPtr + (i << 2), count, wantAbs, wantSq);
    i += count;
  }
  addTailSums(accPtr, xPtr + (i << 2), n - i, wantAbs, wantSq);
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
