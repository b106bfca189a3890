// Inverted dropout. rate is the fraction dropped; kept values become x·scale with scale =
// f32(1/(1 − rate)), dropped ones +0. The mask is bit-packed: bit i&31 of word i>>5 is 1 where kept.
//
// Keep rule: element c (counter offset + i) is kept iff v(c) < T, T = floor((1 − rate)·2^32), where
// v(c) is a uniform 32-bit number spread over 32 random words: with g = c >> 5 and l = c & 31,
//   bit 31 − k of v(c) = bit l of u(32g + k),  k = 0..31
// (u: assembly/random.ts). So the 32 elements of group g read the 32 words u(32g .. 32g + 31) as a
// bit-sliced array of 32 numbers, and the comparison runs on all 32 lanes at once, most significant
// bit first: a lane is decided at the first bit where v and T differ, so the comparison can stop
// once every lane is decided or T has no set bit left (6.3 words per 32 elements on average; the SIMD
// build compares 4 groups in step and hashes 12 words per 128 elements in nearly every round, against
// 128 with one word per element). The keep probability is exactly T/2^32, as with one word per
// element, and the result is the packed mask word itself. Elements are independent of how the input
// is cut into calls: an offset that is not a multiple of 32 only costs speed.
// Backward with a regenerated mask is this same kernel applied to dy with no mask.
import { hashCounter, hashScaledX4, groupCountersX4, streamKey, GOLDEN_X4, M1_X4, M2_X4 } from "./random";

const GROUP_STEP_X4: usize = memory.data<u32>([0x1bbcdc80, 0x1bbcdc80, 0x1bbcdc80, 0x1bbcdc80]); // 128·0x9E3779B9 mod 2^32
/** The 32 single bits of a mask word, four per vector: bits 4j..4j+3 for elements 4j..4j+3. */
const WORD_BITS: usize = memory.data<u32>([
  0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100, 0x200, 0x400, 0x800, 0x1000, 0x2000, 0x4000, 0x8000,
  0x10000, 0x20000, 0x40000, 0x80000, 0x100000, 0x200000, 0x400000, 0x800000,
  0x1000000, 0x2000000, 0x4000000, 0x8000000, 0x10000000, 0x20000000, 0x40000000, 0x80000000,
]);

/** Levels compared in every SIMD round before checking whether all 128 lanes are decided. */
const FIXED_LEVELS: u32 = 12;

/** Four elements at byte offset p from the splatted mask word and their four bits: out = bit ? in·scale : +0. */
// @ts-ignore: decorator
@inline function maskStep(outPtr: usize, inPtr: usize, p: usize, word: v128, bits: v128, scale: v128): void {
  const keep = i32x4.eq(v128.and(word, bits), bits);
  v128.store(outPtr + p, v128.and(f32x4.mul(v128.load(inPtr + p), scale), keep));
}

/** 32 elements at byte offset p from one mask word; b0..b7: WORD_BITS, loaded once per call. */
// @ts-ignore: decorator
@inline function maskWordStep(outPtr: usize, inPtr: usize, p: usize, word: u32, scale: v128,
  b0: v128, b1: v128, b2: v128, b3: v128, b4: v128, b5: v128, b6: v128, b7: v128): void {
  const w = i32x4.splat(word);
  maskStep(outPtr, inPtr, p, w, b0, scale);
  maskStep(outPtr, inPtr, p + 16, w, b1, scale);
  maskStep(outPtr, inPtr, p + 32, w, b2, scale);
  maskStep(outPtr, inPtr, p + 48, w, b3, scale);
  maskStep(outPtr, inPtr, p + 64, w, b4, scale);
  maskStep(outPtr, inPtr, p + 80, w, b5, scale);
  maskStep(outPtr, inPtr, p + 96, w, b6, scale);
  maskStep(outPtr, inPtr, p + 112, w, b7, scale);
}

/** Elements i..i+count-1 (count ≤ 32) from mask word bits 0..count-1, one at a time. */
// @ts-ignore: decorator
@inline function maskWordScalar(outPtr: usize, inPtr: usize, i: usize, count: usize, word: u32, scale: f32): void {
  for (let b: usize = 0; b < count; b++) {
    const kept = (word >>> <u32>b) & 1;
    const p = (i + b) << 2;
    // branch-free select (V8 compiles a scalar select to a branch, mispredicted at random)
    store<u32>(outPtr + p, reinterpret<u32>(load<f32>(inPtr + p) * scale) & (0 - kept));
  }
}

/** Keep bits of group g (elements 32g..32g+31): bit l is v(32g + l) < threshold, compared bit-sliced. */
export function groupKeepBits(g: u32, threshold: u32, k1: u32, k2: u32): u32 {
  let undecided: u32 = 0xffffffff, less: u32 = 0, t = threshold, c = g << 5;
  while (t != 0 && undecided != 0) {
    const r = hashCounter(c, k1, k2);
    const tBit = <u32>(<i32>t >> 31); // all ones where T has a 1 at this level
    less |= undecided & tBit & ~r; // v has 0 where T has 1: v < T
    undecided &= ~(r ^ tBit); // still equal to T
    t <<= 1;
    c++;
  }
  return less;
}

