// The activation kernels (assembly/activation.ts) on matrices already in WASM memory. Internal: the
// layers call these after their own checks.
import type { Matrix } from "../wasm/matrix.js";

/** out = max(x, 0) elementwise (NaN propagates); out may be x. */
export function reluForward(out: Matrix, x: Matrix): void {
  x.instance.kernels.reluForward(out.ptr, x.ptr, x.data.length);
}

/** dx = dy where the ReLU's output y is > 0, else 0; dx may be dy. */
export function reluBackward(dx: Matrix, dy: Matrix, y: Matrix): void {
  dy.instance.kernels.reluBackward(dx.ptr, dy.ptr, y.ptr, dy.data.length);
}
