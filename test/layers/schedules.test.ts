// Learning-rate schedules against their documented formulas (Keras's InverseTimeDecay,
// ExponentialDecay, PiecewiseConstantDecay, CosineDecay, and PyTorch's CosineAnnealingLR closed form
// η_min + (η0 − η_min)(1 + cos(π·t/T))/2 for the cosine), their rates reaching every update (a fit
// against a hand loop of one-step optimizers), EpochLog.lr, JSON round trips through the optimizer
// and the model (a resumed model trains on with its schedule, bit for bit), and bad input.
import { describe, expect, it } from "vitest";
import {
  Adam,
  CosineDecay,
  Dense,
  type EpochLog,
  ExponentialDecay,
  type ExponentialDecayOptions,
  init,
  InverseTimeDecay,
  LearningRateSchedule,
  optimizerRegistry,
  PiecewiseConstantDecay,
  ReLU,
  type ScheduleJSON,
  SGD,
  Sequential,
  scheduleRegistry,
  spiralData,
} from "../../src/index.js";
import { errorOf, firstBitDifference } from "./support.js";

await init();

const STEPS = [0, 1, 2, 3, 7, 10, 11, 99, 100, 101, 250, 1000, 12345];

describe("at(step) against the formulas", () => {
  it.each([
    [{ initialLearningRate: 0.1, decayRate: 0.5 }, false, 1],
    [{ initialLearningRate: 0.05, decayRate: 5e-5, decaySteps: 1 }, false, 1],
    [{ initialLearningRate: 0.3, decayRate: 2, decaySteps: 10 }, false, 10],
    [{ initialLearningRate: 0.3, decayRate: 2, decaySteps: 10, staircase: true }, true, 10],
  ])("InverseTimeDecay %j: η0 / (1 + r·t/s)", (options, staircase, s) => {
    const schedule = new InverseTimeDecay(options);
    for (const t of STEPS) {
      const p = staircase ? Math.floor(t / s) : t / s;
      expect(schedule.at(t), `step ${t}`).toBe(options.initialLearningRate / (1 + options.decayRate * p));
    }
    // Keras's documented example: 0.1 / (1 + 0.5·t)
    if (options.decayRate === 0.5)
      expect([0, 1, 2, 6].map((t) => schedule.at(t))).toEqual([0.1, 0.1 / 1.5, 0.05, 0.025]);
  });

  it.each<[ExponentialDecayOptions]>([
    [{ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.96 }],
    [{ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.96, staircase: true }],
    [{ initialLearningRate: 2, decaySteps: 3, decayRate: 0.5 }],
    [{ initialLearningRate: 2, decaySteps: 1, decayRate: 1 }],
  ])("ExponentialDecay %j: η0 · r^(t/s)", (options) => {
    const schedule = new ExponentialDecay(options);
    for (const t of STEPS) {
      const p = options.staircase ? Math.floor(t / options.decaySteps) : t / options.decaySteps;
      expect(schedule.at(t), `step ${t}`).toBe(options.initialLearningRate * options.decayRate ** p);
    }
    if (options.staircase) {
      // whole periods: constant within one, a factor 0.96 across a boundary
      expect(schedule.at(99)).toBe(0.1);
      expect(schedule.at(100)).toBe(0.1 * 0.96);
    }
  });

  it("PiecewiseConstantDecay: values[i] while step <= boundaries[i] (Keras's example)", () => {
    const schedule = new PiecewiseConstantDecay({ boundaries: [100000, 110000], values: [1.0, 0.5, 0.1] });
    // "1.0 for the first 100001 steps, 0.5 for the next 10000 steps, and 0.1 for any additional steps"
    const at = (t: number) => schedule.at(t);
    expect([0, 1, 100000].map(at)).toEqual([1, 1, 1]);
    expect([100001, 105000, 110000].map(at)).toEqual([0.5, 0.5, 0.5]);
    expect([110001, 1e9].map(at)).toEqual([0.1, 0.1]);
    let ones = 0;
    for (let t = 0; t < 120000; t++) if (at(t) === 1) ones++;
    expect(ones).toBe(100001);
    const zero = new PiecewiseConstantDecay({ boundaries: [0, 2], values: [3, 2, 1] });
    expect([0, 1, 2, 3].map((t) => zero.at(t))).toEqual([3, 2, 2, 1]);
  });

  it.each([
    [0.1, 10, 0],
    [0.1, 10, 0.1],
    [0.02, 5000, 0.05],
    [1, 3, 0.5],
  ])("CosineDecay η0 %f over %i steps, alpha %f: PyTorch's CosineAnnealingLR with η_min = alpha·η0", (lr, T, alpha) => {
    const schedule = new CosineDecay({ initialLearningRate: lr, decaySteps: T, alpha });
    const etaMin = alpha * lr;
    for (const t of [...STEPS, T - 1, T, T + 1, Math.floor(T / 2)]) {
      const tc = Math.min(t, T); // Keras clamps the step: the rate then stays at η_min
      const want = etaMin + ((lr - etaMin) * (1 + Math.cos((Math.PI * tc) / T))) / 2;
      const got = schedule.at(t);
      expect(Math.abs(got - want), `step ${t}`).toBeLessThanOrEqual(4 * Number.EPSILON * lr);
    }
    expect(schedule.at(0)).toBe(lr);
    expect(schedule.at(T + 1000)).toBeCloseTo(etaMin, 15);
    if (T === 10 && alpha === 0.1) expect(schedule.at(5)).toBeCloseTo(0.055, 15); // 0.01 + 0.09·½
  });
});

