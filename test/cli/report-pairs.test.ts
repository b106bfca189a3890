// Which runs the report overlays (each regularized run with the run of the same config without
// regularization, as `npm start` trains them) and the curves it compares them on.
import { describe, expect, it } from "vitest";
import { gapPoints, regularizationPairs, series, trainingPoints } from "../../src/cli/report/comparison.js";
import type { RunReport } from "../../src/cli/report/report.js";
import { COURSE_EXPERIMENTS, L2_CHAPTER } from "../../src/index.js";

describe("regularizationPairs", () => {
  it("pairs each course chapter with its unregularized run", () => {
    expect(regularizationPairs(COURSE_EXPERIMENTS)).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it("matches on everything but the name and the regularizers, in any order", () => {
    const plain = { ...L2_CHAPTER, name: "plain", l2: 0 };
    expect(regularizationPairs([plain, { ...L2_CHAPTER, l1: 1e-4 }])).toEqual([[1, 0]]);
    // another seed, size or noise is another experiment
    for (const change of [{ seed: 1 }, { hidden: 65 }, { noise: 0.3 }, { epochs: 3000 }])
      expect(regularizationPairs([L2_CHAPTER, { ...plain, ...change }]), JSON.stringify(change)).toEqual([]);
  });

  it("uses each unregularized run once, and pairs nothing without one", () => {
    const plain = { ...L2_CHAPTER, l2: 0 };
    expect(regularizationPairs([L2_CHAPTER, { ...L2_CHAPTER, dropout: 0.1 }, plain])).toEqual([[0, 2]]);
    expect(regularizationPairs([L2_CHAPTER])).toEqual([]);
    expect(regularizationPairs([plain, plain])).toEqual([]);
  });
});

describe("regularizationPairs: what counts as regularized, and key order", () => {
  it("any one regularizer makes a run regularized: L1, L2 or dropout alone", () => {
    const plain = { ...L2_CHAPTER, l2: 0 };
    for (const reg of [{ l1: 1e-6 }, { l2: 1e-6 }, { dropout: 0.01 }])
      expect(regularizationPairs([{ ...plain, ...reg }, plain]), JSON.stringify(reg)).toEqual([[0, 1]]);
  });

  it("matches configs whose keys were written in another order", () => {
    const plain = { ...L2_CHAPTER, l2: 0 };
    const reordered = Object.fromEntries(Object.entries(plain).reverse()) as typeof plain;
    expect(regularizationPairs([L2_CHAPTER, reordered])).toEqual([[0, 1]]);
  });
});

const history = [
  { epoch: 0, dataLoss: 1.5, acc: 0.3, valLoss: 1.75, valAcc: 0.25 },
  { epoch: 1, dataLoss: Number.NaN, acc: 0.4 },
  { epoch: 2, dataLoss: 1.25, acc: Number.POSITIVE_INFINITY, valLoss: 1.5 },
  { epoch: 3, dataLoss: 1, acc: 0.5, valLoss: Number.POSITIVE_INFINITY },
];
const run = (trainCurve?: RunReport["trainCurve"]): RunReport =>
  ({ name: "r", description: "", history, trainCurve }) as unknown as RunReport;

describe("the compared curves", () => {
  it("series keeps the finite values of a field, at their epochs", () => {
    expect(series(history, (h) => h.dataLoss)).toEqual([
      { x: 0, y: 1.5 },
      { x: 2, y: 1.25 },
      { x: 3, y: 1 },
    ]);
    expect(series(history, (h) => h.valLoss)).toEqual([
      { x: 0, y: 1.75 },
      { x: 2, y: 1.5 },
    ]);
  });

  it("training points: the inference-mode curve when measured, else the logged loss or accuracy", () => {
    const curve = [
      { epoch: 0, loss: 1.4, acc: 0.35 },
      { epoch: 2, loss: 1.1, acc: 0.45 },
    ];
    expect(trainingPoints(run(curve), "loss")).toEqual([
      { x: 0, y: 1.4 },
      { x: 2, y: 1.1 },
    ]);
    expect(trainingPoints(run(curve), "acc")).toEqual([
      { x: 0, y: 0.35 },
      { x: 2, y: 0.45 },
    ]);
    expect(trainingPoints(run(), "loss")).toEqual(series(history, (h) => h.dataLoss));
    expect(trainingPoints(run(), "acc")).toEqual([
      { x: 0, y: 0.3 },
      { x: 1, y: 0.4 },
      { x: 3, y: 0.5 },
    ]);
  });

  it("the gap is validation − training loss where both are finite, from the inference-mode curve when there is one", () => {
    expect(gapPoints(run())).toEqual([
      { x: 0, y: 0.25 },
      { x: 2, y: 0.25 },
    ]);
    expect(gapPoints(run([{ epoch: 2, loss: 1, acc: 0.5 }]))).toEqual([{ x: 2, y: 0.5 }]);
  });
});

describe("the gap: finite where the difference is", () => {
  it("keeps a finite difference of two huge losses and drops a difference that overflows", () => {
    const huge = [
      // both near the largest double: their sum overflows, their difference does not
      { epoch: 0, dataLoss: 1e308, acc: 0.3, valLoss: 1.5e308 },
      // a finite validation loss minus a finite negative one that overflows
      { epoch: 1, dataLoss: -1e308, acc: 0.3, valLoss: 1e308 },
    ];
    const r = { name: "r", description: "", history: huge } as unknown as RunReport;
    expect(gapPoints(r)).toEqual([{ x: 0, y: 5e307 }]);
  });
});
