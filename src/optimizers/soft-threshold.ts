// The proximal step of λ·Σ|w| with step size lr (soft-thresholding, as in ISTA and Optax's
// l1 proximal operator): w ← sign(w)·max(|w| − lr·λ, 0). Values within lr·λ of 0 become exactly 0,
// which the subgradient λ·sign(w) never gives. In float64, each value rounded to f32 once, and
// flushed to 0 below 2^-126 as the optimizer kernels store theirs.
import type { F32Buffer } from "../wasm/buffer.js";

const FLT_MIN = 2 ** -126;

/** w ← sign(w)·max(|w| − threshold, 0) in place; NaN stays NaN. */
export function softThreshold(w: F32Buffer, threshold: number): void {
  const values = w.view();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const shrunk = Math.abs(v) - threshold;
    if (shrunk > 0) {
      const out = Math.fround(v < 0 ? -shrunk : shrunk);
      values[i] = Math.abs(out) < FLT_MIN ? 0 : out;
    } else if (shrunk <= 0) {
      values[i] = 0;
    }
  }
}
