// The elementwise activation kernels (assembly/activation.ts) on matrices already in WASM memory.
// Internal: the layers call these after their own checks.
import type { Matrix } from "../wasm/matrix.js";

/** out = max(x, 0) elementwise (NaN propagates); out may be x. */
export function reluForward(out: Matrix, x: Matrix): void {
  x.instance.kernels.reluForward(out.ptr, x.ptr, x.data.length);
}

/** dx = dy where the ReLU's output y is > 0, else 0; dx may be dy. */
export function reluBackward(dx: Matrix, dy: Matrix, y: Matrix): void {
  dy.instance.kernels.reluBackward(dx.ptr, dy.ptr, y.ptr, dy.data.length);
}

/** out = σ(x) = 1/(1 + e^-x) elementwise (within 4 ulp; 0 below x ≈ −87.3); out may be x. */
export function sigmoidForward(out: Matrix, x: Matrix): void {
  x.instance.kernels.sigmoidForward(out.ptr, x.ptr, x.data.length);
}

/** dx = dy·y·(1 − y), from the sigmoid's output y; dx may be dy. */
export function sigmoidBackward(dx: Matrix, dy: Matrix, y: Matrix): void {
  dy.instance.kernels.sigmoidBackward(dx.ptr, dy.ptr, y.ptr, dy.data.length);
}

/** out = tanh(x) elementwise (within 4 ulp); out may be x. */
export function tanhForward(out: Matrix, x: Matrix): void {
  x.instance.kernels.tanhForward(out.ptr, x.ptr, x.data.length);
}

/** dx = dy·(1 − y²), from tanh's output y; dx may be dy. */
export function tanhBackward(dx: Matrix, dy: Matrix, y: Matrix): void {
  dy.instance.kernels.tanhBackward(dx.ptr, dy.ptr, y.ptr, dy.data.length);
}
