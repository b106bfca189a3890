// The toy datasets' exact forms without noise and their argument errors (data.test.ts covers the
// noise statistics): every value below follows from the documented formulas.
import { beforeAll, describe, expect, it } from "vitest";
import { init, spiralData, verticalData } from "../../src/index.js";

beforeAll(() => init());

describe("datasets without noise", () => {
  it("verticalData: every point of class c is exactly (c/3, 0.5)", () => {
    const d = verticalData(4, 3, { noise: 0, seed: 5 });
    expect(Array.from(d.y)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect(Array.from(d.x)).toEqual(Array.from(d.y).flatMap((c) => [Math.fround(c / 3), 0.5]));
    expect([d.rows, d.features, d.classes]).toEqual([12, 2, 3]);
  });

  it("spiralData with one sample per class: linspace(0, 1, 1) is 0, so every point is the origin", () => {
    const d = spiralData(1, 3, { noise: 0 });
    expect(Array.from(d.x).every((v) => v === 0)).toBe(true);
    expect(Array.from(d.y)).toEqual([0, 1, 2]);
  });
});

describe("dataset arguments", () => {
  it.each<[string, () => unknown, RegExp]>([
    ["spiral samples", () => spiralData(0, 3), /^samples must be a positive integer, got number 0$/],
    ["spiral classes", () => spiralData(3, 1.5), /^classes must be a positive integer, got number 1.5$/],
    ["vertical samples", () => verticalData(-1, 3), /^samples must be a positive integer, got number -1$/],
    ["vertical classes", () => verticalData(3, 0), /^classes must be a positive integer, got number 0$/],
    ["options", () => spiralData(3, 3, null as never), /^options must be an object like \{ seed \}, got null$/],
    [
      "vertical options",
      () => verticalData(3, 3, 5 as never),
      /^options must be an object like \{ seed \}, got number 5$/,
    ],
    ["seed", () => spiralData(3, 3, { seed: -1 }), /^options\.seed must be an integer in \[0, 2\^53 - 1\]/],
    ["noise", () => verticalData(3, 3, { noise: -0.1 }), /^options\.noise must be a finite number >= 0/],
  ])("%s is named in the error", (_, call, message) => {
    expect(call).toThrow(message);
  });
});
