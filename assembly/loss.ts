// Losses against value targets: m rows × n outputs p (the model's output) and y (f32 targets), the
// loss of a row the mean over its n outputs. Each kernel adds the row losses to acc[0] one row at a
// time in order (f64), so a batch split into chunks sums to the same bits as in one piece; with
// dpPtr not 0 it stores dLoss/dp = (the course's per-output derivative)/n·gradScale (gradScale =
// 1/batch rows) as f32, flushed to 0 below 2^-126. Terms in f64; the same scalar code runs in both
// builds, so they agree bit for bit. dp may be p.

/** Probabilities are clipped to [1e-7, 1 − 1e-7] in the loss and its gradient, as in the course. */
const CLIP: f64 = 1e-7;
const FLT_MIN: f64 = 1.1754943508222875e-38;

// @ts-ignore: decorator
@inline function ftz(x: f64): f32 {
  return abs(x) < FLT_MIN ? 0 : <f32>x;
}

/**
 * Binary cross-entropy of sigmoid outputs p against targets y in [0, 1] (multi-label):
 * row loss = mean_j −(y·ln q + (1 − y)·ln(1 − q)), q = clip(p); dp = −(y/q − (1 − y)/(1 − q))/n·gradScale.
 * acc[1] += the outputs whose prediction (p > 0.5 ? 1 : 0) equals y (binary accuracy, as Keras).
 */
export function binaryCrossEntropy(dpPtr: usize, accPtr: usize, pPtr: usize, yPtr: usize, m: usize, n: usize, gradScale: f64): void {
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
      const y = <f64>y32;
      sum += -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
      rowHits += <u32>(select<f32>(1, 0, p32 > 0.5) == y32);
      if (dpPtr) store<f32>(dpPtr + at, ftz((-(y / q - (1 - y) / (1 - q)) / width) * gradScale));
    }
    loss += sum / width;
    hits += <f64>rowHits;
  }
  store<f64>(accPtr, loss);
  store<f64>(accPtr, hits, 8);
}

/** Mean squared error: row loss = mean_j (y − p)²; dp = −2(y − p)/n·gradScale. acc[1] is not touched. */
export function meanSquaredError(dpPtr: usize, accPtr: usize, pPtr: usize, yPtr: usize, m: usize, n: usize, gradScale: f64): void {
  let loss = load<f64>(accPtr);
  const width = <f64>n;
  for (let i: usize = 0; i < m; i++) {
    const row = (i * n) << 2;
    let sum: f64 = 0;
    for (let j: usize = 0; j < n; j++) {
      const at = row + (j << 2);
      const d = <f64>load<f32>(yPtr + at) - <f64>load<f32>(pPtr + at);
      sum += d * d;
      if (dpPtr) store<f32>(dpPtr + at, ftz(((-2 * d) / width) * gradScale));
    }
    loss += sum / width;
  }
  store<f64>(accPtr, loss);
}

/**
 * Mean absolute error: row loss = mean_j |y − p|; dp = −sign(y − p)/n·gradScale with sign(0) = 0
 * (np.sign, as the course). acc[1] is not touched.
 */
export function meanAbsoluteError(dpPtr: usize, accPtr: usize, pPtr: usize, yPtr: usize, m: usize, n: usize, gradScale: f64): void {
  let loss = load<f64>(accPtr);
  const width = <f64>n;
  for (let i: usize = 0; i < m; i++) {
    const row = (i * n) << 2;
    let sum: f64 = 0;
    for (let j: usize = 0; j < n; j++) {
      const at = row + (j << 2);
      const d = <f64>load<f32>(yPtr + at) - <f64>load<f32>(pPtr + at);
      sum += abs(d);
      if (dpPtr) {
        // −sign(d): NaN stays NaN, ±0 gives +0
        const g: f64 = d > 0 ? -1 : d < 0 ? 1 : d != d ? d : 0;
        store<f32>(dpPtr + at, ftz((g / width) * gradScale));
      }
    }
    loss += sum / width;
  }
  store<f64>(accPtr, loss);
}
