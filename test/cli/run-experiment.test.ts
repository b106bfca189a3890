// The CLI's in-process pieces, without the child process of cli.test.ts: the words that describe an
// experiment (usage text and report), and runExperiment, checked against the same training written
// out with the public API (data, model and optimizer of the config; fit; evaluate; predict on the grid).
import { beforeAll, describe, expect, it } from "vitest";
import {
  courseNumber,
  describeExperiment,
  experimentLayers,
  experimentOptimizer,
} from "../../src/cli/describe-experiment.js";
import { runExperiment, validationInterval } from "../../src/cli/run-experiment.js";
import { gridFor } from "../../src/cli/report/index.js";
import {
  buildExperiment,
  DROPOUT_CHAPTER,
  type ExperimentConfig,
  experimentData,
  init,
  L2_CHAPTER,
} from "../../src/index.js";
import { defaultInstance } from "../../src/wasm/instance.js";

beforeAll(() => init());

describe("describe-experiment", () => {
  it("writes numbers as the course does: exponent form below 1e-3 only", () => {
    expect([5e-4, -5e-4, 5e-7, 1e-3, 0.05, 0, 512].map(courseNumber)).toEqual([
      "5e-4",
      "-5e-4",
      "5e-7",
      "0.001",
      "0.05",
      "0",
      "512",
    ]);
  });

  it("names the chapters' layers and optimizers as documented", () => {
    expect(experimentLayers(DROPOUT_CHAPTER)).toEqual(["Dense(2,512) L2 5e-4", "ReLU", "Dropout 0.1", "Dense(512,3)"]);
    expect(experimentOptimizer(DROPOUT_CHAPTER)).toBe("Adam lr 0.05 decay 5e-5");
    expect(describeExperiment(L2_CHAPTER)).toBe(
      "100×3 spiral · Dense(2,64) L2 5e-4 · ReLU · Dense(64,3) · Adam lr 0.02 decay 5e-7 · 10001 epochs · seed 0",
    );
  });

  it("lists L1 before L2, and neither when both are 0", () => {
    const c = { ...L2_CHAPTER, hidden: 8, classes: 4 };
    expect(experimentLayers({ ...c, l1: 1e-4, l2: 0.01 })[0]).toBe("Dense(2,8) L1 1e-4 L2 0.01");
    expect(experimentLayers({ ...c, l1: 0.002, l2: 0 })[0]).toBe("Dense(2,8) L1 0.002");
    expect(experimentLayers({ ...c, l1: 0, l2: 0 })).toEqual(["Dense(2,8)", "ReLU", "Dense(8,4)"]);
  });
});

describe("validationInterval", () => {
  it("is max(1, floor(epochs / 500)): about 500 validation points per curve", () => {
    expect([1, 499, 500, 999, 1000, 1499, 10001].map(validationInterval)).toEqual([1, 1, 1, 1, 2, 2, 20]);
  });
});

