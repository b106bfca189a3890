// References for the activation and value-loss kernels (assembly/exp.ts, activation.ts, softmax.ts,
// loss.ts), written from their documented formulas, not from the WASM code:
//   - float64 references of σ, tanh, the softmax Jacobian-vector product and the three losses;
//   - the documented f32 operation sequences of σ and tanh (Cephes' expf reduction and polynomials),
//     every f32 operation reproduced by Math.fround (exact: an f32 +, −, ×, ÷ rounded through f64
//     equals the f32 operation), which the kernels must match bit for bit in every build and runtime.

const f = Math.fround;
/** The smallest normal f32: the kernels store smaller magnitudes as +0. */
export const FLT_MIN = 2 ** -126;

// ---------------------------------------------------------------- float64

export const refSigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
export const refTanh = (x: number): number => Math.tanh(x);

/** Per row of m × n: dx[j] = y[j]·(dy[j] − Σ_k dy[k]·y[k]), in float64. */
export function refSoftmaxBackward(dy: ArrayLike<number>, y: ArrayLike<number>, m: number, n: number): Float64Array {
  const dx = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    let dot = 0;
    for (let j = 0; j < n; j++) dot += dy[i * n + j] * y[i * n + j];
    for (let j = 0; j < n; j++) dx[i * n + j] = y[i * n + j] * (dy[i * n + j] - dot);
  }
  return dx;
}

export type ValueLossName = "binaryCrossEntropy" | "meanSquaredError" | "meanAbsoluteError";

export interface RefValueLoss {
  /** Σ over rows of the mean over the row's outputs. */
  loss: number;
  /** Outputs with (p > 0.5 ? 1 : 0) = y (binary cross-entropy only; else 0). */
  hits: number;
  /** dLoss/dp of the row means, times gradScale. */
  dp: Float64Array;
}

const clip = (p: number): number => Math.min(Math.max(p, 1e-7), 1 - 1e-7);

/** The course's per-output loss and derivative of each value loss, in float64. */
const TERMS: Record<ValueLossName, (p: number, y: number) => [loss: number, grad: number]> = {
  binaryCrossEntropy: (p, y) => [
    -(y * Math.log(clip(p)) + (1 - y) * Math.log(1 - clip(p))),
    -(y / clip(p) - (1 - y) / (1 - clip(p))),
  ],
  meanSquaredError: (p, y) => [(y - p) ** 2, -2 * (y - p)],
  meanAbsoluteError: (p, y) => [Math.abs(y - p), -Math.sign(y - p)],
};

/** A value loss over m rows × n outputs in float64: the mean over each row's outputs, summed over rows. */
export function refValueLoss(
  name: ValueLossName,
  p: ArrayLike<number>,
  y: ArrayLike<number>,
  m: number,
  n: number,
  gradScale: number,
): RefValueLoss {
  let loss = 0,
    hits = 0;
  const dp = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) {
      const [l, g] = TERMS[name](p[i * n + j], y[i * n + j]);
      row += l;
      dp[i * n + j] = (g / n) * gradScale;
      if (name === "binaryCrossEntropy" && (p[i * n + j] > 0.5 ? 1 : 0) === y[i * n + j]) hits++;
    }
    loss += row / n;
  }
  return { loss, hits, dp };
}

// ---------------------------------------------------------------- the documented f32 sequences

const LOG2E = f(Math.LOG2E);
const LN2_HI = f(0.693359375);
const LN2_LO = f(-2.1219444e-4);
const ROUND = 12582912; // 1.5·2^23
const P = [1.98756915e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1].map(f);
const T = [-5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1].map(f);

/** e^x for x ≤ 0 in f32: k = round(x·log2 e), r = x − k·ln2 (in two parts), e^r by Cephes' polynomial, ·2^k; < 2^-126 → 0. */
export function expNonPositiveF32(x: number): number {
  const c = Math.max(x, -88); // NaN stays NaN
  const kr = f(f(c * LOG2E) + ROUND);
  const k = f(kr - ROUND);
  const r = f(f(c - f(k * LN2_HI)) - f(k * LN2_LO));
  let p = f(f(P[0] * r) + P[1]);
  for (let i = 2; i < P.length; i++) p = f(f(p * r) + P[i]);
  const e = f(f(f(p * f(r * r)) + r) + 1);
  // 2^k from its exponent field k + 127: 0 at k = −127 (the field cannot hold a subnormal)
  const y = f(e * (k <= -127 ? 0 : 2 ** k));
  return y < FLT_MIN ? 0 : y;
}

/** σ(x) in f32: t = e^-|x|, (x < 0 ? t : 1)/(1 + t). */
export function sigmoidF32(x: number): number {
  const t = expNonPositiveF32(-Math.abs(x));
  return f((x < 0 ? t : 1) / f(1 + t));
}

/** tanh(x) in f32: a = |x|; a < 0.625: a + a·z·P(z), z = a²; else (1 − t)/(1 + t), t = e^-2a; sign of x. */
export function tanhF32(x: number): number {
  const a = Math.abs(x);
  let y: number;
  if (a < 0.625) {
    const z = f(a * a);
    let p = f(f(T[0] * z) + T[1]);
    for (let i = 2; i < T.length; i++) p = f(f(p * z) + T[i]);
    y = f(f(f(p * z) * a) + a);
  } else {
    const t = expNonPositiveF32(-f(a + a));
    y = f(f(1 - t) / f(1 + t));
  }
  return x < 0 || Object.is(x, -0) ? -y : y;
}

/** The backward of σ in f32 from its output y: dy·(y·(1 − y)). */
export const sigmoidBackwardF32 = (dy: number, y: number): number => f(dy * f(y * f(1 - y)));

/** The backward of tanh in f32 from its output y: dy·(1 − y·y). */
export const tanhBackwardF32 = (dy: number, y: number): number => f(dy * f(1 - f(y * y)));
