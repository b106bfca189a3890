// The plain-JS baselines: what a user writes by hand over Float32Arrays, one straightforward loop
// nest per operation (i-k-j order for x·W, so the inner loop runs along contiguous rows), sums in
// doubles. Each runs in its own worker (worker.mjs), so its call sites only ever see one shape.

/** out (m×n) = a (m×k) · b (k×n) (+ bias) (ReLU), i-k-j. */
export function matmulRows(out, a, b, bias, m, k, n, relu) {
  for (let i = 0; i < m; i++) {
    const o = i * n;
    for (let j = 0; j < n; j++) out[o + j] = bias ? bias[j] : 0;
    for (let kk = 0; kk < k; kk++) {
      const s = a[i * k + kk];
      const r = kk * n;
      for (let j = 0; j < n; j++) out[o + j] += s * b[r + j];
    }
    if (relu) for (let j = 0; j < n; j++) if (out[o + j] < 0) out[o + j] = 0;
  }
}

/** out (m×n) = a (m×k) · btᵀ with bt n×k (+ bias) (ReLU): one contiguous dot per output. */
export function matmulDots(out, a, bt, bias, m, k, n, relu) {
  for (let i = 0; i < m; i++) {
    const ai = i * k;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s = 0;
      for (let kk = 0; kk < k; kk++) s += a[ai + kk] * bt[bj + kk];
      if (bias) s += bias[j];
      out[i * n + j] = relu && s < 0 ? 0 : s;
    }
  }
}

/** out (p×q) += aᵀ·b' (a m×p, b m×q), sum (q) += Σ rows of b', b' = b ⊙ [y > 0] when y (b overwritten). */
export function matmulTN(out, sum, a, b, y, m, p, q) {
  for (let i = 0; i < m; i++) {
    const bi = i * q;
    if (y) for (let j = 0; j < q; j++) if (!(y[bi + j] > 0)) b[bi + j] = 0;
    if (sum) for (let j = 0; j < q; j++) sum[j] += b[bi + j];
    for (let pp = 0; pp < p; pp++) {
      const s = a[i * p + pp];
      const o = pp * q;
      for (let j = 0; j < q; j++) out[o + j] += s * b[bi + j];
    }
  }
}

/** out (n) += Σ_i a[i, :]. */
export function colSums(out, a, m, n) {
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j] += a[i * n + j];
}

export function reluForward(out, x) {
  for (let i = 0; i < x.length; i++) out[i] = Math.max(x[i], 0);
}

export function reluBackward(out, dy, y) {
  for (let i = 0; i < dy.length; i++) out[i] = y[i] > 0 ? dy[i] : 0;
}

export function sigmoidForward(out, x) {
  for (let i = 0; i < x.length; i++) out[i] = 1 / (1 + Math.exp(-x[i]));
}

export function tanhForward(out, x) {
  for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]);
}

/** Softmax of each row, dz = (p − onehot)·scale, summed loss and correct count; returns [loss, correct]. */
export function softmaxCrossEntropy(dz, z, labels, m, n, scale) {
  let loss = 0,
    correct = 0;
  for (let i = 0; i < m; i++) {
    const r = i * n;
    let best = 0;
    for (let j = 1; j < n; j++) if (z[r + j] > z[r + best]) best = j;
    const zMax = z[r + best];
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp(z[r + j] - zMax);
      dz[r + j] = e;
      sum += e;
    }
    const label = labels[i];
    const pLabel = dz[r + label] / sum;
    loss -= Math.log(Math.min(Math.max(pLabel, 1e-7), 1 - 1e-7));
    if (best === label) correct++;
    for (let j = 0; j < n; j++) dz[r + j] = (dz[r + j] / sum - (j === label ? 1 : 0)) * scale;
  }
  return [loss, correct];
}

/** Adam as in the course, with the bias corrections c1 = 1 − β1^t, c2 = 1 − β2^t given. */
export function adamUpdate(w, g, m, v, lr, beta1, beta2, eps, c1, c2) {
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    const mi = beta1 * m[i] + (1 - beta1) * gi;
    const vi = beta2 * v[i] + (1 - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i] -= (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
  }
}

/** SGD with momentum: u ← μ·u − lr·g, w ← w + u. */
export function sgdUpdate(w, g, u, lr, momentum) {
  for (let i = 0; i < w.length; i++) {
    const ui = momentum * u[i] - lr * g[i];
    u[i] = ui;
    w[i] += ui;
  }
}
