// regwasm/tfjs: regwasm's reproducible pieces as TensorFlow.js layers and optimizers. Imports
// @tensorflow/tfjs-core and @tensorflow/tfjs-layers (optional peer dependencies: the main entry
// "regwasm" never loads them). Re-exports only.
export { SeededDropout, seededDropout, type SeededDropoutArgs } from "./seeded-dropout.js";
export { AdamW, adamw, type AdamWOptions } from "./adamw.js";
export {
  SeededGaussianNoise,
  seededGaussianNoise,
  type SeededGaussianNoiseArgs,
} from "./seeded-gaussian-noise.js";
export {
  SeededGaussianDropout,
  seededGaussianDropout,
  type SeededGaussianDropoutArgs,
} from "./seeded-gaussian-dropout.js";
export type { SeededGaussianArgs } from "./seeded-gaussian-layer.js";
