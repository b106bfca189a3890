// ReLU forward and backward over n f32 elements.

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