const data = spiralData(30, 3, { seed: 11 }); // 90 rows
const model = () => new Sequential([new Dense(2, 12, { seed: 21 }), new ReLU(), new Dense(12, 3, { seed: 23 })]);

function expectSameWeights(a: Sequential, b: Sequential) {
  const wb = b.getWeights();
  a.getWeights().forEach((w, i) => expect(firstBitDifference(w, wb[i]), `params()[${i}]`).toBe(-1));
}

describe("the rates reach every update", () => {
  it("SGD under a schedule == a hand loop taking one step per rate (computeGradients, new SGD each)", async () => {
    const schedule = new PiecewiseConstantDecay({ boundaries: [2, 5], values: [0.8, 0.3, 0.05] });
    const byFit = model();
    const byHand = model();
    const epochLogs: EpochLog[] = [];
    await byFit.fit(data.x, data.y, {
      epochs: 3,
      batchSize: 30,
      shuffle: false,
      optimizer: new SGD({ learningRate: schedule }),
      onEpoch: (log) => void epochLogs.push(log),
    });
    let step = 0;
    for (let epoch = 0; epoch < 3; epoch++)
      for (let start = 0; start < 90; start += 30) {
        byHand.computeGradients(data.x.subarray(2 * start, 2 * start + 60), data.y.subarray(start, start + 30));
        // the documented rate of this step, as a plain number
        const lr = step <= 2 ? 0.8 : step <= 5 ? 0.3 : 0.05;
        new SGD({ learningRate: lr }).step(byHand.params());
        step++;
      }
    expectSameWeights(byFit, byHand);
    // EpochLog.lr: the rate of the epoch's last update (steps 2, 5, 8)
    expect(epochLogs.map((l) => l.lr)).toEqual([0.8, 0.3, 0.05]);
    expect(byFit.optimizer!.iterations).toBe(9);
    byFit.free();
    byHand.free();
  });

  it("InverseTimeDecay with decaySteps 1 is the course's decay: the same bits as Adam's `decay`", async () => {
    const [a, b] = [model(), model()];
    const opts = { epochs: 4, batchSize: 20 };
    const ha = await a.fit(data.x, data.y, {
      ...opts,
      optimizer: new Adam({ learningRate: new InverseTimeDecay({ initialLearningRate: 0.05, decayRate: 0.01 }) }),
    });
    const hb = await b.fit(data.x, data.y, { ...opts, optimizer: new Adam({ learningRate: 0.05, decay: 0.01 }) });
    expectSameWeights(a, b);
    expect(ha.history.lr).toEqual(hb.history.lr);
    a.free();
    b.free();
  });

  it("EpochLog.lr and BatchLog.lr are the schedule's rate at their update's step", async () => {
    const schedule = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 12, alpha: 0.1 });
    const m = model();
    const batchLrs: number[] = [];
    const history = await m.fit(data.x, data.y, {
      epochs: 5,
      batchSize: 40, // 3 updates per epoch: the epoch's last is step 3e + 2
      optimizer: new Adam({ learningRate: schedule }),
      callbacks: [{ onBatchEnd: (log) => void batchLrs.push(log.lr) }],
    });
    expect(batchLrs).toEqual(Array.from({ length: 15 }, (_, t) => schedule.at(t)));
    expect(history.history.lr).toEqual([0, 1, 2, 3, 4].map((e) => schedule.at(3 * e + 2)));
    m.free();
  });
});

