// SELU (Klambauer et al.): scale·x for x > 0, scale·alpha·(e^x − 1) otherwise, with Keras's and
// PyTorch's constants. Computed in f64 with musl's expm1 (no cancellation near 0) and rounded once,
// in scalar code that both builds share, so they agree bit for bit.

export const SELU_ALPHA: f64 = 1.6732632423543772848170429916717;
export const SELU_SCALE: f64 = 1.0507009873554804934193349852946;
const SCALE_ALPHA: f64 = SELU_SCALE * SELU_ALPHA;

/** out = selu(x) elementwise; out may be x. NaN stays NaN. */
export function seluForward(outPtr: usize, xPtr: usize, n: usize): void {
  for (let i: usize = 0; i < n; i++) {
    const x = <f64>load<f32>(xPtr + (i << 2));
    store<f32>(outPtr + (i << 2), <f32>(x > 0 ? SELU_SCALE * x : SCALE_ALPHA * Math.expm1(x)));
  }
}

/** dx = dy·selu′ from the output y: scale where y > 0, else y + scale·alpha (= scale·alpha·e^x); dx may be dy. */
export function seluBackward(outPtr: usize, dyPtr: usize, yPtr: usize, n: usize): void {
  for (let i: usize = 0; i < n; i++) {
    const y = <f64>load<f32>(yPtr + (i << 2));
    const slope = y > 0 ? SELU_SCALE : y + SCALE_ALPHA;
    store<f32>(outPtr + (i << 2), <f32>(<f64>load<f32>(dyPtr + (i << 2)) * slope));
  }
}
