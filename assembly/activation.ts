// Elementwise activations over n f32 elements: ReLU, sigmoid and tanh, forward and backward.
import { ABS_MASK } from "./reduce";
import { expNonPositiveScalar, expNonPositiveX4 } from "./exp";

/**
 * ReLU of four lanes as x < 0 ? 0 : x (NaN stays NaN, −0 stays −0): f32x4.pmax is one maxps on x64,
 * where f32x4.max costs ~6 instructions for its NaN and −0 rules.
 */
// @ts-ignore: decorator
@inline export function reluX4(x: v128, zero: v128): v128 {
  return f32x4.pmax(x, zero);
}

/** The scalar twin of reluX4. */
// @ts-ignore: decorator
@inline export function reluScalar(x: f32): f32 {
  return select<f32>(0, x, x < 0);
}

/** out[i] = x[i] < 0 ? 0 : x[i] (NaN stays NaN, −0 stays −0). out may be x. */
export function reluForward(outPtr: usize, xPtr: usize, n: usize): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const n16 = n & ~15;
    const zero = f32x4.splat(0);
    if (i < n16) do {
      const p = xPtr + (i << 2), o = outPtr + (i << 2);
      const x0 = v128.load(p), x1 = v128.load(p, 16), x2 = v128.load(p, 32), x3 = v128.load(p, 48);
      v128.store(o, reluX4(x0, zero)); v128.store(o, reluX4(x1, zero), 16);
      v128.store(o, reluX4(x2, zero), 32); v128.store(o, reluX4(x3, zero), 48);
      i += 16;
    } while (i < n16);
  }
  for (; i < n; i++) store<f32>(outPtr + (i << 2), reluScalar(load<f32>(xPtr + (i << 2))));
}

/**
 * out[i] = y[i] > 0 ? dy[i] : 0, the ReLU gradient from its output y (y > 0 exactly where the input
 * was > 0). out may be dy.
 */
export function reluBackward(outPtr: usize, dyPtr: usize, yPtr: usize, n: usize): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const n16 = n & ~15;
    const zero = f32x4.splat(0);
    if (i < n16) do {
      const d = dyPtr + (i << 2), y = yPtr + (i << 2), o = outPtr + (i << 2);
      const y0 = v128.load(y), y1 = v128.load(y, 16), y2 = v128.load(y, 32), y3 = v128.load(y, 48);
      v128.store(o, v128.and(v128.load(d), f32x4.gt(y0, zero)));
      v128.store(o, v128.and(v128.load(d, 16), f32x4.gt(y1, zero)), 16);
      v128.store(o, v128.and(v128.load(d, 32), f32x4.gt(y2, zero)), 32);
      v128.store(o, v128.and(v128.load(d, 48), f32x4.gt(y3, zero)), 48);
      i += 16;
    } while (i < n16);
  }
  for (; i < n; i++) {
    const keep = -(<i32>(load<f32>(yPtr + (i << 2)) > 0));
    store<i32>(outPtr + (i << 2), load<i32>(dyPtr + (i << 2)) & keep);
  }
}

// Sigmoid and tanh, from e^-|x| (assembly/exp.ts): the same f32 operations in both builds.

/** Where tanh switches from its odd polynomial to the exponential form (Cephes' tanhf). */
const TANH_SMALL: f32 = 0.625;
const T0: f32 = -5.70498872745e-3;
const T1: f32 = 2.06390887954e-2;
const T2: f32 = -5.37397155531e-2;
const T3: f32 = 1.33314422036e-1;
const T4: f32 = -3.33332819422e-1;

/**
 * σ(x) = 1/(1 + e^-x) as n/(1 + t) with t = e^-|x| and n = x < 0 ? t : 1: one rounding for either
 * sign, full relative accuracy down to σ(−87.3) ≈ 2^-126, 0 below (e^-|x| flushed), 1 from x ≈ 17.
 */
// @ts-ignore: decorator
@inline export function sigmoidScalar(x: f32): f32 {
  const t = expNonPositiveScalar(-abs(x));
  return select<f32>(t, 1, x < 0) / (1 + t);
}

/** The four-lane twin of sigmoidScalar. */
// @ts-ignore: decorator
@inline export function sigmoidX4(x: v128, one: v128, zero: v128): v128 {
  const t = expNonPositiveX4(f32x4.neg(f32x4.abs(x)));
  return f32x4.div(v128.bitselect(t, one, f32x4.lt(x, zero)), f32x4.add(one, t));
}

/**
 * tanh(x) with a = |x|: below 0.625 the odd polynomial a + a·z·P(z), z = a² (no cancellation near 0),
 * else (1 − t)/(1 + t) with t = e^-2a; the sign of x copied onto the result (tanh(−0) = −0).
 */
