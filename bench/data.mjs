// Fresh benchmark data: seeded N(0, 1) values, so every run sees the same numbers and scalar code
// cannot lean on a branch predictor that has memorised a short repeated input.
import { mulberry32 } from "../test/support/mulberry32.js";

/** n values drawn from N(0, scale²) (Box–Muller), as f32. */
export function normals(n, seed, scale = 1) {
  const next = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = scale * Math.sqrt(-2 * Math.log(1 - next()));
    const theta = 2 * Math.PI * next();
    out[i] = r * Math.cos(theta);
    if (i + 1 < n) out[i + 1] = r * Math.sin(theta);
  }
  return out;
}

/** A bit mask over n elements (bit i&31 of word i>>5 set = kept), each bit kept with probability 1 − rate. */
export function keepMask(n, rate, seed) {
  const next = mulberry32(seed);
  const words = new Uint32Array(Math.ceil(n / 32));
  for (let i = 0; i < n; i++) if (next() >= rate) words[i >> 5] |= 1 << (i & 31);
  return words;
}

/** The same mask as plain JS and TF.js hold it: a Float32Array of 0 or 1/(1 − rate) per element. */
export function maskMultiplier(words, n, rate) {
  const scale = 1 / (1 - rate);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (words[i >> 5] >>> (i & 31)) & 1 ? scale : 0;
  return out;
}
