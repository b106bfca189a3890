// The layers' own contracts, each layer on its own (no model around it): named argument errors,
// defaults, the exact dropout streams a saved model replays, backward of a Dense with a fused ReLU,
// a layer moved to another instance, the 2^32-counter limit of one dropout batch, and free().
// References: test/reference.ts (dropout) and the float64 matrix products of the kernel suites.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { allocF32, Dense, Dropout, init, type Instance, instantiate, layerRegistry, ReLU } from "../../src/index.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { F32_MAX } from "../../src/validate.js";
import { Matrix } from "../../src/wasm/matrix.js";
import { type Activation, Layer, type LayerJSON } from "../../src/layers/layer.js";
import { planStages } from "../../src/layers/plan.js";
import { refDropout } from "../reference.js";
import { refTranspose } from "../kernels/support/layer-reference.js";
import { refMatmul, uniform } from "./support.js";

let other: Instance;
beforeAll(async () => {
  await init();
  other = await instantiate();
});

const live = (inst: Instance = defaultInstance()) => inst.heap.allocations;

function matrix(values: ArrayLike<number>, rows: number, cols: number, inst: Instance = defaultInstance()): Matrix {
  const buf = allocF32(rows * cols, inst);
  buf.view().set(values);
  return new Matrix(buf, rows, cols);
}

const values = (m: Matrix) => Array.from(m.data.view());

