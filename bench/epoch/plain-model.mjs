// The experiment's model written straightforwardly in plain JavaScript (Float32Array loops, no WASM):
// Dense(2→H, L1/L2 on weights and biases) → ReLU → Dropout → Dense(H→C) → softmax + cross-entropy,
// trained full-batch with the course's Adam (lr / (1 + decay·iteration)). It is the "what you would
// write by hand" baseline of the epoch benchmark, and an independent check of the accuracy regwasm reaches.
// Sizes and hyperparameters come from the shared ExperimentConfig; the seeds are regwasm's
// (experimentSeeds), fed to another generator, so the initial weights and masks differ from regwasm's.
import { mulberry32 } from "../../test/support/mulberry32.js";

/** Standard normal draws from a uniform generator (Box–Muller). */
function normal(uniform) {
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

class Adam {
  constructor({ learningRate, decay, epsilon = 1e-7, beta1 = 0.9, beta2 = 0.999 }) {
    Object.assign(this, { learningRate, decay, epsilon, beta1, beta2 });
    this.iteration = 0;
    this.state = new Map();
  }

  /** One update of param from grad (both Float32Array), as in the course's Optimizer_Adam. */
  update(param, grad) {
    let s = this.state.get(param);
    if (!s) {
      s = { m: new Float32Array(param.length), v: new Float32Array(param.length) };
      this.state.set(param, s);
    }
    const { beta1, beta2, epsilon } = this;
    const lr = this.learningRate / (1 + this.decay * this.iteration);
    const c1 = 1 - beta1 ** (this.iteration + 1);
    const c2 = 1 - beta2 ** (this.iteration + 1);
    for (let i = 0; i < param.length; i++) {
      s.m[i] = beta1 * s.m[i] + (1 - beta1) * grad[i];
      s.v[i] = beta2 * s.v[i] + (1 - beta2) * grad[i] * grad[i];
      param[i] -= (lr * (s.m[i] / c1)) / (Math.sqrt(s.v[i] / c2) + epsilon);
    }
  }

  step() {
    this.iteration++;
  }
}

/** Spiral points are 2-D, as the shared builder's Dense(2, hidden). */
const features = 2;

/**
 * @param {import("../../dist/index.js").ExperimentConfig} config
 * @param {import("../../dist/index.js").ExperimentSeeds} seeds
 */
export function createPlainModel({ hidden, classes, dropout: rate, l1, l2, learningRate, decay }, seeds) {
  const randn1 = normal(mulberry32(seeds.hidden));
  const randn2 = normal(mulberry32(seeds.output));
  const uniform = mulberry32(seeds.dropout);
  const w1 = Float32Array.from({ length: features * hidden }, () => 0.01 * randn1());
  const b1 = new Float32Array(hidden);
  const w2 = Float32Array.from({ length: hidden * classes }, () => 0.01 * randn2());
  const b2 = new Float32Array(classes);
  const dw1 = new Float32Array(w1.length),
    db1 = new Float32Array(hidden);
  const dw2 = new Float32Array(w2.length),
    db2 = new Float32Array(classes);
  const optimizer = new Adam({ learningRate, decay });
  let buffers = { rows: 0 };

  // Activations are allocated once per batch size and reused: fresh memory is expensive.
  // Hot loops read them through local constants, which V8 optimizes better than reassigned closure slots.
  function activations(n) {
    if (buffers.rows !== n) {
      buffers = {
        rows: n,
        z1: new Float32Array(n * hidden),
        a1: new Float32Array(n * hidden),
        keep: new Float32Array(n * hidden),
        z2: new Float32Array(n * classes),
        dz1: new Float32Array(n * hidden),
      };
    }
    return buffers;
  }

  /** Fills z2 with class probabilities for x (n × features); dropout only when training. */
  function forward(x, n, training) {
    const { z1, a1, keep, z2 } = activations(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < hidden; j++) {
        let s = b1[j];
        for (let k = 0; k < features; k++) s += x[i * features + k] * w1[k * hidden + j];
        z1[i * hidden + j] = s;
        a1[i * hidden + j] = Math.max(s, 0);
      }
    }
    if (training && rate > 0) {
      const scale = 1 / (1 - rate);
      for (let i = 0; i < a1.length; i++) {
        keep[i] = uniform() < 1 - rate ? scale : 0;
        a1[i] *= keep[i];
      }
    }
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let c = 0; c < classes; c++) {
        let s = b2[c];
        for (let j = 0; j < hidden; j++) s += a1[i * hidden + j] * w2[j * classes + c];
        z2[i * classes + c] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += z2[i * classes + c] = Math.exp(z2[i * classes + c] - max);
      for (let c = 0; c < classes; c++) z2[i * classes + c] /= sum;
    }
  }

  /** Mean cross-entropy and accuracy of the probabilities in z2 against labels y. */
  function dataMetrics(y, n) {
    const { z2 } = buffers;
    let loss = 0,
      correct = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < classes; c++) if (z2[i * classes + c] > z2[i * classes + best]) best = c;
      if (best === y[i]) correct++;
      loss -= Math.log(Math.min(Math.max(z2[i * classes + y[i]], 1e-7), 1 - 1e-7));
    }
    return { dataLoss: loss / n, acc: correct / n };
  }

  function regLoss() {
    let abs = 0,
      squares = 0;
    for (const p of [w1, b1]) {
      for (let i = 0; i < p.length; i++) {
        abs += Math.abs(p[i]);
        squares += p[i] * p[i];
      }
    }
    return l1 * abs + l2 * squares;
  }

  /** One full-batch epoch: forward, backward, Adam. Returns the training-mode metrics. */
  function trainEpoch(x, y, n) {
    forward(x, n, true);
    const { z1, a1, keep, z2, dz1 } = buffers;
    const metrics = dataMetrics(y, n);
    // Softmax + cross-entropy gradient, in place in z2: (p − onehot) / n.
    for (let i = 0; i < n; i++) {
      z2[i * classes + y[i]] -= 1;
      for (let c = 0; c < classes; c++) z2[i * classes + c] /= n;
    }
    dw2.fill(0);
    db2.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < hidden; j++) {
        const a = a1[i * hidden + j];
        let d = 0;
        for (let c = 0; c < classes; c++) {
          const g = z2[i * classes + c];
          dw2[j * classes + c] += a * g;
          d += g * w2[j * classes + c];
        }
        // Through dropout (the stored scaled mask) and ReLU.
        const k = rate > 0 ? keep[i * hidden + j] : 1;
        dz1[i * hidden + j] = z1[i * hidden + j] > 0 ? d * k : 0;
      }
      for (let c = 0; c < classes; c++) db2[c] += z2[i * classes + c];
    }
    dw1.fill(0);
    db1.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < hidden; j++) {
        const g = dz1[i * hidden + j];
        for (let k = 0; k < features; k++) dw1[k * hidden + j] += x[i * features + k] * g;
        db1[j] += g;
      }
    }
    // λ1·sign(w) with sign(0) = +1 as in the course, and 2·λ2·w; the L1 loop only when L1 is on.
    for (let i = 0; i < w1.length; i++) dw1[i] += 2 * l2 * w1[i];
    for (let i = 0; i < b1.length; i++) db1[i] += 2 * l2 * b1[i];
    if (l1 > 0) {
      for (let i = 0; i < w1.length; i++) dw1[i] += w1[i] < 0 ? -l1 : l1;
      for (let i = 0; i < b1.length; i++) db1[i] += b1[i] < 0 ? -l1 : l1;
    }
    const reg = regLoss();
    optimizer.update(w1, dw1);
    optimizer.update(b1, db1);
    optimizer.update(w2, dw2);
    optimizer.update(b2, db2);
    optimizer.step();
    return { ...metrics, regLoss: reg, loss: metrics.dataLoss + reg };
  }

  return {
    trainEpoch,
    /** Inference-mode data loss and accuracy. */
    evaluate(x, y, n) {
      forward(x, n, false);
      return dataMetrics(y, n);
    },
  };
}
