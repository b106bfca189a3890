// Which runs the report overlays: each regularized run with the run of the same config without
// regularization, as `npm start` trains them.
import { describe, expect, it } from "vitest";
import { regularizationPairs } from "../../src/cli/report/comparison.js";
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
