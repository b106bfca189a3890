// The cross-entropy losses against smoothed targets (Keras's label_smoothing ε):
//   softmax: target_j = (1 − ε)·[j = label] + ε/n;   binary: target = (1 − ε)·y + ε/2.
// Row by row in order, terms in f64, probabilities clipped to [1e-7, 1 − 1e-7] inside each log as
// the unsmoothed kernels do; gradients stored f32, flushed to 0 below 2^-126. Scalar code only, so
// the SIMD and scalar builds agree bit for bit. (ε = 0 runs the unsmoothed kernels instead.)

const CLIP: f64 = 1e-7;
const FLT_MIN: f64 = 1.1754943508222875e-38;

// @ts-ignore: decorator
@inline function ftz(x: f64): f32 {
  return abs(x) < FLT_MIN ? 0 : <f32>x;
}

// @ts-ignore: decorator
@inline function clipLog(p: f64): f64 {
  return Math.log(min(max(p, CLIP), 1 - CLIP));
}

/**
 * For each of m rows of logits z (m×n) with integer label y[i] (u32, < n):
 *   p = softmax(z[i]) (max-subtracted);  acc[0] += −Σ_j target_j·ln(clip(p_j));
 *   acc[1] += 1 when argmax(z[i]) (first maximum) = y[i];
 *   dz[i, j] = (p_j − target_j)·gradScale when dzPtr is not 0 (dz may be z).
 */
export function softmaxCrossEntropySmoothed(dzPtr: usize, accPtr: usize, zPtr: usize, labelsPtr: usize, m: usize, n: usize, gradScale: f64, smoothing: f64): void {
  let loss = load<f64>(accPtr);
  let correct = load<f64>(accPtr, 8);
  const off = smoothing / <f64>n;
  const on = 1 - smoothing + off;
  for (let i: usize = 0; i < m; i++) {
    const row = zPtr + i * (n << 2);
    let best: usize = 0;
    let zMax = load<f32>(row);
    for (let j: usize = 1; j < n; j++) {
      const z = load<f32>(row + (j << 2));
      if (z > zMax) { zMax = z; best = j; }
    }
    const label = <usize>load<u32>(labelsPtr + (i << 2));
    let sum: f64 = 0;
    for (let j: usize = 0; j < n; j++) sum += Math.exp(<f64>load<f32>(row + (j << 2)) - <f64>zMax);
    const inv = 1 / sum;
    let rowLoss: f64 = 0;
    // the exponentials again (dz may be z, so nothing is parked): the same values, bit for bit
    for (let j: usize = 0; j < n; j++) {
      const p = Math.exp(<f64>load<f32>(row + (j << 2)) - <f64>zMax) * inv;
      const target = j == label ? on : off;
      rowLoss -= target * clipLog(p);
      if (dzPtr) store<f32>(dzPtr + ((i * n + j) << 2), ftz((p - target) * gradScale));
    }
    loss += rowLoss;
    if (best == label) correct += 1;
  }
  store<f64>(accPtr, loss);
  store<f64>(accPtr, correct, 8);
}

/**
 * Binary cross-entropy of sigmoid outputs p against y in [0, 1] smoothed to t = (1 − ε)·y + ε/2:
 * row loss = mean_j −(t·ln q + (1 − t)·ln(1 − q)), q = clip(p); dp = −(t/q − (1 − t)/(1 − q))/n·gradScale.
 * acc[1] += the outputs whose prediction (p > 0.5 ? 1 : 0) equals the unsmoothed y (binary accuracy).
 */
export function binaryCrossEntropySmoothed(dpPtr: usize, accPtr: usize, pPtr: usize, yPtr: usize, m: usize, n: usize, gradScale: f64, smoothing: f64): void {
  let loss = load<f64>(accPtr);
  let hits = load<f64>(accPtr, 8);
  const width = <f64>n;
  for (let i: usize = 0; i < m; i++) {
    const row = (i * n) << 2;
    let sum: f64 = 0;
    let rowHits: u32 = 0;
    for (let j: usize = 0; j < n; j++) {
      const at = row + (j << 2);
      const p32 = load<f32>(pPtr + at), y32 = load<f32>(yPtr + at);
      const q = min(max(<f64>p32, CLIP), 1 - CLIP);
      const t = (1 - smoothing) * <f64>y32 + 0.5 * smoothing;
      sum += -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
      rowHits += <u32>(select<f32>(1, 0, p32 > 0.5) == y32);
      if (dpPtr) store<f32>(dpPtr + at, ftz((-(t / q - (1 - t) / (1 - q)) / width) * gradScale));
    }
    loss += sum / width;
    hits += <f64>rowHits;
  }
  store<f64>(accPtr, loss);
  store<f64>(accPtr, hits, 8);
}