/** Threshold on v below which an element is kept; callers handle rate 0 and 1. */
// @ts-ignore: decorator
@inline export function keepThreshold(rate: f64): u32 {
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
  const shift = offset & 31;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD && shift == 0) {
    // four groups in step, one v128 lane each: 128 elements and 4 mask words per round
    const full = n & ~127;
    if (i < full) {
      const m1 = v128.load(M1_X4), m2 = v128.load(M2_X4), k2v = i32x4.splat(k2), golden = v128.load(GOLDEN_X4);
      const groupStep = v128.load(GROUP_STEP_X4), scaleV = f32x4.splat(scale);
      const b0 = v128.load(WORD_BITS), b1 = v128.load(WORD_BITS, 16), b2 = v128.load(WORD_BITS, 32), b3 = v128.load(WORD_BITS, 48);
      const b4 = v128.load(WORD_BITS, 64), b5 = v128.load(WORD_BITS, 80), b6 = v128.load(WORD_BITS, 96), b7 = v128.load(WORD_BITS, 112);
      // 128 lanes need 8.3 levels on average and more than FIXED_LEVELS in about 3 % of rounds; T has
      // no 1 past level 31 − ctz(T) (and none at all when 1 − rate < 2^-32: nothing is kept)
      const fixedLevels = min<u32>(FIXED_LEVELS, 32 - ctz(threshold));
      let base = groupCountersX4(offset, k1);
      do {
        let s = base, undecided = i32x4.splat(-1), less = i32x4.splat(0), t = threshold;
        // the first levels with a loop count that is the same every round, so the branch predictor
        // knows it and the CPU overlaps rounds; then the rest (rarely any) until every lane is decided.
        // A level after every lane is decided changes nothing. The branch on T's bit follows the same
        // pattern every round, and is cheaper than selecting with a splatted bit.
        for (let k: u32 = 0; k < fixedLevels; k++) {
          const r = hashScaledX4(s, k2v, m1, m2);
          if (<i32>t < 0) {
            less = v128.or(less, v128.andnot(undecided, r)); // T has 1, v has 0: v < T
            undecided = v128.and(undecided, r);
          } else undecided = v128.andnot(undecided, r); // T has 0, v has 1: v > T
          s = i32x4.add(s, golden);
          t <<= 1;
        }
        while (t != 0 && v128.any_true(undecided)) {
          const r = hashScaledX4(s, k2v, m1, m2);
          if (<i32>t < 0) {
            less = v128.or(less, v128.andnot(undecided, r));
            undecided = v128.and(undecided, r);
          } else undecided = v128.andnot(undecided, r);
          s = i32x4.add(s, golden);
          t <<= 1;
        }
        if (maskPtr) v128.store(maskPtr + (i >> 3), less);
        const p = i << 2;
        maskWordStep(outPtr, xPtr, p, i32x4.extract_lane(less, 0), scaleV, b0, b1, b2, b3, b4, b5, b6, b7);
        maskWordStep(outPtr, xPtr, p + 128, i32x4.extract_lane(less, 1), scaleV, b0, b1, b2, b3, b4, b5, b6, b7);
        maskWordStep(outPtr, xPtr, p + 256, i32x4.extract_lane(less, 2), scaleV, b0, b1, b2, b3, b4, b5, b6, b7);
        maskWordStep(outPtr, xPtr, p + 384, i32x4.extract_lane(less, 3), scaleV, b0, b1, b2, b3, b4, b5, b6, b7);
        base = i32x4.add(base, groupStep);
        i += 128;
      } while (i < full);
    }
  }
  // one 32-element output word at a time (the rest of the SIMD rounds; all of the scalar build). An
  // output word whose start is not a group start takes the top of one group and the bottom of the next.
  let g = (offset >> 5) + <u32>(i >> 5);
  let low = shift ? groupKeepBits(g, threshold, k1, k2) : 0;
  for (; i < n; i += 32) {
    const count = min<usize>(n - i, 32);
    let word: u32;
    if (shift == 0) word = groupKeepBits(g, threshold, k1, k2);
    else {
      // the next group only when this word reaches into it (it may lie past counter 2^32 − 1 otherwise)
      const high = count > 32 - shift ? groupKeepBits(g + 1, threshold, k1, k2) : 0;
      word = (low >>> shift) | (high << (32 - shift));
      low = high;
    }
    g++;
    if (count < 32) word &= (<u32>1 << <u32>count) - 1; // bits past n stay 0
    if (maskPtr) store<u32>(maskPtr + (i >> 3), word);
    if (ASC_FEATURE_SIMD && count == 32) maskWordStep(outPtr, xPtr, i << 2, word, f32x4.splat(scale), v128.load(WORD_BITS), v128.load(WORD_BITS, 16), v128.load(WORD_BITS, 32), v128.load(WORD_BITS, 48), v128.load(WORD_BITS, 64), v128.load(WORD_BITS, 80), v128.load(WORD_BITS, 96), v128.load(WORD_BITS, 112));
    else maskWordScalar(outPtr, xPtr, i, count, word, scale);
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
    const scaleV = f32x4.splat(scale);
    const b0 = v128.load(WORD_BITS), b1 = v128.load(WORD_BITS, 16), b2 = v128.load(WORD_BITS, 32), b3 = v128.load(WORD_BITS, 48);
    const b4 = v128.load(WORD_BITS, 64), b5 = v128.load(WORD_BITS, 80), b6 = v128.load(WORD_BITS, 96), b7 = v128.load(WORD_BITS, 112);
    if (i < full) do {
      maskWordStep(outPtr, dyPtr, i << 2, load<u32>(maskPtr + (i >> 3)), scaleV, b0, b1, b2, b3, b4, b5, b6, b7);
      i += 32;
    } while (i < full);
  }
  for (; i < n; i++) {
    const kept = (load<u32>(maskPtr + ((i >> 5) << 2)) >>> <u32>(i & 31)) & 1;
    store<u32>(outPtr + (i << 2), reinterpret<u32>(load<f32>(dyPtr + (i << 2)) * scale) & (0 - kept));
  }
}
