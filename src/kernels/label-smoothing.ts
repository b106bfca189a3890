// The label-smoothed cross-entropy kernels (assembly/label-smoothing.ts) on matrices already in WASM
// memory. Internal: the losses call these after their own checks, when their labelSmoothing is not 0.
import type { F32Buffer, U32Buffer } from "../wasm/buffer.js";
import type { Instance } from "../wasm/instance.js";
import type { Matrix } from "../wasm/matrix.js";

/** The kernels' signatures (exported by the module beside the ones Instance types). */
interface SmoothingKernels {
  softmaxCrossEntropySmoothed(
    dzPtr: number,
    accPtr: number,
    zPtr: number,
    labelsPtr: number,
    m: number,
    n: number,
    gradScale: number,
    smoothing: number,
  ): void;
  binaryCrossEntropySmoothed(
    dpPtr: number,
    accPtr: number,
    pPtr: number,
    yPtr: number,
    m: number,
    n: number,
    gradScale: number,
    smoothing: number,
  ): void;
}

const kernelsOf = (inst: Instance) => inst.kernels as unknown as SmoothingKernels;

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
  kernelsOf(logits.instance).softmaxCrossEntropySmoothed(
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
  kernelsOf(output.instance).binaryCrossEntropySmoothed(
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