describe("Dense: arguments", () => {
  it("names the option that is wrong", () => {
    expect(() => new Dense(2, 3, null as never)).toThrow(/^options must be an object, got null$/);
    expect(() => new Dense(2, 3, { weightL1: -1 })).toThrow(/^options\.weightL1 must be a finite number >= 0/);
    expect(() => new Dense(2, 3, { weightL2: -1 })).toThrow(/^options\.weightL2 must be a finite number >= 0/);
    expect(() => new Dense(2, 3, { biasL1: -1 })).toThrow(/^options\.biasL1 must be a finite number >= 0/);
    expect(() => new Dense(2, 3, { biasL2: -1 })).toThrow(/^options\.biasL2 must be a finite number >= 0/);
    expect(() => new Dense(2, 3, { convention: "tf" as never })).toThrow(
      /^options\.convention must be 'keras' or 'torch', got string tf$/,
    );
    expect(() => new Dense(2, 3, { seed: -1 })).toThrow(/^options\.seed must be an integer in \[0, 2\^53 - 1\]/);
    expect(() => new Dense(2, 3, { instance: { heap: defaultInstance().heap } as never })).toThrow(
      /^options\.instance must be an Instance from instantiate\(\), got an Object$/,
    );
  });

  it("bounds the λ2 the kernels apply: 2·λ2 (keras) or λ2 (torch) must fit in f32", () => {
    // keras: gradient 2·λ2, so λ2 above f32 max / 2 (≈ 1.7e38) is refused, for weights and biases alike
    expect(() => new Dense(2, 3, { weightL2: 2e38 })).toThrow(/^options\.weightL2 must be at most 1\.7e38/);
    expect(() => new Dense(2, 3, { biasL2: 2e38 })).toThrow(/^options\.biasL2 must be at most 1\.7e38/);
    // torch: λ2/2·Σw², gradient λ2: 3e38 is within f32 and accepted
    const torch = new Dense(2, 3, { weightL2: 3e38, biasL2: 3e38, convention: "torch" });
    expect(torch.params().map((p) => p.l2)).toEqual([1.5e38, 1.5e38]);
    torch.free();
  });

  it("params(): weights then biases, with the λ handed to the kernels (torch halves λ2)", () => {
    const keras = new Dense(2, 3, { weightL1: 0.1, weightL2: 0.2, biasL1: 0.3, biasL2: 0.4 });
    const torch = new Dense(2, 3, { weightL1: 0.1, weightL2: 0.2, biasL1: 0.3, biasL2: 0.4, convention: "torch" });
    const summary = (d: Dense) => d.params().map((p) => [p.name, p.value.length, p.grad.length, p.l1, p.l2]);
    expect(summary(keras)).toEqual([
      ["weights", 6, 6, 0.1, 0.2],
      ["biases", 3, 3, 0.3, 0.4],
    ]);
    expect(summary(torch)).toEqual([
      ["weights", 6, 6, 0.1, 0.1],
      ["biases", 3, 3, 0.3, 0.2],
    ]);
    keras.free();
    torch.free();
  });

  it("initial weights of 'course' are 0.01·N(0, 1) and biases 0", () => {
    const d = new Dense(64, 64, { seed: 3, weightInit: "course" });
    const w = d.weights.view();
    let sq = 0,
      max = 0;
    for (const v of w) {
      sq += v * v;
      max = Math.max(max, Math.abs(v));
    }
    // 4096 draws: the sample standard deviation is within ±5% of 0.01 (±4.5 of its own standard
    // deviations, 1/√(2·4096) ≈ 1.1%), and no draw of N(0, 1) beyond 6σ is expected.
    expect(Math.sqrt(sq / w.length)).toBeGreaterThan(0.0095);
    expect(Math.sqrt(sq / w.length)).toBeLessThan(0.0105);
    expect(max).toBeLessThan(0.06);
    expect(Array.from(d.biases.view())).toEqual(new Array(64).fill(0));
    d.free();
  });

  it("lives in the instance it was given; takes no activation of its own and fuses only ReLU", () => {
    const a = new Dense(2, 3);
    const b = new Dense(2, 3, { instance: other });
    expect(a.instance).toBe(defaultInstance());
    expect(b.instance).toBe(other);
    expect(a.weights.instance).toBe(defaultInstance());
    expect(b.weights.instance).toBe(other);
    expect(a.activation).toBeNull();
    expect(a.canFuse("relu")).toBe(true);
    a.free();
    b.free();
  });

  it("fromJSON names the parameter array that is wrong", () => {
    const d = new Dense(2, 3, { seed: 1 });
    const json = d.toJSON();
    d.free();
    expect(() => Dense.fromJSON({ ...json, weights: [1, 2, 3, 4, 5, "6"] })).toThrow(
      /^json\.weights must be an array of 6 finite numbers in the f32 range$/,
    );
    expect(() => Dense.fromJSON({ ...json, biases: [1, 2] })).toThrow(
      /^json\.biases must be an array of 3 finite numbers in the f32 range$/,
    );
    expect(() => Dense.fromJSON({ ...json, biases: ["1", "2", "3"] })).toThrow(
      /^json\.biases must be an array of 3 finite numbers in the f32 range$/,
    );
    expect(() => Dense.fromJSON({ ...json, nIn: 0 })).toThrow(/^json\.nIn must be a positive integer, got number 0$/);
    expect(() => Dense.fromJSON({ ...json, nOut: 1.5 })).toThrow(
      /^json\.nOut must be a positive integer, got number 1\.5$/,
    );
  });

  it("fromJSON takes values up to the largest f32 in magnitude, and nothing beyond", () => {
    const d = new Dense(2, 1, { seed: 1 });
    const json = d.toJSON();
    d.free();
    const extreme = Dense.fromJSON({ ...json, weights: [F32_MAX, -F32_MAX], biases: [-F32_MAX] });
    expect(Array.from(extreme.weights.view())).toEqual([F32_MAX, -F32_MAX]);
    expect(Array.from(extreme.biases.view())).toEqual([-F32_MAX]);
    extreme.free();
    expect(() => Dense.fromJSON({ ...json, weights: [3.5e38, 0] })).toThrow(
      /^json\.weights must be an array of 2 finite/,
    );
  });
});

