// An independent plain-JS reference for the golden cases, written from the documented semantics
// (assembly/random.ts, dropout.ts, gradient.ts headers; the README's summation order), not from the
// kernels' code paths. It pins every stored output, penalties included, to the exact bits the kernels
// are specified to compute, so vectors.json is not merely "whatever the code printed once".
import { goldenInput } from "./inputs.js";
import { bytesOf, f64Bytes } from "./bytes.js";
import { refKeepUniforms, refRandomUint32 } from "../support/reference-generator.js";
import { orderedPenalty, orderedSums } from "../support/penalty-order.js";
import { refNormals } from "../support/normal-reference.js";

/**
 * Keep rule: v < floor((1 - rate)·2^32), v(c) the uniform whose bit 31 − k is bit c & 31 of the raw
 * word u(32·(c >> 5) + k); kept values times f32(1/(1 - rate)), dropped ones +0.
 */
function referenceDropout(spec) {
  const { n, rate } = spec;
  const x = goldenInput(n, spec.x),
    dy = goldenInput(n, spec.dy);
  const output = new Float32Array(n),
    backward = new Float32Array(n),
    mask = new Uint32Array(Math.ceil(n / 32));
  const uniforms = refKeepUniforms(n, spec.seed, spec.stream, spec.offset);
  const threshold = Math.floor((1 - rate) * 2 ** 32);
  const scale = Math.fround(1 / (1 - rate));
  for (let i = 0; i < n; i++) {
    // rate 0 keeps everything unscaled (a copy); rate 1 drops everything
    const kept = rate === 0 || (rate < 1 && uniforms[i] < threshold);
    if (!kept) continue;
    mask[i >> 5] |= 1 << (i & 31);
    output[i] = rate === 0 ? x[i] : Math.fround(x[i] * scale);
    backward[i] = rate === 0 ? dy[i] : Math.fround(dy[i] * scale);
  }
  return { output, mask, backward };
}

/**
 * Dropout over a noise shape: the keep rule over the noise elements' counters, element i reading
 * the bit of its broadcast noise index.
 */
function referenceDropoutNoise(spec) {
  const { n, rate, shape } = spec;
  const noise = spec.noiseShape.map((d, k) => d ?? shape[k]);
  const noiseLength = noise.reduce((a, b) => a * b, 1);
  const uniforms = refKeepUniforms(noiseLength, spec.seed, spec.stream, spec.offset);
  const threshold = Math.floor((1 - rate) * 2 ** 32);
  const mask = new Uint32Array(Math.ceil(noiseLength / 32));
  for (let j = 0; j < noiseLength; j++) if (uniforms[j] < threshold) mask[j >> 5] |= 1 << (j & 31);
  const scale = Math.fround(1 / (1 - rate));
  const x = goldenInput(n, spec.x),
    dy = goldenInput(n, spec.dy);
  const output = new Float32Array(n),
    backward = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let rest = i,
      j = 0,
      stride = 1;
    for (let k = shape.length - 1; k >= 0; k--) {
      if (noise[k] !== 1) j += (rest % shape[k]) * stride;
      rest = Math.floor(rest / shape[k]);
      stride *= noise[k];
    }
    if ((mask[j >> 5] >>> (j & 31)) & 1) {
      output[i] = Math.fround(x[i] * scale);
      backward[i] = Math.fround(dy[i] * scale);
    }
  }
  return { output: bytesOf(output), mask: bytesOf(mask), backward: bytesOf(backward) };
}

/**
 * Outputs that JS can only approximate: the normal variates use log, sin and cos, whose last f64 bit
 * JS's Math may round differently from the musl code compiled into the kernels. Each must lie within
 * one f32 ulp of these float64 values (scripts/golden.mjs checks it before writing).
 */
export function referenceApproximations(spec) {
  const { n } = spec;
  switch (spec.kind) {
    case "randomNormal":
      return { normals: refNormals(n, spec.seed, spec.stream, spec.offset) };
    case "gaussianNoise": {
      const x = goldenInput(n, spec.x);
      const z = refNormals(n, spec.seed, spec.stream, spec.offset);
      return { output: Float64Array.from(x, (v, i) => v + Math.fround(spec.stddev * z[i])) };
    }
    case "gaussianDropout": {
      const x = goldenInput(n, spec.x);
      const z = refNormals(n, spec.seed, spec.stream, spec.offset);
      const s = Math.sqrt(spec.rate / (1 - spec.rate));
      return { output: Float64Array.from(x, (v, i) => v * Math.fround(1 + s * z[i])) };
    }
    default:
      return {};
  }
}

/** grad[i] + (f32(λ1)·s + f32(2λ2)·x[i]) in f32, s = sign(x[i]) or signAtZero at ±0. */
function referenceGrad(spec) {
  const x = goldenInput(spec.n, spec.x),
    grad = goldenInput(spec.n, spec.grad);
  const l1 = Math.fround(spec.l1),
    l2x2 = Math.fround(2 * spec.l2);
  for (let i = 0; i < spec.n; i++) {
    const s = x[i] === 0 ? spec.signAtZero : Math.sign(x[i]);
    grad[i] = Math.fround(grad[i] + Math.fround(Math.fround(l1 * s) + Math.fround(l2x2 * x[i])));
  }
  return grad;
}

/** The penalty results of a case, as f64 bytes, summed in the documented order (exact bits). */
function referencePenalties(spec) {
  const x = goldenInput(spec.n, spec.x);
  const [abs, sq] = orderedSums(x);
  return { abs: f64Bytes(abs), sq: f64Bytes(sq), penalty: f64Bytes(orderedPenalty(x, spec.l1, spec.l2)) };
}

/**
 * The reference result of a case: every output as bytes, which must match vectors.json bit for bit.
 * Penalties follow the documented summation order (test/support/penalty-order.js), so their bits are
 * reproduced exactly too, not merely approximated by an f64 sum.
 */
export function referenceOutputs(spec) {
  switch (spec.kind) {
    case "penalty": {
      const { abs, sq, penalty } = referencePenalties(spec);
      return { l1Penalty: abs, l2Penalty: sq, penalty };
    }
    case "addPenaltyGrad":
      return { grad: bytesOf(referenceGrad(spec)), penalty: referencePenalties(spec).penalty };
    case "dropout": {
      const { output, mask, backward } = referenceDropout(spec);
      return { output: bytesOf(output), mask: bytesOf(mask), backward: bytesOf(backward) };
    }
    case "randomUint32":
      return { words: bytesOf(refRandomUint32(spec.n, spec.seed, spec.stream, spec.offset)) };
    case "dropoutNoise":
      return referenceDropoutNoise(spec);
    case "randomNormal":
    case "gaussianNoise":
    case "gaussianDropout":
      return {}; // see referenceApproximations

    default:
      throw new Error(`unknown golden case kind ${spec.kind}`);
  }
}
