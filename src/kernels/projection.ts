// The projection kernels (assembly/projection.ts) on parameters already in WASM memory: what the
// optimizers apply after an update (proximal L1) and what the constraints apply. Internal: callers
// check their arguments first.
import { allocF32, type F32Buffer } from "../wasm/buffer.js";
import { MIN_PART_ELEMENTS } from "../wasm/partition.js";
import { runSplit } from "../wasm/run-split.js";

/** w ← sign(w)·max(|w| − f32(threshold), 0) in f32, in place (below 2^-126: +0; NaN kept). */
export function softThreshold(w: F32Buffer, threshold: number): void {
  runSplit(w.instance, "softThreshold", w.length, 4, MIN_PART_ELEMENTS, (start, end) => [
    w.ptr + 4 * start,
    end - start,
    threshold,
  ]);
}

/** w ← 0 where w < 0, in place. */
export function clampNonNegative(w: F32Buffer): void {
  runSplit(w.instance, "clampNonNegative", w.length, 4, MIN_PART_ELEMENTS, (start, end) => [
    w.ptr + 4 * start,
    end - start,
  ]);
}

/**
 * Each column (byColumns) or each row of the rows × cols matrix w multiplied by factor(its L2
 * norm): the sums of squares in f64 in element order, the factors in f64 in JS, each product in f64
 * rounded to f32 once. A vector is one row of its length.
 */
export function scaleByNorms(
  w: F32Buffer,
  rows: number,
  cols: number,
  byColumns: boolean,
  factor: (norm: number) => number,
): void {
  const inst = w.instance;
  const groups = byColumns ? cols : rows;
  const scratch = allocF32(Math.max(2, 2 * groups), inst); // f64 per group; may grow memory
  try {
    const k = inst.kernels;
    if (byColumns) k.columnSquares(scratch.ptr, w.ptr, rows, cols);
    else k.rowSquares(scratch.ptr, w.ptr, rows, cols);
    const sums = new Float64Array(scratch.view().buffer, scratch.ptr, groups);
    for (let g = 0; g < groups; g++) sums[g] = factor(Math.sqrt(sums[g]));
    if (byColumns) k.scaleColumns(w.ptr, scratch.ptr, rows, cols);
    else k.scaleRows(w.ptr, scratch.ptr, rows, cols);
  } finally {
    scratch.free();
  }
}