describe("Dense: the memory check before it allocates", () => {
  /**
   * The most memory building the layer takes at once, measured on a fresh instance: the highest
   * address any allocation reaches (the initializer's random words are freed again at the end).
   */
  async function peakBytes(nIn: number, nOut: number): Promise<number> {
    const inst = await instantiate();
    const start = inst.heap.used;
    let peak = start;
    const alloc = inst.heap.alloc.bind(inst.heap);
    vi.spyOn(inst.heap, "alloc").mockImplementation((bytes: number) => {
      const ptr = alloc(bytes);
      peak = Math.max(peak, inst.heap.used);
      return ptr;
    });
    new Dense(nIn, nOut, { instance: inst, seed: 1 }).free();
    vi.restoreAllMocks();
    return peak - start;
  }

  /** Whether Dense(nIn, nOut) is built when only `left` bytes of the 4 GiB remain. */
  async function builtWith(left: number, nIn: number, nOut: number): Promise<string> {
    const inst = await instantiate();
    vi.spyOn(inst.heap, "used", "get").mockReturnValue(2 ** 32 - left);
    try {
      new Dense(nIn, nOut, { instance: inst, seed: 1 }).free();
      return "built";
    } catch (error) {
      return (error as Error).message;
    } finally {
      vi.restoreAllMocks();
    }
  }

  // a wide layer (Wᵀ kept for dX), a narrow one (Wᵀ and dWᵀ), and one that needs neither
  it.each([
    [20, 100],
    [100, 3],
    [3, 100],
  ])("Dense(%i, %i) is refused with less than it takes, built with 512 bytes to spare", async (nIn, nOut) => {
    const peak = await peakBytes(nIn, nOut);
    expect(await builtWith(peak - 64, nIn, nOut)).toMatch(
      new RegExp(
        `^Dense\\(${nIn}, ${nOut}\\) needs 0 MiB of WASM memory: more than the 0 MiB left of the 4 GiB of wasm32$`,
      ),
    );
    expect(await builtWith(peak + 512, nIn, nOut)).toBe("built");
  });

  it("the message gives both sizes in MiB", async () => {
    // W, dW and Wᵀ of 2^31 floats each and the initializer's 2^31 words: 32 GiB and a quarter MiB
    expect(await builtWith(2 ** 31, 65536, 32768)).toBe(
      "Dense(65536, 32768) needs 32768 MiB of WASM memory: more than the 2048 MiB left of the 4 GiB of wasm32",
    );
  });
});

describe("Dense: backward", () => {
  it("refuses a backward before any forward, and a dOutput of another shape", () => {
    const d = new Dense(3, 2, { seed: 1 });
    expect(() => d.backward(matrix([0, 0], 1, 2), true)).toThrow(/^Dense\.backward\(\) called before forward\(\)$/);
    d.forward(matrix([1, 2, 3, 4, 5, 6], 2, 3), true);
    expect(() => d.backward(matrix([0, 0, 0, 0, 0, 0], 3, 2), true)).toThrow(/^dOutput must be 2 × 2, got 3 × 2$/);
    expect(() => d.backward(matrix([0, 0, 0, 0, 0, 0], 2, 3), true)).toThrow(/^dOutput must be 2 × 2, got 2 × 3$/);
    expect(d.backward(matrix([1, 1, 1, 1], 2, 2), false)).toBeNull();
    d.free();
  });

  // Wide (3 → 20), narrow (20 → 3) and square (20 → 20) layers take different kernel forms.
  it.each([
    [3, 20],
    [20, 3],
    [20, 20],
  ])("Dense(%i, %i) with a fused ReLU: dX = (dY ⊙ [z > 0])·Wᵀ and dW = Xᵀ·(dY ⊙ [z > 0])", (nIn, nOut) => {
    const rows = 7;
    const d = new Dense(nIn, nOut, { seed: 11 });
    const w = uniform(nIn * nOut, 12);
    d.weights.view().set(w);
    d.biases.view().set(uniform(nOut, 13, -0.5, 0.5));
    const x = uniform(rows * nIn, 14),
      dy = uniform(rows * nOut, 15);
    const z = refMatmul(x, w, rows, nIn, nOut, d.biases.view());
    const dz = dy.map((v, i) => (z[i] > 0 ? v : 0));
    const wantDx = refMatmul(dz, refTranspose(w, nIn, nOut), rows, nOut, nIn);
    const wantDw = refMatmul(refTranspose(x, rows, nIn), dz, nIn, rows, nOut);

    const out = d.forward(matrix(x, rows, nIn), true, 0, "relu");
    values(out).forEach((v, i) => expect(v).toBeCloseTo(Math.max(z[i], 0), 5));
    const dx = d.backward(matrix(dy, rows, nOut), true)!;
    expect(d.finishGradients()).toBe(0);
    // f32 sums of at most 20 products of values in [−1, 1]: 1e-5 absolute is ~40 ulps of the largest terms
    values(dx).forEach((v, i) => expect(Math.abs(v - wantDx[i])).toBeLessThan(1e-5));
    Array.from(d.dWeights.view()).forEach((v, i) => expect(Math.abs(v - wantDw[i])).toBeLessThan(1e-5));
    // the first layer of a model: no input gradient, the ReLU mask goes into dW alone
    d.forward(matrix(x, rows, nIn), true, 0, "relu");
    expect(d.backward(matrix(dy, rows, nOut), false)).toBeNull();
    d.finishGradients();
    Array.from(d.dWeights.view()).forEach((v, i) => expect(Math.abs(v - wantDw[i])).toBeLessThan(1e-5));
    const wantDb = Array.from({ length: nOut }, (_, j) => dz.reduce((s, v, i) => (i % nOut === j ? s + v : s), 0));
    Array.from(d.dBiases.view()).forEach((v, j) => expect(Math.abs(v - wantDb[j])).toBeLessThan(1e-5));
    d.free();
  });
});

