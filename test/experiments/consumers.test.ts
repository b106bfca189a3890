// The epoch benchmark and the playground use the shared experiment definition, not copies of it: the
// benchmark trains the dropout chapter on the same data and model as the CLI, and the playground's
// config is an ExperimentConfig built by the shared builder. The benchmark runs on the built package
// (dist/), as in `npm run bench:epoch`.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildExperiment,
  DROPOUT_CHAPTER,
  experimentData,
  experimentSeeds,
  init,
  L2_CHAPTER,
  type ExperimentConfig,
} from "../../src/index.js";
import { trainConfig } from "../../examples/playground/src/controls.js";

const root = join(import.meta.dirname, "..", "..");
const dist = join(root, "dist", "index.js");
const bench = join(root, "bench", "epoch");

beforeAll(async () => {
  if (!existsSync(dist)) throw new Error(`${dist} is missing: run "npm run build" first`);
  await init();
});

/** A small variant of the dropout chapter, so that the training comparisons take milliseconds. */
const SMALL: ExperimentConfig = { ...DROPOUT_CHAPTER, samples: 30, hidden: 8, validationSamples: 10 };

describe("epoch benchmark", () => {
  it("trains the built package's DROPOUT_CHAPTER object, equal to the source's", async () => {
    const { EXPERIMENT } = await import(join(bench, "experiment.mjs"));
    const built = await import(dist);
    expect(EXPERIMENT).toBe(built.DROPOUT_CHAPTER);
    expect(EXPERIMENT).toEqual(DROPOUT_CHAPTER);
  });

  it("loads the same data sets as the CLI", async () => {
    const { loadData } = await import(join(bench, "data.mjs"));
    const { train, validation } = await loadData(SMALL);
    const expected = experimentData(SMALL);
    expect(train).toEqual(expected.train);
    expect(validation).toEqual(expected.validation);
  });

  it("regwasm: trains bit for bit like buildExperiment", async () => {
    const { create } = await import(join(bench, "regwasm-adapter.mjs"));
    const { train } = experimentData(SMALL);
    const adapter = await create(SMALL);
    const benchLast = await adapter.trainEpochs(train.x, train.y, train.rows, 3);
    const { model, optimizer } = buildExperiment(SMALL);
    const last = (await model.fit(train.x, train.y, { epochs: 3, optimizer })).logs.at(-1);
    model.free();
    expect(benchLast).toEqual({ loss: last?.loss, acc: last?.acc });
  });

  it("plain JS: reads the config's field names (dropout, l1, l2) and experimentSeeds", async () => {
    const { createPlainModel } = await import(join(bench, "plain-model.mjs"));
    const { train } = experimentData(SMALL);
    const seeds = experimentSeeds(SMALL.seed);
    const epoch = (c: ExperimentConfig, s = seeds) => createPlainModel(c, s).trainEpoch(train.x, train.y, train.rows);
    const base = epoch(SMALL);
    expect(epoch(SMALL)).toEqual(base); // deterministic from the seeds
    expect(base.regLoss).toBeGreaterThan(0);
    expect(epoch({ ...SMALL, l2: 0 }).regLoss).toBe(0);
    expect(epoch({ ...SMALL, l2: 0, l1: 1e-3 }).regLoss).toBeGreaterThan(0);
    expect(epoch({ ...SMALL, dropout: 0 }).dataLoss).not.toBe(base.dataLoss);
    expect(epoch(SMALL, { ...seeds, hidden: seeds.hidden + 1 }).dataLoss).not.toBe(base.dataLoss);
  });
});

describe("playground", () => {
  it("its form values make an ExperimentConfig validated on a fresh 100-per-class spiral", () => {
    const { name: _, validationSamples: __, ...fields } = { ...L2_CHAPTER, samples: 20, noise: 0.2 };
    expect(trainConfig(fields, "proximal")).toEqual({
      ...L2_CHAPTER,
      samples: 20,
      name: "playground",
      noise: 0.2,
      validationSamples: 100,
      l1Method: "proximal",
    });
  });

  it("its training code builds the data and the model with the shared functions, not its own", () => {
    const run = readFileSync(join(root, "examples", "playground", "src", "run.ts"), "utf8");
    expect(run).toMatch(/\bexperimentData\(c\)/);
    expect(run).toMatch(/\bbuildExperiment\(c\)/);
    const worker = readFileSync(join(root, "examples", "playground", "src", "worker.ts"), "utf8");
    expect(worker).toMatch(/\btrainRun\(c,/);
    for (const source of [run, worker])
      expect(source).not.toMatch(/new (Dense|Dropout|ReLU|Sequential|Adam)\b|spiralData\(/);
  });
});
