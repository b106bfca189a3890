// Normal variates from the counter-based generator (assembly/random.ts) by Box–Muller, in f64 with
// AssemblyScript's Math (musl's log, sin and cos compiled into this module, sqrt a WASM
// instruction): the same bits in every runtime and in the SIMD and scalar builds (both run this
// scalar code). Counter c is the variate of pair p = c >> 1, which uses the words u(2p), u(2p + 1):
//   u1 = (u(2p) + 1)·2^-32 ∈ (0, 1],  θ = u(2p + 1)·(2π·2^-32),  r = sqrt(−2·log(u1))
//   z(2p) = r·cos(θ),  z(2p + 1) = r·sin(θ)
// So variates are a pure function of (seed, stream, c) and |z| ≤ sqrt(64·ln 2) ≈ 6.66.
import { hashCounter, streamKey } from "./random";

const TWO_POW_M32: f64 = 2.3283064365386963e-10;
const ANGLE_STEP: f64 = 6.283185307179586 * 2.3283064365386963e-10;

/** mode 0: out = f32(z); 1 (additive noise): out = x + f32(stddev·z); 2 (multiplicative): out = x·f32(1 + stddev·z). */
// @ts-ignore: decorator
@inline function normalNoise(outPtr: usize, xPtr: usize, n: usize, stddev: f64, mode: i32,
  seedLo: u32, seedHi: u32, stream: u32, offset: u32): void {
  const key = streamKey(seedLo, seedHi, stream);
  const k1 = <u32>key, k2 = <u32>(key >>> 32);
  let c = offset;
  let cosZ: f64 = 0, sinZ: f64 = 0;
  for (let i: usize = 0; i < n; i++, c++) {
    if (i == 0 || (c & 1) == 0) {
      const p = c >> 1;
      const u1 = (<f64>hashCounter(p << 1, k1, k2) + 1) * TWO_POW_M32;
      const theta = <f64>hashCounter((p << 1) | 1, k1, k2) * ANGLE_STEP;
      const r = Math.sqrt(-2 * Math.log(u1));
      // one argument reduction for both (musl's sincos: the same kernels, so the values of cos and sin)
      NativeMath.sincos(theta);
      cosZ = r * NativeMath.sincos_cos;
      sinZ = r * NativeMath.sincos_sin;
    }
    const z = c & 1 ? sinZ : cosZ;
    const p = i << 2;
    if (mode == 0) store<f32>(outPtr + p, <f32>z);
    else if (mode == 1) store<f32>(outPtr + p, load<f32>(xPtr + p) + <f32>(stddev * z));
    else store<f32>(outPtr + p, load<f32>(xPtr + p) * <f32>(1 + stddev * z));
  }
}

/** out[i] = f32(z(offset + i)): standard normal variates. */
export function randomNormal(outPtr: usize, n: usize, seedLo: u32, seedHi: u32, stream: u32, offset: u32): void {
  normalNoise(outPtr, 0, n, 1, 0, seedLo, seedHi, stream, offset);
}

/** out[i] = x[i] + f32(stddev·z(offset + i)) (Keras GaussianNoise); out may be x. */
export function gaussianNoise(outPtr: usize, xPtr: usize, n: usize, stddev: f64, seedLo: u32, seedHi: u32, stream: u32, offset: u32): void {
  normalNoise(outPtr, xPtr, n, stddev, 1, seedLo, seedHi, stream, offset);
}

/** out[i] = x[i]·f32(1 + stddev·z(offset + i)) (Keras GaussianDropout, stddev = sqrt(rate/(1 − rate))); out may be x. */
export function gaussianDropout(outPtr: usize, xPtr: usize, n: usize, stddev: f64, seedLo: u32, seedHi: u32, stream: u32, offset: u32): void {
  normalNoise(outPtr, xPtr, n, stddev, 2, seedLo, seedHi, stream, offset);
}
