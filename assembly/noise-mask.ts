// Dropout with a noise shape (Keras noise_shape): one keep bit per element of a smaller "noise"
// tensor that is broadcast over the input (a whole channel, a whole row, ... kept or dropped
// together). The bits are dropout's keep rule (assembly/dropout.ts) over the noise elements, so
// bit j is a pure function of (seed, stream, offset + j) whatever the input's size and chunking.
// The same apply kernel also gives alpha dropout (kept: x·scale + shift, dropped: a constant).
import { groupKeepBits, keepThreshold } from "./dropout";
import { streamKey } from "./random";

/**
 * The ceil(n/32) keep words of noise elements 0..n-1 (counters offset..offset+n-1): the mask
 * dropout() writes for the same n, rate and stream. rate ≤ 0 (or 1 − rate rounding to 1) keeps
 * all, rate ≥ 1 none; bits past n stay 0.
 */
export function dropoutMask(maskPtr: usize, n: usize, rate: f64, seedLo: u32, seedHi: u32, stream: u32, offset: u32): void {
  const words = (n + 31) >> 5;
  const keepAll = rate <= 0 || 1 - rate >= 1;
  if (keepAll || rate >= 1) {
    memory.fill(maskPtr, keepAll ? 0xff : 0, words << 2);
    if (keepAll && (n & 31)) store<u32>(maskPtr + ((words - 1) << 2), (<u32>1 << <u32>(n & 31)) - 1);
    return;
  }
  const threshold = keepThreshold(rate);
  const key = streamKey(seedLo, seedHi, stream);
  const k1 = <u32>key, k2 = <u32>(key >>> 32);
  const shift = offset & 31;
  let g = offset >> 5;
  let low = shift ? groupKeepBits(g, threshold, k1, k2) : 0;
  for (let i: usize = 0; i < n; i += 32) {
    const count = min<usize>(n - i, 32);
    let word: u32;
    if (shift == 0) word = groupKeepBits(g, threshold, k1, k2);
    else {
      const high = count > 32 - shift ? groupKeepBits(g + 1, threshold, k1, k2) : 0;
      word = (low >>> shift) | (high << (32 - shift));
      low = high;
    }
    g++;
    if (count < 32) word &= (<u32>1 << <u32>count) - 1;
    store<u32>(maskPtr + (i >> 3), word);
  }
}

// @ts-ignore: decorator
@inline function maskBit(maskPtr: usize, j: u32): u32 {
  return (load<u32>(maskPtr + ((<usize>j >> 5) << 2)) >>> (j & 31)) & 1;
}

/**
 * out[i] = bit(noise index of i) ? x[i]·scale + shift : dropped, for the n elements from flat index
 * `start` of an input of `rank` dims. dimsPtr holds 3 u32 per dim, outermost first: its size, its
 * stride in the noise tensor (0: broadcast), and the index of element `start` along it (the kernel
 * moves these indices on). Dropout: shift = −0 (x·scale + (−0) is x·scale, signs of zeros too),
 * dropped = +0. The SIMD and scalar paths run the same f32 operations (no FMA).
 */
export function applyNoiseMask(outPtr: usize, xPtr: usize, maskPtr: usize, dimsPtr: usize, rank: u32, n: usize,
  scale: f32, shift: f32, dropped: f32): void {
  const inner = dimsPtr + (<usize>(rank - 1)) * 12;
  const innerSize = load<u32>(inner), innerStride = load<u32>(inner, 4);
  let innerIndex = load<u32>(inner, 8);
  let done: usize = 0;
  while (done < n) {
    let base: u32 = 0;
    for (let k: u32 = 0; k + 1 < rank; k++) {
      const d = dimsPtr + (<usize>k) * 12;
      base += load<u32>(d, 4) * load<u32>(d, 8);
    }
    const len = min<usize>(<usize>(innerSize - innerIndex), n - done);
    const o = outPtr + (done << 2), x = xPtr + (done << 2);
    if (innerStride == 0) {
      // one bit for the whole run
      if (maskBit(maskPtr, base)) {
        let i: usize = 0;
        if (ASC_FEATURE_SIMD) {
          const s = f32x4.splat(scale), b = f32x4.splat(shift), full = len & ~3;
          for (; i < full; i += 4) v128.store(o + (i << 2), f32x4.add(f32x4.mul(v128.load(x + (i << 2)), s), b));
        }
        for (; i < len; i++) store<f32>(o + (i << 2), load<f32>(x + (i << 2)) * scale + shift);
      } else {
        for (let i: usize = 0; i < len; i++) store<f32>(o + (i << 2), dropped);
      }
    } else {
      let j = base + innerIndex * innerStride;
      for (let i: usize = 0; i < len; i++) {
        const kept = maskBit(maskPtr, j);
        store<f32>(o + (i << 2), select<f32>(load<f32>(x + (i << 2)) * scale + shift, dropped, kept != 0));
        j += innerStride;
      }
    }
    done += len;
    innerIndex += <u32>len;
    if (innerIndex == innerSize && done < n) {
      innerIndex = 0;
      // carry into the outer dims
      for (let k = <i32>rank - 2; k >= 0; k--) {
        const d = dimsPtr + (<usize>k) * 12;
        const next = load<u32>(d, 8) + 1;
        if (next < load<u32>(d)) {
          store<u32>(d, next, 8);
          break;
        }
        store<u32>(d, 0, 8);
      }
    }
  }
}
