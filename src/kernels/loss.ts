// The value-target loss kernels (assembly/loss.ts) on matrices already in WASM memory. Internal: the
// losses call these after their own checks. Each adds, row by row in order, the mean over each row's
// outputs of `output` against the rows of `targets` from row `targetRow` on to the running sums at
// `accPtr` (f64 Σ loss, and for binary cross-entropy f64 Σ outputs predicted right); with dOutput it
// also writes dLoss/dOutput of those row means, times gradScale, into it.
import type { F32Buffer } from "../wasm/buffer.js";
import type { Matrix } from "../wasm/matrix.js";

/** The signature the three kernels share. */
export type ValueLossKernel = (
  accPtr: number,
  dOutput: Matrix | null,
  output: Matrix,
  targets: F32Buffer,
  targetRow: number,
  gradScale: number,
) => void;

type Name = "binaryCrossEntropy" | "meanSquaredError" | "meanAbsoluteError";

function call(name: Name, ...[accPtr, dOutput, output, targets, targetRow, gradScale]: Parameters<ValueLossKernel>) {
  const { rows, cols } = output;
  const dPtr = dOutput ? dOutput.ptr : 0;
  output.instance.kernels[name](dPtr, accPtr, output.ptr, targets.ptr + targetRow * cols * 4, rows, cols, gradScale);
}

/** −(y·ln q + (1 − y)·ln(1 − q)), q = p clipped to [1e-7, 1 − 1e-7]; also counts outputs with (p > 0.5) = y. */
export const binaryCrossEntropy: ValueLossKernel = (...args) => call("binaryCrossEntropy", ...args);

/** (y − p)², gradient −2(y − p). */
export const meanSquaredError: ValueLossKernel = (...args) => call("meanSquaredError", ...args);

/** |y − p|, gradient −sign(y − p) (0 where equal). */
export const meanAbsoluteError: ValueLossKernel = (...args) => call("meanAbsoluteError", ...args);
