// regwasm in the MNIST benchmark's trainer interface: the example's model (examples/mnist-model.mjs)
// trained by one fit() over all epochs, the epochs timed through its callbacks.
import { init } from "../../dist/index.js";
import { MNIST_MLP, mnistModel } from "../../examples/mnist-model.mjs";

export async function createTrainer({
  seed,
  batchSize = MNIST_MLP.batchSize,
  dropout,
  weightInit,
  threads,
  relaxedSimd,
}) {
  // default: one thread per core, the exact SIMD build
  await init({ ...(threads === undefined ? {} : { threads }), ...(relaxedSimd ? { relaxedSimd } : {}) });
  const { model, optimizer } = mnistModel({ seed, dropout, weightInit });
  return {
    initialWeights: () => model.getWeights(),
    weights: () => model.getWeights(),
    /**
     * Trains `epochs` whole epochs on train, evaluating test after each; clock() is read at each
     * epoch's start, after its last batch, and after the test evaluation. One record per epoch.
     */
    async train(train, test, epochs, clock) {
      const records = [];
      let begin, trained, batches;
      await model.fit(train.x, train.y, {
        epochs,
        batchSize,
        seed,
        optimizer,
        validationData: [test.x, test.y],
        callbacks: [
          {
            onTrainBegin: (params) => {
              batches = params.batches;
            },
            onEpochBegin: () => {
              begin = clock();
            },
            onBatchEnd: ({ batch }) => {
              if (batch === batches - 1) trained = clock();
            },
            onEpochEnd: (log) => {
              const evaluated = clock();
              records.push({
                begin,
                trained,
                evaluated,
                batches,
                epochBatches: batches,
                loss: log.loss,
                acc: log.acc,
                testLoss: log.valLoss,
                testAcc: log.valAcc,
              });
            },
          },
        ],
      });
      return records;
    },
    free: () => model.free(),
  };
}
