// A model's JSON (toJSON()) as TensorFlow.js layers-model artifacts: a Keras Sequential config whose
// layers TF.js (and Keras, through tensorflowjs_converter) rebuild, and the weights as float32 in
// spec order (each Dense's kernel nIn × nOut row-major, then its bias: regwasm's own layout).
//
// Mapping: Dense → Dense, absorbing the activation layer after it (relu, sigmoid, tanh, softmax,
// selu) as its `activation`; an activation layer elsewhere → Activation; Dropout (noiseShape →
// noise_shape), GaussianNoise, GaussianDropout, AlphaDropout, SpatialDropout1D (channels_last) →
// their TF.js namesakes, between Reshape (to the sample's shape) and Flatten when a sample has
// several dims. The softmax that SoftmaxCrossEntropy applies inside the loss becomes the activation
// of the last Dense (or a final Activation layer), so TF.js's predict gives the probabilities
// regwasm's predict gives. Penalties → L1L2 (λ2/2 for the 'torch' convention, so the penalty is the
// same); constraints → MaxNorm, MinMaxNorm, NonNeg, UnitNorm. What TF.js cannot run is an error
// naming the layer: activity penalties (TF.js refuses to build a layer with an activity
// regularizer), ActivityRegularization, Monte-Carlo dropout, SpatialDropout2D/3D and
// FeatureAlphaDropout (TF.js lacks them), other regularizers and layers. Keras configs have no
// place for seeds, noise steps, the L2 convention, initializer names or the loss: those go to
// userDefinedMetadata, which TF.js keeps, so a model comes back from TF.js as it left.
import type { LayerJSON } from "../layers/layer.js";
import type { LossJSON } from "../losses/loss.js";
import { describe } from "../validate.js";
import {
  KERAS_ACTIVATION,
  type KerasObject,
  METADATA_KEY,
  TFJS_FORMAT,
  type TfjsArtifacts,
  type TfjsWeightSpec,
} from "./tfjs-format.js";

/** What the conversion reads of a model: its layers' and loss's JSON, and its input width. */
export interface ExportSource {
  layers: readonly LayerJSON[];
  loss: LossJSON;
  inputSize: number;
}

/** Settings of a layer that Keras configs cannot hold, by Keras layer name (see METADATA_KEY). */
export type LayerExtras = Record<string, unknown>;

export interface RegwasmMetadata {
  version: 1;
  loss: LossJSON;
  layers: Record<string, LayerExtras>;
}

/** regwasm initializer names → Keras initializers (the weights are loaded over them; a rebuilt model starts alike). */
function kerasInitializer(name: string, seed: number): KerasObject {
  const seeded = (className: string): KerasObject => ({ class_name: className, config: { seed } });
  switch (name) {
    case "glorotUniform":
      return seeded("GlorotUniform");
    case "glorotNormal":
      return seeded("GlorotNormal");
    case "heNormal":
      return seeded("HeNormal");
    case "heUniform":
      return seeded("HeUniform");
    case "lecunNormal":
      return seeded("LeCunNormal");
    case "lecunUniform":
      return seeded("LeCunUniform");
    case "zeros":
      return { class_name: "Zeros", config: {} };
    case "ones":
      return { class_name: "Ones", config: {} };
    case "course":
      return { class_name: "RandomNormal", config: { mean: 0, stddev: 0.01, seed } };
    default:
      // a registered custom initializer Keras cannot name: the loaded weights replace what it draws,
      // and the metadata keeps its name for the way back
      return seeded("GlorotUniform");
  }
}

/** An L1L2 config from λ1/λ2 numbers or a regularizer's JSON; null for none. */
function kerasRegularizer(
  l1: number,
  l2: number,
  convention: unknown,
  json: unknown,
  where: string,
): KerasObject | null {
  if (json != null) {
    const reg = json as Record<string, unknown>;
    if (reg.type === "l1" || reg.type === "l2" || reg.type === "l1l2")
      return { class_name: "L1L2", config: { l1: (reg.l1 as number) ?? 0, l2: (reg.l2 as number) ?? 0 } };
    throw new TypeError(
      `${where}: the regularizer '${String(reg.type)}' has no TF.js counterpart (TF.js has L1L2 only)`,
    );
  }
  if (l1 === 0 && l2 === 0) return null;
  // 'torch' means λ2/2·Σw²: Keras's l2 is then λ2/2 (a halving, exact in floating point)
  return { class_name: "L1L2", config: { l1, l2: convention === "torch" ? l2 / 2 : l2 } };
}

