// The shared experiment definition: the course's numbers, the data and the model a config gives. The
// expected layers and seeds are written out here rather than derived, so a silent change of a seed,
// a layer or an option in the builder fails.
import { describe, expect, it } from "vitest";
import {
  Adam,
  buildExperiment,
  COURSE_EXPERIMENTS,
  Dense,
  Dropout,
  DROPOUT_CHAPTER,
  experimentData,
  GaussianNoise,
  init,
  L2_CHAPTER,
  ReLU,
  Sequential,
  spiralData,
  type ExperimentConfig,
} from "../../src/index.js";

await init();

const SMALL: ExperimentConfig = {
  name: "small",
  samples: 40,
  classes: 3,
  hidden: 16,
  l1: 1e-4,
  l2: 5e-4,
  dropout: 0.2,
  learningRate: 0.05,
  decay: 5e-5,
  epochs: 5,
  seed: 7,
  validationSamples: 20,
};

/**
 * The documented model for SMALL: Dense(2,h) L1/L2 on weights and biases, seed+1; ReLU; Dropout,
 * seed+2; Dense(h,c), seed+3; both Dense layers with the course's 0.01·N(0, 1) weights; the config's
 * L1 form (l1Method) on the first; GaussianNoise(inputNoise) in front when asked, seed+2.
 */
function handBuilt(c: ExperimentConfig): { model: Sequential; optimizer: Adam } {
  const weightInit = "course";
  const layers = [
    ...(c.inputNoise ? [new GaussianNoise(c.inputNoise, { seed: 9 })] : []),
    new Dense(2, c.hidden, {
      weightL1: c.l1,
      biasL1: c.l1,
      weightL2: c.l2,
      biasL2: c.l2,
      weightInit,
      seed: 8,
      ...(c.l1Method ? { l1Method: c.l1Method } : {}),
    }),
    new ReLU(),
    ...(c.dropout > 0 ? [new Dropout(c.dropout, { seed: 9 })] : []),
    new Dense(c.hidden, c.classes, { weightInit, seed: 10 }),
  ];
  return { model: new Sequential(layers), optimizer: new Adam({ learningRate: c.learningRate, decay: c.decay }) };
}

/** Trains for c.epochs with validation; returns the history, the weights' bytes and the full JSON. */
async function train(built: { model: Sequential; optimizer: Adam }, c: ExperimentConfig) {
  const { model, optimizer } = built;
  try {
    const data = experimentData(c);
    const { logs: history } = await model.fit(data.train.x, data.train.y, {
      epochs: c.epochs,
      optimizer,
      validationData: [data.validation.x, data.validation.y],
    });
    const bytes = model.params().map((p) => new Uint8Array(p.value.view().slice().buffer));
    return { history, bytes, json: model.toJSON() };
  } finally {
    model.free();
  }
}

describe("the course's configs", () => {
  it("are the chapters' numbers", () => {
    expect(DROPOUT_CHAPTER).toMatchObject({
      samples: 1000,
      classes: 3,
      hidden: 512,
      l1: 0,
      l2: 5e-4,
      dropout: 0.1,
      learningRate: 0.05,
      decay: 5e-5,
      epochs: 10001,
      seed: 0,
      validationSamples: 100,
    });
    expect(DROPOUT_CHAPTER.noise).toBeUndefined();
    expect(L2_CHAPTER).toMatchObject({
      samples: 100,
      classes: 3,
      hidden: 64,
      l1: 0,
      l2: 5e-4,
      dropout: 0,
      learningRate: 0.02,
      decay: 5e-7,
      epochs: 10001,
      seed: 0,
      validationSamples: 100,
    });
  });

  it("COURSE_EXPERIMENTS: each chapter, then the same run without regularization", () => {
    expect(COURSE_EXPERIMENTS).toHaveLength(4);
    expect(COURSE_EXPERIMENTS[0]).toBe(DROPOUT_CHAPTER);
    expect(COURSE_EXPERIMENTS[1]).toEqual({ ...DROPOUT_CHAPTER, name: COURSE_EXPERIMENTS[1].name, l2: 0, dropout: 0 });
    expect(COURSE_EXPERIMENTS[2]).toBe(L2_CHAPTER);
    expect(COURSE_EXPERIMENTS[3]).toEqual({ ...L2_CHAPTER, name: COURSE_EXPERIMENTS[3].name, l2: 0 });
  });

  it("are frozen: a consumer cannot change what the others train", () => {
    expect(Object.isFrozen(DROPOUT_CHAPTER)).toBe(true);
    expect(Object.isFrozen(COURSE_EXPERIMENTS)).toBe(true);
    for (const c of COURSE_EXPERIMENTS) expect(Object.isFrozen(c)).toBe(true);
  });
});

describe("experimentData", () => {
  it("training spiral from seed, validation spiral from seed + 1_000_003", () => {
    const { train, validation } = experimentData(SMALL);
    expect(train).toEqual(spiralData(40, 3, { seed: 7 }));
    expect(validation).toEqual(spiralData(20, 3, { seed: 1_000_010 }));
  });

  it("passes the noise to both spirals; without it, spiralData's default", () => {
    const noisy = experimentData({ ...SMALL, noise: 0.5 });
    expect(noisy.train).toEqual(spiralData(40, 3, { seed: 7, noise: 0.5 }));
    expect(noisy.validation).toEqual(spiralData(20, 3, { seed: 1_000_010, noise: 0.5 }));
    expect(noisy.train.x).not.toEqual(experimentData(SMALL).train.x);
  });
});

describe("buildExperiment", () => {
  it.each([
    ["with dropout", SMALL],
    ["without dropout", { ...SMALL, dropout: 0 }],
    ["with proximal L1", { ...SMALL, l1Method: "proximal" as const }],
    ["with input noise", { ...SMALL, inputNoise: 0.05 }],
  ])("%s: trains bit for bit like the documented layers, seeds and Adam", async (_, c) => {
    const shared = await train(buildExperiment(c), c);
    const reference = await train(handBuilt(c), c);
    expect(shared.json).toEqual(reference.json); // layer types, sizes, λ, seeds, rate, optimizer state
    expect(shared.bytes).toEqual(reference.bytes);
    expect(shared.history).toEqual(reference.history);
  });

  it("has a Dropout layer only when the rate is above 0", () => {
    for (const [dropout, layers] of [
      [0.1, ["dense", "relu", "dropout", "dense"]],
      [0, ["dense", "relu", "dense"]],
    ] as const) {
      const { model } = buildExperiment({ ...SMALL, dropout });
      expect(model.layers.map((l) => l.type)).toEqual(layers);
      model.free();
    }
  });

  it("a different seed gives different initial weights (the seed reaches the layers)", () => {
    const a = buildExperiment(SMALL).model;
    const b = buildExperiment({ ...SMALL, seed: 8 }).model;
    expect(a.params()[0].value.view()).not.toEqual(b.params()[0].value.view());
    a.free();
    b.free();
  });
});
