// The matrix products of a dense layer, each routed to the kernel form that vectorises its long
// dimension (see assembly/matmul.ts). Operands are Matrix/F32Buffer in one instance; nothing copied.
import type { F32Buffer } from "../buffer.js";
import type { Matrix } from "../tensor.js";

/** Outputs narrower than this use the dot-product form (vectorised over the inner dimension). */
const NARROW = 16;

/** True when an output with `cols` columns and inner dimension `inner` is better built from dots. */
export const preferDots = (inner: number, cols: number): boolean => cols < NARROW && inner >= NARROW;

/**
 * out = x·W + b (then ReLU when relu). W is k×n. wt must hold Wᵀ (n×k) when preferDots(k, n);
 * `fillWt` is called first to bring it up to date.
 */
export function affineForward(out: Matrix, x: Matrix, w: F32Buffer, b: F32Buffer, wt: F32Buffer, fillWt: () => void, relu: boolean): void {
  const { rows: m, cols: k } = x;
  const n = out.cols;
  const kernels = x.instance.kernels;
  if (preferDots(k, n)) {
    fillWt();
    kernels.matmulDots(out.ptr, x.ptr, wt.ptr, b.ptr, m, k, n, relu ? 1 : 0);
  } else {
    kernels.matmulRows(out.ptr, x.ptr, w.ptr, b.ptr, m, k, n, relu ? 1 : 0);
  }
}

/**
 * dW = xᵀ·dz (k×n). For narrow n it computes dWᵀ = dzᵀ·x into the scratch dwt (n×k) and transposes.
 */
export function weightGrad(dw: F32Buffer, x: Matrix, dz: Matrix, dwt: F32Buffer): void {
  const { rows: m, cols: k } = x;
  const n = dz.cols;
  const kernels = x.instance.kernels;
  if (preferDots(k, n)) {
    kernels.matmulTN(dwt.ptr, dz.ptr, x.ptr, m, n, k);
    kernels.transpose(dw.ptr, dwt.ptr, n, k);
  } else {
    kernels.matmulTN(dw.ptr, x.ptr, dz.ptr, m, k, n);
  }
}

/** db = Σ over rows of dz. */
export function biasGrad(db: F32Buffer, dz: Matrix): void {
  dz.instance.kernels.colSums(db.ptr, dz.ptr, dz.rows, dz.cols);
}

/** dx = dz·Wᵀ (m×k) for W k×n; wt (Wᵀ) is brought up to date by fillWt when the wide form needs it. */
export function inputGrad(dx: Matrix, dz: Matrix, w: F32Buffer, wt: F32Buffer, fillWt: () => void): void {
  const { rows: m, cols: n } = dz;
  const k = dx.cols;
  const kernels = dz.instance.kernels;
  if (preferDots(n, k)) {
    kernels.matmulDots(dx.ptr, dz.ptr, w.ptr, 0, m, n, k, 0);
  } else {
    fillWt();
    kernels.matmulRows(dx.ptr, dz.ptr, wt.ptr, 0, m, n, k, 0);
  }
}
