// The layer types that Sequential.fromJSON can rebuild. A new layer: its file, plus one line here.
import { Registry } from "../registry.js";
import { ActivityRegularization } from "./activity-regularization.js";
import { Dense } from "./dense.js";
import { Dropout } from "./dropout.js";
import type { Layer, LayerJSON } from "./layer.js";
import { ReLU } from "./relu.js";
import { Sigmoid } from "./sigmoid.js";
import { Softmax } from "./softmax.js";
import { Tanh } from "./tanh.js";

export const layerRegistry = new Registry<Layer, LayerJSON>("layer")
  .register("dense", Dense.fromJSON)
  .register("relu", ReLU.fromJSON)
  .register("dropout", Dropout.fromJSON)
  .register("sigmoid", Sigmoid.fromJSON)
  .register("tanh", Tanh.fromJSON)
  .register("softmax", Softmax.fromJSON)
  .register("activity-regularization", ActivityRegularization.fromJSON);
