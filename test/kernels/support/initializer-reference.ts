// Reference of the weight initializers, written from their documented definitions (Keras's
// VarianceScaling, the src/layers/initializers doc comments), not from the library's code: the words
// come from the plain-JS generator, every value is computed in float64 with Math.log (the library
// uses its own portable logarithm) and is left unrounded, so a test compares fround(reference).

import { refRandomUint32 } from "../../support/reference-generator.js";

export type RefMode = "fanIn" | "fanOut" | "fanAvg";
export type RefDistribution = "uniform" | "truncatedNormal";

export interface RefVarianceScaling {
  scale: number;
  mode: RefMode;
  distribution: RefDistribution;
}

/** keras.initializers: GlorotUniform = VarianceScaling(1.0, "fan_avg", "uniform"), and so on. */
export const KERAS_VARIANCE_SCALING: Record<string, RefVarianceScaling> = {
  glorotUniform: { scale: 1, mode: "fanAvg", distribution: "uniform" },
  glorotNormal: { scale: 1, mode: "fanAvg", distribution: "truncatedNormal" },
  heNormal: { scale: 2, mode: "fanIn", distribution: "truncatedNormal" },
  heUniform: { scale: 2, mode: "fanIn", distribution: "uniform" },
  lecunNormal: { scale: 1, mode: "fanIn", distribution: "truncatedNormal" },
  lecunUniform: { scale: 1, mode: "fanIn", distribution: "uniform" },
};

/** Every built-in name. */
export const BUILT_IN = [...Object.keys(KERAS_VARIANCE_SCALING), "zeros", "ones", "course"];

/**
 * VarianceScaling.__call__ of Keras 3: scale /= max(1, fan); uniform: limit = sqrt(3·scale);
 * truncated normal: stddev = sqrt(scale) / .87962566103423978.
 */
export function refParameter({ scale, mode, distribution }: RefVarianceScaling, fanIn: number, fanOut: number): number {
  if (mode === "fanIn") scale /= Math.max(1, fanIn);
  else if (mode === "fanOut") scale /= Math.max(1, fanOut);
  else scale /= Math.max(1, (fanIn + fanOut) / 2);
  return distribution === "uniform" ? Math.sqrt(3 * scale) : Math.sqrt(scale) / 0.87962566103423978;
}

/** Word w as (2w + 1)/2^32 − 1: the odd multiples of 2^-32 in (−1, 1). */
const centered = (w: number): number => (2 * w + 1) / 2 ** 32 - 1;

/** limit·centered(u(i)) for i < n. */
export function refUniform(n: number, limit: number, seed: number, stream: number): Float64Array {
  const words = refRandomUint32(n, seed, stream);
  return Float64Array.from(words, (w) => limit * centered(w));
}

/**
 * stddev·z for the first n z with |z| < 2 of the polar method over word pairs (u, v): skip s = u² + v²
 * ≥ 1, else z₁ = u·√(−2 ln s / s) then z₂ = v·√(−2 ln s / s).
 */
export function refTruncatedNormal(n: number, stddev: number, seed: number, stream: number): Float64Array {
  let words = refRandomUint32(2 * n + 64, seed, stream);
  return refTruncatedNormalOf(n, stddev, (k) => {
    if (k >= words.length) words = refRandomUint32(2 * words.length, seed, stream);
    return words[k];
  });
}

/** refTruncatedNormal over the words word(0), word(1), … (for tests that choose some of them). */
export function refTruncatedNormalOf(n: number, stddev: number, word: (k: number) => number): Float64Array {
  const out = new Float64Array(n);
  let k = 0;
  let i = 0;
  while (i < n) {
    const u = centered(word(k++));
    const v = centered(word(k++));
    const s = u * u + v * v;
    if (s >= 1) continue;
    for (const z of [u * Math.sqrt((-2 * Math.log(s)) / s), v * Math.sqrt((-2 * Math.log(s)) / s)]) {
      if (i < n && Math.abs(z) < 2) out[i++] = stddev * z;
    }
  }
  return out;
}

/** The course's 0.01·N(0, 1): Box–Muller on words 2i, 2i + 1, u1 = (w + 1)/2^32, u2 = w/2^32. */
export function refCourse(n: number, seed: number, stream: number): Float64Array {
  const w = refRandomUint32(2 * Math.ceil(n / 2), seed, stream);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = Math.sqrt(-2 * Math.log((w[i & ~1] + 1) / 2 ** 32));
    const angle = 2 * Math.PI * (w[i | 1] / 2 ** 32);
    out[i] = 0.01 * (i % 2 === 0 ? r * Math.cos(angle) : r * Math.sin(angle));
  }
  return out;
}

/** The values of a built-in initializer for a fanIn × fanOut tensor (n values) from stream (seed, stream). */
export function refInitializer(
  name: string,
  n: number,
  fanIn: number,
  fanOut: number,
  seed: number,
  stream: number,
): Float64Array {
  if (name === "zeros") return new Float64Array(n);
  if (name === "ones") return new Float64Array(n).fill(1);
  if (name === "course") return refCourse(n, seed, stream);
  const spec = KERAS_VARIANCE_SCALING[name];
  if (!spec) throw new Error(`no reference for ${name}`);
  const parameter = refParameter(spec, fanIn, fanOut);
  return spec.distribution === "uniform"
    ? refUniform(n, parameter, seed, stream)
    : refTruncatedNormal(n, parameter, seed, stream);
}