// @ts-ignore: decorator
@inline export function tanhScalar(x: f32): f32 {
  const a = abs(x);
  let y: f32;
  if (a < TANH_SMALL) {
    const z = a * a;
    let p = T0 * z + T1;
    p = p * z + T2;
    p = p * z + T3;
    p = p * z + T4;
    y = (p * z) * a + a;
  } else {
    const t = expNonPositiveScalar(-(a + a));
    y = (1 - t) / (1 + t);
  }
  return copysign<f32>(y, x);
}

/** The four-lane twin of tanhScalar: both forms computed, each lane takes the one its |x| selects. */
// @ts-ignore: decorator
@inline export function tanhX4(x: v128, one: v128, absMask: v128): v128 {
  const a = v128.and(x, absMask);
  const z = f32x4.mul(a, a);
  let p = f32x4.add(f32x4.mul(f32x4.splat(T0), z), f32x4.splat(T1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(T2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(T3));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(T4));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), a), a);
  const t = expNonPositiveX4(f32x4.neg(f32x4.add(a, a)));
  const large = f32x4.div(f32x4.sub(one, t), f32x4.add(one, t));
  const y = v128.bitselect(small, large, f32x4.lt(a, f32x4.splat(TANH_SMALL)));
  return v128.or(v128.and(y, absMask), v128.andnot(x, absMask));
}

/** out[i] = σ(x[i]) (see sigmoidScalar). out may be x. */
export function sigmoidForward(outPtr: usize, xPtr: usize, n: usize): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const n8 = n & ~7;
    const one = f32x4.splat(1), zero = f32x4.splat(0);
    if (i < n8) do {
      const p = xPtr + (i << 2), o = outPtr + (i << 2);
      const x0 = v128.load(p), x1 = v128.load(p, 16);
      v128.store(o, sigmoidX4(x0, one, zero));
      v128.store(o, sigmoidX4(x1, one, zero), 16);
      i += 8;
    } while (i < n8);
  }
  for (; i < n; i++) store<f32>(outPtr + (i << 2), sigmoidScalar(load<f32>(xPtr + (i << 2))));
}

/** out[i] = dy[i]·(y[i]·(1 − y[i])), the sigmoid gradient from its output y. out may be dy. */
export function sigmoidBackward(outPtr: usize, dyPtr: usize, yPtr: usize, n: usize): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const n8 = n & ~7;
    const one = f32x4.splat(1);
    if (i < n8) do {
      const d = dyPtr + (i << 2), y = yPtr + (i << 2), o = outPtr + (i << 2);
      const y0 = v128.load(y), y1 = v128.load(y, 16);
      v128.store(o, f32x4.mul(v128.load(d), f32x4.mul(y0, f32x4.sub(one, y0))));
      v128.store(o, f32x4.mul(v128.load(d, 16), f32x4.mul(y1, f32x4.sub(one, y1))), 16);
      i += 8;
    } while (i < n8);
  }
  for (; i < n; i++) {
    const y = load<f32>(yPtr + (i << 2));
    store<f32>(outPtr + (i << 2), load<f32>(dyPtr + (i << 2)) * (y * (1 - y)));
  }
}

/** out[i] = tanh(x[i]) (see tanhScalar). out may be x. */
export function tanhForward(outPtr: usize, xPtr: usize, n: usize): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const n8 = n & ~7;
    const one = f32x4.splat(1), absMask = v128.load(ABS_MASK);
    if (i < n8) do {
      const p = xPtr + (i << 2), o = outPtr + (i << 2);
      const x0 = v128.load(p), x1 = v128.load(p, 16);
      v128.store(o, tanhX4(x0, one, absMask));
      v128.store(o, tanhX4(x1, one, absMask), 16);
      i += 8;
    } while (i < n8);
  }
  for (; i < n; i++) store<f32>(outPtr + (i << 2), tanhScalar(load<f32>(xPtr + (i << 2))));
}

/** out[i] = dy[i]·(1 − y[i]·y[i]), the tanh gradient from its output y. out may be dy. */
export function tanhBackward(outPtr: usize, dyPtr: usize, yPtr: usize, n: usize): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const n8 = n & ~7;
    const one = f32x4.splat(1);
    if (i < n8) do {
      const d = dyPtr + (i << 2), y = yPtr + (i << 2), o = outPtr + (i << 2);
      const y0 = v128.load(y), y1 = v128.load(y, 16);
      v128.store(o, f32x4.mul(v128.load(d), f32x4.sub(one, f32x4.mul(y0, y0))));
      v128.store(o, f32x4.mul(v128.load(d, 16), f32x4.sub(one, f32x4.mul(y1, y1))), 16);
      i += 8;
    } while (i < n8);
  }
  for (; i < n; i++) {
    const y = load<f32>(yPtr + (i << 2));
    store<f32>(outPtr + (i << 2), load<f32>(dyPtr + (i << 2)) * (1 - y * y));
  }
}
