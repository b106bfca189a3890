// Trains the Keras MLP example's model on MNIST with regwasm (the built package, dist/) and prints,
// per epoch: training loss and accuracy, test loss and accuracy, and seconds. A progress bar on
// stderr follows the batches.
//
//   npm run example:mnist -- [--epochs 20] [--batch-size 128] [--seed 0] [--limit ROWS]
//
// --limit trains and tests on the first ROWS rows of each set (a quick check of the plumbing).
import { parseArgs } from "node:util";
import { init } from "../dist/index.js";
import { loadMnist } from "./mnist-data.mjs";
import { MNIST_MLP, mnistModel, parameterCount } from "./mnist-model.mjs";

const USAGE = "usage: node examples/mnist.mjs [--epochs 20] [--batch-size 128] [--seed 0] [--limit ROWS]";

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

const { epochs, batchSize, seed, limit } = options(process.argv.slice(2));
await init();
const { train, test } = loadMnist({ limit });
const { model, optimizer } = mnistModel({ seed });
console.log(
  `MNIST MLP: ${train.rows} training rows, ${test.rows} test rows, ${parameterCount(model)} parameters, batch ${batchSize}, seed ${seed}`,
);
// the progress bar is cleared in its onEpochEnd, before the printer's line goes out
const history = await model.fit(train.x, train.y, {
  epochs,
  batchSize,
  seed,
  optimizer,
  validationData: [test.x, test.y],
  callbacks: [progressBar(epochs), epochPrinter(epochs)],
});
const best = Math.max(...history.history.valAcc);
console.log(`best test accuracy ${best.toFixed(4)} (epoch ${history.history.valAcc.indexOf(best) + 1})`);
model.free();
