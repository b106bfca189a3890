// dropout with a noise shape in plain TS: dropout's own keep rule over the noise tensor's elements,
// each input element reading the bit of its broadcast noise index (row-major, noise dims of 1 broadcast).
import { refDropout, refPackBits, refScale } from "../../reference.js";

/** Flat noise index of every input element (row-major, noise dims of 1 broadcast). */
export function noiseIndices(shape: number[], noise: number[]): Uint32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let rest = i,
      j = 0,
      stride = 1;
    for (let k = shape.length - 1; k >= 0; k--) {
      const idx = rest % shape[k];
      rest = Math.floor(rest / shape[k]);
      if (noise[k] !== 1) j += idx * stride;
      stride *= noise[k];
    }
    out[i] = j;
  }
  return out;
}

/** The reference output and noise mask of dropout(x, { noiseShape, shape }). */
export function refNoiseDropout(
  x: Float32Array,
  shape: number[],
  noise: (number | null)[],
  rate: number,
  seed: number,
  stream = 0,
  offset = 0,
) {
  const full = noise.map((d, k) => (d === null ? shape[k] : d));
  const noiseLength = full.reduce((a, b) => a * b, 1);
  const { keep } = refDropout(new Float32Array(noiseLength), rate, seed, stream, offset);
  const idx = noiseIndices(shape, full);
  const scale = refScale(rate);
  const output = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) output[i] = rate === 0 ? x[i] : keep[idx[i]] ? Math.fround(x[i] * scale) : 0;
  return { output, mask: refPackBits(keep) };
}
