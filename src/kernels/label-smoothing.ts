// The label-smoothed cross-entropy kernels (assembly/label-smoothing.ts) on matrices already in WASM
// memory. Internal: the losses call these after their own checks, when their labelSmoothing is not 0.
import type { F32Buffer, U32Buffer } from "../wasm/buffer.js";
import type { Matrix } from "../wasm/matrix.js";

/**
 * Softmax cross-entropy of logits against labels[labelOffset…] smoothed by ε, added to the running
 * sums at `accPtr` (f64 Σ loss, f64 correct rows); with dLogits, (p − target)·gradScale into it.
 */
export function softmaxCrossEntropySmoothed(
  accPtr: number,
  dLogits: Matrix | null,
  logits: Matrix,
  labels: U32Buffer,
  labelOffset: number,
  gradScale: number,
  smoothing: number,
): void {
  const { rows, cols } = logits;
  logits.instance.kernels.softmaxCrossEntropySmoothed(
    dLogits ? dLogits.ptr : 0,
    accPtr,
    logits.ptr,
    labels.ptr + labelOffset * 4,
    rows,
    cols,
    gradScale,
    smoothing,
  );
}

/** Binary cross-entropy against targets smoothed by ε (the ValueLossKernel signature plus ε). */
export function binaryCrossEntropySmoothed(
  accPtr: number,
  dOutput: Matrix | null,
  output: Matrix,
  targets: F32Buffer,
  targetRow: number,
  gradScale: number,
  smoothing: number,
): void {
  const { rows, cols } = output;
  output.instance.kernels.binaryCrossEntropySmoothed(
    dOutput ? dOutput.ptr : 0,
    accPtr,
    output.ptr,
    targets.ptr + targetRow * cols * 4,
    rows,
    cols,
    gradScale,
    smoothing,
  );
}