describe("runExperiment", () => {
  const config: ExperimentConfig = {
    name: "small",
    samples: 20,
    classes: 3,
    hidden: 8,
    l1: 1e-4,
    l2: 5e-4,
    dropout: 0.1,
    learningRate: 0.05,
    decay: 1e-3,
    epochs: 1200, // validation every 2 epochs (and at the last)
    seed: 5,
    validationSamples: 10,
  };

  /** The same run written out with the public API. */
  async function byHand(c: ExperimentConfig, gridSize: number) {
    const { train, validation } = experimentData(c);
    const { model, optimizer } = buildExperiment(c);
    const trainCurve: { epoch: number; loss: number; acc: number }[] = [];
    const { logs: history } = await model.fit(train.x, train.y, {
      epochs: c.epochs,
      optimizer,
      validationData: [validation.x, validation.y],
      logEvery: Math.max(1, Math.floor(c.epochs / 500)),
      callbacks: [
        {
          onEpochEnd(log, m) {
            if (log.valLoss === undefined) return;
            const t = m.evaluate(train.x, train.y);
            trainCurve.push({ epoch: log.epoch, loss: t.dataLoss, acc: t.acc });
          },
        },
      ],
    });
    const finalTrain = model.evaluate(train.x, train.y);
    const finalValidation = model.evaluate(validation.x, validation.y);
    const grid = gridFor(train.x, gridSize, gridSize);
    const p = model.predict(grid.centers);
    const cells = Array.from({ length: gridSize * gridSize }, (_, i) => {
      const row = Array.from(p.subarray(i * c.classes, (i + 1) * c.classes));
      return row.indexOf(Math.max(...row)); // the first of equal maxima, as the runner's strict >
    });
    // cells whose largest probability is shared by two or more classes
    const tied = Array.from({ length: gridSize * gridSize }, (_, i) =>
      p.subarray(i * c.classes, (i + 1) * c.classes),
    ).filter((row) => row.filter((v) => v === Math.max(...row)).length > 1).length;
    model.free();
    return { train, history, trainCurve, finalTrain, finalValidation, grid, cells, tied };
  }

  it("trains, logs and measures exactly as the same calls made by hand, and frees the model", async () => {
    const live = defaultInstance().heap.allocations;
    const epochsSeen: number[] = [];
    const result = await runExperiment(config, {
      gridSize: 9,
      onEpoch: (done, log) => epochsSeen.push(done, log.epoch),
    });
    expect(defaultInstance().heap.allocations).toBe(live);
    const want = await byHand(config, 9);

    expect(result.config).toBe(config);
    expect(result.history).toEqual(want.history);
    expect(result.history.filter((h) => h.valLoss !== undefined)).toHaveLength(601);
    // the training data in inference mode on the validation epochs; dropout on in training lifts the
    // logged data loss above it
    expect(result.trainCurve).toEqual(want.trainCurve);
    expect(result.trainCurve.map((p) => p.epoch)).toEqual(
      result.history.filter((h) => h.valLoss !== undefined).map((h) => h.epoch),
    );
    const last = result.history.at(-1)!;
    expect(result.trainCurve.at(-1)!.loss).toBeLessThan(last.dataLoss);
    expect(epochsSeen).toEqual(Array.from({ length: 2 * config.epochs }, (_, i) => (i % 2 ? (i - 1) / 2 : i / 2 + 1)));
    expect(result.train).toEqual({
      acc: want.finalTrain.acc,
      loss: want.finalTrain.loss,
      dataLoss: want.finalTrain.dataLoss,
      regLoss: want.finalTrain.regLoss,
    });
    expect(result.train.regLoss).toBeGreaterThan(0);
    expect(result.validation).toEqual({ acc: want.finalValidation.acc, loss: want.finalValidation.dataLoss });
    expect(result.wallS).toBeGreaterThan(0);
    expect(result.wallS).toBeLessThan(60);

    const b = result.boundary;
    expect([b.cols, b.rows, b.classes]).toEqual([9, 9, 3]);
    expect([b.xMin, b.xMax, b.yMin, b.yMax]).toEqual([want.grid.xMin, want.grid.xMax, want.grid.yMin, want.grid.yMax]);
    expect(b.points).toBe(result.boundary.points);
    expect(Array.from(b.points)).toEqual(Array.from(want.train.x));
    expect(Array.from(b.labels)).toEqual(Array.from(want.train.y));
    expect(Array.from(b.cellClasses)).toEqual(want.cells);
    // a trained spiral model predicts every class somewhere on the grid
    expect(new Set(want.cells).size).toBe(3);
  });

  it("a tie between classes goes to the first of them (the lowest class index)", async () => {
    // one ReLU unit and a learning rate of 1e-12: where the unit is off, the logits are the output biases,
    // which differ by ~1e-12, so the f32 probabilities are exactly equal there
    const c = { ...config, hidden: 1, l1: 0, l2: 0, dropout: 0, learningRate: 1e-12, decay: 0, epochs: 1 };
    const result = await runExperiment(c, { gridSize: 9 });
    const want = await byHand(c, 9);
    expect(want.tied).toBeGreaterThan(0);
    expect(Array.from(result.boundary.cellClasses)).toEqual(want.cells);
  });

  it("stopped: true only when onEpoch ended the run before its last epoch", async () => {
    const c = { ...config, epochs: 10, dropout: 0 };
    const early = await runExperiment(c, { gridSize: 2, onEpoch: (done) => done < 3 });
    expect([early.epochs, early.stopped, early.history.at(-1)!.epoch]).toEqual([3, true, 2]);
    const full = await runExperiment(c, { gridSize: 2, onEpoch: () => undefined });
    expect([full.epochs, full.stopped]).toEqual([10, false]);
    // without onEpoch too: the epochs are counted whether or not anyone listens
    const unheard = await runExperiment(c, { gridSize: 2 });
    expect([unheard.epochs, unheard.stopped]).toEqual([10, false]);
    // a stop asked on the last epoch: every epoch trained, not stopped
    const atEnd = await runExperiment(c, { gridSize: 2, onEpoch: (done) => done < 10 });
    expect([atEnd.epochs, atEnd.stopped]).toEqual([10, false]);
  });

  it("uses a 120 × 120 grid by default", async () => {
    const r = await runExperiment({ ...config, epochs: 2, dropout: 0 });
    expect([r.boundary.cols, r.boundary.rows, r.boundary.cellClasses.length]).toEqual([120, 120, 14400]);
  });
});
