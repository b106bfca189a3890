// The penalty sums follow the documented summation order bit for bit, on both builds. On N(0,1) data
// nearly every order rounds alike, so these inputs make the order visible with rounding ties: in f64,
// 1 + 2^-53 rounds back to 1 (a tie, to even) while (2^-53 + 2^-53) + 1 = 1 + 2^-52 is exact, so the
// result tells whether the two small terms met before meeting the 1. The expected bits come from
// test/support/penalty-order.js, a model of the documented order, not of the kernels' code:
//   16 f32 lanes per 1024-element block, lane j adding elements j, j+16, … in order;
//   lanes folded in f64 as P_v = [L(4v) + L(4v+2), L(4v+1) + L(4v+3)], S = (P0 + P1) + (P2 + P3),
//   S[0] + S[1]; block folds, then the < 16-element tail, added one by one to one f64 total.
import { beforeAll, describe, expect, it } from "vitest";
import {
  addPenaltyGrad,
  allocF32,
  type F32Buffer,
  init,
  type Instance,
  instantiate,
  l1Penalty,
  l2Penalty,
  penalty,
} from "../../src/index.js";
import { normalF32 } from "./support/data.js";
import { documentedFold, orderedPenalty, orderedSums } from "../support/penalty-order.js";

// Ties per sum: Σ|x| uses |x| = 1 and 2^-53 (half an ulp of 1); Σx² uses x = 1.5 and 2^-26, i.e.
// x² = 2.25 and 2^-52 (half an ulp of 2.25, whose last mantissa bit is 0, so the tie rounds down).
const ABS_TIE = { big: 1, small: 2 ** -53 };
const SQ_TIE = { big: 1.5, small: 2 ** -26 };

/** Every (small lane a < small lane b, big lane c): 16·15·14/2 = 1680 one-chunk inputs. */
function triples(): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let a = 0; a < 16; a++)
    for (let b = a + 1; b < 16; b++) for (let c = 0; c < 16; c++) if (c !== a && c !== b) out.push([a, b, c]);
  return out;
}
const TRIPLES = triples();

/** One 16-element chunk with `big` in lane c, `small` in lanes a and b, zeros elsewhere. */
function chunkOf([a, b, c]: [number, number, number], tie: { big: number; small: number }): Float32Array {
  const x = new Float32Array(16);
  x[a] = x[b] = tie.small;
  x[c] = tie.big;
  return x;
}

// Other plausible folds of 16 lanes (commutations aside, f64 + is commutative): the triple sweep must
// tell each of them from the documented fold, else the sweep proves nothing.
const pairs = (l: number[], v: number, q: number) => l[4 * v + q] + l[4 * v + q + 2];
const otherFolds: [string, (lanes: number[]) => number][] = [
  ["lanes 0..15 one after another", (l) => l.reduce((s, v) => s + v, 0)],
  [
    "vectors ((P0 + P1) + P2) + P3",
    (l) =>
      pairs(l, 0, 0) +
      pairs(l, 1, 0) +
      pairs(l, 2, 0) +
      pairs(l, 3, 0) +
      (pairs(l, 0, 1) + pairs(l, 1, 1) + pairs(l, 2, 1) + pairs(l, 3, 1)),
  ],
  [
    "lane pairs (0 + 1, 2 + 3)",
    (l) => {
      const p = (v: number, q: number) => l[4 * v + 2 * q] + l[4 * v + 2 * q + 1];
      return p(0, 0) + p(1, 0) + (p(2, 0) + p(3, 0)) + (p(0, 1) + p(1, 1) + (p(2, 1) + p(3, 1)));
    },
  ],
  [
    "lane pairs (0 + 3, 1 + 2)",
    (l) => {
      const p = (v: number, q: number) => l[4 * v + q] + l[4 * v + 3 - q];
      return p(0, 0) + p(1, 0) + (p(2, 0) + p(3, 0)) + (p(0, 1) + p(1, 1) + (p(2, 1) + p(3, 1)));
    },
  ],
  [
    "vectors summed first, then their lanes",
    (l) => {
      const v = [0, 1, 2, 3].map((p) => l[p] + l[4 + p] + (l[8 + p] + l[12 + p]));
      return v[0] + v[2] + (v[1] + v[3]);
    },
  ],
];

describe("the triple sweep tells the documented lane fold from others", () => {
  it.each(otherFolds)("a fold of %s differs on some triple", (_, fold) => {
    const differs = (tie: typeof ABS_TIE, k: 0 | 1) =>
      TRIPLES.some((t) => orderedSums(chunkOf(t, tie), fold)[k] !== orderedSums(chunkOf(t, tie))[k]);
    expect(differs(ABS_TIE, 0)).toBe(true);
    expect(differs(SQ_TIE, 1)).toBe(true);
  });

  it("the documented fold keeps the tie only where lanes a and b meet before lane c", () => {
    // a = 1, b = 3 share P0's second half: 2^-53 + 2^-53 first, so 1 + 2^-52; lanes 0 and 1 do not
    expect(documentedFold(Array.from(chunkOf([1, 3, 0], ABS_TIE)))).toBe(1 + 2 ** -52);
    expect(documentedFold(Array.from(chunkOf([0, 1, 2], ABS_TIE)))).toBe(1);
  });
});