function kerasConstraint(json: unknown, where: string): KerasObject | null {
  if (json == null) return null;
  const c = json as Record<string, unknown>;
  switch (c.type) {
    case "maxNorm":
      return { class_name: "MaxNorm", config: { max_value: c.maxValue, axis: c.axis } };
    case "minMaxNorm":
      return {
        class_name: "MinMaxNorm",
        config: { min_value: c.minValue, max_value: c.maxValue, rate: c.rate, axis: c.axis },
      };
    case "nonNeg":
      return { class_name: "NonNeg", config: {} };
    case "unitNorm":
      return { class_name: "UnitNorm", config: { axis: c.axis } };
    default:
      throw new TypeError(`${where}: the constraint '${String(c.type)}' has no TF.js counterpart`);
  }
}

interface Converted {
  layers: KerasObject[];
  specs: TfjsWeightSpec[];
  values: ArrayLike<number>[];
  extras: Record<string, LayerExtras>;
}

function denseLayer(json: LayerJSON, name: string, activation: string, where: string, out: Converted): KerasObject {
  const d = json as unknown as Record<string, never>;
  if (d.activityRegularizer != null || d.activityL1 || d.activityL2)
    throw new TypeError(
      `${where} (Dense) has an activity penalty: TF.js cannot build a layer with an activity regularizer (remove it before export)`,
    );
  const nIn = d.nIn as number;
  const nOut = d.nOut as number;
  out.specs.push({ name: `${name}/kernel`, shape: [nIn, nOut], dtype: "float32" });
  out.specs.push({ name: `${name}/bias`, shape: [nOut], dtype: "float32" });
  out.values.push(d.weights, d.biases);
  const extras: LayerExtras = {
    seed: d.seed,
    weightInit: d.weightInit,
    biasInit: d.biasInit,
    convention: d.convention,
  };
  if (d.l1Method !== undefined) extras.l1Method = d.l1Method;
  // which form the penalties were given in: λ numbers or regularizer objects (the same arithmetic)
  if (d.weightRegularizer != null) extras.weightRegularizer = d.weightRegularizer;
  if (d.biasRegularizer != null) extras.biasRegularizer = d.biasRegularizer;
  out.extras[name] = extras;
  return {
    class_name: "Dense",
    config: {
      name,
      trainable: true,
      units: nOut,
      activation,
      use_bias: true,
      kernel_initializer: kerasInitializer(d.weightInit, d.seed),
      bias_initializer: kerasInitializer(d.biasInit, d.seed),
      kernel_regularizer: kerasRegularizer(d.weightL1, d.weightL2, d.convention, d.weightRegularizer, where),
      bias_regularizer: kerasRegularizer(d.biasL1, d.biasL2, d.convention, d.biasRegularizer, where),
      activity_regularizer: null,
      kernel_constraint: kerasConstraint(d.weightConstraint, where),
      bias_constraint: kerasConstraint(d.biasConstraint, where),
    },
  };
}

/** regwasm noise layer type → its class name, which is also its TF.js namesake's. */
const NOISE_LAYERS: Record<string, string> = {
  dropout: "Dropout",
  "gaussian-noise": "GaussianNoise",
  "gaussian-dropout": "GaussianDropout",
  "alpha-dropout": "AlphaDropout",
  "spatial-dropout-1d": "SpatialDropout1D",
};

/** regwasm layers TF.js has no layer for, by type → class name for messages. */
const WITHOUT_COUNTERPART: Record<string, string> = {
  "spatial-dropout-2d": "SpatialDropout2D",
  "spatial-dropout-3d": "SpatialDropout3D",
  "feature-alpha-dropout": "FeatureAlphaDropout",
};

/** An inputShape of one dim, which no Reshape carries (the rows are that shape already): for the metadata. */
const flatSample = (d: Record<string, never>): LayerExtras =>
  (d.inputShape as number[] | undefined)?.length === 1 ? { inputShape: d.inputShape } : {};

/** The Keras config entries of a noise layer, and what Keras cannot hold (seeds, steps). */
function noiseLayer(
  d: Record<string, never>,
  className: string,
  where: string,
): { config: Record<string, unknown>; extras: LayerExtras } {
  const steps = { seed: d.seed, step: d.step };
  switch (className) {
    case "GaussianNoise":
      return { config: { stddev: d.stddev }, extras: steps };
    case "GaussianDropout":
      return { config: { rate: d.rate }, extras: steps };
    case "AlphaDropout": {
      // TF.js's AlphaDropout reads noise_shape but leaves it out of its saved config: the metadata
      // keeps it; one of nulls only (one bit per element) is TF.js's default, which it can train
      const noiseShape = d.noiseShape as (number | null)[];
      const shared = noiseShape.some((n) => n !== null);
      return {
        config: { rate: d.rate, noise_shape: shared ? noiseShape : null },
        extras: { ...steps, inferenceStep: d.inferenceStep, noiseShape, ...flatSample(d) },
      };
    }
    case "SpatialDropout1D":
      if (d.dataFormat !== "channels_last")
        throw new TypeError(
          `${where} (SpatialDropout1D) is ${String(d.dataFormat)}: TF.js's SpatialDropout1D is channels_last only`,
        );
      return {
        config: { rate: d.rate, seed: d.seed },
        extras: { ...steps, inferenceStep: d.inferenceStep, storeMask: d.storeMask },
      };
    default:
      return {
        config: { rate: d.rate, noise_shape: d.noiseShape ?? null, seed: d.seed },
        extras: { ...steps, inferenceStep: d.inferenceStep, storeMask: d.storeMask, ...flatSample(d) },
      };
  }
}

