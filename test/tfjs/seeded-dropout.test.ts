// regwasm/tfjs seededDropout in TF.js (cpu backend): the masks of regwasm's Dropout (the independent
// reference's and the layer's own), a new one every training call, replay from (seed, step), the
// identity at inference, regwasm's gradient, and a save/load through TF.js's serialization.
import { beforeAll, describe, expect, it } from "vitest";
import { allocF32, Dropout, init } from "../../src/index.js";
import { SeededDropout, seededDropout } from "../../src/tfjs/index.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { Matrix } from "../../src/wasm/matrix.js";
import { refDropout } from "../reference.js";
import { uniform } from "../layers/support.js";
import { loadInTfjsLayers, savedModel, tf, tfjsReady, tfl } from "./support.js";

await init();
beforeAll(() => tfjsReady());

const rows = 6;
const cols = 37; // not a multiple of 32: the last mask word is partial
const x = uniform(rows * cols, 3);
const bitsOf = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** The seed of regwasm Dropout's training streams at position `index` (layer-contracts.test.ts pins it). */
const trainingSeed = (seed: number, index: number) =>
  Number((BigInt(seed) + BigInt(index) * 0x9e3779b97f4a7n) % 2n ** 53n);

/** One training call of a TF.js layer on x. */
const trainCall = (layer: tfl.layers.Layer, input: Float32Array = x): Float32Array =>
  tf.tidy(
    () => (layer.apply(tf.tensor2d(input, [rows, cols]), { training: true }) as tf.Tensor).dataSync() as Float32Array,
  );

/** regwasm's Dropout layer forward in training, on x. */
function regwasmForward(layer: Dropout): Float32Array {
  const buf = allocF32(rows * cols, defaultInstance());
  buf.view().set(x);
  const out = layer
    .forward(new Matrix(buf, rows, cols), true)
    .data.view()
    .slice();
  buf.free();
  return out;
}

describe("seededDropout", () => {
  it.each([
    [42, 0, 0.5],
    [7, 3, 0.2],
    [2 ** 53 - 5, 1, 0.9], // the mixed seed wraps around 2^53
  ])(
    "seed %d, index %d, rate %d: every training call is regwasm Dropout's batch of that step, bit for bit",
    (seed, index, rate) => {
      const ours = seededDropout({ rate, seed, index });
      const theirs = new Dropout(rate, { seed });
      theirs.index = index;
      for (let step = 0; step < 4; step++) {
        const got = trainCall(ours);
        expect(bitsOf(got)).toEqual(bitsOf(refDropout(x, rate, trainingSeed(seed, index), step).output));
        expect(bitsOf(got)).toEqual(bitsOf(regwasmForward(theirs)));
      }
      expect(ours.step).toBe(4);
      theirs.free();
    },
  );

  it("masks change every training call; a layer made at step k replays call k; TF.js's own seeded Dropout repeats its mask", () => {
    const layer = seededDropout({ rate: 0.5, seed: 42 });
    const calls = [0, 1, 2].map(() => trainCall(layer));
    expect(bitsOf(calls[0])).not.toEqual(bitsOf(calls[1]));
    expect(bitsOf(calls[1])).not.toEqual(bitsOf(calls[2]));
    expect(bitsOf(trainCall(seededDropout({ rate: 0.5, seed: 42, step: 2 })))).toEqual(bitsOf(calls[2]));
    // the problem this layer solves: TF.js 4.22 seeds a new generator per call
    const tfDropout = tfl.layers.dropout({ rate: 0.5, seed: 42 });
    expect(bitsOf(trainCall(tfDropout))).toEqual(bitsOf(trainCall(tfDropout)));
  });

  it("is the identity at inference and does not advance its step", () => {
    const layer = seededDropout({ rate: 0.5, seed: 1 });
    for (const kwargs of [{}, { training: false }]) {
      const out = tf.tidy(
        () => (layer.apply(tf.tensor2d(x, [rows, cols]), kwargs) as tf.Tensor).dataSync() as Float32Array,
      );
      expect(bitsOf(out)).toEqual(bitsOf(x));
    }
    expect(layer.step).toBe(0);
  });

  it("its gradient is regwasm Dropout's backward (dy · mask / (1 − rate)), bit for bit", () => {
    const rate = 0.3;
    const dy = uniform(rows * cols, 9);
    const layer = seededDropout({ rate, seed: 5 });
    const grad = tf.tidy(() => {
      const g = tf.grad((input: tf.Tensor) =>
        tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, tf.tensor2d(dy, [rows, cols]))),
      );
      return g(tf.tensor2d(x, [rows, cols])).dataSync() as Float32Array;
    });
    const theirs = new Dropout(rate, { seed: 5 });
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

  it("saves and loads through TF.js (registered class, config with the step); training resumes with the same masks", async () => {
    const make = () => {
      const model = tfl.sequential();
      model.add(
        tfl.layers.dense({
          units: 16,
          inputShape: [cols],
          kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
        }),
      );
      model.add(seededDropout({ rate: 0.4, seed: 11 }));
      model.add(tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }));
      return model;
    };
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], "int32"), 3);
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
    const dropoutConfig = (
      artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }
    ).config.layers[1];
    expect(dropoutConfig.class_name).toBe("SeededDropout");
    expect(dropoutConfig.config).toMatchObject({ rate: 0.4, seed: 11, step: 4, index: 0 }); // 2 epochs × 2 batches
    const resumed = await loadInTfjsLayers(artifacts);
    expect(resumed.layers[1]).toBeInstanceOf(SeededDropout);
    await train(resumed, 2);
    const want = straight.getWeights().map((w) => bitsOf(w.dataSync() as Float32Array));
    expect(resumed.getWeights().map((w) => bitsOf(w.dataSync() as Float32Array))).toEqual(want);
    for (const m of [straight, first, resumed]) m.dispose();
    tf.dispose([xs, y]);
  });

  it.each([
    [{ rate: 0.5 }, /args\.seed must be a number/],
    [{ rate: 1.5, seed: 1 }, /args\.rate must be in \[0, 1\]/],
    [{ rate: 0.5, seed: -1 }, /args\.seed must be an integer in \[0, 2\^53 - 1\]/],
    [{ rate: 0.5, seed: 1, step: 2 ** 32 }, /args\.step must be an integer in \[0, 2\^32 - 1\]/],
    [{ rate: 0.5, seed: 1, sed: 2 }, /args\.sed is not a known option/],
  ])("bad arguments are named: %j", (args, message) => {
    expect(() => seededDropout(args as never)).toThrow(message);
  });
});
