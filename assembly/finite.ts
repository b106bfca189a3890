// Whether n f32 values are all finite: the training loop's check before an update is applied.

/**
 * 1 when every x[i] is finite, else 0. x − x is 0 for a finite x and NaN for NaN or ±∞, and a NaN
 * survives every later addition, so one subtraction and one addition per element decide it.
 */
export function allFinite(xPtr: usize, n: usize): i32 {
  let i: usize = 0;
  let bad: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    const n16 = n & ~15;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    if (i < n16) do {
      const p = xPtr + (i << 2);
      const x0 = v128.load(p), x1 = v128.load(p, 16), x2 = v128.load(p, 32), x3 = v128.load(p, 48);
      a0 = f32x4.add(a0, f32x4.sub(x0, x0));
      a1 = f32x4.add(a1, f32x4.sub(x1, x1));
      a2 = f32x4.add(a2, f32x4.sub(x2, x2));
      a3 = f32x4.add(a3, f32x4.sub(x3, x3));
      i += 16;
    } while (i < n16);
    const a = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
    bad = f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1) + f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3);
  }
  for (; i < n; i++) {
    const x = load<f32>(xPtr + (i << 2));
    bad += x - x;
  }
  return <i32>(bad == 0);
}
