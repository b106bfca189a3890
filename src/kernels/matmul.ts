// The matrix products of a dense layer, each routed to the kernel form that vectorises its long
// dimension (see assembly/matmul.ts). Operands are Matrix/F32Buffer in one instance; nothing copied.
import type { F32Buffer } from "../wasm/buffer.js";
import type { Matrix } from "../wasm/matrix.js";

/** Outputs narrower than this use the dot-product form (vectorised over the inner dimension). */
const NARROW = 16;

/** True when an output with `cols` columns and inner dimension `inner` is better built from dots. */
export const preferDots = (inner: number, cols: number): boolean => cols < NARROW && inner >= NARROW;

/**
 * The transposed copies a dense layer with W k×n needs: Wᵀ for the forms that read it (the dot form
 * of the forward, the row form of dX), dWᵀ when its gradient is accumulated transposed (narrow outputs).
 */
export function transposedScratch(k: number, n: number): { weights: boolean; gradients: boolean } {
  const narrow = preferDots(k, n);
  return { weights: narrow || !preferDots(n, k), gradients: narrow };
}

/** out (n×m) = aᵀ for a m×n. */
export function transpose(out: F32Buffer, a: F32Buffer, m: number, n: number): void {
  a.instance.kernels.transpose(out.ptr, a.ptr, m, n);
}

/** out = x·W + b (then ReLU when relu). W is k×n; `wt()` returns Wᵀ (n×k), asked for only when preferDots(k, n). */
export function affineForward(
  out: Matrix,
  x: Matrix,
  w: F32Buffer,
  b: F32Buffer,
  wt: () => F32Buffer,
  relu: boolean,
): void {
  const { rows: m, cols: k } = x;
  const n = out.cols;
  const kernels = x.instance.kernels;
  if (preferDots(k, n)) {
    kernels.matmulDots(out.ptr, x.ptr, wt().ptr, b.ptr, m, k, n, relu ? 1 : 0);
  } else {
    kernels.matmulRows(out.ptr, x.ptr, w.ptr, b.ptr, m, k, n, relu ? 1 : 0);
  }
}

/**
 * dW += xᵀ·dZ (k×n) and db += Σ_rows dZ, where dZ = dOut, or dOut ⊙ [reluOut > 0] when reluOut is
 * given (the ReLU backward of a fused Dense + ReLU; dOut is overwritten with dZ). Wide outputs
 * take one pass over dOut (mask, product and sums fused); narrow ones accumulate dWᵀ += dZᵀ·x into
 * dwt instead (given for narrow layers; the caller transposes it into dW once the batch is complete).
 */
export function denseGrads(
  dw: F32Buffer,
  db: F32Buffer,
  x: Matrix,
  dOut: Matrix,
  reluOut: Matrix | null,
  dwt: F32Buffer | null,
): void {
  const { rows: m, cols: k } = x;
  const n = dOut.cols;
  const kernels = x.instance.kernels;
  if (preferDots(k, n)) {
    if (reluOut) kernels.reluBackward(dOut.ptr, dOut.ptr, reluOut.ptr, m * n);
    kernels.matmulTN(dwt!.ptr, 0, dOut.ptr, x.ptr, 0, m, n, k);
    kernels.colSums(db.ptr, dOut.ptr, m, n);
  } else {
    kernels.matmulTN(dw.ptr, db.ptr, x.ptr, dOut.ptr, reluOut ? reluOut.ptr : 0, m, k, n);
  }
}

/** dx = dz·Wᵀ (m×k) for W k×n; `wt()` returns Wᵀ, asked for only by the wide form. */
export function inputGrad(dx: Matrix, dz: Matrix, w: F32Buffer, wt: () => F32Buffer): void {
  const { rows: m, cols: n } = dz;
  const k = dx.cols;
  const kernels = dz.instance.kernels;
  if (preferDots(n, k)) {
    kernels.matmulDots(dx.ptr, dz.ptr, w.ptr, 0, m, n, k, 0);
  } else {
    kernels.matmulRows(dx.ptr, dz.ptr, wt().ptr, 0, m, n, k, 0);
  }
}
