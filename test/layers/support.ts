// Test helpers for the layer suites: the kernel suites' runtime-neutral ones (a seeded generator
// independent of the code under test, bit comparisons, float64 and f32 references), not copies.
export { firstBitDifference } from "../kernels/support/bits.js";
export { uniformF32 as uniform } from "../kernels/support/data.js";
export { adamArgs, refAdamUpdate, refMatmul, refSgdUpdate } from "../kernels/support/layer-reference.js";

import { allocF32 } from "../../src/index.js";
import { defaultInstance, type Instance } from "../../src/wasm/instance.js";
import { Matrix } from "../../src/wasm/matrix.js";

/** A new rows × cols matrix of `inst` holding `values`. */
export function matrixOf(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  inst: Instance = defaultInstance(),
): Matrix {
  const buf = allocF32(rows * cols, inst);
  buf.view().set(values);
  return new Matrix(buf, rows, cols);
}

/** The error that `run` throws or whose promise rejects with (fit() rejects; the rest throw), or null. */
export async function errorOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
    return null;
  } catch (error) {
    return error;
  }
}
