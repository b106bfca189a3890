// The golden cases: which kernel calls vectors.json pins down, and how to run one against a regwasm
// module (dist/ in scripts/golden.mjs, src/ in the tests), on plain typed arrays or on zero-copy
// buffers of a given instance.
import { goldenInput } from "./inputs.js";
import { bytesOf, f64Bytes } from "./bytes.js";

/** Lengths around the SIMD edges (4 lanes, 16-element chunks, 32-element mask words, 1024-blocks). */
export const LENGTHS = [0, 1, 3, 17, 1023, 4097];
/** Crosses the 65536-element copy window of plain-array calls. */
export const LARGE = 65536 + 33;
/** Large enough to run in 4 parts on 2 threads (src/wasm/partition.ts), with part ends inside blocks and a ragged tail. */
export const THREADED = 2 ** 19 + 1024 + 16 + 5;
/** Outputs up to this many bytes are stored whole (base64, so a mismatch names the element), larger ones as a SHA-256 digest. */
export const KEEP_BYTES_UP_TO = 1023 * 4;

const MAX_SEED = Number.MAX_SAFE_INTEGER; // 2^53 - 1

/** Every case, in a fixed order. Input arrays are named by the seed they are regenerated from. */
export function goldenCases() {
  const cases = [];
  for (const n of [...LENGTHS, LARGE, THREADED]) {
    cases.push({ kind: "penalty", n, x: 1, l1: 0.1, l2: 0.01 });
    cases.push({ kind: "addPenaltyGrad", n, x: 1, grad: 2, l1: 0.01, l2: 0.005, signAtZero: 1 });
    if (n < LARGE) {
      cases.push({ kind: "addPenaltyGrad", n, x: 1, grad: 2, l1: 0.02, l2: 0, signAtZero: 0 });
      cases.push({ kind: "addPenaltyGrad", n, x: 1, grad: 2, l1: 0.003, l2: 0.25, signAtZero: -1 });
    }
    cases.push({ kind: "dropout", n, x: 1, dy: 3, rate: 0.5, seed: 42, stream: 0, offset: 0 });
    if (n < LARGE) {
      cases.push({ kind: "dropout", n, x: 1, dy: 3, rate: 0.1, seed: 2 ** 32 + 12345, stream: 3, offset: 100 });
      cases.push({ kind: "dropout", n, x: 1, dy: 3, rate: 0.9, seed: MAX_SEED, stream: 0xffffffff, offset: 7 });
      cases.push({ kind: "dropout", n, x: 1, dy: 3, rate: 1 / 3, seed: 0, stream: 1, offset: 0 });
    }
    if (n <= 17) {
      cases.push({ kind: "dropout", n, x: 1, dy: 3, rate: 0, seed: 5, stream: 0, offset: 0 });
      cases.push({ kind: "dropout", n, x: 1, dy: 3, rate: 1, seed: 5, stream: 0, offset: 0 });
    }
    cases.push({ kind: "randomUint32", n, seed: 0, stream: 0, offset: 0 });
    if (n < LARGE) {
      cases.push({ kind: "randomUint32", n, seed: 2 ** 32 + 1, stream: 5, offset: 2 ** 32 - 1 - n });
      cases.push({ kind: "randomUint32", n, seed: MAX_SEED, stream: 0xffffffff, offset: 12345 });
    }
    // normal variates (Box–Muller inside WASM): an odd offset starts mid-pair
    cases.push({ kind: "randomNormal", n, seed: 2 ** 32 + 7, stream: 3, offset: 1 });
    cases.push({ kind: "gaussianNoise", n, x: 1, stddev: 0.5, seed: 11, stream: 2, offset: 0 });
    cases.push({ kind: "gaussianDropout", n, x: 1, rate: 0.3, seed: MAX_SEED, stream: 0, offset: 5 });
  }
  // dropout with noise shapes: broadcast runs along the inner dim, along the outer dim, and across copy windows
  for (const [shape, noiseShape] of [
    [
      [4, 5, 6],
      [null, 1, null],
    ],
    [
      [3, 7, 11],
      [1, null, 1],
    ],
    [
      [7, 9367],
      [null, 1],
    ],
    [
      [3, 175111],
      [1, null],
    ],
  ]) {
    const n = shape.reduce((a, b) => a * b, 1);
    cases.push({ kind: "dropoutNoise", n, x: 1, dy: 3, rate: 0.4, seed: 77, stream: 1, offset: 3, shape, noiseShape });
  }
  return cases;
}

/** A short readable name for a case (test titles, error messages). */
export function caseName(spec) {
  const { kind, n, expect: _stored, ...rest } = spec;
  return `${kind} n=${n} ${Object.entries(rest)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.map(String)}]` : v}`)
    .join(" ")}`;
}