/** The artifacts of a model: a Keras Sequential topology, weight specs and data, and regwasm's metadata. */
export function toTfjsArtifacts(source: ExportSource): TfjsArtifacts {
  const { layers, loss } = source;
  const out: Converted = { layers: [], specs: [], values: [], extras: {} };
  let last: KerasObject | null = null;
  for (let i = 0; i < layers.length; i++) {
    const json = layers[i];
    const where = `layers[${i}]`;
    const next = layers[i + 1];
    let layer: KerasObject;
    if (json.type === "dense") {
      const activation = next !== undefined ? KERAS_ACTIVATION[next.type] : undefined;
      layer = denseLayer(json, `dense_${i}`, activation ?? "linear", where, out);
      if (activation !== undefined) i++; // the activation layer is the Dense's activation
    } else if (Object.hasOwn(KERAS_ACTIVATION, json.type)) {
      layer = {
        class_name: "Activation",
        config: { name: `activation_${i}`, trainable: true, activation: KERAS_ACTIVATION[json.type] },
      };
    } else if (Object.hasOwn(NOISE_LAYERS, json.type)) {
      const d = json as unknown as Record<string, never>;
      const className = NOISE_LAYERS[json.type];
      if (d.mcDropout)
        throw new TypeError(
          `${where} (${className}) drops at inference (mcDropout), which TF.js's ${className} never does`,
        );
      const name = `${className.toLowerCase()}_${i}`;
      const { config, extras } = noiseLayer(d, className, where);
      out.extras[name] = extras;
      layer = { class_name: className, config: { name, trainable: true, ...config } };
      // a sample of several dims: TF.js sees it as such (its noise shape has one entry per dim), flat again after
      const sample = d.inputShape as number[] | undefined;
      if (sample && sample.length > 1) {
        out.layers.push({
          class_name: "Reshape",
          config: { name: `reshape_${i}`, trainable: true, target_shape: sample },
        });
        out.layers.push(layer);
        layer = { class_name: "Flatten", config: { name: `flatten_${i}`, trainable: true } };
      }
    } else if (json.type === "activity-regularization") {
      throw new TypeError(
        `${where} (ActivityRegularization) has no TF.js counterpart: TF.js has no ActivityRegularization layer (remove it before export; it does not change predictions)`,
      );
    } else if (Object.hasOwn(WITHOUT_COUNTERPART, json.type)) {
      throw new TypeError(
        `${where} (${WITHOUT_COUNTERPART[json.type]}) has no TF.js counterpart (TF.js has no such layer)`,
      );
    } else {
      throw new TypeError(`${where} (${describe(json.type)}) has no TF.js counterpart`);
    }
    out.layers.push(layer);
    last = layer;
  }
  if (loss.type === "softmax-crossentropy") {
    // the loss's softmax: the last Dense's activation when it has none, else a layer of its own
    if (last?.class_name === "Dense" && last.config.activation === "linear") last.config.activation = "softmax";
    else
      out.layers.push({
        class_name: "Activation",
        config: { name: "softmax_output", trainable: true, activation: "softmax" },
      });
  }
  const first = out.layers[0].config;
  out.layers[0] = {
    class_name: out.layers[0].class_name,
    config: { ...first, batch_input_shape: [null, source.inputSize], dtype: "float32" },
  };
  let total = 0;
  for (const v of out.values) total += v.length;
  const weightData = new ArrayBuffer(4 * total);
  const floats = new Float32Array(weightData);
  let at = 0;
  for (const v of out.values) {
    floats.set(v, at);
    at += v.length;
  }
  // Float32Array is the platform's byte order: TF.js reads weight data the same way (little-endian everywhere it runs)
  const metadata: RegwasmMetadata = { version: 1, loss, layers: out.extras };
  return {
    modelTopology: { class_name: "Sequential", config: { name: "sequential", layers: out.layers } },
    format: TFJS_FORMAT,
    generatedBy: "regwasm",
    convertedBy: null,
    weightSpecs: out.specs,
    weightData,
    userDefinedMetadata: { [METADATA_KEY]: metadata },
  };
}
