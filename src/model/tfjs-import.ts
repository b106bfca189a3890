// TensorFlow.js layers-model artifacts (a Keras Sequential config and float32 weights) as a model's
// JSON, for Sequential.fromJSON. Takes InputLayer (skipped), Dense (activation relu, sigmoid, tanh,
// softmax, selu or linear; L1L2/L1/L2 regularizers; MaxNorm, MinMaxNorm, NonNeg, UnitNorm
// constraints), Activation, Dropout (noise_shape too), AlphaDropout, GaussianNoise, GaussianDropout,
// SpatialDropout1D, and Reshape and Flatten (which give the noise layers their sample shape; a Dense
// needs flat samples); anything else is an error naming the layer and its class. The Keras config
// is the truth for what it says; regwasm's userDefinedMetadata (written by toTfjsArtifacts) adds what
// it cannot say (seeds, dropout steps, the L2 convention, initializer names, the loss).
import type { LayerJSON } from "../layers/layer.js";
import type { LossJSON } from "../losses/loss.js";
import { checkObject, describe } from "../validate.js";
import type { LayerExtras, RegwasmMetadata } from "./tfjs-export.js";
import { ACTIVATIONS, type KerasObject, METADATA_KEY, type TfjsArtifacts, type TfjsWeightSpec } from "./tfjs-format.js";

/** Keras initializer class → regwasm initializer name (others load as the default, glorotUniform). */
const INITIALIZERS: Record<string, string> = {
  GlorotUniform: "glorotUniform",
  GlorotNormal: "glorotNormal",
  HeNormal: "heNormal",
  HeUniform: "heUniform",
  LeCunNormal: "lecunNormal",
  LeCunUniform: "lecunUniform",
  Zeros: "zeros",
  Ones: "ones",
};

/** A layer's tensors by the Keras weight name, cut from the weight data in spec order. */
class WeightTable {
  readonly #specs: TfjsWeightSpec[];
  readonly #values: Float32Array[];

  constructor(specs: unknown, data: unknown) {
    if (!Array.isArray(specs)) throw new TypeError(`artifacts.weightSpecs must be an array, got ${describe(specs)}`);
    const buffers = Array.isArray(data) ? data : [data];
    if (!buffers.every((b) => b instanceof ArrayBuffer))
      throw new TypeError(`artifacts.weightData must be an ArrayBuffer (or an array of them), got ${describe(data)}`);
    const bytes = new Uint8Array(buffers.reduce((n, b: ArrayBuffer) => n + b.byteLength, 0));
    let at = 0;
    for (const b of buffers as ArrayBuffer[]) {
      bytes.set(new Uint8Array(b), at);
      at += b.byteLength;
    }
    const view = new DataView(bytes.buffer);
    let offset = 0;
    this.#specs = specs as TfjsWeightSpec[];
    this.#values = this.#specs.map((spec, i) => {
      const where = `artifacts.weightSpecs[${i}] (${describe(spec?.name)})`;
      checkObject(where, spec);
      if (typeof spec.name !== "string") throw new TypeError(`${where}: name must be a string`);
      if (spec.dtype !== "float32") throw new TypeError(`${where}: dtype must be float32, got ${describe(spec.dtype)}`);
      if (spec.quantization != null)
        throw new TypeError(`${where} is quantized: convert the model without quantization to import it`);
      if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isSafeInteger(d) && d >= 0))
        throw new TypeError(`${where}: shape must be an array of sizes, got ${describe(spec.shape)}`);
      const n = spec.shape.reduce((a, b) => a * b, 1);
      if (offset + 4 * n > bytes.length)
        throw new RangeError(`artifacts.weightData holds ${bytes.length} bytes: too few for ${where}`);
      const values = new Float32Array(n);
      for (let k = 0; k < n; k++) values[k] = view.getFloat32(offset + 4 * k, true);
      offset += 4 * n;
      return values;
    });
    if (offset !== bytes.length)
      throw new RangeError(`artifacts.weightData holds ${bytes.length} bytes, its weightSpecs describe ${offset}`);
  }

  /**
   * The tensor `weight` (kernel, bias) of layer `layer`: named "layer/weight" (TF.js), or with a
   * scope before it and ":0" after it (Keras-converted models).
   */
  get(layer: string, weight: string, shape: number[], where: string): number[] {
    const exact = `${layer}/${weight}`;
    let i = this.#specs.findIndex((s) => s.name === exact);
    if (i < 0)
      i = this.#specs.findIndex(
        (s) => s.name.endsWith(`/${exact}`) || s.name.endsWith(`/${exact}:0`) || s.name === `${exact}:0`,
      );
    if (i < 0) throw new TypeError(`${where}: artifacts.weightSpecs has no '${exact}'`);
    const spec = this.#specs[i];
    if (spec.shape.length !== shape.length || spec.shape.some((d, k) => d !== shape[k]))
      throw new RangeError(`${where}: '${spec.name}' has shape [${spec.shape}], the layer needs [${shape}]`);
    return Array.from(this.#values[i]);
  }
}

