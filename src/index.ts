// regwasm: neural-network regularization with WebAssembly SIMD kernels. Re-exports only.
export {
  init,
  simd,
  build,
  simdSupported,
  relaxedSimdSupported,
  threads,
  instantiate,
  type BuildName,
  type InitOptions,
  type Instance,
} from "./wasm/instance.js";
export { allocF32, allocU32, F32Buffer, U32Buffer, type F32Data, type U32Data } from "./wasm/buffer.js";
export { l1Penalty, l2Penalty, penalty, type PenaltyOptions } from "./kernels/penalty.js";
export { addPenaltyGrad, type PenaltyGradOptions } from "./kernels/gradient.js";
export { randomUint32, type StreamOptions } from "./kernels/random.js";
export { setSeed, DEFAULT_GLOBAL_SEED } from "./kernels/global-seed.js";
export type { F32Input } from "./validate.js";
export {
  dropout,
  dropoutBackward,
  maskWords,
  type DropoutOptions,
  type DropoutResult,
  type DropoutBackwardOptions,
  type OutputOf,
} from "./kernels/dropout.js";
// layer API
export { Registry, type TypedJSON } from "./registry.js";
export { Matrix } from "./wasm/matrix.js";
export { Layer, type Activation, type Param, type LayerJSON } from "./layers/layer.js";
export { layerRegistry } from "./layers/registry.js";
export { Dense, type DenseOptions, type L1Method, type L2Convention } from "./layers/dense.js";
export {
  ActivityRegularization,
  type ActivityRegularizationOptions,
} from "./layers/activity-regularization.js";
export * as regularizers from "./regularizers/regularizers.js";
export { Regularizer, type RegularizerJSON, type Shape } from "./regularizers/regularizer.js";
export { L1, L1L2, L2, LambdaPenalty, type L1L2Options } from "./regularizers/l1l2.js";
export { OrthogonalRegularizer, type OrthogonalMode, type OrthogonalOptions } from "./regularizers/orthogonal.js";
export { CustomRegularizer, type CustomConfig, type CustomRegularizerSpec } from "./regularizers/custom.js";
export type { RegularizerIdentifier } from "./regularizers/regularizers.js";
export { regularizerRegistry } from "./regularizers/registry.js";
export * as constraints from "./constraints/constraints.js";
export { Constraint, type ConstraintJSON } from "./constraints/constraint.js";
export type { ConstraintIdentifier } from "./constraints/constraints.js";
export { type Axis, NormConstraint } from "./constraints/norm-constraint.js";
export { MaxNorm, type MaxNormOptions } from "./constraints/max-norm.js";
export { MinMaxNorm, type MinMaxNormOptions } from "./constraints/min-max-norm.js";
export { NonNeg } from "./constraints/non-neg.js";
export { UnitNorm, type UnitNormOptions } from "./constraints/unit-norm.js";
export { constraintRegistry } from "./constraints/registry.js";
export {
  initializerRegistry,
  InitializerRegistry,
  type InitializerName,
} from "./layers/initializers/registry.js";
export type { Fans, Initializer, RandomSource } from "./layers/initializers/initializer.js";
export {
  varianceScaling,
  varianceScalingParameter,
  type Distribution,
  type FanMode,
  type VarianceScalingConfig,
} from "./layers/initializers/variance-scaling.js";
export { ReLU } from "./layers/relu.js";
export { Sigmoid } from "./layers/sigmoid.js";
export { Tanh } from "./layers/tanh.js";
export { Softmax } from "./layers/softmax.js";
export { Dropout, type DropoutLayerOptions } from "./layers/dropout.js";
// the dropout family and noise layers
export type { NoiseShape } from "./kernels/noise-shape.js";
export {
  randomNormal,
  gaussianNoise,
  gaussianDropout,
  type GaussianNoiseOptions,
  type GaussianDropoutOptions,
} from "./kernels/gaussian.js";
export {
  SpatialDropout1D,
  SpatialDropout2D,
  SpatialDropout3D,
  Dropout1d,
  Dropout2d,
  Dropout3d,
  type DataFormat,
  type SpatialDropoutOptions,
} from "./layers/spatial-dropout.js";
export { GaussianNoise } from "./layers/gaussian-noise.js";
export { GaussianDropout } from "./layers/gaussian-dropout.js";
export type { GaussianLayerOptions } from "./layers/gaussian-layer.js";
export {
  AlphaDropout,
  FeatureAlphaDropout,
  type AlphaDropoutOptions,
  type FeatureAlphaDropoutOptions,
} from "./layers/alpha-dropout.js";
export { Selu } from "./layers/selu.js";
export { Loss, type LossJSON, type LossSums, type TargetKind } from "./losses/loss.js";
export { lossRegistry } from "./losses/registry.js";
export { SoftmaxCrossEntropy, type CrossEntropyOptions } from "./losses/softmax-cross-entropy.js";
export { BinaryCrossEntropy } from "./losses/binary-cross-entropy.js";
export { MeanSquaredError } from "./losses/mean-squared-error.js";
export { MeanAbsoluteError } from "./losses/mean-absolute-error.js";
export { Optimizer, type OptimizerConfig, type OptimizerJSON } from "./optimizers/optimizer.js";
export { optimizerRegistry } from "./optimizers/registry.js";
export { SGD, type SGDOptions } from "./optimizers/sgd.js";
export { Adam, type AdamOptions } from "./optimizers/adam.js";
export { LearningRateSchedule, type ScheduleJSON } from "./schedules/schedule.js";
export { scheduleRegistry } from "./schedules/registry.js";
export { InverseTimeDecay, type InverseTimeDecayOptions } from "./schedules/inverse-time-decay.js";
export { ExponentialDecay, type ExponentialDecayOptions } from "./schedules/exponential-decay.js";
export { PiecewiseConstantDecay, type PiecewiseConstantDecayOptions } from "./schedules/piecewise-constant-decay.js";
export { CosineDecay, type CosineDecayOptions } from "./schedules/cosine-decay.js";
export {
  Sequential,
  type Evaluation,
  type FitOptions,
  type Labels,
  type Targets,
  type SequentialOptions,
  type SequentialJSON,
} from "./model/sequential.js";
// TensorFlow.js artifacts (model.toTfjs(), Sequential.fromTfjs); the TF.js plugin is regwasm/tfjs
export type { FromTfjsOptions, TfjsArtifacts, TfjsWeightSpec } from "./model/sequential.js";
export type { BatchLog, EpochLog, History } from "./model/history.js";
export type { Callback, TrainingParams } from "./model/callback.js";
export { EarlyStopping, earlyStopping, type EarlyStoppingOptions, type Monitor } from "./callbacks/early-stopping.js";
export { regularizationLoss } from "./model/regularization.js";
export { sparsity } from "./model/sparsity.js";
export { spiralData, verticalData, type Dataset, type DataOptions } from "./data/datasets.js";
export { readIdx, type IdxArray, type IdxData } from "./data/idx.js";
// the course's experiments: one definition for the CLI, the epoch benchmark and the playground
export { COURSE_EXPERIMENTS, DROPOUT_CHAPTER, L2_CHAPTER, type ExperimentConfig } from "./experiments/course.js";
export { experimentData, type ExperimentData } from "./experiments/data.js";
export { buildExperiment, type ExperimentModel } from "./experiments/model.js";
export { experimentSeeds, type ExperimentSeeds } from "./experiments/seeds.js";
