// The experiment's model in regwasm (the built package, dist/), in the benchmark's interface: built by
// buildExperiment, the same builder the CLI trains with.
import { buildExperiment, init } from "../../dist/index.js";

export async function create(config, initOptions = {}) {
  await init(initOptions);
  const { model, optimizer } = buildExperiment(config);
  return {
    async trainEpochs(x, y, _n, epochs, onEpochEnd = () => {}) {
      const { logs } = await model.fit(x, y, { epochs, optimizer, onEpoch: () => onEpochEnd(performance.now()) });
      const last = logs.at(-1);
      return { loss: last?.loss, acc: last?.acc };
    },
    evaluate: (x, y) => model.evaluate(x, y),
  };
}
