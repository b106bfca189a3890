// assembly/loss.ts (binaryCrossEntropy, meanSquaredError, meanAbsoluteError) against the float64
// references of the course's formulas, the running sums chunk-independent, and the two builds
// against each other bit for bit.
import { beforeAll, describe, expect, it } from "vitest";
import { allocF32, type Instance } from "../../src/index.js";
import { describeDifference } from "./support/bits.js";
import { type Builds, loadBuilds, put } from "./support/builds.js";
import { uniformF32 as uniform } from "./support/data.js";
import { FLT_MIN, refValueLoss, type ValueLossName } from "./support/activation-reference.js";

let builds: Builds;
beforeAll(async () => {
  builds = await loadBuilds();
});

const NAMES: ValueLossName[] = ["binaryCrossEntropy", "meanSquaredError", "meanAbsoluteError"];

/** Outputs and targets of a case: probabilities for BCE (a few outside the clip range, exact 0.5 and 0/1), values otherwise. */
function caseData(name: ValueLossName, m: number, n: number, seed: number) {
  if (name !== "binaryCrossEntropy") {
    const p = uniform(m * n, seed, -3, 3);
    const y = uniform(m * n, seed + 1, -3, 3);
    for (let i = 0; i < m * n; i += 7) y[i] = p[i]; // |y − p| = 0: MAE's sign(0) = 0
    return { p, y };
  }
  const p = uniform(m * n, seed, 0, 1);
  const y = Float32Array.from(uniform(m * n, seed + 1, 0, 1), (v, i) => (i % 3 === 0 ? v : Math.round(v)));
  const edges = [0, 1, 0.5, 1e-9, 1 - 2 ** -24, 5e-8];
  for (let i = 0; i < m * n; i += 5) p[i] = edges[(i / 5) % edges.length];
  return { p, y };
}

/** Runs a kernel over rows [0, m) in the given row chunks (one running sum); returns sums and gradient. */
function run(
  inst: Instance,
  name: ValueLossName,
  p: Float32Array,
  y: Float32Array,
  m: number,
  n: number,
  chunks: number[],
) {
  const pb = put(inst, p),
    yb = put(inst, y),
    dp = allocF32(m * n, inst);
  inst.clearAcc();
  let row = 0;
  for (const rows of chunks) {
    const at = row * n * 4;
    inst.kernels[name](dp.ptr + at, inst.accPtr, pb.ptr + at, yb.ptr + at, rows, n, 1 / m);
    row += rows;
  }
  expect(row).toBe(m);
  return { acc: inst.readAcc(), dp: dp.view().slice() };
}

describe.each(NAMES)("%s kernel", (name) => {
  it.each([
    [1, 1],
    [3, 1],
    [4, 3],
    [17, 10],
    [9, 33],
  ])("m=%i rows, n=%i outputs: loss, hits and gradient vs float64; chunks and builds give the same bits", (m, n) => {
    const { p, y } = caseData(name, m, n, m * 41 + n);
    const want = refValueLoss(name, p, y, m, n, 1 / m);
    const whole = run(builds.tested, name, p, y, m, n, [m]);
    // in one piece, row by row, or in uneven chunks; on either build: the same bits
    const chunked = run(builds.tested, name, p, y, m, n, m > 2 ? [1, m - 3, 2] : Array(m).fill(1));
    const other = run(builds.other, name, p, y, m, n, [m]);
    for (const r of [chunked, other]) {
      expect(r.acc).toEqual(whole.acc);
      expect(describeDifference(r.dp, whole.dp)).toBe("identical");
    }
    // the sum is f64 terms of f32 inputs: only the f64 roundings of log and of the sums differ
    expect(Math.abs(whole.acc[0] - want.loss)).toBeLessThanOrEqual(1e-12 * Math.max(1, want.loss));
    // hits: an exact count for BCE; the other kernels leave the second sum alone
    expect(whole.acc[1]).toBe(name === "binaryCrossEntropy" ? want.hits : 0);
    for (let i = 0; i < m * n; i++) {
      // one f32 rounding of the float64 value (below 2^-126: +0)
      const expected = Math.abs(want.dp[i]) < FLT_MIN ? 0 : want.dp[i];
      expect(Math.abs(whole.dp[i] - expected), `dp[${i}]`).toBeLessThanOrEqual(2 ** -24 * Math.abs(expected));
    }
  });

  it("adds to the sums already there and writes no gradient without dpPtr", () => {
    const m = 5,
      n = 4;
    const { p, y } = caseData(name, m, n, 9);
    const want = refValueLoss(name, p, y, m, n, 1);
    for (const inst of [builds.tested, builds.other]) {
      const pb = put(inst, p),
        yb = put(inst, y);
      inst.clearAcc();
      inst.kernels[name](0, inst.accPtr, pb.ptr, yb.ptr, m, n, 1);
      inst.kernels[name](0, inst.accPtr, pb.ptr, yb.ptr, m, n, 1);
      const [loss, hits] = inst.readAcc();
      expect(Math.abs(loss - 2 * want.loss)).toBeLessThanOrEqual(2e-12 * want.loss);
      expect(hits).toBe(name === "binaryCrossEntropy" ? 2 * want.hits : 0);
      expect(Array.from(pb.view())).toEqual(Array.from(p)); // inputs untouched
    }
  });
});

describe("the course's details", () => {
  it("binaryCrossEntropy clips p to [1e-7, 1 − 1e-7] in the loss and in the gradient", () => {
    const p = Float32Array.from([0, 1, 0, 1]),
      y = Float32Array.from([1, 0, 0, 1]);
    const { acc, dp } = run(builds.tested, "binaryCrossEntropy", p, y, 1, 4, [1]);
    const lo = 1e-7,
      hi = 1 - 1e-7;
    // two confident mistakes cost about −ln(1e-7) each, two confident hits −ln(1 − 1e-7); mean over 4
    const terms = [-Math.log(lo), -Math.log(1 - hi), -Math.log(1 - lo), -Math.log(hi)];
    expect(acc[0]).toBeCloseTo(terms.reduce((a, b) => a + b) / 4, 13);
    expect(acc[1]).toBe(2); // p = 0 → predicts 0, p = 1 → predicts 1
    const g = [-(1 / lo), 1 / (1 - hi), 1 / (1 - lo), -(1 / hi)].map((v) => Math.fround(v / 4));
    expect(Array.from(dp)).toEqual(g);
  });

  it("binaryCrossEntropy predicts 1 only above 0.5 and counts soft targets as misses", () => {
    const p = Float32Array.from([0.5, 0.5, Math.fround(0.5 + 2 ** -24), 0.9, 0.9]),
      y = Float32Array.from([0, 1, 1, 0.9, 1]);
    expect(run(builds.tested, "binaryCrossEntropy", p, y, 1, 5, [1]).acc[1]).toBe(3);
  });

  it("meanAbsoluteError: gradient −sign(y − p)/n, 0 where y = p; meanSquaredError: −2(y − p)/n", () => {
    const p = Float32Array.from([1, 2, 3, -0]),
      y = Float32Array.from([2, 2, 1, 0]);
    expect(Array.from(run(builds.tested, "meanAbsoluteError", p, y, 1, 4, [1]).dp)).toEqual([-0.25, 0, 0.25, 0]);
    expect(Array.from(run(builds.tested, "meanSquaredError", p, y, 1, 4, [1]).dp)).toEqual([-0.5, 0, 1, 0]);
  });
});
