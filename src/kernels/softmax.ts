// The softmax kernel (assembly/softmax.ts) on matrices already in WASM memory. Internal: the loss
// calls these after its own checks.
import type { U32Buffer } from "../wasm/buffer.js";
import type { Matrix } from "../wasm/matrix.js";

/**
 * Softmax cross-entropy of logits against labels[labelOffset…], added to the running sums at `accPtr`
 * (f64 Σ loss, f64 correct rows, in row order: a batch split into chunks sums to the same bits as in
 * one piece); with dLogits, also writes (p − onehot)·gradScale into it.
 */
export function softmaxCrossEntropy(
  accPtr: number,
  dLogits: Matrix | null,
  logits: Matrix,
  labels: U32Buffer,
  labelOffset: number,
  gradScale: number,
): void {
  const labelsPtr = labels.ptr + labelOffset * 4;
  const { rows, cols } = logits;
  logits.instance.kernels.softmaxCrossEntropy(
    dLogits ? dLogits.ptr : 0,
    0,
    accPtr,
    logits.ptr,
    labelsPtr,
    rows,
    cols,
    gradScale,
  );
}

/** Softmax probabilities of logits into probs (same shape; may be logits itself). */
export function softmaxProbabilities(probs: Matrix, logits: Matrix): void {
  const inst = logits.instance;
  inst.kernels.softmaxCrossEntropy(0, probs.ptr, inst.accPtr, logits.ptr, 0, logits.rows, logits.cols, 0);
}
