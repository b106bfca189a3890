// The built SIMD kernels (build/regwasm.simd.wat, written by `npm run build`) keep one loop per choice
// of sums in penaltyBlocks (assembly/block-sums.ts). Binaryen decides what it inlines: when all three
// choices were inlined into penaltyBlocks, it merged them into one loop that computed Σ|x| and Σx²
// whatever was asked, and Σx² in parts ran 1.3× slower than l2Penalty's single call.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const wat = readFileSync(new URL("../../build/regwasm.simd.wat", import.meta.url), "utf8");

/** The text of function `name` in the module, or null when the optimizer left no such function. */
function body(name: string): string | null {
  const start = wat.indexOf(`(func $${name} `);
  if (start < 0) return null;
  const next = wat.indexOf("\n (func ", start + 1);
  return wat.slice(start, next < 0 ? undefined : next);
}

describe("penaltyBlocks in the SIMD build", () => {
  it("sums squares alone without the absolute values", () => {
    const square = body("assembly/block-sums/squareFolds");
    expect(square, "squareFolds was inlined: check that the Σx² loop computes no Σ|x|").not.toBeNull();
    expect(square).toContain("f32x4.mul");
    expect(square).not.toContain("v128.and");
  });

  it("sums absolute values alone without the squares", () => {
    const blocks = body("assembly/block-sums/penaltyBlocks");
    expect(blocks).toContain("v128.and");
    expect(blocks).not.toContain("f32x4.mul");
  });

  it("computes both in a loop of its own", () => {
    const both = body("assembly/block-sums/bothFolds");
    expect(both, "bothFolds was inlined: check that penaltyBlocks keeps three loops").not.toBeNull();
    expect(both).toContain("v128.and");
    expect(both).toContain("f32x4.mul");
  });
});
