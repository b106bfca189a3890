// An independent plain-JS reference for the golden cases, written from the documented semantics
// (assembly/random.ts, dropout.ts, gradient.ts headers), not from the kernels' code paths. It pins the
// stored vectors to what the kernels are specified to compute, so vectors.json is not merely
// "whatever the code printed once".
import { goldenInput } from "./inputs.js";
import { bytesOf } from "./bytes.js";
import { refRandomUint32 } from "../support/reference-generator.js";

/** Keep rule: u < floor((1 - rate)·2^32); kept values times f32(1/(1 - rate)), dropped ones +0. */
function referenceDropout(spec) {
  const { n, rate } = spec;
  const x = goldenInput(n, spec.x),
    dy = goldenInput(n, spec.dy);
  const output = new Float32Array(n),
    backward = new Float32Array(n),
    mask = new Uint32Array(Math.ceil(n / 32));
  const words = refRandomUint32(n, spec.seed, spec.stream, spec.offset);
  const threshold = Math.floor((1 - rate) * 2 ** 32);
  const scale = Math.fround(1 / (1 - rate));
  for (let i = 0; i < n; i++) {
    // rate 0 keeps everything unscaled (a copy); rate 1 drops everything
    const kept = rate === 0 || (rate < 1 && words[i] < threshold);
    if (!kept) continue;
    mask[i >> 5] |= 1 << (i & 31);
    output[i] = rate === 0 ? x[i] : Math.fround(x[i] * scale);
    backward[i] = rate === 0 ? dy[i] : Math.fround(dy[i] * scale);
  }
  return { output, mask, backward };
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

function sums(n, seed) {
  const x = goldenInput(n, seed);
  let abs = 0,
    sq = 0;
  for (const v of x) {
    abs += Math.abs(v);
    sq += Math.fround(v * v);
  }
  return { abs, sq };
}

/**
 * The reference result of a case: `exact` outputs as bytes (must match bit for bit) and `approx`
 * f64 results (penalties: the kernels sum in f32 lanes, so only close to this f64 sum).
 */
export function referenceOutputs(spec) {
  switch (spec.kind) {
    case "penalty": {
      const { abs, sq } = sums(spec.n, spec.x);
      return { exact: {}, approx: { l1Penalty: abs, l2Penalty: sq, penalty: spec.l1 * abs + spec.l2 * sq } };
    }
    case "addPenaltyGrad": {
      const { abs, sq } = sums(spec.n, spec.x);
      return { exact: { grad: bytesOf(referenceGrad(spec)) }, approx: { penalty: spec.l1 * abs + spec.l2 * sq } };
    }
    case "dropout": {
      const { output, mask, backward } = referenceDropout(spec);
      return { exact: { output: bytesOf(output), mask: bytesOf(mask), backward: bytesOf(backward) }, approx: {} };
    }
    case "randomUint32":
      return { exact: { words: bytesOf(refRandomUint32(spec.n, spec.seed, spec.stream, spec.offset)) }, approx: {} };
    default:
      throw new Error(`unknown golden case kind ${spec.kind}`);
  }
}

/**
 * Relative tolerance for the f32-lane sums against the f64 reference: each of the 16 lanes adds at
 * most 64 non-negative f32 terms per 1024-block before the f64 fold, so the relative error is below
 * 64·2^-24 ≈ 3.8e-6 (plus 2^-24 for the f32 square); 1e-5 leaves margin. Empty sums must be exactly 0.
 */
export const SUM_RTOL = 1e-5;
