// The optimizer kernels (adamUpdate, adamUpdateInChunks, sgdUpdate) keep NaN and ±∞: a diverging
// update must stay visible, never turn into a plausible 0, while subnormal results are still stored as
// +0 (as hardware FTZ). Each non-finite value is placed in SIMD lanes and in the scalar tail; the
// results are compared with the documented f32 formula (test/kernels/support/layer-reference.ts, whose
// flush keeps NaN) and with the other build, NaN-ness for NaN-ness (the wasm spec leaves NaN payloads
// open), every other bit exact.
import { beforeAll, describe, expect, it } from "vitest";
import { allocF32, type Instance } from "../../src/index.js";
import { bitsOf, describeDifference } from "./support/bits.js";
import { type Builds, loadBuilds, put } from "./support/builds.js";
import { uniformF32 as uniform } from "./support/data.js";
import { adamArgList, adamArgs, refAdamUpdate, refSgdUpdate, type SgdArgs } from "./support/layer-reference.js";

let builds: Builds;
beforeAll(async () => {
  builds = await loadBuilds();
});

const NAN_EQUAL = true;
const LENGTHS = [1, 4, 5, 15, 16, 17, 33];
const BAD = [Number.NaN, Infinity, -Infinity];

const ADAM_KERNELS = ["adamUpdate", "adamUpdateInChunks"] as const;

/** One Adam step of `kernel` on `inst`: returns [w, m, v]. */
function adamOn(
  kernel: (typeof ADAM_KERNELS)[number],
  inst: Instance,
  w0: Float32Array,
  g: Float32Array,
  m0?: Float32Array,
): Float32Array[] {
  const n = w0.length;
  const w = put(inst, w0),
    gb = put(inst, g),
    m = m0 ? put(inst, m0) : allocF32(n, inst),
    v = allocF32(n, inst);
  inst.kernels[kernel](w.ptr, gb.ptr, m.ptr, v.ptr, n, ...adamArgList(adamArgs(0.01, 0, { weightDecay: 0.1 })));
  const out = [w, m, v].map((b) => b.view().slice());
  for (const b of [w, gb, m, v]) b.free();
  return out;
}

/** One SGD step on `inst` (momentum buffer when momentum > 0): returns [w, u]. */
function sgdOn(inst: Instance, w0: Float32Array, g: Float32Array, a: SgdArgs): Float32Array[] {
  const n = w0.length;
  const w = put(inst, w0),
    gb = put(inst, g),
    u = allocF32(n, inst);
  inst.kernels.sgdUpdate(w.ptr, gb.ptr, a.momentum > 0 ? u.ptr : 0, n, a.lr, a.momentum, a.keep);
  const out = [w, u].map((b) => b.view().slice());
  for (const b of [w, gb, u]) b.free();
  return out;
}

function refAdam(w0: Float32Array, g: Float32Array, m0?: Float32Array): Float32Array[] {
  const w = w0.slice(),
    m = m0 ? m0.slice() : new Float32Array(w0.length),
    v = new Float32Array(w0.length);
  refAdamUpdate(w, g, m, v, adamArgs(0.01, 0, { weightDecay: 0.1 }));
  return [w, m, v];
}

function refSgd(w0: Float32Array, g: Float32Array, a: SgdArgs): Float32Array[] {
  const w = w0.slice(),
    u = new Float32Array(w0.length);
  refSgdUpdate(w, g, a.momentum > 0 ? u : null, a);
  return [w, u];
}

/** Every result against the reference and against the other build. */
function expectAsReference(got: Float32Array[], other: Float32Array[], want: Float32Array[], what: string) {
  got.forEach((a, k) => {
    expect(describeDifference(a, want[k], NAN_EQUAL), `${what}: result ${k}`).toBe("identical");
    expect(describeDifference(a, other[k], NAN_EQUAL), `${what}: result ${k}, other build`).toBe("identical");
  });
}

const SGD_CASES: [string, SgdArgs][] = [
  ["SGD", { lr: 0.5, momentum: 0, keep: 1 }],
  ["SGD with momentum and weight decay", { lr: 0.5, momentum: 0.9, keep: 0.99 }],
];

