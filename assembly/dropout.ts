// Inverted dropout. rate is the fraction dropped. Element i (counter offset + i) is kept iff
// u(offset + i) < floor((1 − rate)·2^32); kept values become x·scale with scale = f32(1/(1 − rate)),
// dropped ones +0. The mask is bit-packed: bit i&31 of word i>>5 is 1 where kept.
// Backward with a regenerated mask is this same kernel applied to dy with no mask.
import { streamKey, hashCounter, hashCounterX4, goldenX4, m1X4, m2X4, countersX4 } from "./random";

const BIT_LANES: usize = memory.data<u32>([1, 2, 4, 8]);

/** Threshold on the u32 word below which an element is kept; callers handle rate 0 and 1. */
// @ts-ignore: decorator
@inline function keepThreshold(rate: f64): u32 {
  return <u32>Math.floor((1 - rate) * 4294967296.0);
}

/**
 * out[i] = keep(i) ? x[i]·scale : 0 over n elements; when maskPtr is not 0 also writes ceil(n/32)
 * mask words there. rate 0 copies x and sets every bit; rate 1 writes zeros and clears every bit.
 */
export function dropout(outPtr: usize, maskPtr: usize, xPtr: usize, n: usize, rate: f64, seedLo: u32, seedHi: u32, stream: u32, offset: u32): void {
  if (rate <= 0 || rate >= 1) {
    const keepAll = rate <= 0;
    if (keepAll) memory.copy(outPtr, xPtr, n << 2);
    else memory.fill(outPtr, 0, n << 2);
    if (maskPtr) {
      const words = (n + 31) >> 5;
      memory.fill(maskPtr, keepAll ? 0xff : 0, words << 2);
      // bits past n stay 0
      if (keepAll && (n & 31)) store<u32>(maskPtr + ((words - 1) << 2), (<u32>1 << <u32>(n & 31)) - 1);
    }
    return;
  }
  const threshold = keepThreshold(rate);
  const scale = <f32>(1.0 / (1.0 - rate));
  const key = streamKey(seedLo, seedHi, stream);
  const k1 = <u32>key, k2 = <u32>(key >>> 32);
  const full = n & ~31;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const golden = goldenX4(), m1 = m1X4(), m2 = m2X4(), k1v = i32x4.splat(k1), k2v = i32x4.splat(k2);
    const thresholdV = i32x4.splat(threshold), scaleV = f32x4.splat(scale), four = i32x4.splat(4);
    let ctr = countersX4(offset);
    if (i < full) do {
      let word: u32 = 0;
      for (let k: u32 = 0; k < 32; k += 4) {
        const keep = i32x4.lt_u(hashCounterX4(ctr, golden, k1v, k2v, m1, m2), thresholdV);
        ctr = i32x4.add(ctr, four);
        const p = (i + k) << 2;
        v128.store(outPtr + p, v128.and(f32x4.mul(v128.load(xPtr + p), scaleV), keep));
        word |= <u32>i32x4.bitmask(keep) << k;
      }
      if (maskPtr) store<u32>(maskPtr + (i >> 3), word);
      i += 32;
    } while (i < full);
  }
  let word: u32 = 0;
  for (; i < n; i++) {
    const kept = hashCounter(offset + <u32>i, k1, k2) < threshold;
    store<f32>(outPtr + (i << 2), kept ? load<f32>(xPtr + (i << 2)) * scale : 0);
    word |= <u32>kept << <u32>(i & 31);
    if ((i & 31) == 31 || i == n - 1) {
      if (maskPtr) store<u32>(maskPtr + ((i >> 5) << 2), word);
      word = 0;
    }
  }
}

/** out[i] = bit i of mask ? dy[i]·scale : 0, the backward pass from a stored mask. */
export function dropoutBackward(outPtr: usize, dyPtr: usize, maskPtr: usize, n: usize, rate: f64): void {
  if (rate <= 0) { memory.copy(outPtr, dyPtr, n << 2); return; }
  if (rate >= 1) { memory.fill(outPtr, 0, n << 2); return; }
  const scale = <f32>(1.0 / (1.0 - rate));
  const full = n & ~31;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const bitLanes = v128.load(BIT_LANES), scaleV = f32x4.splat(scale);
    if (i < full) do {
      const word = load<u32>(maskPtr + (i >> 3));
      for (let k: u32 = 0; k < 32; k += 4) {
        const keep = i32x4.eq(v128.and(i32x4.splat(word >>> k), bitLanes), bitLanes);
        const p = (i + k) << 2;
        v128.store(outPtr + p, v128.and(f32x4.mul(v128.load(dyPtr + p), scaleV), keep));
      }
      i += 32;
    } while (i < full);
  }
  for (; i < n; i++) {
    const kept = (load<u32>(maskPtr + ((i >> 5) << 2)) >>> <u32>(i & 31)) & 1;
    store<f32>(outPtr + (i << 2), kept ? load<f32>(dyPtr + (i << 2)) * scale : 0);
  }
}
