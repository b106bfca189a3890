// Sequential's contracts between its layers and around training: what a layer's outputSize may
// return, which layers backward reaches, callbacks with and without batch hooks, inference over more
// rows than one batch may hold, data that is a view of WASM memory, and the JSON and weights checks.
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  allocF32,
  Dense,
  Dropout,
  init,
  instantiate,
  MeanSquaredError,
  ReLU,
  Sequential,
  SGD,
  spiralData,
} from "../../src/index.js";
import { firstBitDifference } from "../layers/support.js";
import { thrown } from "../support/thrown.js";

await init();

const data = spiralData(20, 3, { seed: 5 }); // 60 rows, 2 features
const F32_MAX = 3.4028234663852886e38;

afterEach(() => {
  vi.restoreAllMocks();
});

/** A ReLU whose outputSize is `outputSize` (a layer that reports a width of its own). */
function reluWith(outputSize: (inputSize: number) => number): ReLU {
  return new (class extends ReLU {
    outputSize(inputSize: number): number {
      return outputSize(inputSize);
    }
  })();
}

describe("a layer's outputSize", () => {
  it.each([
    [0, "number 0"],
    [-2, "number -2"],
    [1.5, "number 1.5"],
    [Number.NaN, "number NaN"],
    [2 ** 53, "number 9007199254740992"],
  ])("%s is a RangeError naming the layer and its input width", (width, described) => {
    const layers = [new Dense(2, 4, { seed: 1 }), reluWith(() => width), new Dense(4, 3, { seed: 2 })];
    expect(thrown(() => new Sequential(layers))).toEqual(
      new RangeError(`layers[1].outputSize(4) must be a positive integer, got ${described}`),
    );
    for (const layer of layers) layer.free();
  });

  it("an Error it throws gets the layer's position in front; anything else is rethrown as it is", () => {
    const failing = reluWith(() => {
      throw new RangeError("too narrow");
    });
    const error = thrown(() => new Sequential([new Dense(2, 4, { seed: 1 }), failing, new Dense(4, 3)]));
    expect(error).toEqual(new RangeError("layers[1]: too narrow"));
    let value: unknown;
    try {
      new Sequential([
        new Dense(2, 4, { seed: 1 }),
        reluWith(() => {
          throw "not an Error";
        }),
        new Dense(4, 3),
      ]);
    } catch (caught) {
      value = caught;
    }
    expect(value).toBe("not an Error");
  });
});

describe("backward stops at the first layer with parameters", () => {
  it("the layers before it are not asked for a gradient, and it is not asked for its input's", async () => {
    const drop = new Dropout(0.25, { seed: 3 });
    const first = new Dense(2, 8, { seed: 1 });
    const last = new Dense(8, 3, { seed: 2 });
    const m = new Sequential([drop, first, new ReLU(), last], { chunkRows: 16 });
    const dropBackward = vi.spyOn(drop, "backward");
    const firstBackward = vi.spyOn(first, "backward");
    const lastBackward = vi.spyOn(last, "backward");
    await m.fit(data.x, data.y, { epochs: 2, batchSize: 30, optimizer: new SGD() });
    // 2 epochs × 2 batches × 2 chunks (16 + 14 rows)
    expect(lastBackward).toHaveBeenCalledTimes(8);
    expect(firstBackward).toHaveBeenCalledTimes(8);
    for (const call of lastBackward.mock.calls) expect(call[1]).toBe(true);
    for (const call of firstBackward.mock.calls) expect(call[1]).toBe(false);
    expect(dropBackward).not.toHaveBeenCalled();
    m.free();
  });
});

describe("batch hooks", () => {
  it("onBatchEnd runs when any callback has it, not only when every one does", async () => {
    const m = new Sequential([new Dense(2, 8, { seed: 1 }), new ReLU(), new Dense(8, 3, { seed: 2 })]);
    const batches: number[] = [];
    const epochs: number[] = [];
    await m.fit(data.x, data.y, {
      epochs: 2,
      batchSize: 20,
      optimizer: new SGD(),
      callbacks: [{ onEpochEnd: (log) => epochs.push(log.epoch) }, { onBatchEnd: (log) => batches.push(log.batch) }],
    });
    expect(epochs).toEqual([0, 1]);
    expect(batches).toEqual([0, 1, 2, 0, 1, 2]);
    m.free();
  });
});

describe("inference over more rows than one batch may hold", () => {
  it("predict splits 2^32 / widest rows per batch and covers every row once", () => {
    // a hidden layer 2^21 wide: one inference batch holds 2^32 / 2^21 = 2048 rows; 2049 rows need two
    const wide = 2 ** 21;
    const m = new Sequential([new Dense(1, wide, { seed: 1 }), new ReLU(), new Dense(wide, 2, { seed: 2 })], {
      loss: new MeanSquaredError(),
    });
    const rows = 2049;
    const x = Float32Array.from({ length: rows }, (_, i) => (i % 7) - 3);
    // rows do not interact in inference: row i's prediction is that of its pattern, row i % 7
    const patterns = m.predict(x.subarray(0, 7));
    const all = m.predict(x);
    expect(all.length).toBe(2 * rows);
    const want = Float32Array.from({ length: 2 * rows }, (_, k) => patterns[2 * ((k >> 1) % 7) + (k & 1)]);
    expect(all).toEqual(want);
    m.free();
  });
});

