// e^x for x ≤ 0 in f32, the exponential under sigmoid and tanh. Cephes' expf: x = k·ln2 + r with
// |r| ≤ ln2/2 (ln2 split in two so that k·LN2_HI is exact), e^r by a degree-7 polynomial, then ·2^k.
// The SIMD and the scalar twin run the same f32 operations in the same order (no FMA), so they agree
// bit for bit, in every runtime. Results below 2^-126 (x < −87.34) are flushed to +0: subnormal
// activations slow every later multiply ~100× on x86. NaN stays NaN.

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
/** 1.5·2^23: x + ROUND rounds x to an integer k held in the low mantissa bits (bits 0x4b400000 + k). */
const ROUND: f32 = 12582912;
const ROUND_BITS: i32 = 0x4b400000;
/** Inputs below this are raised to it: e^-88 underflows anyway, and k stays ≥ −127 (2^k's exponent field ≥ 0). */
const LOWEST: f32 = -88;
const FLT_MIN: f32 = 1.17549435e-38;
const P0: f32 = 1.9875691500e-4;
const P1: f32 = 1.3981999507e-3;
const P2: f32 = 8.3334519073e-3;
const P3: f32 = 4.1665795894e-2;
const P4: f32 = 1.6666665459e-1;
const P5: f32 = 5.0000001201e-1;

/** e^x for x ≤ 0 (or NaN), flushed to 0 below 2^-126. */
// @ts-ignore: decorator
@inline export function expNonPositiveScalar(x: f32): f32 {
  const c = select<f32>(LOWEST, x, x < LOWEST); // NaN stays NaN
  const kr = c * LOG2E + ROUND;
  const k = kr - ROUND;
  const r = (c - k * LN2_HI) - k * LN2_LO;
  let p = P0 * r + P1;
  p = p * r + P2;
  p = p * r + P3;
  p = p * r + P4;
  p = p * r + P5;
  const e = (p * (r * r) + r) + 1;
  const y = e * reinterpret<f32>((reinterpret<i32>(kr) - ROUND_BITS + 127) << 23);
  return select<f32>(0, y, y < FLT_MIN);
}

/** The four-lane twin of expNonPositiveScalar. */
// @ts-ignore: decorator
@inline export function expNonPositiveX4(x: v128): v128 {
  const c = f32x4.pmax(x, f32x4.splat(LOWEST)); // x < LOWEST ? LOWEST : x, NaN stays NaN
  const kr = f32x4.add(f32x4.mul(c, f32x4.splat(LOG2E)), f32x4.splat(ROUND));
  const k = f32x4.sub(kr, f32x4.splat(ROUND));
  const r = f32x4.sub(f32x4.sub(c, f32x4.mul(k, f32x4.splat(LN2_HI))), f32x4.mul(k, f32x4.splat(LN2_LO)));
  let p = f32x4.add(f32x4.mul(f32x4.splat(P0), r), f32x4.splat(P1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P4));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P5));
  const e = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.sub(kr, i32x4.splat(ROUND_BITS)), i32x4.splat(127)), 23);
  const y = f32x4.mul(e, scale);
  return v128.andnot(y, f32x4.lt(y, f32x4.splat(FLT_MIN)));
}
