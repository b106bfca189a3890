// The shared shape of every reduction: 16 f32 lanes (4 accumulators × f32x4) summed over a block of
// BLOCK elements, each block folded into an f64 total in one fixed order. The scalar build emulates
// the same lanes and the same fold, so both builds return bit-identical sums.

/** Elements consumed per step: 4 accumulators × 4 lanes. */
export const CHUNK: usize = 16;
/** Elements summed in f32 before a fold into f64 (64 per lane): keeps the f32 error small. */
export const BLOCK: usize = 1024;

/** Constants loaded once per call: V8 re-materialises v128.const inside loops. */
export const SIGN_MASK: usize = memory.data<u32>([0x80000000, 0x80000000, 0x80000000, 0x80000000]);
/** |x| as x & ABS_MASK: V8 lowers v128.andnot with a register copy, v128.and without. */
export const ABS_MASK: usize = memory.data<u32>([0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff]);

/**
 * Scratch lanes for the scalar build: a static segment for the first instance on a memory. Worker
 * instances share that memory, so each is given its own lanes (useScratch).
 */
export let LANES_ABS: usize = memory.data(64, 16);
export let LANES_SQ: usize = memory.data(64, 16);
/** Bytes of both lanes. */
export const LANES_BYTES: usize = 128;

// @ts-ignore: decorator
@inline function pairSum(a: v128): v128 {
  // [a0 + a2, a1 + a3] in f64
  return f64x2.add(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(v128.shuffle<f32>(a, a, 2, 3, 0, 1)));
}

/** Folds four f32x4 accumulators into one f64: ((a0+a1)+(a2+a3)) pairwise, then lane 0 + lane 1. */
// @ts-ignore: decorator
@inline export function foldVectors(a0: v128, a1: v128, a2: v128, a3: v128): f64 {
  const s = f64x2.add(f64x2.add(pairSum(a0), pairSum(a1)), f64x2.add(pairSum(a2), pairSum(a3)));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

// @ts-ignore: decorator
@inline function lanePair(lanes: usize, v: usize, p: usize): f64 {
  return <f64>load<f32>(lanes + ((v * 4 + p) << 2)) + <f64>load<f32>(lanes + ((v * 4 + p + 2) << 2));
}

/** The scalar twin of foldVectors over 16 lanes in memory (lane j = vector j/4, lane j%4). */
export function foldLanes(lanes: usize): f64 {
  const s0 = (lanePair(lanes, 0, 0) + lanePair(lanes, 1, 0)) + (lanePair(lanes, 2, 0) + lanePair(lanes, 3, 0));
  const s1 = (lanePair(lanes, 0, 1) + lanePair(lanes, 1, 1)) + (lanePair(lanes, 2, 1) + lanePair(lanes, 3, 1));
  return s0 + s1;
}

/** Zeroes the 16 scalar lanes. */
export function clearLanes(lanes: usize): void {
  memory.fill(lanes, 0, 64);
}
