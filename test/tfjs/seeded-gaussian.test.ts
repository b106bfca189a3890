// regwasm/tfjs seededGaussianNoise and seededGaussianDropout in TF.js (cpu backend): every training
// call is regwasm GaussianNoise's / GaussianDropout's batch of that step, bit for bit (and the float64
// normal reference within one f32 ulp), new noise every call, replay from (seed, step), the identity
// at inference, regwasm's gradient, and a save/load through TF.js's serialization.
import { beforeAll, describe, expect, it } from "vitest";
import { allocF32, GaussianDropout, GaussianNoise, init } from "../../src/index.js";
import type { GaussianLayer } from "../../src/layers/gaussian-layer.js";
import {
  SeededGaussianDropout,
  SeededGaussianNoise,
  seededGaussianDropout,
  seededGaussianNoise,
} from "../../src/tfjs/index.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { Matrix } from "../../src/wasm/matrix.js";
import { uniform } from "../layers/support.js";
import { refNormals } from "../support/normal-reference.js";
import { loadInTfjsLayers, savedModel, tf, tfjsReady, tfl } from "./support.js";

await init();
beforeAll(() => tfjsReady());

const rows = 5;
const cols = 23;
const x = uniform(rows * cols, 4);
const bitsOf = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** The seed of regwasm's noise layers' training streams at position `index` (layer-contracts.test.ts pins it). */
const trainingSeed = (seed: number, index: number) =>
  Number((BigInt(seed) + BigInt(index) * 0x9e3779b97f4a7n) % 2n ** 53n);

const trainCall = (layer: tfl.layers.Layer, input: Float32Array = x): Float32Array =>
  tf.tidy(
    () => (layer.apply(tf.tensor2d(input, [rows, cols]), { training: true }) as tf.Tensor).dataSync() as Float32Array,
  );

/** regwasm's noise layer forward in training, on x. */
function regwasmForward(layer: GaussianLayer): Float32Array {
  const buf = allocF32(rows * cols, defaultInstance());
  buf.view().set(x);
  const out = layer
    .forward(new Matrix(buf, rows, cols), true)
    .data.view()
    .slice();
  buf.free();
  return out;
}

const ulp = (v: number) => 2 ** (Math.floor(Math.log2(Math.max(Math.abs(v), 1e-30))) - 23);

interface Kind {
  name: string;
  ours: (seed: number, index: number, step?: number) => SeededGaussianNoise | SeededGaussianDropout;
  theirs: (seed: number) => GaussianLayer;
  /** The float64 reference of element i from the variate z. */
  reference: (xi: number, z: number) => number;
}

const kinds: Kind[] = [
  {
    name: "seededGaussianNoise",
    ours: (seed, index, step) => seededGaussianNoise({ stddev: 0.4, seed, index, step }),
    theirs: (seed) => new GaussianNoise(0.4, { seed }),
    reference: (xi, z) => xi + Math.fround(0.4 * z),
  },
  {
    name: "seededGaussianDropout",
    ours: (seed, index, step) => seededGaussianDropout({ rate: 0.3, seed, index, step }),
    theirs: (seed) => new GaussianDropout(0.3, { seed }),
    reference: (xi, z) => xi * Math.fround(1 + Math.sqrt(0.3 / 0.7) * z),
  },
];

