// The SIMD and the scalar build must agree bit for bit on every kernel. Two independent instances
// (each with its own memory) run the same inputs held in their own F32Buffers.
import { beforeAll, describe, expect, it } from "vitest";
import {
  addPenaltyGrad,
  allocF32,
  allocU32,
  dropout,
  dropoutBackward,
  instantiate,
  l1Penalty,
  l2Penalty,
  maskWords,
  penalty,
  randomUint32,
  simdSupported,
  type F32Buffer,
  type Instance,
  type U32Buffer,
} from "../../src/index.js";
import { describeDifference } from "./support/bits.js";
import { mulberry32 } from "../support/mulberry32.js";
import { EDGE_LENGTHS, normalF32 } from "./support/data.js";

let scalar: Instance;
let vector: Instance | undefined;

beforeAll(async () => {
  scalar = await instantiate({ simd: false });
  // only a runtime without WebAssembly SIMD may skip; Node 20 has it, so this runs in CI
  if (simdSupported()) vector = await instantiate({ simd: true });
});

const LENGTHS = [...EDGE_LENGTHS, 31, 32, 33, 1024, 1025, 65536 * 2 + 37, 1_000_003];

/** Finite values that stress rounding: ±0, subnormals, tiny and huge (squares stay below f32 max). */
const FINITE_EDGES = [0, -0, 1e-45, -1e-45, 1.17549435e-38, 1e-20, -1, 1, 0.1, 3.4e18, -3.4e18, 65504, 1 / 3];
/** Also non-finite values, for the elementwise kernels. */
const ALL_EDGES = [...FINITE_EDGES, NaN, Infinity, -Infinity, 3.4028234663852886e38, -3.4028234663852886e38];

/** N(0,1) data with every 7th element replaced by an edge value chosen at random. */
function mixed(n: number, seed: number, edges: number[]): Float32Array {
  const x = normalF32(n, seed);
  const next = mulberry32(seed ^ 0x5eed);
  for (let i = 0; i < n; i += 7) x[i] = edges[Math.floor(next() * edges.length)];
  return x;
}

/** Copies data into a new F32Buffer of the instance. */
function f32In(inst: Instance, data: Float32Array) {
  const buf = allocF32(data.length, inst);
  buf.view().set(data);
  return buf;
}

// Bit identity, except that any NaN equals any NaN: the wasm spec leaves NaN payloads
// nondeterministic, so only NaN-ness is a property both builds must share.
const NAN_EQUAL = true;

describe.runIf(simdSupported())("SIMD build == scalar build, bit for bit", () => {
  it("the instances are the builds they claim to be", () => {
    expect(scalar.simd).toBe(false);
    expect(vector!.simd).toBe(true);
  });

  for (const n of LENGTHS) {
    it(`n = ${n}: penalties, gradient, random words, dropout forward and backward`, () => {
      const finite = mixed(n, n + 1, FINITE_EDGES);
      const wild = mixed(n, n + 2, ALL_EDGES);
      const grad0 = normalF32(n, n + 3);
      const results = [scalar, vector!].map((inst) => {
        const out: Record<string, Float32Array | Uint32Array | number> = {};
        const x = f32In(inst, finite),
          w = f32In(inst, wild);
        out.l1 = l1Penalty(x);
        out.l2 = l2Penalty(x);
        out.penalty = penalty(x, { l1: 0.3, l2: 0.7 });
        for (const signAtZero of [1, 0, -1] as const) {
          for (const [name, data] of [
            ["finite", x],
            ["wild", w],
          ] as const) {
            const g = f32In(inst, grad0);
            out[`gradPenalty ${name} ${signAtZero}`] = addPenaltyGrad(g, data, { l1: 0.01, l2: 0.02, signAtZero });
            out[`grad ${name} ${signAtZero}`] = g.view().slice();
            g.free();
          }
        }
        const words = allocU32(n, inst);
        randomUint32(words, { seed: 2 ** 33 + 5, stream: 6, offset: 7 });
        out.words = words.view().slice();
        // offset 14: not a group start (32-element words only); 3072: the SIMD build's 128-element rounds
        for (const [rate, offset] of [
          [0, 14],
          [0.2, 14],
          [0.5, 14],
          [1, 14],
          [0.2, 3072],
          [0.1, 3072],
          [0.5, 3072],
        ]) {
          const mask = allocU32(maskWords(n), inst);
          const fwd = dropout<F32Buffer, undefined, U32Buffer>(w, { rate, seed: 12, stream: 13, offset, mask });
          out[`dropout ${rate} ${offset}`] = fwd.output.view().slice();
          out[`mask ${rate} ${offset}`] = mask.view().slice();
          const back = dropoutBackward<F32Buffer>(w, { rate, mask });
          out[`backward ${rate} ${offset}`] = back.view().slice();
          const regen = dropoutBackward<F32Buffer>(w, { rate, seed: 12, stream: 13, offset });
          out[`regenerated ${rate} ${offset}`] = regen.view().slice();
          for (const b of [mask, fwd.output, back, regen]) b.free();
        }
        x.free();
        w.free();
        words.free();
        return out;
      });
      const [s, v] = results;
      for (const key of Object.keys(s)) {
        const a = s[key],
          b = v[key];
        if (typeof a === "number")
          expect(b, key).toBe(a); // toBe is Object.is: NaN equals NaN, +0 ≠ −0
        else expect(describeDifference(a, b as typeof a, NAN_EQUAL), key).toBe("identical");
      }
    });
  }
});
