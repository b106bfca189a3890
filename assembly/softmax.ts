// Softmax + categorical cross-entropy, combined (the gradient of the pair is (p − onehot)/m), and the
// softmax on its own (the Softmax layer). One row at a time, exponentials and sums in f64 (n, the
// class count, is small); probabilities and gradients stored f32. The same scalar code runs in both
// builds, so they agree bit for bit.

/** Probabilities are clipped to [1e-7, 1 − 1e-7] inside the log, as in the reference course. */
const CLIP: f64 = 1e-7;
/**
 * Stored probabilities and gradients below the smallest normal f32 (2^-126) become 0: confident
 * predictions have such probabilities, and subnormal operands slow every later multiply ~100× on x86.
 */
const FLT_MIN: f64 = 1.1754943508222875e-38;

// @ts-ignore: decorator
@inline function ftz(x: f64): f32 {
  return abs(x) < FLT_MIN ? 0 : <f32>x;
}

/**
 * For each of m rows of logits z (m×n) with integer label y[i] (u32, < n; labelsPtr 0: no labels,
 * only probabilities, and the accumulator at accPtr is not touched):
 *   p = softmax(z[i]) (max-subtracted), stored to probsPtr when it is not 0;
 *   dz[i, j] = (p[j] − [j = y[i]])·gradScale, stored to dzPtr when it is not 0;
 *   (both flushed to 0 below 2^-126);
 *   acc[0] += −ln(clip(p[y[i]])), acc[1] += 1 when argmax(z[i]) (first maximum) = y[i].
 * probs or dz may be z itself.
 */
export function softmaxCrossEntropy(dzPtr: usize, probsPtr: usize, accPtr: usize, zPtr: usize, labelsPtr: usize, m: usize, n: usize, gradScale: f64): void {
  let loss: f64 = labelsPtr ? load<f64>(accPtr) : 0;
  let correct: f64 = labelsPtr ? load<f64>(accPtr, 8) : 0;
  // exponentials are parked (f32) in one of the outputs between the two passes
  const park = probsPtr ? probsPtr : dzPtr;
  for (let i: usize = 0; i < m; i++) {
    const row = zPtr + i * (n << 2);
    const parkRow = park + i * (n << 2);
    let best: usize = 0;
    let zMax = load<f32>(row);
    for (let j: usize = 1; j < n; j++) {
      const z = load<f32>(row + (j << 2));
      if (z > zMax) { zMax = z; best = j; }
    }
    const label = labelsPtr ? <usize>load<u32>(labelsPtr + (i << 2)) : n;
    let sum: f64 = 0, eLabel: f64 = 0;
    for (let j: usize = 0; j < n; j++) {
      const e = Math.exp(<f64>load<f32>(row + (j << 2)) - <f64>zMax);
      sum += e;
      if (j == label) eLabel = e;
      if (park) store<f32>(parkRow + (j << 2), <f32>e);
    }
    const inv = 1 / sum;
    if (labelsPtr) {
      loss -= Math.log(min(max(eLabel * inv, CLIP), 1 - CLIP));
      if (best == label) correct += 1;
    }
    if (park) {
      for (let j: usize = 0; j < n; j++) {
        const p = <f64>load<f32>(parkRow + (j << 2)) * inv;
        if (probsPtr) store<f32>(probsPtr + ((i * n + j) << 2), ftz(p));
        if (dzPtr) store<f32>(dzPtr + ((i * n + j) << 2), ftz((p - (j == label ? 1.0 : 0.0)) * gradScale));
      }
    }
  }
  if (labelsPtr) {
    store<f64>(accPtr, loss);
    store<f64>(accPtr, correct, 8);
  }
}

/**
 * out[i] = softmax(z[i]) for each of m rows of n values: the probabilities of softmaxCrossEntropy,
 * bit for bit (the same code). out may be z.
 */
export function softmaxForward(outPtr: usize, zPtr: usize, m: usize, n: usize): void {
  softmaxCrossEntropy(0, outPtr, 0, zPtr, 0, m, n, 0);
}

/**
 * The softmax gradient from its output y, per row: dx[j] = y[j]·(dy[j] − Σ_k dy[k]·y[k]) (the
 * Jacobian-vector product), in f64, stored f32 (flushed to 0 below 2^-126). out may be dy.
 */
export function softmaxBackward(outPtr: usize, dyPtr: usize, yPtr: usize, m: usize, n: usize): void {
  for (let i: usize = 0; i < m; i++) {
    const row = (i * n) << 2;
    let dot: f64 = 0;
    for (let j: usize = 0; j < n; j++) {
      dot += <f64>load<f32>(dyPtr + row + (j << 2)) * <f64>load<f32>(yPtr + row + (j << 2));
    }
    for (let j: usize = 0; j < n; j++) {
      const p = row + (j << 2);
      store<f32>(outPtr + p, ftz(<f64>load<f32>(yPtr + p) * (<f64>load<f32>(dyPtr + p) - dot)));
    }
  }
}
