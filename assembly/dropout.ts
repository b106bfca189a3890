// Inverted dropout. rate is the fraction dropped. Element i (counter offset + i) is kept iff
// u(offset + i) < floor((1 − rate)·2^32); kept values become x·scale with scale = f32(1/(1 − rate)),
// dropped ones +0. The mask is bit-packed: bit i&31 of word i>>5 is 1 where kept.
// Backward with a regenerated mask is this same kernel applied to dy with no mask.
import { SIGN_MASK } from "./reduce";
import { streamKey, hashCounter, hashScaledX4, scaledCountersX4, scaledStepX4, M1_X4, M2_X4 } from "./random";

const BIT_LANES: usize = memory.data<u32>([1, 2, 4, 8]);

/**
 * Four elements of the forward pass at byte offset p: stores x·scale or +0 and returns the 4 keep
 * bits. u < t (unsigned) is computed as (u ^ 2^31) < (t ^ 2^31) signed: x64 has no unsigned compare.
 */
// @ts-ignore: decorator
@inline function dropStep(outPtr: usize, xPtr: usize, p: usize, scaled: v128, k2: v128, m1: v128, m2: v128, sign: v128, thresholdS: v128, scale: v128): u32 {
  const keep = i32x4.lt_s(v128.xor(hashScaledX4(scaled, k2, m1, m2), sign), thresholdS);
  v128.store(outPtr + p, v128.and(f32x4.mul(v128.load(xPtr + p), scale), keep));
  return <u32>i32x4.bitmask(keep);
}

/** Four elements of the backward pass from mask bits k..k+3 of the splatted word. */
// @ts-ignore: decorator
@inline function maskStep(outPtr: usize, dyPtr: usize, p: usize, word: v128, k: i32, bitLanes: v128, scale: v128): void {
  const keep = i32x4.eq(v128.and(i32x4.shr_u(word, k), bitLanes), bitLanes);
  v128.store(outPtr + p, v128.and(f32x4.mul(v128.load(dyPtr + p), scale), keep));
}

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
  // keep-all also when 1 − rate rounds to 1: the threshold would be 2^32, past every u32 word
  const keepAll = rate <= 0 || 1 - rate >= 1;
  if (keepAll || rate >= 1) {
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
    const m1 = v128.load(M1_X4), m2 = v128.load(M2_X4), k2v = i32x4.splat(k2), step = scaledStepX4();
    const sign = v128.load(SIGN_MASK), thresholdS = i32x4.splat(threshold ^ 0x80000000), scaleV = f32x4.splat(scale);
    let s = scaledCountersX4(offset, k1);
    if (i < full) do {
      // 32 elements, one mask word; unrolled so that V8 keeps the constants in registers
      const p = i << 2;
      let word = dropStep(outPtr, xPtr, p, s, k2v, m1, m2, sign, thresholdS, scaleV); s = i32x4.add(s, step);
      word |= dropStep(outPtr, xPtr, p + 16, s, k2v, m1, m2, sign, thresholdS, scaleV) << 4; s = i32x4.add(s, step);
      word |= dropStep(outPtr, xPtr, p + 32, s, k2v, m1, m2, sign, thresholdS, scaleV) << 8; s = i32x4.add(s, step);
      word |= dropStep(outPtr, xPtr, p + 48, s, k2v, m1, m2, sign, thresholdS, scaleV) << 12; s = i32x4.add(s, step);
      word |= dropStep(outPtr, xPtr, p + 64, s, k2v, m1, m2, sign, thresholdS, scaleV) << 16; s = i32x4.add(s, step);
      word |= dropStep(outPtr, xPtr, p + 80, s, k2v, m1, m2, sign, thresholdS, scaleV) << 20; s = i32x4.add(s, step);
      word |= dropStep(outPtr, xPtr, p + 96, s, k2v, m1, m2, sign, thresholdS, scaleV) << 24; s = i32x4.add(s, step);
      word |= dropStep(outPtr, xPtr, p + 112, s, k2v, m1, m2, sign, thresholdS, scaleV) << 28; s = i32x4.add(s, step);
      if (maskPtr) store<u32>(maskPtr + (i >> 3), word);
      i += 32;
    } while (i < full);
  }
  let word: u32 = 0;
  for (; i < n; i++) {
    const kept = hashCounter(offset + <u32>i, k1, k2) < threshold;
    // branch-free select (V8 compiles a scalar select to a branch, mispredicted at random)
    store<u32>(outPtr + (i << 2), reinterpret<u32>(load<f32>(xPtr + (i << 2)) * scale) & (0 - <u32>kept));
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
      const w = i32x4.splat(load<u32>(maskPtr + (i >> 3)));
      const p = i << 2;
      maskStep(outPtr, dyPtr, p, w, 0, bitLanes, scaleV);
      maskStep(outPtr, dyPtr, p + 16, w, 4, bitLanes, scaleV);
      maskStep(outPtr, dyPtr, p + 32, w, 8, bitLanes, scaleV);
      maskStep(outPtr, dyPtr, p + 48, w, 12, bitLanes, scaleV);
      maskStep(outPtr, dyPtr, p + 64, w, 16, bitLanes, scaleV);
      maskStep(outPtr, dyPtr, p + 80, w, 20, bitLanes, scaleV);
      maskStep(outPtr, dyPtr, p + 96, w, 24, bitLanes, scaleV);
      maskStep(outPtr, dyPtr, p + 112, w, 28, bitLanes, scaleV);
      i += 32;
    } while (i < full);
  }
  for (; i < n; i++) {
    const kept = (load<u32>(maskPtr + ((i >> 5) << 2)) >>> <u32>(i & 31)) & 1;
    store<u32>(outPtr + (i << 2), reinterpret<u32>(load<f32>(dyPtr + (i << 2)) * scale) & (0 - kept));
  }
}