describe("JSON", () => {
  const schedules: [string, () => LearningRateSchedule][] = [
    [
      "inverse-time-decay",
      () => new InverseTimeDecay({ initialLearningRate: 0.05, decayRate: 0.3, decaySteps: 4, staircase: true }),
    ],
    ["exponential-decay", () => new ExponentialDecay({ initialLearningRate: 0.05, decaySteps: 5, decayRate: 0.5 })],
    ["piecewise-constant-decay", () => new PiecewiseConstantDecay({ boundaries: [3, 8], values: [0.05, 0.02, 0.01] })],
    ["cosine-decay", () => new CosineDecay({ initialLearningRate: 0.05, decaySteps: 20, alpha: 0.2 })],
  ];

  it.each(schedules)("%s: the optimizer's JSON carries it; the rebuilt one gives the same rates", (type, make) => {
    const schedule = make();
    for (const optimizer of [
      new SGD({ learningRate: schedule, momentum: 0.5 }),
      new Adam({ learningRate: schedule }),
    ]) {
      const json = JSON.parse(JSON.stringify(optimizer.toJSON([])));
      expect(json.config.learningRate.type).toBe(type);
      expect(json.config.learningRate).toEqual(schedule.toJSON());
      const rebuilt = optimizerRegistry.fromJSON(json, "json");
      const lr = rebuilt.learningRate as LearningRateSchedule;
      expect(lr).toBeInstanceOf(schedule.constructor);
      expect(lr).not.toBe(schedule);
      expect(STEPS.map((t) => lr.at(t))).toEqual(STEPS.map((t) => schedule.at(t)));
      expect(rebuilt.toJSON([])).toEqual(optimizer.toJSON([]));
    }
  });

  it.each(schedules)(
    "%s: a saved model resumes with its schedule, bit for bit (2 + 3 epochs == 5)",
    async (_, make) => {
      const opts = { batchSize: 20, seed: 4 };
      const straight = model();
      const h = await straight.fit(data.x, data.y, {
        ...opts,
        epochs: 5,
        optimizer: new Adam({ learningRate: make() }),
      });
      const first = model();
      await first.fit(data.x, data.y, { ...opts, epochs: 2, optimizer: new Adam({ learningRate: make() }) });
      const resumed = Sequential.fromJSON(JSON.stringify(first.toJSON()));
      expect(resumed.optimizer!.learningRate).toBeInstanceOf(LearningRateSchedule);
      const rest = await resumed.fit(data.x, data.y, { ...opts, epochs: 3 });
      expectSameWeights(resumed, straight);
      expect(rest.history.lr).toEqual(h.history.lr.slice(2));
      for (const m of [straight, first, resumed]) m.free();
    },
  );

  it("a bad schedule in a saved optimizer is refused, naming where", () => {
    const json = new SGD({ learningRate: new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10 }) }).toJSON([]);
    const bad = {
      ...json,
      config: { ...json.config, learningRate: { type: "cosine-decay", initialLearningRate: -1, decaySteps: 10 } },
    };
    expect(() => optimizerRegistry.fromJSON(bad, "json.optimizer")).toThrow(
      /^json\.optimizer: json\.config\.learningRate: options\.initialLearningRate must be a finite number > 0/,
    );
    const unknown = { ...json, config: { ...json.config, learningRate: { type: "step-decay" } } };
    expect(() => optimizerRegistry.fromJSON(unknown, "json.optimizer")).toThrow(
      /json\.config\.learningRate\.type must be a registered learning-rate schedule type \('inverse-time-decay', 'exponential-decay', 'piecewise-constant-decay', 'cosine-decay'\), got string step-decay/,
    );
    const typo = {
      ...json,
      config: { ...json.config, learningRate: { ...(json.config.learningRate as ScheduleJSON), decaysteps: 3 } },
    };
    expect(() => optimizerRegistry.fromJSON(typo, "json.optimizer")).toThrow(
      /options\.decaysteps is not a known option/,
    );
  });

  it("a registered custom schedule round-trips too", () => {
    class Halving extends LearningRateSchedule {
      readonly type = "test-halving";
      constructor(readonly every: number) {
        super();
      }
      at(step: number) {
        return 0.1 / 2 ** Math.floor(step / this.every);
      }
      toJSON() {
        return { type: this.type, every: this.every };
      }
    }
    scheduleRegistry.register("test-halving", (j) => new Halving(j.every as number));
    try {
      const json = JSON.parse(JSON.stringify(new Adam({ learningRate: new Halving(3) }).toJSON([])));
      const lr = optimizerRegistry.fromJSON(json, "json").learningRate as LearningRateSchedule;
      expect(lr).toBeInstanceOf(Halving);
      expect([0, 2, 3, 6].map((t) => lr.at(t))).toEqual([0.1, 0.1, 0.05, 0.025]);
    } finally {
      scheduleRegistry.unregister("test-halving");
    }
  });
});

