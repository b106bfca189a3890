// The speed limits the kernels are measured against: the least work a SIMD pass over f32 data can
// do. readPass (for the penalty sums) reads each element once into four f32x4 accumulators with the
// kernels' loop shape (index i, 16 elements per bottom-tested step) and does nothing else;
// readWritePass (for the elementwise kernels) reads one array and writes another. bench/read-pass.mjs
// compiles them at startup (--enable simd -O3) and runs them on the memory regwasm's own buffers live in.

/** Σx over n f32 values at ptr, returned so the loads cannot be optimised away. */
export function readPass(ptr: usize, n: usize): f32 {
  let a0 = f32x4.splat(0),
    a1 = a0,
    a2 = a0,
    a3 = a0;
  const full = n & ~15;
  let i: usize = 0;
  if (i < full)
    do {
      const p = ptr + (i << 2);
      a0 = f32x4.add(a0, v128.load(p));
      a1 = f32x4.add(a1, v128.load(p, 16));
      a2 = f32x4.add(a2, v128.load(p, 32));
      a3 = f32x4.add(a3, v128.load(p, 48));
      i += 16;
    } while (i < full);
  const s = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
  let total = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
  for (; i < n; i++) total += load<f32>(ptr + (i << 2));
  return total;
}

/**
 * out[i] = x[i]·c over n f32 values: the least work an elementwise kernel can do (read one array,
 * write one), with the same loop shape; the speed limit for dropout and the other elementwise kernels.
 */
export function readWritePass(outPtr: usize, xPtr: usize, n: usize, c: f32): void {
  const cv = f32x4.splat(c);
  const full = n & ~15;
  let i: usize = 0;
  if (i < full)
    do {
      const p = i << 2;
      v128.store(outPtr + p, f32x4.mul(v128.load(xPtr + p), cv));
      v128.store(outPtr + p, f32x4.mul(v128.load(xPtr + p, 16), cv), 16);
      v128.store(outPtr + p, f32x4.mul(v128.load(xPtr + p, 32), cv), 32);
      v128.store(outPtr + p, f32x4.mul(v128.load(xPtr + p, 48), cv), 48);
      i += 16;
    } while (i < full);
  for (; i < n; i++) store<f32>(outPtr + (i << 2), load<f32>(xPtr + (i << 2)) * c);
}