describe("data that is a view of the model's WASM memory", () => {
  it("is copied before placing it can grow (and detach) that memory", async () => {
    const inst = await instantiate({ threads: 1 });
    const m = new Sequential(
      [new Dense(2, 8, { seed: 1, instance: inst }), new ReLU(), new Dense(8, 3, { seed: 2, instance: inst })],
      { loss: new MeanSquaredError() },
    );
    const rows = 1 << 19;
    const copy = Float32Array.from({ length: 2 * rows }, (_, i) => ((i * 37) % 101) / 50 - 1);
    const want = m.predict(copy);
    const buffer = allocF32(2 * rows, inst);
    const view = buffer.view();
    view.set(copy);
    const bytes = inst.heap.memory.buffer.byteLength;
    const got = m.predict(view);
    // the premise: placing the rows grew the memory, so the view handed in is now detached
    expect(inst.heap.memory.buffer.byteLength).toBeGreaterThan(bytes);
    expect(view.length).toBe(0);
    expect(got.length).toBe(want.length);
    expect(firstBitDifference(got, want)).toBe(-1);
    buffer.free();
    m.free();
  });
});

describe("setWeights", () => {
  it("takes ±f32 max exactly, the bounds of its range", () => {
    const m = new Sequential([new Dense(2, 3, { seed: 1 })]);
    const weights = [new Float32Array([F32_MAX, -F32_MAX, 0, 1, 2, 3]), new Float32Array([-F32_MAX, 0, F32_MAX])];
    m.setWeights([Array.from(weights[0]), Array.from(weights[1])]);
    expect(m.getWeights()).toEqual(weights);
    m.free();
  });
});

describe("predict's argument", () => {
  it("is named x in its errors", () => {
    const m = new Sequential([new Dense(2, 3, { seed: 1 })]);
    expect(thrown(() => m.predict("rows" as never))).toEqual(
      new TypeError("x must be a Float32Array (rows × 2), got string rows"),
    );
    expect(thrown(() => m.predict(new Float32Array(3)))).toEqual(
      new RangeError("x must hold rows × 2 values (a positive multiple of 2), got 3"),
    );
    m.free();
  });
});

describe("fromJSON", () => {
  async function trained(): Promise<Sequential> {
    const m = new Sequential([new Dense(2, 8, { seed: 1 }), new ReLU(), new Dense(8, 3, { seed: 2 })]);
    await m.fit(data.x, data.y, { epochs: 2, optimizer: new SGD({ learningRate: 0.5, momentum: 0.9 }) });
    return m;
  }

  it("takes the JSON text as well as the object", async () => {
    const m = await trained();
    const text = JSON.stringify(m.toJSON());
    const back = Sequential.fromJSON(text);
    expect(back.toJSON()).toEqual(m.toJSON());
    expect(back.predict(data.x)).toEqual(m.predict(data.x));
    back.free();
    m.free();
  });

  it("an unknown key, at the top or in the optimizer, is a TypeError naming it", async () => {
    const m = await trained();
    const json = m.toJSON();
    expect(thrown(() => Sequential.fromJSON({ ...json, chunkrows: 8 } as never))).toEqual(
      new TypeError(
        "json.chunkrows is not a known option (did you mean chunkRows?); the options are format, version, layers, loss, optimizer, chunkRows, epochsTrained",
      ),
    );
    expect(thrown(() => Sequential.fromJSON({ ...json, optimizer: { ...json.optimizer!, step: 3 } } as never))).toEqual(
      new TypeError("json.optimizer.step is not a known option; the options are type, config, iterations, state"),
    );
    m.free();
  });
});

describe("yielding to the event loop between batches", () => {
  const fitOnce = async (yieldEvery = 0) => {
    const m = new Sequential([new Dense(2, 8, { seed: 1 }), new ReLU(), new Dense(8, 3, { seed: 2 })]);
    const history = await m.fit(data.x, data.y, { epochs: 2, batchSize: 20, yieldEvery, optimizer: new SGD() });
    m.free();
    return history;
  };

  it("after yieldEvery milliseconds of work, measured by performance.now()", async () => {
    // the clock stands still: no time passes, so only yieldEvery 0 is ever due
    vi.spyOn(performance, "now").mockReturnValue(1e6);
    const immediate = vi.spyOn(globalThis, "setImmediate");
    await fitOnce(25);
    expect(immediate).not.toHaveBeenCalled();
    await fitOnce(0);
    expect(immediate.mock.calls.length).toBeGreaterThanOrEqual(6);
  });

  it("uses setImmediate where there is one (Node)", async () => {
    const immediate = vi.spyOn(globalThis, "setImmediate");
    await fitOnce();
    // yieldEvery 0: a yield after every one of the 6 batches
    expect(immediate.mock.calls.length).toBeGreaterThanOrEqual(6);
  });

  it("a MessageChannel message where there is none (browsers), with the same training", async () => {
    const want = await fitOnce();
    const saved = Object.getOwnPropertyDescriptor(globalThis, "setImmediate")!;
    const posted = vi.spyOn(MessagePort.prototype, "postMessage");
    Object.defineProperty(globalThis, "setImmediate", { value: undefined, configurable: true, writable: true });
    try {
      expect(await fitOnce()).toEqual(want);
    } finally {
      Object.defineProperty(globalThis, "setImmediate", saved);
    }
    expect(posted.mock.calls.length).toBeGreaterThanOrEqual(6);
  });
});
