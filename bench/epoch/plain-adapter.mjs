// Wraps the plain-JS model in the benchmark's implementation interface (see worker.mjs).
import { experimentSeeds } from "../../dist/index.js";
import { createPlainModel } from "./plain-model.mjs";

export async function create(config) {
  const model = createPlainModel(config, experimentSeeds(config.seed));
  return {
    async trainEpochs(x, y, n, epochs, onEpochEnd = () => {}) {
      let log;
      for (let e = 0; e < epochs; e++) {
        log = model.trainEpoch(x, y, n);
        if (onEpochEnd(performance.now()) === false) break;
      }
      return { loss: log?.loss, acc: log?.acc };
    },
    evaluate: (x, y, n) => model.evaluate(x, y, n),
  };
}
