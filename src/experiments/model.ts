// The model and optimizer of an experiment: GaussianNoise on the inputs when asked, Dense(2, hidden)
// with L1/L2 on weights and biases, ReLU, Dropout when the rate is above 0, Dense(hidden, classes);
// Adam with the course's decay. Both Dense
// layers start from the course's 0.01·N(0, 1) weights, which its printed numbers depend on.
import { Dense } from "../layers/dense.js";
import { Dropout } from "../layers/dropout.js";
import { GaussianNoise } from "../layers/gaussian-noise.js";
import type { Layer } from "../layers/layer.js";
import { ReLU } from "../layers/relu.js";
import { Sequential } from "../model/sequential.js";
import { Adam } from "../optimizers/adam.js";
import type { ExperimentConfig } from "./course.js";
import { experimentSeeds } from "./seeds.js";

export interface ExperimentModel {
  /** Owns WASM memory: call model.free() when done. */
  model: Sequential;
  optimizer: Adam;
}

type ModelConfig = Pick<
  ExperimentConfig,
  "classes" | "hidden" | "l1" | "l2" | "dropout" | "learningRate" | "decay" | "seed" | "l1Method" | "inputNoise"
>;

/** A fresh, untrained model of the config (in the default instance, so init() must have resolved). */
export function buildExperiment(c: ModelConfig): ExperimentModel {
  const optimizer = new Adam({ learningRate: c.learningRate, decay: c.decay }); // holds no memory yet
  const seeds = experimentSeeds(c.seed);
  const layers: Layer[] = [];
  try {
    // the dropout seed: a layer's streams also mix in its position, so the two never share one
    if (c.inputNoise) layers.push(new GaussianNoise(c.inputNoise, { seed: seeds.dropout }));
    layers.push(
      new Dense(2, c.hidden, {
        weightL1: c.l1,
        biasL1: c.l1,
        weightL2: c.l2,
        biasL2: c.l2,
        weightInit: "course",
        seed: seeds.hidden,
        // left out when unset, so that Dense's own default applies
        ...(c.l1Method === undefined ? {} : { l1Method: c.l1Method }),
      }),
      new ReLU(),
    );
    if (c.dropout > 0) layers.push(new Dropout(c.dropout, { seed: seeds.dropout }));
    layers.push(new Dense(c.hidden, c.classes, { weightInit: "course", seed: seeds.output }));
    return { model: new Sequential(layers), optimizer };
  } catch (error) {
    for (const layer of layers) layer.free(); // a later piece refused: the earlier ones' memory goes back
    throw error;
  }
}