/** The regularizer JSON regwasm had (its form), with Keras's strengths, or null. */
function regularizerForm(form: unknown, l1: number, l2: number): Record<string, unknown> | null {
  const type = (form as { type?: unknown } | undefined)?.type;
  if (type === "l1") return { type, l1 };
  if (type === "l2") return { type, l2 };
  if (type === "l1l2") return { type, l1, l2 };
  return null;
}

/** λ1, λ2 of a Keras regularizer config, or null for none. */
function lambdas(reg: unknown, where: string): { l1: number; l2: number } | null {
  if (reg == null) return null;
  const r = reg as KerasObject;
  if (r.class_name === "L1L2" || r.class_name === "L1" || r.class_name === "L2") {
    const c = r.config ?? {};
    return { l1: (c.l1 as number | undefined) ?? 0, l2: (c.l2 as number | undefined) ?? 0 };
  }
  throw new TypeError(
    `${where}: the regularizer ${describe(r.class_name)} has no regwasm counterpart (L1L2, L1, L2 do)`,
  );
}

function constraint(c: unknown, where: string): Record<string, unknown> | undefined {
  if (c == null) return undefined;
  const { class_name: name, config = {} } = c as KerasObject;
  switch (name) {
    case "MaxNorm":
      return { type: "maxNorm", maxValue: config.max_value ?? 2, axis: config.axis ?? 0 };
    case "MinMaxNorm":
      return {
        type: "minMaxNorm",
        minValue: config.min_value ?? 0,
        maxValue: config.max_value ?? 1,
        rate: config.rate ?? 1,
        axis: config.axis ?? 0,
      };
    case "NonNeg":
      return { type: "nonNeg" };
    case "UnitNorm":
      return { type: "unitNorm", axis: config.axis ?? 0 };
    default:
      throw new TypeError(`${where}: the constraint ${describe(name)} has no regwasm counterpart`);
  }
}

/**
 * The named initializer a VarianceScaling config is: TF.js saves Glorot, He and LeCun that way (Keras
 * spells the normal ones' distribution "truncated_normal", TF.js "normal": both are truncated).
 */
function varianceScalingName({ scale, mode, distribution }: Record<string, unknown>): string | undefined {
  const kind =
    distribution === "uniform"
      ? "Uniform"
      : distribution === "normal" || distribution === "truncated_normal"
        ? "Normal"
        : null;
  if (kind === null) return undefined;
  if (scale === 1 && mode === "fan_avg") return `glorot${kind}`;
  if (scale === 2 && mode === "fan_in") return `he${kind}`;
  if (scale === 1 && mode === "fan_in") return `lecun${kind}`;
  return undefined;
}

