// The layer types that Sequential.fromJSON can rebuild. A new layer: its file, plus one line here.
import { Registry } from "../registry.js";
import { ActivityRegularization } from "./activity-regularization.js";
import { AlphaDropout, FeatureAlphaDropout } from "./alpha-dropout.js";
import { Dense } from "./dense.js";
import { Dropout } from "./dropout.js";
import { GaussianDropout } from "./gaussian-dropout.js";
import { GaussianNoise } from "./gaussian-noise.js";
import type { Layer, LayerJSON } from "./layer.js";
import { ReLU } from "./relu.js";
import { Selu } from "./selu.js";
import { Sigmoid } from "./sigmoid.js";
import { Softmax } from "./softmax.js";
import { SpatialDropout1D, SpatialDropout2D, SpatialDropout3D } from "./spatial-dropout.js";
import { Tanh } from "./tanh.js";

export const layerRegistry = new Registry<Layer, LayerJSON>("layer")
  .register("dense", Dense.fromJSON)
  .register("relu", ReLU.fromJSON)
  .register("dropout", Dropout.fromJSON)
  .register("sigmoid", Sigmoid.fromJSON)
  .register("tanh", Tanh.fromJSON)
  .register("softmax", Softmax.fromJSON)
  .register("activity-regularization", ActivityRegularization.fromJSON)
  .register("spatial-dropout-1d", SpatialDropout1D.fromJSON)
  .register("spatial-dropout-2d", SpatialDropout2D.fromJSON)
  .register("spatial-dropout-3d", SpatialDropout3D.fromJSON)
  .register("gaussian-noise", GaussianNoise.fromJSON)
  .register("gaussian-dropout", GaussianDropout.fromJSON)
  .register("alpha-dropout", AlphaDropout.fromJSON)
  .register("feature-alpha-dropout", FeatureAlphaDropout.fromJSON)
  .register("selu", Selu.fromJSON);
