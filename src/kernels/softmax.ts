// The softmax kernels (assembly/softmax.ts) on matrices already in WASM memory. Internal: the loss
// and the Softmax layer call these after their own checks.
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
export function softmaxForward(probs: Matrix, logits: Matrix): void {
  logits.instance.kernels.softmaxForward(probs.ptr, logits.ptr, logits.rows, logits.cols);
}

/** dx = y ⊙ (dy − rowwise Σ dy ⊙ y), the softmax gradient from its output y; dx may be dy. */
export function softmaxBackward(dx: Matrix, dy: Matrix, y: Matrix): void {
  dy.instance.kernels.softmaxBackward(dx.ptr, dy.ptr, y.ptr, y.rows, y.cols);
}