describe("a non-finite gradient gives a non-finite weight, not 0", () => {
  for (const bad of BAD) {
    for (const kernel of ADAM_KERNELS)
      it.each(LENGTHS)(`${kernel}, gradient ${bad} at each position, n = %i`, (n) => {
        const w0 = uniform(n, n, -1, 1);
        for (let i = 0; i < n; i++) {
          const g = uniform(n, n + 1, -1, 1);
          g[i] = bad;
          const got = adamOn(kernel, builds.tested, w0, g);
          expectAsReference(got, adamOn(kernel, builds.other, w0, g), refAdam(w0, g), `position ${i}`);
          // m/ĉ1 and √(v/ĉ2) are both ±∞ or NaN: w is NaN whatever the gradient's sign
          expect(Number.isNaN(got[0][i]), `w[${i}]`).toBe(true);
          expect(got[0].filter((x) => !Number.isFinite(x)).length).toBe(1);
        }
      });

    for (const [name, args] of SGD_CASES) {
      it.each(LENGTHS)(`${name}, gradient ${bad} at each position, n = %i`, (n) => {
        const w0 = uniform(n, n + 2, -1, 1);
        for (let i = 0; i < n; i++) {
          const g = uniform(n, n + 3, -1, 1);
          g[i] = bad;
          const got = sgdOn(builds.tested, w0, g, args);
          expectAsReference(got, sgdOn(builds.other, w0, g, args), refSgd(w0, g, args), `position ${i}`);
          // w − lr·g: NaN stays NaN, +∞ gives −∞ and −∞ gives +∞
          if (Number.isNaN(bad)) expect(Number.isNaN(got[0][i]), `w[${i}]`).toBe(true);
          else expect(got[0][i], `w[${i}]`).toBe(-bad);
          if (args.momentum > 0) expect(Object.is(got[1][i], got[0][i]) || Number.isNaN(got[1][i])).toBe(true);
        }
      });
    }
  }
});

describe("a non-finite weight or moment stays non-finite", () => {
  it.each(LENGTHS)("n = %i: NaN and ∞ weights, a NaN moment", (n) => {
    const w0 = uniform(n, n + 4, -1, 1);
    const g = uniform(n, n + 5, -1, 1);
    w0[0] = Number.NaN;
    if (n > 1) w0[n - 1] = Infinity;
    if (n > 2) w0[Math.floor(n / 2)] = -Infinity;
    const m0 = new Float32Array(n);
    m0[n - 1] = Number.NaN;
    for (const kernel of ADAM_KERNELS) {
      const adam = adamOn(kernel, builds.tested, w0, g, m0);
      expectAsReference(adam, adamOn(kernel, builds.other, w0, g, m0), refAdam(w0, g, m0), kernel);
      expect(Number.isNaN(adam[0][0])).toBe(true);
      expect(Number.isNaN(adam[0][n - 1])).toBe(true); // ∞ − NaN step
      if (n > 2) expect(adam[0][Math.floor(n / 2)]).toBe(-Infinity);
    }
    for (const [name, args] of SGD_CASES) {
      const sgd = sgdOn(builds.tested, w0, g, args);
      expectAsReference(sgd, sgdOn(builds.other, w0, g, args), refSgd(w0, g, args), name);
      expect(Number.isNaN(sgd[0][0]), name).toBe(true);
      if (n > 1) expect(sgd[0][n - 1], name).toBe(Infinity);
    }
  });
});

describe("subnormal results are still stored as +0", () => {
  // w·keep − lr·g lands on ±2^-130 (subnormal) or −0: each must be stored as the bits of +0;
  // a normal neighbour (2^-126) is kept as it is.
  const lr = 0.5;
  const cases: [string, number, number, number][] = [
    ["positive subnormal", 2 ** -129, 2 ** -129, 2 ** -130],
    ["negative subnormal", -(2 ** -129), -(2 ** -129), -(2 ** -130)],
    ["−0", -0, 0, -0],
    ["smallest normal", 2 ** -125, 2 ** -125, 2 ** -126],
  ];
  it.each(LENGTHS)("SGD at n = %i: the bits of every lane and the tail", (n) => {
    for (const [name, w, g, exact] of cases) {
      const w0 = new Float32Array(n).fill(w);
      const grad = new Float32Array(n).fill(g);
      for (const inst of [builds.tested, builds.other]) {
        const [got] = sgdOn(inst, w0, grad, { lr, momentum: 0, keep: 1 });
        const want = Math.abs(exact) < 2 ** -126 ? 0 : exact;
        expect(Array.from(bitsOf(got)), `${name}, simd ${inst.simd}`).toEqual(
          Array.from(bitsOf(new Float32Array(n).fill(want))),
        );
      }
    }
  });
});