describe.each(kinds)("$name", ({ ours: make, theirs: makeTheirs, reference }) => {
  it.each([
    [42, 0],
    [7, 3],
    [2 ** 53 - 5, 1], // the mixed seed wraps around 2^53
  ])("seed %d, index %d: every training call is regwasm's layer's batch of that step, bit for bit", (seed, index) => {
    const ours = make(seed, index);
    const theirs = makeTheirs(seed);
    theirs.index = index;
    for (let step = 0; step < 3; step++) {
      const got = trainCall(ours);
      expect(bitsOf(got)).toEqual(bitsOf(regwasmForward(theirs)));
      const z = refNormals(rows * cols, trainingSeed(seed, index), step);
      got.forEach((v, i) => {
        const want = reference(x[i], z[i]);
        expect(Math.abs(v - want)).toBeLessThanOrEqual(ulp(want));
      });
    }
    expect(ours.step).toBe(3);
    theirs.free();
  });

  it("new noise every training call; a layer made at step k replays call k", () => {
    const layer = make(42, 0);
    const calls = [0, 1, 2].map(() => trainCall(layer));
    expect(bitsOf(calls[0])).not.toEqual(bitsOf(calls[1]));
    expect(bitsOf(calls[1])).not.toEqual(bitsOf(calls[2]));
    expect(bitsOf(trainCall(make(42, 0, 2)))).toEqual(bitsOf(calls[2]));
  });

  it("is the identity at inference and does not advance its step", () => {
    const layer = make(1, 0);
    for (const kwargs of [{}, { training: false }]) {
      const out = tf.tidy(
        () => (layer.apply(tf.tensor2d(x, [rows, cols]), kwargs) as tf.Tensor).dataSync() as Float32Array,
      );
      expect(bitsOf(out)).toEqual(bitsOf(x));
    }
    expect(layer.step).toBe(0);
  });

  it("its gradient is regwasm's backward, bit for bit", () => {
    const dy = uniform(rows * cols, 9);
    const layer = make(5, 2);
    const grad = tf.tidy(() => {
      const g = tf.grad((input: tf.Tensor) =>
        tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, tf.tensor2d(dy, [rows, cols]))),
      );
      return g(tf.tensor2d(x, [rows, cols])).dataSync() as Float32Array;
    });
    const theirs = makeTheirs(5);
    theirs.index = 2;
    regwasmForward(theirs);
    const d = allocF32(rows * cols, defaultInstance());
    d.view().set(dy);
    const dInput = theirs
      .backward(new Matrix(d, rows, cols), true)!
      .data.view()
      .slice();
    expect(bitsOf(grad)).toEqual(bitsOf(dInput));
    d.free();
    theirs.free();
  });
});

describe("seeded Gaussian layers in TF.js models", () => {
  it("save and load through TF.js (registered classes, configs with the step); training resumes with the same noise", async () => {
    const make = () => {
      const model = tfl.sequential();
      model.add(
        tfl.layers.dense({
          units: 16,
          inputShape: [cols],
          kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
        }),
      );
      model.add(seededGaussianNoise({ stddev: 0.2, seed: 11, index: 1 }));
      model.add(seededGaussianDropout({ rate: 0.25, seed: 12, index: 2 }));
      model.add(tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }));
      return model;
    };
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1], "int32"), 3);
    const xs = tf.tensor2d(x, [rows, cols]);
    const train = async (model: tfl.LayersModel, epochs: number) => {
      model.compile({ optimizer: tf.train.sgd(0.1), loss: "categoricalCrossentropy" });
      await model.fit(xs, y, { epochs, batchSize: 3, shuffle: false, verbose: 0 });
    };
    const straight = make();
    await train(straight, 4);
    const first = make();
    await train(first, 2);
    const artifacts = await savedModel(first);
    const layers = (
      artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }
    ).config.layers;
    expect(layers[1].class_name).toBe("SeededGaussianNoise");
    expect(layers[1].config).toMatchObject({ stddev: 0.2, seed: 11, step: 4, index: 1 }); // 2 epochs × 2 batches
    expect(layers[2].class_name).toBe("SeededGaussianDropout");
    expect(layers[2].config).toMatchObject({ rate: 0.25, seed: 12, step: 4, index: 2 });
    const resumed = await loadInTfjsLayers(artifacts);
    expect(resumed.layers[1]).toBeInstanceOf(SeededGaussianNoise);
    expect(resumed.layers[2]).toBeInstanceOf(SeededGaussianDropout);
    await train(resumed, 2);
    const want = straight.getWeights().map((w) => bitsOf(w.dataSync() as Float32Array));
    expect(resumed.getWeights().map((w) => bitsOf(w.dataSync() as Float32Array))).toEqual(want);
    for (const m of [straight, first, resumed]) m.dispose();
    tf.dispose([xs, y]);
  });

  it("stddev 0 and rate 0 are identities in training and draw no stream (as regwasm's layers)", () => {
    for (const layer of [seededGaussianNoise({ stddev: 0, seed: 1 }), seededGaussianDropout({ rate: 0, seed: 1 })]) {
      expect(bitsOf(trainCall(layer))).toEqual(bitsOf(x));
      expect(layer.step).toBe(0);
    }
  });

  it.each([
    [() => seededGaussianNoise({ stddev: 0.1 } as never), /args\.seed must be a number/],
    [() => seededGaussianNoise({ stddev: -0.1, seed: 1 }), /args\.stddev must be a finite number >= 0/],
    [() => seededGaussianDropout({ rate: 1, seed: 1 }), /args\.rate must be in \[0, 1\)/],
    [() => seededGaussianDropout({ rate: 0.5, seed: 1, step: 2 ** 32 }), /args\.step must be an integer/],
    [() => seededGaussianNoise({ stddev: 0.1, seed: 1, rate: 0.2 } as never), /args\.rate is not a known option/],
  ])("bad arguments are named %#", (make, message) => {
    expect(make).toThrow(message);
  });
});