/** Outputs that must equal another stored output (a second path to the same result). */
export const STORED_AS = { outputNoMask: "output", backwardRegenerated: "backward" };

/**
 * Runs one case and returns its outputs as raw bytes, by name.
 * @param api a regwasm module namespace (init() must have resolved if `instance` is omitted)
 * @param spec one entry of goldenCases()
 * @param instance when given, every operand is a zero-copy buffer in this instance; else plain typed arrays
 * @returns {Record<string, Uint8Array>}
 */
export function runCase(api, spec, instance) {
  const owned = [];
  const f32 = (values) => {
    if (!instance) return values;
    const buf = api.allocF32(values.length, instance);
    buf.view().set(values);
    owned.push(buf);
    return buf;
  };
  const u32 = (length) => {
    if (!instance) return new Uint32Array(length);
    const buf = api.allocU32(length, instance);
    owned.push(buf);
    return buf;
  };
  const read = (data) => bytesOf(instance ? data.view() : data);
  try {
    const { n } = spec;
    switch (spec.kind) {
      case "penalty": {
        const x = f32(goldenInput(n, spec.x));
        return {
          l1Penalty: f64Bytes(api.l1Penalty(x)),
          l2Penalty: f64Bytes(api.l2Penalty(x)),
          penalty: f64Bytes(api.penalty(x, { l1: spec.l1, l2: spec.l2 })),
        };
      }
      case "addPenaltyGrad": {
        const x = f32(goldenInput(n, spec.x));
        const grad = f32(goldenInput(n, spec.grad));
        const total = api.addPenaltyGrad(grad, x, { l1: spec.l1, l2: spec.l2, signAtZero: spec.signAtZero });
        return { grad: read(grad), penalty: f64Bytes(total) };
      }
      case "dropout": {
        const stream = { seed: spec.seed, stream: spec.stream, offset: spec.offset };
        const x = f32(goldenInput(n, spec.x));
        const { output, mask } = api.dropout(x, {
          rate: spec.rate,
          ...stream,
          out: f32(new Float32Array(n)),
          mask: u32(api.maskWords(n)),
        });
        const noMask = api.dropout(x, { rate: spec.rate, ...stream, out: f32(new Float32Array(n)), mask: false });
        const dy = f32(goldenInput(n, spec.dy));
        const backward = api.dropoutBackward(dy, { rate: spec.rate, mask }, f32(new Float32Array(n)));
        const regenerated = api.dropoutBackward(dy, { rate: spec.rate, ...stream }, f32(new Float32Array(n)));
        return {
          output: read(output),
          mask: read(mask),
          backward: read(backward),
          outputNoMask: read(noMask.output),
          backwardRegenerated: read(regenerated),
        };
      }
      case "randomUint32": {
        const words = api.randomUint32(u32(n), { seed: spec.seed, stream: spec.stream, offset: spec.offset });
        return { words: read(words) };
      }
      case "randomNormal": {
        const z = api.randomNormal(f32(new Float32Array(n)), {
          seed: spec.seed,
          stream: spec.stream,
          offset: spec.offset,
        });
        return { normals: read(z) };
      }
      case "gaussianNoise":
      case "gaussianDropout": {
        const stream = { seed: spec.seed, stream: spec.stream, offset: spec.offset };
        const param = spec.kind === "gaussianNoise" ? { stddev: spec.stddev } : { rate: spec.rate };
        const x = f32(goldenInput(n, spec.x));
        return { output: read(api[spec.kind](x, { ...param, ...stream, out: f32(new Float32Array(n)) })) };
      }
      case "dropoutNoise": {
        const options = { rate: spec.rate, seed: spec.seed, stream: spec.stream, offset: spec.offset };
        const shapes = { noiseShape: spec.noiseShape, shape: spec.shape };
        const noiseLength = spec.noiseShape.reduce((a, d, k) => a * (d ?? spec.shape[k]), 1);
        const x = f32(goldenInput(n, spec.x));
        const { output, mask } = api.dropout(x, {
          ...options,
          ...shapes,
          out: f32(new Float32Array(n)),
          mask: u32(api.maskWords(noiseLength)),
        });
        const dy = f32(goldenInput(n, spec.dy));
        const backward = api.dropoutBackward(dy, { rate: spec.rate, mask, ...shapes }, f32(new Float32Array(n)));
        const regenerated = api.dropoutBackward(dy, { ...options, ...shapes }, f32(new Float32Array(n)));
        return {
          output: read(output),
          mask: read(mask),
          backward: read(backward),
          backwardRegenerated: read(regenerated),
        };
      }
      default:
        throw new Error(`unknown golden case kind ${spec.kind}`);
    }
  } finally {
    for (const buf of owned) buf.free();
  }
}