/** Three blocks and a tail whose f64 additions tie: only blocks-then-tail, in order, gives exactly `big`. */
function blockOrderInput(tie: { big: number; small: number }): Float32Array {
  const x = new Float32Array(3 * 1024 + 2);
  x[0] = tie.big; // block 0 folds to big
  x[1024 + 5] = tie.small; // blocks 1 and 2 fold to small each
  x[2048 + 9] = tie.small;
  x[3072] = x[3073] = tie.small; // tail, added term by term
  return x;
}

/** Lane 7 adds 1, 2^-24, 2^-24 over chunks 0, 1, 2 (chunk 2 alone after the SIMD loop's chunk pair):
 * in order, each 2^-24 is a tie in f32 and rounds away; paired otherwise, they would survive. */
function laneOrderInput(): Float32Array {
  const x = new Float32Array(48);
  x[7] = 1;
  x[7 + 16] = x[7 + 32] = 2 ** -24;
  x[2] = 1; // Σx² likewise: 1, then 2^-12 squared = 2^-24 twice in lane 2
  x[2 + 16] = x[2 + 32] = 2 ** -12;
  return x;
}

describe.each([
  ["SIMD", true],
  ["scalar", false],
] as const)("penalty sums on the %s build follow the documented order bit for bit", (_, simd) => {
  let inst: Instance;
  let buf: F32Buffer;
  beforeAll(async () => {
    inst = await instantiate({ simd });
    buf = allocF32(16, inst);
    return () => buf.free();
  });
  const onInst = (values: Float32Array, run: (x: F32Buffer) => number): number => {
    const x = allocF32(values.length, inst);
    x.view().set(values);
    try {
      return run(x);
    } finally {
      x.free();
    }
  };

  it("lane fold: all 1680 (a, b, c) one-chunk inputs, Σ|x| and Σx²", () => {
    expect(inst.simd).toBe(simd);
    const wrong: string[] = [];
    for (const t of TRIPLES) {
      for (const [tie, sum, k] of [
        [ABS_TIE, l1Penalty, 0],
        [SQ_TIE, l2Penalty, 1],
      ] as const) {
        const x = chunkOf(t, tie);
        buf.view().set(x);
        const want = orderedSums(x)[k];
        const got = sum(buf);
        if (got !== want) wrong.push(`${sum.name} a,b,c = ${t}: ${got} (want ${want})`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it("block fold: blocks, then tail terms, added in order to one f64 total", () => {
    const abs = blockOrderInput(ABS_TIE);
    expect(orderedSums(abs)[0]).toBe(1); // every 2^-53 meets the 1 alone
    expect(onInst(abs, l1Penalty)).toBe(1);
    const sq = blockOrderInput(SQ_TIE);
    expect(orderedSums(sq)[1]).toBe(2.25);
    expect(onInst(sq, l2Penalty)).toBe(2.25);
    expect(onInst(sq, (x) => penalty(x, { l1: 0.5, l2: 0.25 }))).toBe(orderedPenalty(sq, 0.5, 0.25));
    const grad = allocF32(sq.length, inst);
    expect(onInst(sq, (x) => addPenaltyGrad(grad, x, { l1: 0.5, l2: 0.25 }))).toBe(orderedPenalty(sq, 0.5, 0.25));
    grad.free();
  });

  it("lane accumulation: lane j adds elements j, j+16, j+32 in order, in f32", () => {
    const x = laneOrderInput();
    expect(orderedSums(x)).toEqual([2 + 2 ** -11, 2]); // every 2^-24 term (and 2^-48 in lane 7) rounded away
    expect(onInst(x, l1Penalty)).toBe(orderedSums(x)[0]);
    expect(onInst(x, l2Penalty)).toBe(orderedSums(x)[1]);
  });

  it("N(0,1) data over 3 blocks, a partial block and a tail: every sum equals the model", () => {
    const values = normalF32(3 * 1024 + 5 * 16 + 7, 2024);
    const [abs, sq] = orderedSums(values);
    expect(onInst(values, l1Penalty)).toBe(abs);
    expect(onInst(values, l2Penalty)).toBe(sq);
    expect(onInst(values, (x) => penalty(x, { l1: 0.3, l2: 0.7 }))).toBe(orderedPenalty(values, 0.3, 0.7));
  });
});

describe("the init() build on plain Float32Arrays", () => {
  beforeAll(() => init());
  it("the order-exposing inputs give the model's bits through the copy path too", () => {
    for (const x of [blockOrderInput(ABS_TIE), blockOrderInput(SQ_TIE), laneOrderInput()]) {
      expect([l1Penalty(x), l2Penalty(x)]).toEqual(orderedSums(x));
    }
  });
});
