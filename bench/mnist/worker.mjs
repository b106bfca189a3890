// One framework's MNIST run in a fresh process: `node worker.mjs '<json>'` with { impl, epochs, seed,
// batchSize, limit?, maxBatches? }. Warms up on a throwaway model (a few batches: JIT and WASM tier-up,
// TF.js kernel setup), then trains the timed model from its initial weights for `epochs` epochs.
// Prints one JSON line on stdout: per epoch, training wall and CPU seconds, test-evaluation seconds,
// the batches trained and the figures.
import { loadMnist, MNIST_FEATURES } from "../../examples/mnist-data.mjs";

const TRAINERS = {
  regwasm: async (options) => (await import("./regwasm-trainer.mjs")).createTrainer(options),
  "regwasm-1thread": async (options) =>
    (await import("./regwasm-trainer.mjs")).createTrainer({ ...options, threads: 1 }),
  "regwasm-relaxed": async (options) =>
    (await import("./regwasm-trainer.mjs")).createTrainer({ ...options, relaxedSimd: true }),
  "tfjs-wasm": async (options) => (await import("./tfjs-trainer.mjs")).createTrainer({ ...options, backend: "wasm" }),
  "tfjs-cpu": async (options) => (await import("./tfjs-trainer.mjs")).createTrainer({ ...options, backend: "cpu" }),
};

/** Wall time and this process's CPU time (user + system), in ms. */
function clock() {
  const { user, system } = process.cpuUsage();
  return { wall: performance.now(), cpu: (user + system) / 1000 };
}

/** The first `rows` rows of a set. */
const head = (set, rows) => ({ x: set.x.subarray(0, rows * MNIST_FEATURES), y: set.y.subarray(0, rows), rows });

const task = JSON.parse(process.argv[2]);
const make = TRAINERS[task.impl];
if (!make) throw new Error(`unknown implementation ${task.impl}`);
const { train, test } = loadMnist({ limit: task.limit ?? Infinity });
const options = { seed: task.seed, batchSize: task.batchSize };
const limits = { maxBatches: task.maxBatches ?? Infinity };

const warm = await make(options);
await warm.train(
  head(train, Math.min(train.rows, 8 * task.batchSize)),
  head(test, Math.min(test.rows, 1000)),
  1,
  clock,
);
warm.free();

const trainer = await make(options);
const records = await trainer.train(train, test, task.epochs, clock, limits);
trainer.free();
const epochs = records.map((r) => ({
  trainS: (r.trained.wall - r.begin.wall) / 1000,
  trainCpuS: (r.trained.cpu - r.begin.cpu) / 1000,
  evalS: (r.evaluated.wall - r.trained.wall) / 1000,
  batches: r.batches,
  epochBatches: r.epochBatches,
  loss: r.loss,
  acc: r.acc,
  testLoss: r.testLoss,
  testAcc: r.testAcc,
}));
process.stdout.write(`${JSON.stringify({ impl: task.impl, epochs })}\n`);
