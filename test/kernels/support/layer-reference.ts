// References for the layer kernels (assembly/matmul.ts, softmax.ts, optimizer.ts), written from their
// documented formulas, not from the WASM code: products and softmax in float64; the optimizer steps
// either in float64 or with every f32 operation of the documented formula reproduced by Math.fround
// (exact: an f32 +, −, ×, ÷ or √ rounded through f64 equals the f32 operation).

// ---------------------------------------------------------------- matrix products

/** out (m×n) = a (m×k) · b (k×n) in float64, plus bias, then ReLU. */
export function refMatmul(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  bias?: ArrayLike<number>,
  relu = false,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = bias ? bias[j] : 0;
      for (let kk = 0; kk < k; kk++) s += a[i * k + kk] * b[kk * n + j];
      out[i * n + j] = relu ? Math.max(s, 0) : s;
    }
  }
  return out;
}

/** The transpose of a (m×n). */
export function refTranspose(a: ArrayLike<number>, m: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = a[i * n + j];
  return out;
}

/**
 * Largest |got − want| / (Σ|terms| bound) over elements, where `scale[i]` bounds the magnitude of
 * the terms summed into element i: an f32 sum of k terms errs by at most ~k·2^-24·Σ|terms|.
 */
export function maxScaledError(got: ArrayLike<number>, want: ArrayLike<number>, scale: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(scale[i], 1e-30));
  return worst;
}

// ---------------------------------------------------------------- softmax + cross-entropy

export interface RefSoftmaxCrossEntropy {
  /** Σ over rows of −ln(clip(p[label], 1e-7, 1 − 1e-7)). */
  loss: number;
  /** Rows whose first maximal logit is the label. */
  correct: number;
  probs: Float64Array;
  /** (p − onehot(label))·gradScale. */
  dz: Float64Array;
}

/** Softmax of each of m rows of n logits, its cross-entropy with integer labels and their gradient, in float64. */
export function refSoftmaxCrossEntropy(
  z: ArrayLike<number>,
  labels: ArrayLike<number>,
  m: number,
  n: number,
  gradScale: number,
): RefSoftmaxCrossEntropy {
  let loss = 0,
    correct = 0;
  const probs = new Float64Array(m * n),
    dz = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const row = Array.from({ length: n }, (_, j) => z[i * n + j]);
    const max = Math.max(...row);
    const e = row.map((v) => Math.exp(v - max));
    const s = e.reduce((a, b) => a + b, 0);
    for (let j = 0; j < n; j++) {
      probs[i * n + j] = e[j] / s;
      dz[i * n + j] = (probs[i * n + j] - (j === labels[i] ? 1 : 0)) * gradScale;
    }
    loss -= Math.log(Math.min(Math.max(probs[i * n + labels[i]], 1e-7), 1 - 1e-7));
    if (row.indexOf(max) === labels[i]) correct++;
  }
  return { loss, correct, probs, dz };
}

// ---------------------------------------------------------------- optimizer steps

/** The arithmetic of a reference step: f32 (every result rounded, subnormal results stored as +0) or float64. */
interface Arithmetic {
  r: (x: number) => number;
  store: (x: number) => number;
}
const F32: Arithmetic = { r: Math.fround, store: (x) => ftz(Math.fround(x)) };
const F64: Arithmetic = { r: (x) => x, store: (x) => x };

/** f32 flush-to-zero, as the kernels store results: subnormals (|x| < 2^-126) become +0. */
export const ftz = (x: number): number => (Math.abs(x) < 2 ** -126 ? 0 : x);

/** adamUpdate's scalar arguments (f64 here; the f32 reference rounds them as the WASM call does). */
export interface AdamArgs {
  lr: number;
  beta1: number;
  beta2: number;
  oneMinusB1: number;
  oneMinusB2: number;
  eps: number;
  c1: number;
  c2: number;
  keep: number;
}

/**
 * adamUpdate's arguments for step t (counted from 0) at learning rate lr: 1 − β in f64 (the kernel
 * takes them ready-made), bias corrections c = 1 − β^(t + 1), keep = 1 − lr·weightDecay (AdamW).
 */
export function adamArgs(
  lr: number,
  t: number,
  { beta1 = 0.9, beta2 = 0.999, eps = 1e-7, weightDecay = 0 } = {},
): AdamArgs {
  return {
    lr,
    beta1,
    beta2,
    oneMinusB1: 1 - beta1,
    oneMinusB2: 1 - beta2,
    eps,
    c1: 1 - beta1 ** (t + 1),
    c2: 1 - beta2 ** (t + 1),
    keep: 1 - lr * weightDecay,
  };
}

/** AdamArgs in adamUpdate's parameter order (after the pointers and n). */
export function adamArgList(a: AdamArgs): [number, number, number, number, number, number, number, number, number] {
  return [a.lr, a.beta1, a.beta2, a.oneMinusB1, a.oneMinusB2, a.eps, a.c1, a.c2, a.keep];
}

/**
 * One Adam step in place: w ← w·keep; m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
 * w ← w − lr·(m / c1) / (√(v / c2) + ε). With f32 true, in f32 with m, v and w flushed to zero;
 * else in float64 (pass Float64Arrays to keep it so).
 */
export function refAdamUpdate(
  w: Float32Array | Float64Array,
  g: ArrayLike<number>,
  m: Float32Array | Float64Array,
  v: Float32Array | Float64Array,
  a: AdamArgs,
  f32 = true,
): void {
  const { r, store } = f32 ? F32 : F64;
  const [lr, b1, b2, ob1, ob2, eps, c1, c2, keep] = adamArgList(a).map(r);
  for (let i = 0; i < w.length; i++) {
    m[i] = store(r(b1 * m[i]) + r(ob1 * g[i]));
    v[i] = store(r(b2 * v[i]) + r(ob2 * r(g[i] * g[i])));
    const step = r(r(lr * r(m[i] / c1)) / r(r(Math.sqrt(r(v[i] / c2))) + eps));
    w[i] = store(r(w[i] * keep) - step);
  }
}

/** sgdUpdate's scalar arguments. */
export interface SgdArgs {
  lr: number;
  momentum: number;
  keep: number;
}

/**
 * One SGD step in place: w ← w·keep; then with momentum state u: u ← μ·u − lr·g, w ← w + u;
 * without (u null): w ← w − lr·g. f32 as in refAdamUpdate.
 */
export function refSgdUpdate(
  w: Float32Array | Float64Array,
  g: ArrayLike<number>,
  u: Float32Array | Float64Array | null,
  a: SgdArgs,
  f32 = true,
): void {
  const { r, store } = f32 ? F32 : F64;
  const [lr, mu, keep] = [a.lr, a.momentum, a.keep].map(r);
  for (let i = 0; i < w.length; i++) {
    const wk = r(w[i] * keep),
      step = r(lr * g[i]);
    if (u) {
      u[i] = store(r(mu * u[i]) - step);
      w[i] = store(wk + u[i]);
    } else {
      w[i] = store(wk - step);
    }
  }
}
