// The course's dropout model (full batch 3000 × 2 → 512 → 3) on 1 and 2 threads, in chunks of the
// default size (256 rows) and of the whole batch (the same bits either way): `node bench/threads/chunk-rows.mjs`.
// With 256-row chunks no kernel call is big enough for a part of its own; whole-batch calls are, but
// their activations leave the cache. ms per epoch: median and minimum of 7 fits of 40 epochs, after
// 20, the configurations interleaved over 3 rounds.
import { Adam, Dense, Dropout, init, instantiate, ReLU, Sequential, spiralData } from "../../dist/index.js";

await init({ threads: 1 }); // the data generator's instance

const { x, y } = spiralData(1000, 3, { seed: 0 });
const instances = { 1: await instantiate({ threads: 1 }), 2: await instantiate({ threads: 2 }) };
const configs = [1, 2].flatMap((threads) => [undefined, 3000].map((chunkRows) => ({ threads, chunkRows })));

async function msPerEpoch({ threads, chunkRows }) {
  const instance = instances[threads];
  const model = new Sequential(
    [
      new Dense(2, 512, { seed: 1, weightL2: 5e-4, biasL2: 5e-4, instance }),
      new ReLU(),
      new Dropout(0.1, { seed: 2 }),
      new Dense(512, 3, { seed: 3, instance }),
    ],
    chunkRows ? { chunkRows } : {},
  );
  const optimizer = new Adam({ learningRate: 0.05, decay: 5e-5 });
  await model.fit(x, y, { epochs: 20, optimizer });
  const times = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    await model.fit(x, y, { epochs: 40, optimizer });
    times.push((performance.now() - t0) / 40);
  }
  const used = model.chunkRows;
  model.free();
  times.sort((a, b) => a - b);
  return { used, median: times[3], min: times[0] };
}

for (let round = 1; round <= 3; round++)
  for (const config of configs) {
    const { used, median, min } = await msPerEpoch(config);
    console.log(
      `round ${round}: ${config.threads} thread${config.threads > 1 ? "s" : ""}, chunkRows ${used}: ${median.toFixed(2)} ms/epoch (min ${min.toFixed(2)})`,
    );
  }
process.exit(0);