/** The seed of a Dropout layer's streams: its seed, its position and the phase, mod 2^53. */
const streamSeed = (seed: number, index: number, phase: number) =>
  Number((BigInt(seed) + BigInt(index) * 0x9e3779b97f4a7n + BigInt(phase) * 0x7f4a7c15n) % 2n ** 53n);

describe("Dropout: the streams a saved model replays", () => {
  // The masks are part of what a saved (seed, step) reproduces, so their stream layout is fixed:
  // training batch k of the layer at position p draws stream k under seed streamSeed(seed, p, 0),
  // Monte-Carlo inference pass k draws stream k under streamSeed(seed, p, 1), and a chunk starting at
  // row r of a batch starts at counter r·cols.
  const rows = 3,
    cols = 11,
    rate = 0.3;
  const x = uniform(rows * cols, 21);

  it.each([
    [7, 0],
    [7, 2],
    [2 ** 53 - 5, 3], // the mixed seed wraps around 2^53
  ])("seed %d at position %d: training batches 0 and 1, row chunks, Monte-Carlo inference", (seed, index) => {
    const layer = new Dropout(rate, { seed, mcDropout: true });
    layer.index = index;
    const train = streamSeed(seed, index, 0);
    expect(values(layer.forward(matrix(x, rows, cols), true))).toEqual(
      Array.from(refDropout(x, rate, train, 0).output),
    );
    // batch 1 as two chunks: rows 0-1, then row 2 at counter 2·cols
    const want1 = refDropout(x, rate, train, 1).output;
    expect(values(layer.forward(matrix(x.subarray(0, 2 * cols), 2, cols), true, 0))).toEqual(
      Array.from(want1.subarray(0, 2 * cols)),
    );
    expect(values(layer.forward(matrix(x.subarray(2 * cols), 1, cols), true, 2))).toEqual(
      Array.from(want1.subarray(2 * cols)),
    );
    // inference passes have their own streams, under another seed
    const mc = streamSeed(seed, index, 1);
    expect(values(layer.forward(matrix(x, rows, cols), false))).toEqual(Array.from(refDropout(x, rate, mc, 0).output));
    expect(values(layer.forward(matrix(x, rows, cols), false))).toEqual(Array.from(refDropout(x, rate, mc, 1).output));
    expect([layer.step, layer.inferenceStep]).toEqual([2, 2]);
    layer.free();
  });

  it("one batch holds at most 2^32 elements: counters up to 2^32 − 1 are used, one more is refused", () => {
    const layer = new Dropout(0.5, { seed: 4 });
    const x8 = uniform(8, 22);
    layer.forward(matrix(x8, 2, 4), true); // batch 0
    const last = (2 ** 32 - 8) / 4; // rows 1073741822-1073741823: counters 2^32 − 8 … 2^32 − 1
    expect(values(layer.forward(matrix(x8, 2, 4), true, last))).toEqual(
      Array.from(refDropout(x8, 0.5, streamSeed(4, 0, 0), 0, 2 ** 32 - 8).output),
    );
    expect(() => layer.forward(matrix(x8, 2, 4), true, last + 1)).toThrow(
      /^a dropout batch may hold at most 2\^32 elements \(one stream\), got 4294967300$/,
    );
    layer.free();
  });

  it("refuses a step at its last value instead of reusing a stream or saving an unloadable one", () => {
    const layer = new Dropout(0.5, { seed: 4 });
    layer.step = 2 ** 32 - 1;
    expect(() => layer.forward(matrix([1, 2], 1, 2), true)).toThrow(
      /^Dropout layer 0's step \(4294967295\) has no stream left \(the counter is 32-bit\)$/,
    );
    expect(layer.step).toBe(2 ** 32 - 1);
    layer.free();
  });
});

