// The elementwise activation kernels (assembly/activation.ts) on matrices already in WASM memory.
// Internal: the layers call these after their own checks.
import type { Matrix } from "../wasm/matrix.js";
import { MIN_PART_ELEMENTS } from "../wasm/partition.js";
import { runSplit } from "../wasm/run-split.js";

type UnaryKernel = "reluForward" | "sigmoidForward" | "tanhForward" | "seluForward";
type BackwardKernel = "reluBackward" | "sigmoidBackward" | "tanhBackward" | "seluBackward";

/** out = f(x) elementwise, in parts for threads (elements are independent). */
function unary(kernel: UnaryKernel, out: Matrix, x: Matrix): void {
  runSplit(x.instance, kernel, x.data.length, 4, MIN_PART_ELEMENTS, (start, end) => [
    out.ptr + 4 * start,
    x.ptr + 4 * start,
    end - start,
  ]);
}

/** dx = f'(dy, y) elementwise, in parts for threads. */
function backward(kernel: BackwardKernel, dx: Matrix, dy: Matrix, y: Matrix): void {
  runSplit(dy.instance, kernel, dy.data.length, 4, MIN_PART_ELEMENTS, (start, end) => [
    dx.ptr + 4 * start,
    dy.ptr + 4 * start,
    y.ptr + 4 * start,
    end - start,
  ]);
}

/** out = max(x, 0) elementwise (NaN propagates); out may be x. */
export function reluForward(out: Matrix, x: Matrix): void {
  unary("reluForward", out, x);
}

/** dx = dy where the ReLU's output y is > 0, else 0; dx may be dy. */
export function reluBackward(dx: Matrix, dy: Matrix, y: Matrix): void {
  backward("reluBackward", dx, dy, y);
}

/** out = σ(x) = 1/(1 + e^-x) elementwise (within 4 ulp; 0 below x ≈ −87.3); out may be x. */
export function sigmoidForward(out: Matrix, x: Matrix): void {
  unary("sigmoidForward", out, x);
}

/** dx = dy·y·(1 − y), from the sigmoid's output y; dx may be dy. */
export function sigmoidBackward(dx: Matrix, dy: Matrix, y: Matrix): void {
  backward("sigmoidBackward", dx, dy, y);
}

/** out = tanh(x) elementwise (within 4 ulp); out may be x. */
export function tanhForward(out: Matrix, x: Matrix): void {
  unary("tanhForward", out, x);
}

/** dx = dy·(1 − y²), from tanh's output y; dx may be dy. */
export function tanhBackward(dx: Matrix, dy: Matrix, y: Matrix): void {
  backward("tanhBackward", dx, dy, y);
}

/** out = selu(x) = scale·x (x > 0) or scale·alpha·(e^x − 1), rounded once from f64; out may be x. */
export function seluForward(out: Matrix, x: Matrix): void {
  unary("seluForward", out, x);
}

/** dx = dy·(y > 0 ? scale : y + scale·alpha), from SELU's output y; dx may be dy. */
export function seluBackward(dx: Matrix, dy: Matrix, y: Matrix): void {
  backward("seluBackward", dx, dy, y);
}
