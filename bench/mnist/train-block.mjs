// A timed block of MNIST training for the paired benchmarks (bench/mnist/paired.mjs,
// bench/threads/speedup.mjs): block k trains one fit() epoch over its own `batches` batches of 128
// rows of `train` (the blocks' rows cycle through the set), shuffled by seed k. The time runs from the
// epoch's start to its end (fit's callbacks): fit() first copies and checks its rows (~3 ms per 1280
// rows here, on the calling thread), which a training run pays once and a block would pay every time.
import { MNIST_FEATURES } from "../../examples/mnist-data.mjs";

export const BATCH = 128;

/** `block(k)` trains `model` on block k's rows and returns ms per batch. */
export function trainBlock(model, optimizer, train, batches) {
  const rows = batches * BATCH;
  return async (k) => {
    const from = (k % Math.floor(train.rows / rows)) * rows;
    const x = train.x.subarray(from * MNIST_FEATURES, (from + rows) * MNIST_FEATURES);
    const y = train.y.subarray(from, from + rows);
    let begin = 0;
    let ms = 0;
    const clock = {
      onEpochBegin: () => {
        begin = performance.now();
      },
      onEpochEnd: () => {
        ms = performance.now() - begin;
      },
    };
    await model.fit(x, y, { epochs: 1, batchSize: BATCH, optimizer, seed: k, callbacks: [clock] });
    return ms / batches;
  };
}