/** regwasm's initializer for a Keras one; what regwasm has no counterpart for becomes glorotUniform (the weights load as saved). */
function initializer(init: unknown): { name: string; seed: unknown } {
  const { class_name: name, config = {} } = (init ?? {}) as Partial<KerasObject>;
  if (name === "RandomNormal" && config.mean === 0 && config.stddev === 0.01)
    return { name: "course", seed: config.seed };
  const known =
    name === "VarianceScaling"
      ? varianceScalingName(config)
      : typeof name === "string" && Object.hasOwn(INITIALIZERS, name)
        ? INITIALIZERS[name]
        : undefined;
  return { name: known ?? "glorotUniform", seed: config.seed };
}

/** A seed regwasm takes (an integer in [0, 2^53 − 1]) or undefined. */
const asSeed = (v: unknown): number | undefined =>
  Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : undefined;

function denseJSON(
  config: Record<string, unknown>,
  name: string,
  nIn: number,
  extras: LayerExtras,
  weights: WeightTable,
  where: string,
): LayerJSON {
  const units = config.units as number;
  if (!Number.isSafeInteger(units) || units < 1)
    throw new TypeError(`${where}: units must be a positive integer, got ${describe(units)}`);
  if (config.use_bias === false)
    throw new TypeError(`${where}: use_bias false has no regwasm counterpart (a regwasm Dense always has biases)`);
  const torch = extras.convention === "torch";
  const json: Record<string, unknown> = { type: "dense", nIn, nOut: units, convention: torch ? "torch" : "keras" };
  json.weightL1 = json.weightL2 = json.biasL1 = json.biasL2 = 0;
  for (const [param, keras, form] of [
    ["weight", "kernel", extras.weightRegularizer],
    ["bias", "bias", extras.biasRegularizer],
  ] as const) {
    const l = lambdas(config[`${keras}_regularizer`], `${where}.${keras}_regularizer`);
    if (!l) continue;
    const object = regularizerForm(form, l.l1, l.l2);
    if (object) json[`${param}Regularizer`] = object;
    else {
      json[`${param}L1`] = l.l1;
      json[`${param}L2`] = torch ? l.l2 * 2 : l.l2; // 'torch' λ2 is twice Keras's for the same penalty
    }
  }
  const activity = lambdas(config.activity_regularizer, `${where}.activity_regularizer`);
  if (activity) {
    // Keras penalizes the activation's output, regwasm's Dense its pre-activation output: equal when linear
    if ((config.activation ?? "linear") !== "linear")
      throw new TypeError(
        `${where}: an activity regularizer on a Dense with activation '${String(config.activation)}' has no regwasm counterpart (regwasm penalizes the output before the activation)`,
      );
    json.activityRegularizer = { type: "l1l2", ...activity };
  }
  const weightConstraint = constraint(config.kernel_constraint, `${where}.kernel_constraint`);
  const biasConstraint = constraint(config.bias_constraint, `${where}.bias_constraint`);
  if (weightConstraint) json.weightConstraint = weightConstraint;
  if (biasConstraint) json.biasConstraint = biasConstraint;
  const kernelInit = initializer(config.kernel_initializer);
  json.weightInit = extras.weightInit ?? kernelInit.name;
  json.biasInit = extras.biasInit ?? initializer(config.bias_initializer ?? { class_name: "Zeros" }).name;
  json.seed = extras.seed ?? asSeed(kernelInit.seed) ?? 0;
  if (extras.l1Method !== undefined) json.l1Method = extras.l1Method;
  json.weights = weights.get(name, "kernel", [nIn, units], where);
  json.biases = weights.get(name, "bias", [units], where);
  return json as LayerJSON;
}

function activationJSON(activation: unknown, where: string): LayerJSON | null {
  const name = activation ?? "linear";
  if (name === "linear") return null;
  if (typeof name === "string" && Object.hasOwn(ACTIVATIONS, name)) return { type: ACTIVATIONS[name] };
  throw new TypeError(
    `${where}: the activation ${describe(name)} has no regwasm counterpart (relu, sigmoid, tanh, softmax, selu, linear do)`,
  );
}

