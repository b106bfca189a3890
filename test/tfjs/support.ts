// Helpers for the TensorFlow.js suites: TF.js itself (core, layers, the cpu backend) as the peer the
// bridge is checked against, and small trained regwasm models.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import type { Sequential } from "../../src/index.js";
import type { TfjsArtifacts } from "../../src/model/tfjs-format.js";

export { tf, tfl };

/** TF.js on its cpu backend, or its wasm backend (silenced: its Node hint about tfjs-node is for speed only). */
export async function tfjsReady(backend: "cpu" | "wasm" = "cpu"): Promise<void> {
  tf.env().set("IS_TEST", true);
  if (backend === "wasm") await import("@tensorflow/tfjs-backend-wasm");
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js's ${backend} backend did not start`);
  await tf.ready();
}

/** What `model.save(handler)` gives: the artifacts TF.js itself writes. */
export async function savedByTfjs(model: tfl.LayersModel): Promise<TfjsArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  return saved as unknown as TfjsArtifacts;
}

/** The artifacts loaded into TF.js. */
export const loadInTfjs = (artifacts: TfjsArtifacts): Promise<tfl.LayersModel> =>
  tfl.loadLayersModel(tf.io.fromMemory(artifacts as unknown as tf.io.ModelArtifacts));

/** TF.js's predictions of rows × inputSize values, as a Float32Array. */
export function tfjsPredict(model: tfl.LayersModel, x: ArrayLike<number>, inputSize: number): Float32Array {
  return tf.tidy(() => {
    const input = tf.tensor2d(Float32Array.from(x), [x.length / inputSize, inputSize]);
    return (model.predict(input) as tf.Tensor).dataSync() as Float32Array;
  });
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** The model's layer JSONs without their weights (configs only). */
export const configsOf = (model: Sequential) =>
  model.toJSON().layers.map(({ weights: _w, biases: _b, ...config }) => config);

/** Any TF.js model's artifacts as TF.js writes them (with the optimizer's state when it has one). */
export async function savedModel(model: tfl.LayersModel, includeOptimizer = false): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
    { includeOptimizer },
  );
  return saved as unknown as tf.io.ModelArtifacts;
}

/** TF.js artifacts loaded by TF.js. */
export const loadInTfjsLayers = (artifacts: tf.io.ModelArtifacts): Promise<tfl.LayersModel> =>
  tfl.loadLayersModel(tf.io.fromMemory(artifacts));

export interface Hyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  wd: number;
}

/** torch.optim.AdamW's step in float64 (its documented algorithm, amsgrad off, maximize off). */
export function torchAdamW(w0: ArrayLike<number>, grads: ArrayLike<number>[], h: Hyper): number[] {
  const w = Array.from(w0);
  const m = w.map(() => 0);
  const v = w.map(() => 0);
  grads.forEach((g, k) => {
    const t = k + 1;
    for (let i = 0; i < w.length; i++) {
      w[i] *= 1 - h.lr * h.wd; // param.mul_(1 - lr * weight_decay)
      m[i] = h.beta1 * m[i] + (1 - h.beta1) * g[i]; // exp_avg.lerp_(grad, 1 - beta1)
      v[i] = h.beta2 * v[i] + (1 - h.beta2) * g[i] * g[i];
      const stepSize = h.lr / (1 - h.beta1 ** t);
      const denom = Math.sqrt(v[i]) / Math.sqrt(1 - h.beta2 ** t) + h.eps;
      w[i] -= (stepSize * m[i]) / denom;
    }
  });
  return w;
}
