// The shapes of TensorFlow.js's layers-model artifacts (tf.io.ModelArtifacts and model.json), written
// out here so the main entry needs no TF.js package, not even for its types. A Keras config is
// pythonic: snake_case keys and { class_name, config } objects, as tfjs-layers writes and reads it.

/** One tensor of the weight data: float32 values, row-major, in the order of the specs. */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  /** Quantized weights (the converter's option): not read by regwasm. */
  quantization?: unknown;
}

/** { class_name, config } as Keras serializes a layer, regularizer, constraint or initializer. */
export interface KerasObject {
  class_name: string;
  config: Record<string, unknown>;
}

/** What `tf.loadLayersModel(tf.io.fromMemory(artifacts))` loads (tf.io.ModelArtifacts, layers model). */
export interface TfjsArtifacts {
  /** { class_name: "Sequential", config: { name, layers } } (or Keras's { model_config: … } wrapper). */
  modelTopology: Record<string, unknown>;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightSpecs?: TfjsWeightSpec[];
  /** The weights' bytes: little-endian float32, one tensor after another (TF.js 4 also takes a list). */
  weightData?: ArrayBuffer | ArrayBuffer[];
  /** Kept by TF.js when it loads and saves the model; regwasm keeps its own settings here. */
  userDefinedMetadata?: Record<string, unknown>;
}

/** model.json as the `file://` and `http` handlers of TF.js write and read it. */
export interface TfjsModelJSON {
  modelTopology: Record<string, unknown>;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightsManifest: { paths: string[]; weights: TfjsWeightSpec[] }[];
  userDefinedMetadata?: Record<string, unknown>;
}

export const TFJS_FORMAT = "layers-model";
/** The file names of TF.js's Node file handler (`file://dir` saves dir/model.json + dir/weights.bin). */
export const TFJS_MODEL_FILE = "model.json";
export const TFJS_WEIGHTS_FILE = "weights.bin";
/** The key under userDefinedMetadata that holds what Keras configs cannot say (seeds, steps, the loss). */
export const METADATA_KEY = "regwasm";

/** The activations a Keras layer names that regwasm has, by Keras name → regwasm layer type. */
export const ACTIVATIONS: Record<string, string> = {
  relu: "relu",
  sigmoid: "sigmoid",
  tanh: "tanh",
  softmax: "softmax",
  selu: "selu",
};

/** Keras activation name of a regwasm activation layer type (the inverse of ACTIVATIONS). */
export const KERAS_ACTIVATION: Record<string, string> = Object.fromEntries(
  Object.entries(ACTIVATIONS).map(([keras, type]) => [type, keras]),
);
