// The optimizer types that Sequential.fromJSON can rebuild. A new optimizer: its file, plus one line here.
import { Registry } from "../registry.js";
import { Adam } from "./adam.js";
import type { Optimizer, OptimizerJSON } from "./optimizer.js";
import { SGD } from "./sgd.js";

export const optimizerRegistry = new Registry<Optimizer, OptimizerJSON>("optimizer")
  .register("sgd", SGD.fromJSON)
  .register("adam", Adam.fromJSON);
