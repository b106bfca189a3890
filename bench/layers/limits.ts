// Speed limits for the layer benchmark, compiled at startup by limits.mjs (--enable simd -O3):
// the clock (a chain of dependent 1-cycle integer ops), the f32x4 mul + add issue rate without FMA,
// and a SIMD copy pass (the least time an elementwise kernel moving the same bytes can take).

/** 32 dependent xor/add steps per iteration (1 cycle each): a timed call gives the core clock. */
export function clockChain(iters: i32, y: i32, z: i32): i32 {
  let x = iters;
  let i = iters;
  if (i > 0)
    do {
      // xor and add alternate so no optimiser can fold the chain into fewer operations
      x = (x ^ y) + z;
      x = (x ^ y) + z;
      x = (x ^ y) + z;
      x = (x ^ y) + z;
      x = (x ^ y) + z;
      x = (x ^ y) + z;
      x = (x ^ y) + z;
      x = (x ^ y) + z;
      x = (x ^ y) + z;
      x = (x ^ y) + z;
      x = (x ^ y) + z;
      x = (x ^ y) + z;
      x = (x ^ y) + z;
      x = (x ^ y) + z;
      x = (x ^ y) + z;
      x = (x ^ y) + z;
      i--;
    } while (i > 0);
  return x;
}

/**
 * 12 independent chains c ← c·m + a, 2 steps each per iteration: 24 f32x4.mul and 24 f32x4.add,
 * 192 flop. 12 chains cover mul + add latency on every x64 core in use, and with m and a they fill
 * 14 of V8's 16 xmm registers (no spills).
 */
export function peakMulAdd(iters: i32, mul: f32, add: f32): f32 {
  const m = f32x4.splat(mul);
  const a = f32x4.splat(add);
  let c0 = a,
    c1 = f32x4.add(a, a),
    c2 = f32x4.add(c1, a),
    c3 = f32x4.add(c2, a);
  let c4 = f32x4.add(c3, a),
    c5 = f32x4.add(c4, a),
    c6 = f32x4.add(c5, a),
    c7 = f32x4.add(c6, a);
  let c8 = f32x4.add(c7, a),
    c9 = f32x4.add(c8, a),
    c10 = f32x4.add(c9, a),
    c11 = f32x4.add(c10, a);
  let i = iters;
  if (i > 0)
    do {
      c0 = f32x4.add(f32x4.mul(c0, m), a);
      c1 = f32x4.add(f32x4.mul(c1, m), a);
      c2 = f32x4.add(f32x4.mul(c2, m), a);
      c3 = f32x4.add(f32x4.mul(c3, m), a);
      c4 = f32x4.add(f32x4.mul(c4, m), a);
      c5 = f32x4.add(f32x4.mul(c5, m), a);
      c6 = f32x4.add(f32x4.mul(c6, m), a);
      c7 = f32x4.add(f32x4.mul(c7, m), a);
      c8 = f32x4.add(f32x4.mul(c8, m), a);
      c9 = f32x4.add(f32x4.mul(c9, m), a);
      c10 = f32x4.add(f32x4.mul(c10, m), a);
      c11 = f32x4.add(f32x4.mul(c11, m), a);
      c0 = f32x4.add(f32x4.mul(c0, m), a);
      c1 = f32x4.add(f32x4.mul(c1, m), a);
      c2 = f32x4.add(f32x4.mul(c2, m), a);
      c3 = f32x4.add(f32x4.mul(c3, m), a);
      c4 = f32x4.add(f32x4.mul(c4, m), a);
      c5 = f32x4.add(f32x4.mul(c5, m), a);
      c6 = f32x4.add(f32x4.mul(c6, m), a);
      c7 = f32x4.add(f32x4.mul(c7, m), a);
      c8 = f32x4.add(f32x4.mul(c8, m), a);
      c9 = f32x4.add(f32x4.mul(c9, m), a);
      c10 = f32x4.add(f32x4.mul(c10, m), a);
      c11 = f32x4.add(f32x4.mul(c11, m), a);
      i--;
    } while (i > 0);
  const s = f32x4.add(
    f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7))),
    f32x4.add(f32x4.add(c8, c9), f32x4.add(c10, c11)),
  );
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}

/** out[0…n) = x[0…n), 16 floats per bottom-tested step (n a multiple of 16). */
export function copyPass(outPtr: usize, xPtr: usize, n: usize): void {
  let i: usize = 0;
  if (i < n)
    do {
      const p = xPtr + (i << 2),
        o = outPtr + (i << 2);
      const a = v128.load(p),
        b = v128.load(p, 16),
        c = v128.load(p, 32),
        d = v128.load(p, 48);
      v128.store(o, a);
      v128.store(o, b, 16);
      v128.store(o, c, 32);
      v128.store(o, d, 48);
      i += 16;
    } while (i < n);
}
