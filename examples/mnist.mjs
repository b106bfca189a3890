// Trains the Keras MLP example's model on MNIST with regwasm (the built package, dist/) and prints,
// per epoch: training loss and accuracy, test loss and accuracy, and seconds. A progress bar on
// stderr follows the batches.
//
//   npm run example:mnist -- [--epochs 20] [--batch-size 128] [--seed 0] [--limit ROWS] [--tfjs [--tfjs-epochs 1]]
//
// --limit trains and tests on the first ROWS rows of each set (a quick check of the plumbing).
// --tfjs then exports the model to TensorFlow.js and scores it there, and trains the same model in
// TF.js with regwasm/tfjs's seededDropout for --tfjs-epochs epochs (examples/mnist-tfjs.mjs).
import { parseArgs } from "node:util";
import { init } from "../dist/index.js";
import { loadMnist } from "./mnist-data.mjs";
import { MNIST_MLP, mnistModel, parameterCount } from "./mnist-model.mjs";

const USAGE =
  "usage: node examples/mnist.mjs [--epochs 20] [--batch-size 128] [--seed 0] [--limit ROWS] [--tfjs [--tfjs-epochs 1]]";

function options(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        epochs: { type: "string", default: String(MNIST_MLP.epochs) },
        "batch-size": { type: "string", default: String(MNIST_MLP.batchSize) },
        seed: { type: "string", default: "0" },
        limit: { type: "string" },
        tfjs: { type: "boolean", default: false },
        "tfjs-epochs": { type: "string", default: "1" },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    usageError(error.message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const integer = (name, min) => {
    const text = values[name];
    const v = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(v) || v < min)
      usageError(`--${name} must be an integer ≥ ${min}, got "${text}"`);
    return v;
  };
  return {
    epochs: integer("epochs", 1),
    batchSize: integer("batch-size", 1),
    seed: integer("seed", 0),
    limit: values.limit === undefined ? Infinity : integer("limit", 1),
    tfjs: values.tfjs,
    tfjsEpochs: integer("tfjs-epochs", 1),
  };
}

function usageError(message) {
  console.error(`mnist: ${message}\n${USAGE}`);
  process.exit(2);
}

/** A one-line progress bar on stderr, redrawn after every batch. */
function progressBar(epochs) {
  const width = 30;
  let batches = 0;
  let last = "";
  const clear = () => {
    process.stderr.write(`\r${" ".repeat(last.length)}\r`);
    last = "";
  };
  return {
    onTrainBegin(params) {
      batches = params.batches;
    },
    onBatchEnd({ epoch, batch, dataLoss, acc }) {
      const done = Math.round(((batch + 1) / batches) * width);
      const bar = `${"=".repeat(done)}${" ".repeat(width - done)}`;
      const line = `epoch ${epoch + 1}/${epochs} [${bar}] ${batch + 1}/${batches} loss ${dataLoss.toFixed(4)} acc ${acc.toFixed(4)}`;
      process.stderr.write(`\r${line}${" ".repeat(Math.max(0, last.length - line.length))}`);
      last = line;
    },
    onEpochEnd: clear,
  };
}

/** Prints each epoch's figures and the seconds from the epoch's start to its end (validation included). */
function epochPrinter(epochs) {
  let start = 0;
  return {
    onEpochBegin() {
      start = performance.now();
    },
    onEpochEnd(log) {
      const seconds = (performance.now() - start) / 1000;
      console.log(
        `epoch ${String(log.epoch + 1).padStart(String(epochs).length)}/${epochs}  loss ${log.loss.toFixed(4)}  acc ${log.acc.toFixed(4)}  val_loss ${log.valLoss.toFixed(4)}  val_acc ${log.valAcc.toFixed(4)}  ${seconds.toFixed(1)} s`,
      );
    },
  };
}

const { epochs, batchSize, seed, limit, tfjs, tfjsEpochs } = options(process.argv.slice(2));
if (tfjs && tfjsEpochs > epochs) usageError(`--tfjs-epochs (${tfjsEpochs}) must be at most --epochs (${epochs})`);
await init();
const { train, test } = loadMnist({ limit });
const { model, optimizer } = mnistModel({ seed });
console.log(
  `MNIST MLP: ${train.rows} training rows, ${test.rows} test rows, ${parameterCount(model)} parameters, batch ${batchSize}, seed ${seed}`,
);
// with --tfjs: the untrained model for TF.js, and regwasm's weights after the epochs TF.js will train
const initial = tfjs ? model.toTfjs() : null;
const regwasmWeights = [];
const keepWeights = {
  onEpochEnd: (log, m) => void (log.epoch < tfjsEpochs && tfjs && regwasmWeights.push(m.getWeights())),
};
// the progress bar is cleared in its onEpochEnd, before the printer's line goes out
const history = await model.fit(train.x, train.y, {
  epochs,
  batchSize,
  seed,
  optimizer,
  validationData: [test.x, test.y],
  callbacks: [progressBar(epochs), epochPrinter(epochs), keepWeights],
});
const best = Math.max(...history.history.valAcc);
console.log(`best test accuracy ${best.toFixed(4)} (epoch ${history.history.valAcc.indexOf(best) + 1})`);
if (tfjs) await inTfjs();
model.free();

/** The TF.js part: regwasm's model scored by TF.js, then the same model trained by TF.js. */
async function inTfjs() {
  const { startTfjs, tfjsAccuracy, trainInTfjs } = await import("./mnist-tfjs.mjs");
  const tf = await import("@tensorflow/tfjs-core");
  const tfl = await import("@tensorflow/tfjs-layers");
  const backend = await startTfjs();
  const exported = await tfl.loadLayersModel(tf.io.fromMemory(model.toTfjs()));
  const last = history.history.valAcc.at(-1);
  console.log(
    `TF.js (${backend}): regwasm's exported model, test accuracy ${tfjsAccuracy(exported, test).toFixed(4)} (regwasm ${last.toFixed(4)})`,
  );
  exported.dispose();
  await trainInTfjs(initial, train, test, {
    epochs: tfjsEpochs,
    batchSize,
    seed,
    onEpoch(epoch, weights, accuracy) {
      // how far apart the two runs are, relative to how far regwasm's weights moved from the start
      const start = new Float32Array(initial.weightData);
      let apart = 0,
        moved = 0,
        at = 0;
      weights.forEach((w, i) => {
        const ours = regwasmWeights[epoch][i];
        for (let k = 0; k < w.length; k++, at++) {
          apart += (w[k] - ours[k]) ** 2;
          moved += (ours[k] - start[at]) ** 2;
        }
      });
      const relative = Math.sqrt(apart / moved);
      console.log(
        `TF.js (${backend}) with seededDropout, epoch ${epoch + 1}: test accuracy ${accuracy.toFixed(4)} (regwasm ${history.history.valAcc[epoch].toFixed(4)}), weights ${relative.toExponential(1)} apart (relative to regwasm's move)`,
      );
    },
  });
}
