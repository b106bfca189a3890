// Plain-JS float64 reference of regwasm's normal variates, from their definition (docs/RNG.md,
// assembly/normal.ts): pair p = c >> 1 uses the raw words u(2p), u(2p + 1);
//   u1 = (u(2p) + 1)·2^-32, θ = u(2p + 1)·(2π·2^-32), r = sqrt(−2·ln u1)
//   z(2p) = r·cos θ, z(2p + 1) = r·sin θ
// JS's Math.log/cos/sin may differ from musl's (compiled into the kernels) by an ulp of f64, so
// comparisons allow one ulp of f32 after rounding.
import { refStreamKey, refWord } from "./reference-generator.js";

/** The float64 variates z(offset), …, z(offset + n − 1) of stream (seed, stream). */
export function refNormals(n, seed, stream = 0, offset = 0) {
  const [k1, k2] = refStreamKey(seed, stream);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = offset + i;
    const p = Math.floor(c / 2);
    const u1 = (refWord(2 * p, k1, k2) + 1) * 2 ** -32;
    const theta = refWord(2 * p + 1, k1, k2) * (2 * Math.PI * 2 ** -32);
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = c % 2 === 0 ? r * Math.cos(theta) : r * Math.sin(theta);
  }
  return out;
}