describe("Dropout: an empty batch", () => {
  it("0 rows pass forward and backward (nothing to drop, no error)", () => {
    const layer = new Dropout(0.5, { seed: 1 });
    expect(layer.forward(matrix([], 0, 3), true).rows).toBe(0);
    const dy = matrix([], 0, 3);
    expect(layer.backward(dy, true)).toBe(dy);
    layer.free();
  });
});

describe("Dropout: arguments and state", () => {
  it("names the argument that is wrong, here and in fromJSON", () => {
    expect(() => new Dropout(1.5)).toThrow(/^rate must be in \[0, 1\]/);
    expect(() => new Dropout(0.5, null as never)).toThrow(/^options must be an object, got null$/);
    expect(() => new Dropout(0.5, { mcDropout: 1 as never })).toThrow(/^options\.mcDropout must be a boolean/);
    expect(() => new Dropout(0.5, { storeMask: "no" as never })).toThrow(/^options\.storeMask must be a boolean/);
    expect(() => new Dropout(0.5, { seed: 0.5 })).toThrow(/^options\.seed must be an integer/);
    const json = new Dropout(0.5, { seed: 1 }).toJSON();
    expect(() => Dropout.fromJSON({ ...json, step: -1 })).toThrow(/^json\.step must be an integer in \[0, 2\^32 - 1\]/);
    expect(() => Dropout.fromJSON({ ...json, inferenceStep: 0.5 })).toThrow(
      /^json\.inferenceStep must be an integer in \[0, 2\^32 - 1\]/,
    );
    expect(() => Dropout.fromJSON({ ...json, Step: 1 })).toThrow(
      /^json\.Step is not a known option \(did you mean step\?\); the options are type, rate, seed, step, inferenceStep, mcDropout, storeMask, noiseShape, inputShape$/,
    );
    expect(() => ReLU.fromJSON({ type: "relu", rate: 0.5 })).toThrow(
      /^json\.rate is not a known option; the options are type$/,
    );
  });

  it("checkTraining: one batch may use the 2^32 counters of its stream, and the steps up to 2^32 − 2", () => {
    const layer = new Dropout(0.5, { seed: 1 });
    const refusal = (rows: number, cols: number, updates: number) => {
      try {
        layer.checkTraining(rows, cols, updates);
        return "ok";
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(refusal(65536, 65536, 1)).toBe("ok");
    expect(refusal(65537, 65536, 1)).toBe(
      "a batch of 65537 rows × 65536 columns at Dropout layer 0 exceeds the 2^32 counters of one random stream: use a smaller batchSize",
    );
    // steps 0 … 2^32 − 2 are streams; 2^32 − 1 is the counter's last value, never used
    expect(refusal(1, 1, 2 ** 32 - 1)).toBe("ok");
    expect(refusal(1, 1, 2 ** 32)).toBe("4294967296 more updates would take Dropout layer 0's step (0) past 2^32 − 1");
    layer.step = 10;
    expect(refusal(1, 1, 2 ** 32 - 11)).toBe("ok");
    expect(refusal(1, 1, 2 ** 32 - 10)).toBe(
      "4294967286 more updates would take Dropout layer 0's step (10) past 2^32 − 1",
    );
    layer.free();
  });

  it("rate 0 draws nothing: no stream, no step, no limit from the counters", () => {
    const layer = new Dropout(0, { seed: 1 });
    layer.step = 2 ** 32 - 1; // no stream left, which rate 0 never asks for
    expect(() => layer.checkTraining(65537, 65536, 10)).not.toThrow();
    const x = matrix([1, -2, 3, 0.5], 2, 2);
    expect(layer.forward(x, true)).toBe(x); // the identity, in place
    expect(layer.backward(x, true)).toBe(x);
    expect([layer.step, layer.inferenceStep]).toEqual([2 ** 32 - 1, 0]);
    expect(layer.instance).toBeNull(); // it never needed memory
    layer.free();
  });

  it("defaults: stored mask, identity at inference; no instance until it first drops", () => {
    const layer = new Dropout(0.5, { seed: 1 });
    expect([layer.storeMask, layer.mcDropout]).toEqual([true, false]);
    expect(layer.toJSON()).toMatchObject({ storeMask: true, mcDropout: false });
    expect(layer.activation).toBeNull();
    expect(layer.canFuse("relu")).toBe(false);
    expect(layer.instance).toBeNull();
    const input = matrix([1, 2, 3, 4], 2, 2);
    expect(layer.forward(input, false)).toBe(input);
    expect(layer.instance).toBeNull();
    layer.forward(input, true);
    expect(layer.instance).toBe(defaultInstance());
    layer.free();
  });

  it("refuses a backward before any forward and a dOutput of another shape; no input gradient → null", () => {
    const layer = new Dropout(0.5, { seed: 1 });
    expect(() => layer.backward(matrix([1], 1, 1), true)).toThrow(/^Dropout\.backward\(\) called before forward\(\)$/);
    layer.forward(matrix([1, 2, 3, 4, 5, 6, 7, 8], 2, 4), true);
    expect(() => layer.backward(matrix(new Float32Array(12), 3, 4), true)).toThrow(
      /^dOutput must be 2 × 4, got 3 × 4$/,
    );
    expect(() => layer.backward(matrix(new Float32Array(10), 2, 5), true)).toThrow(
      /^dOutput must be 2 × 4, got 2 × 5$/,
    );
    expect(layer.backward(matrix(new Float32Array(8), 2, 4), false)).toBeNull();
    layer.free();
  });

  it("after an inference forward (identity), backward passes dOutput through unchanged", () => {
    const layer = new Dropout(0.5, { seed: 1 });
    layer.forward(matrix([1, 2, 3, 4], 2, 2), false);
    const dy = matrix([0.5, -1, 2, 3], 2, 2);
    const dx = layer.backward(dy, true)!;
    expect(values(dx)).toEqual([0.5, -1, 2, 3]);
    layer.free();
  });

  it("takes an input of another width (a layer moved to another model): new workspaces, the same masks", () => {
    const layer = new Dropout(0.5, { seed: 1 });
    layer.forward(matrix(new Float32Array(8).fill(1), 2, 4), true);
    const wide = values(layer.forward(matrix(new Float32Array(10).fill(1), 2, 5), true));
    const fresh = new Dropout(0.5, { seed: 1 });
    fresh.step = 1;
    expect(wide).toEqual(values(fresh.forward(matrix(new Float32Array(10).fill(1), 2, 5), true)));
    layer.free();
    fresh.free();
  });
});

describe("ReLU: arguments and state", () => {
  it("no instance until its first forward; the activation it offers for fusion is relu", () => {
    const relu = new ReLU();
    expect(relu.instance).toBeNull();
    expect(relu.activation).toBe("relu");
    expect(relu.canFuse("relu")).toBe(false);
    relu.forward(matrix([1, -2], 1, 2), true);
    expect(relu.instance).toBe(defaultInstance());
    relu.free();
  });

  it("refuses a backward before any forward and a dOutput of another shape; takes another input width", () => {
    const relu = new ReLU();
    expect(() => relu.backward(matrix([1], 1, 1), true)).toThrow(/^ReLU\.backward\(\) called before forward\(\)$/);
    expect(values(relu.forward(matrix([1, -2, 3, -4, 0, 6], 2, 3), true))).toEqual([1, 0, 3, 0, 0, 6]);
    expect(() => relu.backward(matrix(new Float32Array(9), 3, 3), true)).toThrow(/^dOutput must be 2 × 3, got 3 × 3$/);
    expect(() => relu.backward(matrix(new Float32Array(8), 2, 4), true)).toThrow(/^dOutput must be 2 × 3, got 2 × 4$/);
    expect(relu.backward(matrix(new Float32Array(6), 2, 3), false)).toBeNull();
    expect(values(relu.backward(matrix([1, 1, 1, 1, 1, 1], 2, 3), true)!)).toEqual([1, 0, 1, 0, 0, 1]);
    // another width (a layer moved to another model) gets its own workspace
    expect(values(relu.forward(matrix([-1, 2, -3, 4, 5, -6, 7, -8], 2, 4), true))).toEqual([0, 2, 0, 4, 5, 0, 7, 0]);
    relu.free();
  });
});

describe("layers moved to another instance", () => {
  it("ReLU and Dropout compute in, and return memory of, the instance of their input", () => {
    const relu = new ReLU();
    const drop = new Dropout(0.25, { seed: 5 });
    const x = uniform(12, 23);
    const want = Array.from(x, (v) => Math.max(v, 0));
    for (const inst of [defaultInstance(), other, defaultInstance()]) {
      const r = relu.forward(matrix(x, 3, 4, inst), true);
      expect(r.instance).toBe(inst);
      expect(relu.instance).toBe(inst);
      expect(values(r)).toEqual(want);
      const step = drop.step;
      const d = drop.forward(matrix(x, 3, 4, inst), true);
      expect(d.instance).toBe(inst);
      expect(drop.instance).toBe(inst);
      expect(values(d)).toEqual(Array.from(refDropout(x, 0.25, 5, step).output));
    }
    relu.free();
    drop.free();
  });
});

describe("free()", () => {
  it("ReLU, Dropout (stored mask or not) and Dense return every allocation, also after a move", () => {
    const layers = [new ReLU(), new Dropout(0.5, { seed: 1 }), new Dropout(0.5, { seed: 2, storeMask: false })];
    for (const inst of [defaultInstance(), other]) {
      for (const rows of [1, 2, 3, 4, 5, 6]) {
        for (const layer of layers) layer.forward(matrix(new Float32Array(rows * 4), rows, 4, inst), true);
      }
    }
    const dense = new Dense(4, 20, { seed: 1 });
    dense.forward(matrix(new Float32Array(8), 2, 4), true);
    dense.backward(matrix(new Float32Array(40), 2, 20), true);
    // the test's own input and gradient matrices are not freed: count what the layers hold
    const inputs = [live(), live(other)];
    for (const layer of [...layers, dense]) layer.free();
    const held = [inputs[0] - live(), inputs[1] - live(other)];
    // default instance: ReLU 4 outputs + stored-mask dropout 4 × (output, mask) + regenerating dropout
    // 4 outputs were freed on the move; Dense: W, b, dW, db, one output, one dX, one xᵀ for the
    // weight-gradient product (wide: no Wᵀ or dWᵀ)
    expect(held[0]).toBe(7);
    // other instance: the 4 most recent row counts of each: 4 + 8 + 4
    expect(held[1]).toBe(16);
  });

  it("the layer registry knows the activations, Dense and the regularization layers, in that order", () => {
    expect(layerRegistry.types).toEqual([
      "dense",
      "relu",
      "dropout",
      "sigmoid",
      "tanh",
      "softmax",
      "activity-regularization",
      "spatial-dropout-1d",
      "spatial-dropout-2d",
      "spatial-dropout-3d",
      "gaussian-noise",
      "gaussian-dropout",
      "alpha-dropout",
      "feature-alpha-dropout",
      "selu",
    ]);
  });
});

describe("the fusion plan", () => {
  /** A layer that claims it can fuse anything: only activation layers may be fused into it. */
  class Greedy extends Layer {
    readonly type = "greedy";
    get instance() {
      return null;
    }
    canFuse(_activation: Activation) {
      return true;
    }
    outputSize(n: number) {
      return n;
    }
    forward(input: Matrix) {
      return input;
    }
    backward(d: Matrix) {
      return d;
    }
    toJSON(): LayerJSON {
      return { type: this.type };
    }
    free() {}
  }

  it("fuses only activation layers, however willing the layer before them", () => {
    const [g, d, r] = [new Greedy(), new Dense(2, 3), new ReLU()];
    expect(planStages([g, d, g, r]).map((s) => [s.layer, s.fused])).toEqual([
      [g, null],
      [d, null],
      [g, "relu"],
    ]);
    d.free();
  });
});