describe("bad input", () => {
  it.each<[string, () => unknown, RegExp]>([
    ["InverseTimeDecay without options", () => new InverseTimeDecay(undefined as never), /^options must be an object/],
    [
      "initialLearningRate 0",
      () => new InverseTimeDecay({ initialLearningRate: 0, decayRate: 1 }),
      /^options\.initialLearningRate must be a finite number > 0/,
    ],
    [
      "initialLearningRate ∞",
      () => new ExponentialDecay({ initialLearningRate: Infinity, decaySteps: 1, decayRate: 0.5 }),
      /^options\.initialLearningRate must be a finite number > 0/,
    ],
    [
      "initialLearningRate 1e39",
      () => new CosineDecay({ initialLearningRate: 1e39, decaySteps: 1 }),
      /^options\.initialLearningRate must be a finite number > 0 \(at most 3\.4e38/,
    ],
    [
      "initialLearningRate a string",
      () => new CosineDecay({ initialLearningRate: "0.1" as never, decaySteps: 1 }),
      /^options\.initialLearningRate/,
    ],
    [
      "InverseTimeDecay decayRate −1",
      () => new InverseTimeDecay({ initialLearningRate: 1, decayRate: -1 }),
      /^options\.decayRate must be a finite number >= 0/,
    ],
    [
      "InverseTimeDecay decayRate NaN",
      () => new InverseTimeDecay({ initialLearningRate: 1, decayRate: Number.NaN }),
      /^options\.decayRate/,
    ],
    [
      "InverseTimeDecay decaySteps 0",
      () => new InverseTimeDecay({ initialLearningRate: 1, decayRate: 1, decaySteps: 0 }),
      /^options\.decaySteps must be a positive integer, got number 0/,
    ],
    [
      "InverseTimeDecay staircase 'yes'",
      () => new InverseTimeDecay({ initialLearningRate: 1, decayRate: 1, staircase: "yes" as never }),
      /^options\.staircase must be/,
    ],
    [
      "ExponentialDecay decayRate 0",
      () => new ExponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0 }),
      /^options\.decayRate must be in \(0, 1\] \(a decay, not a growth\), got number 0/,
    ],
    [
      "ExponentialDecay decayRate 1.5",
      () => new ExponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 1.5 }),
      /^options\.decayRate must be in \(0, 1\]/,
    ],
    [
      "ExponentialDecay decaySteps 2.5",
      () => new ExponentialDecay({ initialLearningRate: 1, decaySteps: 2.5, decayRate: 0.5 }),
      /^options\.decaySteps must be a positive integer/,
    ],
    [
      "ExponentialDecay without decaySteps",
      () => new ExponentialDecay({ initialLearningRate: 1, decayRate: 0.5 } as never),
      /^options\.decaySteps must be a positive integer, got undefined/,
    ],
    [
      "CosineDecay alpha 1",
      () => new CosineDecay({ initialLearningRate: 1, decaySteps: 5, alpha: 1 }),
      /^options\.alpha must be in \[0, 1\), got number 1/,
    ],
    [
      "CosineDecay alpha −0.1",
      () => new CosineDecay({ initialLearningRate: 1, decaySteps: 5, alpha: -0.1 }),
      /^options\.alpha must be in \[0, 1\)/,
    ],
    [
      "CosineDecay decaySteps −5",
      () => new CosineDecay({ initialLearningRate: 1, decaySteps: -5 }),
      /^options\.decaySteps must be a positive integer/,
    ],
    [
      "an unknown key",
      () => new CosineDecay({ initialLearningRate: 1, decaySteps: 5, warmupSteps: 2 } as never),
      /^options\.warmupSteps is not a known option/,
    ],
    [
      "boundaries empty",
      () => new PiecewiseConstantDecay({ boundaries: [], values: [1] }),
      /^options\.boundaries must be a non-empty array of steps/,
    ],
    [
      "boundaries not an array",
      () => new PiecewiseConstantDecay({ boundaries: 5 as never, values: [1, 2] }),
      /^options\.boundaries must be a non-empty array/,
    ],
    [
      "boundaries decreasing",
      () => new PiecewiseConstantDecay({ boundaries: [5, 3], values: [1, 2, 3] }),
      /^options\.boundaries\[1\] must be an integer step >= 0 above the one before, got number 3/,
    ],
    [
      "boundaries equal",
      () => new PiecewiseConstantDecay({ boundaries: [5, 5], values: [1, 2, 3] }),
      /^options\.boundaries\[1\] must be an integer step/,
    ],
    [
      "a boundary 1.5",
      () => new PiecewiseConstantDecay({ boundaries: [1.5], values: [1, 2] }),
      /^options\.boundaries\[0\] must be an integer step/,
    ],
    [
      "a boundary −1",
      () => new PiecewiseConstantDecay({ boundaries: [-1], values: [1, 2] }),
      /^options\.boundaries\[0\] must be an integer step/,
    ],
    [
      "values one short",
      () => new PiecewiseConstantDecay({ boundaries: [1, 2], values: [1, 2] }),
      /^options\.values must hold boundaries\.length \+ 1 = 3 learning rates/,
    ],
    [
      "a value 0",
      () => new PiecewiseConstantDecay({ boundaries: [1], values: [1, 0] }),
      /^options\.values\[1\] must be a finite number > 0/,
    ],
    [
      "decay with a schedule (SGD)",
      () => new SGD({ learningRate: new CosineDecay({ initialLearningRate: 1, decaySteps: 5 }), decay: 0.1 }),
      /^options\.decay must be 0 with a learning-rate schedule \(use InverseTimeDecay instead\)$/,
    ],
    [
      "decay with a schedule (Adam)",
      () => new Adam({ learningRate: new CosineDecay({ initialLearningRate: 1, decaySteps: 5 }), decay: 1e-3 }),
      /^options\.decay must be 0 with a learning-rate schedule/,
    ],
    [
      "a schedule-like object",
      () => new SGD({ learningRate: { at: () => 0.1, toJSON: () => ({ type: "x" }) } as never }),
      /^options\.learningRate must be a finite number > 0/,
    ],
  ])("%s", (_, make, message) => {
    expect(make).toThrow(message);
  });

  it("a custom schedule returning NaN, −1 or more than f32 holds rejects fit naming it and the step; that update not applied", async () => {
    for (const bad of [Number.NaN, -1, 1e39, Infinity]) {
      class Faulty extends LearningRateSchedule {
        readonly type = "faulty";
        at(step: number) {
          return step === 4 ? bad : 0.1;
        }
        toJSON() {
          return { type: this.type };
        }
      }
      const m = model();
      const seen: Float32Array[][] = [];
      const error = await errorOf(() =>
        m.fit(data.x, data.y, {
          epochs: 3,
          batchSize: 30,
          optimizer: new SGD({ learningRate: new Faulty() }),
          callbacks: [{ onBatchEnd: (_, model) => void seen.push(model.getWeights()) }],
        }),
      );
      expect(error, String(bad)).toBeInstanceOf(RangeError);
      expect((error as Error).message).toBe(
        `the learning-rate schedule (faulty) gave number ${bad} at step 4: it must be a finite number >= 0 in the f32 range`,
      );
      expect(seen.length).toBe(4);
      expect(m.optimizer!.iterations).toBe(4);
      const w = m.getWeights();
      seen[3].forEach((v, i) => expect(firstBitDifference(v, w[i])).toBe(-1));
      m.free();
    }
  });

  it("a schedule may reach 0: that update leaves the weights as they are", async () => {
    class Zero extends LearningRateSchedule {
      readonly type = "zero";
      at(step: number) {
        return step === 0 ? 0.5 : 0;
      }
      toJSON() {
        return { type: this.type };
      }
    }
    const m = model();
    const seen: Float32Array[][] = [];
    await m.fit(data.x, data.y, {
      epochs: 2,
      optimizer: new SGD({ learningRate: new Zero() }),
      callbacks: [{ onBatchEnd: (_, model) => void seen.push(model.getWeights()) }],
    });
    expect(seen[0].some((v, i) => firstBitDifference(v, model().getWeights()[i]) !== -1)).toBe(true);
    seen[1].forEach((v, i) => expect(firstBitDifference(v, seen[0][i])).toBe(-1));
    m.free();
  });
});