/** The sample shape a Keras layer config declares (batch_input_shape, batch_shape, input_shape), or null. */
function declaredInput(config: Record<string, unknown>): number[] | null {
  const sizes = (dims: unknown): dims is number[] =>
    Array.isArray(dims) && dims.length > 0 && dims.every((d) => Number.isSafeInteger(d) && d > 0);
  const batchShape = (config.batch_input_shape ?? config.batch_shape) as unknown[] | undefined;
  if (Array.isArray(batchShape) && sizes(batchShape.slice(1))) return batchShape.slice(1) as number[];
  const input = config.input_shape;
  return sizes(input) ? [...input] : null;
}

/** The sample shape after a Reshape to `target` (one entry may be −1: what the others leave). */
function reshaped(shape: number[] | null, target: unknown, where: string): number[] {
  if (shape === null) throw new TypeError(`${where}: the model declares no input shape before it`);
  if (!Array.isArray(target) || !target.every((d) => d === -1 || (Number.isSafeInteger(d) && d > 0)))
    throw new TypeError(
      `${where}: target_shape must be an array of positive sizes (or one −1), got ${describe(target)}`,
    );
  const size = shape.reduce((a, b) => a * b, 1);
  const known = target.reduce((a: number, d: number) => (d === -1 ? a : a * d), 1);
  const unknown = target.filter((d) => d === -1).length;
  const result = target.map((d: number) => (d === -1 ? size / known : d));
  if (unknown > 1 || (unknown === 0 && known !== size) || !Number.isSafeInteger(size / known))
    throw new RangeError(`${where}: target_shape [${target}] cannot hold a sample of shape [${shape}]`);
  return result;
}

/** The loss a model without regwasm metadata gets: from its last activation. */
function inferredLoss(layers: LayerJSON[]): LossJSON {
  const last = layers.at(-1)?.type;
  if (last === "softmax") return { type: "softmax-crossentropy" };
  if (last === "sigmoid") return { type: "binary-crossentropy" };
  return { type: "mean-squared-error" };
}

