// AdamW for TF.js (which has none): Adam with decoupled weight decay, PyTorch's torch.optim.AdamW
// step for step (its defaults too):
//   w ← w·(1 − lr·weightDecay)
//   m ← β1·m + (1 − β1)·g        v ← β2·v + (1 − β2)·g²
//   w ← w − (lr / (1 − β1^t))·m / (√v / √(1 − β2^t) + ε)
// The decay multiplies the weights before the step and never enters m and v, unlike an L2 penalty
// added to the gradient (Adam's own weight decay). Bias corrections are computed in float64 from t;
// the tensors are float32. Serializable (getConfig/fromConfig, registered as 'AdamW'), and its
// moments save and restore with getWeights/setWeights as TF.js's Adam's do.
import * as tf from "@tensorflow/tfjs-core";
import type { NamedTensor } from "@tensorflow/tfjs-core/dist/tensor_types.js";
import { checkFraction, checkNonNegative, checkOptions, checkPositive } from "../validate.js";

export interface AdamWOptions {
  /** Default 0.001. */
  learningRate?: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Added to √v̂ in the denominator. Default 1e-8 (PyTorch's). */
  epsilon?: number;
  /** λ of w ← w·(1 − lr·λ). Default 0.01 (PyTorch's). */
  weightDecay?: number;
}

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

export class AdamW extends tf.Optimizer {
  static get className(): string {
    return "AdamW";
  }
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  #m: Slot[] = [];
  #v: Slot[] = [];

  constructor(options: AdamWOptions = {}) {
    super();
    checkOptions("options", options, ["learningRate", "beta1", "beta2", "epsilon", "weightDecay"]);
    const { learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, weightDecay = 0.01 } = options;
    checkPositive("options.learningRate", learningRate);
    checkFraction("options.beta1", beta1);
    checkFraction("options.beta2", beta2);
    checkPositive("options.epsilon", epsilon);
    checkNonNegative("options.weightDecay", weightDecay);
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((v) => v.name)
      : Object.keys(variableGradients);
    const t = this.iterations + 1;
    const { learningRate: lr, beta1, beta2, epsilon } = this;
    const stepSize = lr / (1 - beta1 ** t);
    const sqrtCorrection2 = Math.sqrt(1 - beta2 ** t);
    const keep = 1 - lr * this.weightDecay;
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        this.#m[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        this.#v[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
        if (gradient == null) return;
        const m = this.#m[i].variable;
        const v = this.#v[i].variable;
        const decayed = tf.mul(value, keep);
        const newM = tf.add(tf.mul(m, beta1), tf.mul(gradient, 1 - beta1));
        const newV = tf.add(tf.mul(v, beta2), tf.mul(tf.square(gradient), 1 - beta2));
        m.assign(newM);
        v.assign(newV);
        const denominator = tf.add(tf.div(tf.sqrt(newV), sqrtCorrection2), epsilon);
        value.assign(tf.sub(decayed, tf.mul(tf.div(newM, denominator), stepSize)));
      });
    });
    this.incrementIterations();
  }

  dispose(): void {
    tf.dispose([...this.#m, ...this.#v].map((s) => s.variable));
    this.#m = [];
    this.#v = [];
  }

  async getWeights(): Promise<NamedTensor[]> {
    const slots = [...this.#m, ...this.#v];
    return [await this.saveIterations(), ...slots.map((s) => ({ name: s.originalName, tensor: s.variable }))];
  }

  async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const values = await this.extractIterations(weightValues);
    const half = values.length / 2;
    this.dispose();
    const slot = (v: NamedTensor): Slot => ({ originalName: v.name, variable: v.tensor.variable(false) });
    this.#m = values.slice(0, half).map(slot);
    this.#v = values.slice(half).map(slot);
  }

  getConfig(): tf.serialization.ConfigDict {
    return {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      weightDecay: this.weightDecay,
    };
  }

  static fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    // TF.js's deserialization adds customObjects to the config
    const { customObjects: _, ...options } = config;
    return new cls(options as AdamWOptions);
  }
}
tf.serialization.registerClass(AdamW);

/**
 * Adam with decoupled weight decay for TF.js (PyTorch's AdamW).
 * @example model.compile({ optimizer: adamw({ learningRate: 1e-3, weightDecay: 0.01 }), loss: "categoricalCrossentropy" });
 */
export function adamw(options: AdamWOptions = {}): AdamW {
  return new AdamW(options);
}
