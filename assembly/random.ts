// Counter-based random words: word i of stream (seed, stream) is a pure function of (seed, stream, i),
// so a mask never depends on how the input is chunked and can be regenerated instead of stored.
//
//   key  = splitmix64(splitmix64(seed) ^ stream)          (once per call; k1 = low 32 bits, k2 = high)
//   u(i) = lowbias32(lowbias32(i·0x9E3779B9 + k1) ^ k2)   (per element)
//
// lowbias32 is the improved low-bias 32-bit integer hash from Chris Wellons' hash-prospector
// (its issue 19: xorshift-multiply with constants 0x21f0aaad and 0x735a2d97). Multiplying the counter by the golden ratio first spreads adjacent counters apart.

const GOLDEN: u32 = 0x9e3779b9;
const M1: u32 = 0x21f0aaad;
const M2: u32 = 0x735a2d97;

function splitmix64(z: u64): u64 {
  z += 0x9e3779b97f4a7c15;
  z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >>> 27)) * 0x94d049bb133111eb;
  return z ^ (z >>> 31);
}

/** The 64-bit key of (seed, stream); seed is given as two u32 halves. */
export function streamKey(seedLo: u32, seedHi: u32, stream: u32): u64 {
  return splitmix64(splitmix64((<u64>seedHi << 32) | <u64>seedLo) ^ <u64>stream);
}

// @ts-ignore: decorator
@inline function lowbias32(x: u32): u32 {
  x ^= x >>> 16;
  x *= M1;
  x ^= x >>> 15;
  x *= M2;
  x ^= x >>> 15;
  return x;
}

/** The random word for counter i under keys (k1, k2). */
// @ts-ignore: decorator
@inline export function hashCounter(i: u32, k1: u32, k2: u32): u32 {
  return lowbias32(lowbias32(i * GOLDEN + k1) ^ k2);
}

/** Splatted constants, loaded once per call: V8 re-materialises v128.const inside loops. */
export const GOLDEN_X4: usize = memory.data<u32>([GOLDEN, GOLDEN, GOLDEN, GOLDEN]);
export const M1_X4: usize = memory.data<u32>([M1, M1, M1, M1]);
export const M2_X4: usize = memory.data<u32>([M2, M2, M2, M2]);
const LANE_INDEX: usize = memory.data<u32>([0, 1, 2, 3]);
const STEP_X4: usize = memory.data<u32>([GOLDEN * 4, GOLDEN * 4, GOLDEN * 4, GOLDEN * 4]);

// @ts-ignore: decorator
@inline function lowbias32x4(x: v128, m1: v128, m2: v128): v128 {
  x = v128.xor(x, i32x4.shr_u(x, 16));
  x = i32x4.mul(x, m1);
  x = v128.xor(x, i32x4.shr_u(x, 15));
  x = i32x4.mul(x, m2);
  return v128.xor(x, i32x4.shr_u(x, 15));
}

/**
 * Four lanes of hashCounter from the already scaled and keyed counters c·0x9E3779B9 + k1 (callers
 * step that value by 4·0x9E3779B9 instead of multiplying each time: the same words, one multiply less).
 */
// @ts-ignore: decorator
@inline export function hashScaledX4(scaled: v128, k2: v128, m1: v128, m2: v128): v128 {
  return lowbias32x4(v128.xor(lowbias32x4(scaled, m1, m2), k2), m1, m2);
}

/** [c, c+1, c+2, c+3]·0x9E3779B9 + k1, the first scaled counters of a call. */
// @ts-ignore: decorator
@inline export function scaledCountersX4(c: u32, k1: u32): v128 {
  return i32x4.add(i32x4.mul(i32x4.add(i32x4.splat(c), v128.load(LANE_INDEX)), v128.load(GOLDEN_X4)), i32x4.splat(k1));
}

const GROUP_LANES: usize = memory.data<u32>([0, 32, 64, 96]);

/** [c, c+32, c+64, c+96]·0x9E3779B9 + k1: the first counters of four consecutive 32-counter groups. */
// @ts-ignore: decorator
@inline export function groupCountersX4(c: u32, k1: u32): v128 {
  return i32x4.add(i32x4.mul(i32x4.add(i32x4.splat(c), v128.load(GROUP_LANES)), v128.load(GOLDEN_X4)), i32x4.splat(k1));
}

/** The step between scaled counters four elements apart. */
// @ts-ignore: decorator
@inline export function scaledStepX4(): v128 {
  return v128.load(STEP_X4);
}

/** out[i] = u(offset + i) for i < n: the raw stream, for statistical tests and users' own sampling. */
export function randomUint32(outPtr: usize, n: usize, seedLo: u32, seedHi: u32, stream: u32, offset: u32): void {
  const key = streamKey(seedLo, seedHi, stream);
  const k1 = <u32>key, k2 = <u32>(key >>> 32);
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const full = n & ~3;
    const m1 = v128.load(M1_X4), m2 = v128.load(M2_X4), k2v = i32x4.splat(k2), step = scaledStepX4();
    let scaled = scaledCountersX4(offset, k1);
    if (i < full) do {
      v128.store(outPtr + (i << 2), hashScaledX4(scaled, k2v, m1, m2));
      scaled = i32x4.add(scaled, step);
      i += 4;
    } while (i < full);
  }
  for (; i < n; i++) store<u32>(outPtr + (i << 2), hashCounter(offset + <u32>i, k1, k2));
}
