// The dropout-chapter model in regwasm (the built package, dist/), in the benchmark's interface.
import { init, Sequential, Dense, ReLU, Dropout, Adam } from "../../dist/index.js";

export async function create({ features, hidden, classes, rate, l2, learningRate, decay, seed }) {
  await init();
  const layers = [new Dense(features, hidden, { weightL2: l2, biasL2: l2, seed }), new ReLU()];
  if (rate > 0) layers.push(new Dropout(rate, { seed: seed + 1 }));
  layers.push(new Dense(hidden, classes, { seed: seed + 2 }));
  const model = new Sequential(layers);
  const optimizer = new Adam({ learningRate, decay });
  return {
    async trainEpochs(x, y, n, epochs, onEpochEnd = () => {}) {
      const history = model.fit(x, y, { epochs, optimizer, onEpoch: () => onEpochEnd(performance.now()) });
      const last = history.at(-1);
      return { loss: last?.loss, acc: last?.acc };
    },
    evaluate: (x, y) => model.evaluate(x, y),
  };
}
