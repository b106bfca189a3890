// Training on threads: fit() on 1, 2 and 3 threads ends with the same weights bit for bit and logs the
// same figures, on both builds, for a model whose activations (300 × 1024 per batch) are large enough
// that tanh, dropout and their backward passes run in parts. (The product kernels are checked part by part
// in the kernel suites; this is the whole step, with shuffled mini-batches, L1/L2 and decoupled decay.)
import { afterAll, describe, expect, it } from "vitest";
import {
  Adam,
  Dense,
  Dropout,
  GaussianNoise,
  type Instance,
  MeanSquaredError,
  init,
  instantiate,
  ReLU,
  Tanh,
  Sequential,
  spiralData,
} from "../../src/index.js";
import { MIN_PART_ELEMENTS } from "../../src/wasm/partition.js";
import { GROUP_ROWS } from "../../src/wasm/row-groups.js";
import { firstBitDifference } from "./support.js";

await init();
const data = spiralData(200, 3, { seed: 5 }); // 600 rows
const HIDDEN = 1024;

async function train(inst: Instance) {
  const model = new Sequential(
    [
      new Dense(2, HIDDEN, { seed: 1, weightL1: 5e-4, weightL2: 5e-4, biasL2: 1e-4, instance: inst }),
      new Tanh(),
      new Dropout(0.2, { seed: 2 }),
      new Dense(HIDDEN, 3, { seed: 3, weightL2: 1e-3, instance: inst }),
    ],
    { chunkRows: 300 },
  ); // whole batches: the default chunks would stay below the size that runs in parts
  const history = await model.fit(data.x, data.y, {
    epochs: 4,
    batchSize: 300,
    optimizer: new Adam({ learningRate: 0.02, weightDecay: 1e-4 }),
    seed: 7,
  });
  return { weights: model.getWeights(), logs: history.history };
}

// The course's model on its full batch of 3000 rows: 6 row groups, which several threads record and
// replay as lanes (Instance.record) instead of cutting each kernel call. The same bits on 1–4 threads.
// And a regression model (value targets, Gaussian noise) on 1500 rows: 3 groups.
const course = spiralData(1000, 3, { seed: 0 });
const regression = {
  x: Float32Array.from({ length: 1500 }, (_, i) => i / 1500),
  y: Float32Array.from({ length: 1500 }, (_, i) => Math.sin((2 * Math.PI * i) / 1500)),
};
const fullBatchModels = {
  "the course's classifier": (instance: Instance) =>
    new Sequential([
      new Dense(2, 512, { seed: 1, weightL2: 5e-4, biasL2: 5e-4, instance }),
      new ReLU(),
      new Dropout(0.1, { seed: 2 }),
      new Dense(512, 3, { seed: 3, instance }),
    ]),
  "a regression with Gaussian noise": (instance: Instance) =>
    new Sequential(
      [
        new Dense(1, 64, { seed: 1, instance }),
        new Tanh(),
        new GaussianNoise(0.1, { seed: 2 }),
        new Dense(64, 1, { seed: 3, biasL1: 1e-4, instance }),
      ],
      { loss: new MeanSquaredError() },
    ),
  // an activity penalty reads each chunk's result: its batches never run as lanes
  "a classifier with an activity penalty (not replayable)": (instance: Instance) =>
    new Sequential([
      new Dense(2, 64, { seed: 1, activityL2: 1e-3, instance }),
      new ReLU(),
      new Dense(64, 3, { seed: 3, instance }),
    ]),
};

const rowsOf = (name: keyof typeof fullBatchModels) =>
  name === "a regression with Gaussian noise" ? regression.y.length : course.y.length;

async function trainFullBatch(inst: Instance, name: keyof typeof fullBatchModels) {
  const lanes: number[] = [];
  const record = inst.record.bind(inst);
  inst.record = (count, recordLane) => {
    lanes.push(count);
    record(count, recordLane);
  };
  const model = fullBatchModels[name](inst);
  const { x, y } = name === "a regression with Gaussian noise" ? regression : course;
  const history = await model.fit(x, y, {
    epochs: 3,
    optimizer: new Adam({ learningRate: 0.05, decay: 5e-5 }),
    validationData: [x, y],
  });
  const weights = model.getWeights();
  model.free();
  return { weights, logs: history.history, lanes: [...new Set(lanes)] };
}

/** The logs equal and every weight bit-identical to the one-thread run's. */
function expectSameRun(got: TrainedRun, expected: TrainedRun, threads: number): void {
  expect(got.logs).toEqual(expected.logs);
  got.weights.forEach((w, i) => {
    expect({ threads, param: i, difference: firstBitDifference(w, expected.weights[i]) }).toEqual({
      threads,
      param: i,
      difference: -1,
    });
  });
}

interface TrainedRun {
  weights: Float32Array[];
  logs: unknown;
}

describe.each([
  ["SIMD", true],
  ["scalar", false],
] as const)("fit() on the %s build", (_, simd) => {
  const instances: Instance[] = [];
  afterAll(() => {
    for (const inst of instances) inst.stopThreads();
  });

  it("gives the same weights and logs on 1, 2 and 3 threads", async () => {
    expect(300 * HIDDEN).toBeGreaterThanOrEqual(2 * MIN_PART_ELEMENTS); // a batch's activations run in parts
    const one = await instantiate({ simd, threads: 1 });
    instances.push(one);
    const expected = await train(one);
    for (const threads of [2, 3]) {
      const inst = await instantiate({ simd, threads });
      instances.push(inst);
      expect(inst.threads).toBe(threads);
      const got = await train(inst);
      expectSameRun(got, expected, threads);
    }
  });

  it.each(Object.keys(fullBatchModels) as (keyof typeof fullBatchModels)[])(
    "%s: records lanes on several threads and gives the same weights and logs on 1–4 threads",
    async (name) => {
      const one = await instantiate({ simd, threads: 1 });
      instances.push(one);
      const expected = await trainFullBatch(one, name);
      expect(expected.lanes).toEqual([]); // one thread runs the groups in order, unrecorded
      for (const threads of [2, 3, 4]) {
        const inst = await instantiate({ simd, threads });
        instances.push(inst);
        const got = await trainFullBatch(inst, name);
        const lanes = Math.min(threads, Math.ceil(rowsOf(name) / GROUP_ROWS));
        expect(got.lanes).toEqual(name.endsWith("(not replayable)") ? [] : [lanes]);
        expectSameRun(got, expected, threads);
      }
    },
  );
});