/** The Sequential JSON (layers and loss) of TF.js artifacts; `loss` replaces the stored or inferred one. */
export function fromTfjsArtifacts(artifacts: TfjsArtifacts, loss?: LossJSON): { layers: LayerJSON[]; loss: LossJSON } {
  checkObject("artifacts", artifacts);
  let topology = artifacts.modelTopology as Record<string, unknown> | undefined;
  checkObject("artifacts.modelTopology", topology);
  if (topology.model_config != null) topology = topology.model_config as Record<string, unknown>; // Keras's wrapper
  if (topology.class_name !== "Sequential")
    throw new TypeError(
      `artifacts.modelTopology must be a Sequential model, got ${describe(topology.class_name)} (regwasm models are sequential stacks)`,
    );
  const config = topology.config as { layers?: unknown } | unknown[];
  const kerasLayers = Array.isArray(config) ? config : config?.layers;
  if (!Array.isArray(kerasLayers) || kerasLayers.length === 0)
    throw new TypeError("artifacts.modelTopology.config.layers must be a non-empty array of layers");
  const meta = (artifacts.userDefinedMetadata?.[METADATA_KEY] ?? null) as RegwasmMetadata | null;
  const extrasOf = (name: string): LayerExtras => (meta?.version === 1 ? (meta.layers?.[name] ?? {}) : {});
  const weights = new WeightTable(artifacts.weightSpecs ?? [], artifacts.weightData ?? new ArrayBuffer(0));
  const layers: LayerJSON[] = [];
  // the shape of one sample as TF.js sees it (regwasm's rows hold it flat, row-major: Reshape and
  // Flatten move no value)
  let shape: number[] | null = null;
  const width = () => (shape ? shape.reduce((a, b) => a * b, 1) : null);
  kerasLayers.forEach((entry: KerasObject, i) => {
    const layerConfig = (entry?.config ?? {}) as Record<string, unknown>;
    const name = String(layerConfig.name ?? `layer ${i}`);
    const where = `layer '${name}' (class ${typeof entry?.class_name === "string" ? entry.class_name : describe(entry?.class_name)}, artifacts.modelTopology layer ${i})`;
    shape ??= declaredInput(layerConfig);
    const extras = extrasOf(name);
    const steps = (keys: string[], json: LayerJSON): LayerJSON => {
      for (const key of keys) if (extras[key] !== undefined) json[key] = extras[key];
      return json;
    };
    const seed = () => extras.seed ?? asSeed(layerConfig.seed) ?? 0;
    switch (entry?.class_name) {
      case "InputLayer":
        return;
      case "Reshape":
        shape = reshaped(shape, layerConfig.target_shape, where);
        return;
      case "Flatten": {
        const n = width();
        if (n === null) throw new TypeError(`${where}: the model declares no input shape before it`);
        shape = [n];
        return;
      }
      case "Dense": {
        if (shape === null) throw new TypeError(`${where}: the model declares no input shape before it`);
        if (shape.length !== 1)
          throw new TypeError(
            `${where}: a Dense on samples of shape [${shape}] works along the last axis, which has no regwasm counterpart (Flatten before it)`,
          );
        layers.push(denseJSON(layerConfig, name, shape[0], extras, weights, where));
        shape = [layerConfig.units as number];
        const activation = activationJSON(layerConfig.activation, where);
        if (activation) layers.push(activation);
        return;
      }
      case "Activation": {
        const activation = activationJSON(layerConfig.activation, where);
        if (activation) layers.push(activation);
        return;
      }
      case "Dropout":
      case "AlphaDropout": {
        const alpha = entry.class_name === "AlphaDropout";
        // TF.js's AlphaDropout does not save its noise shape: regwasm's metadata keeps it
        const noiseShape = layerConfig.noise_shape ?? (alpha ? extras.noiseShape : undefined);
        const json: LayerJSON = { type: alpha ? "alpha-dropout" : "dropout", rate: layerConfig.rate, seed: seed() };
        if (noiseShape != null) {
          json.noiseShape = noiseShape;
          if (shape && (shape.length > 1 || extras.inputShape !== undefined)) json.inputShape = shape;
        }
        layers.push(steps(alpha ? ["step", "inferenceStep"] : ["step", "inferenceStep", "storeMask"], json));
        return;
      }
      case "SpatialDropout1D":
        if (shape?.length !== 2)
          throw new TypeError(
            `${where}: SpatialDropout1D needs samples of shape [steps, channels] (a Reshape before it), got ${shape ? `[${shape}]` : "no input shape"}`,
          );
        layers.push(
          steps(["step", "inferenceStep", "storeMask"], {
            type: "spatial-dropout-1d",
            rate: layerConfig.rate,
            seed: seed(),
            inputShape: shape,
            dataFormat: "channels_last",
          }),
        );
        return;
      case "GaussianNoise":
        layers.push(steps(["step"], { type: "gaussian-noise", stddev: layerConfig.stddev, seed: seed() }));
        return;
      case "GaussianDropout":
        layers.push(steps(["step"], { type: "gaussian-dropout", rate: layerConfig.rate, seed: seed() }));
        return;
      default:
        throw new TypeError(
          `${where} has no regwasm counterpart (Dense, Activation, Dropout, AlphaDropout, GaussianNoise, GaussianDropout, SpatialDropout1D, Reshape, Flatten and InputLayer do)`,
        );
    }
  });
  const chosen = loss ?? (meta?.version === 1 && meta.loss ? meta.loss : inferredLoss(layers));
  if (chosen.type === "softmax-crossentropy") {
    // the loss applies the softmax: the model's own last softmax becomes the loss's
    if (layers.at(-1)?.type !== "softmax")
      throw new TypeError(
        "the model must end in softmax for the loss softmax-crossentropy (which applies it): pass another loss",
      );
    layers.pop();
  }
  return { layers, loss: chosen };
}
