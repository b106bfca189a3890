// The softmax kernel (assembly/softmax.ts) on matrices already in WASM memory. Internal: the loss
// calls these after its own checks.
import type { U32Buffer } from "../wasm/buffer.js";
import type { Matrix } from "../wasm/matrix.js";

/**
 * Softmax cross-entropy of logits against labels[labelOffset…]: returns [Σ loss, correct rows];
 * with dLogits, also writes (p − onehot)·gradScale into it.
 */
export function softmaxCrossEntropy(
  dLogits: Matrix | null,
  logits: Matrix,
  labels: U32Buffer,
  labelOffset: number,
  gradScale: number,
): [number, number] {
  const inst = logits.instance;
  inst.clearAcc();
  const labelsPtr = labels.ptr + labelOffset * 4;
  inst.kernels.softmaxCrossEntropy(
    dLogits ? dLogits.ptr : 0,
    0,
    inst.accPtr,
    logits.ptr,
    labelsPtr,
    logits.rows,
    logits.cols,
    gradScale,
  );
  return inst.readAcc();
}

/** Softmax probabilities of logits into probs (same shape; may be logits itself). */
export function softmaxProbabilities(probs: Matrix, logits: Matrix): void {
  const inst = logits.instance;
  inst.kernels.softmaxCrossEntropy(0, probs.ptr, inst.accPtr, logits.ptr, 0, logits.rows, logits.cols, 0);
}
