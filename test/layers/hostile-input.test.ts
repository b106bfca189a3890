// Hostile input to the layer API: documents that would allocate before failing, allocations that
// fail part-way, typos in option names, limits that used to fail mid-training, arrays of another
// realm. Every case throws a TypeError/RangeError naming what is wrong, before memory is taken or a
// layer changes.
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import {
  Adam,
  allocF32,
  buildExperiment,
  Dense,
  Dropout,
  init,
  instantiate,
  L2_CHAPTER,
  l1Penalty,
  ReLU,
  Sequential,
  SGD,
  spiralData,
} from "../../src/index.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { errorOf } from "./support.js";

await init();

describe("nothing is allocated before a document is checked", () => {
  it("a Dense layer of 5e7 outputs with empty weights is refused without growing memory", () => {
    const model = new Sequential([new Dense(2, 3)]);
    const json = model.toJSON();
    model.free();
    json.layers[0] = { ...json.layers[0], nIn: 1, nOut: 5e7, weights: [], biases: [] };
    const heap = defaultInstance().heap;
    const bytes = heap.memory.buffer.byteLength;
    const allocations = heap.allocations;
    expect(() => Sequential.fromJSON(json)).toThrow(
      /json\.layers\[0\]: json\.weights must be an array of 50000000 finite numbers/,
    );
    expect(heap.memory.buffer.byteLength).toBe(bytes);
    expect(heap.allocations).toBe(allocations);
  });

  it("non-finite weights and unknown fields in a document are refused", () => {
    const json = new Sequential([new Dense(2, 3)]).toJSON();
    const nan = { ...json, layers: [{ ...json.layers[0], weights: [1, 2, 3, 4, 5, Number.NaN] }] };
    expect(() => Sequential.fromJSON(nan)).toThrow(/finite numbers/);
    const extra = { ...json, layers: [{ ...json.layers[0], weightl2: 1 }] };
    expect(() => Sequential.fromJSON(extra)).toThrow(
      /json\.weightl2 is not a known option \(did you mean weightL2\?\)/,
    );
    expect(() => Sequential.fromJSON({ ...json, chunkrows: 8 } as never)).toThrow(/did you mean chunkRows/);
  });

  it("a Dense layer too large for wasm32 is refused before it allocates", () => {
    expect(() => new Dense(65536, 32768)).toThrow(/MiB left of the 4 GiB of wasm32/);
  });

  it("an allocation failing part-way through new Dense returns what was taken", async () => {
    const instance = await instantiate({ simd: false });
    const heap = instance.heap;
    const before = heap.allocations;
    const alloc = heap.alloc.bind(heap);
    let calls = 0;
    heap.alloc = (bytes: number) => {
      if (++calls === 3) throw new RangeError("regwasm: out of memory (simulated)");
      return alloc(bytes);
    };
    expect(() => new Dense(32, 32, { instance })).toThrow(/simulated/);
    heap.alloc = alloc;
    expect(heap.allocations).toBe(before);
  });
});

describe("typos in option names", () => {
  const d = spiralData(10, 3, { seed: 1 });
  it.each<[string, () => unknown, RegExp]>([
    ["Dense weightl2", () => new Dense(2, 8, { weightl2: 1e-3 } as never), /options\.weightl2 .*did you mean weightL2/],
    ["Dropout mcdropout", () => new Dropout(0.1, { mcdropout: true } as never), /did you mean mcDropout/],
    ["Adam learningrate", () => new Adam({ learningrate: 0.1 } as never), /did you mean learningRate/],
    ["SGD momentun", () => new SGD({ momentun: 0.9 } as never), /did you mean momentum/],
    [
      "Sequential chunkrows",
      () => new Sequential([new Dense(2, 3)], { chunkrows: 8 } as never),
      /did you mean chunkRows/,
    ],
    [
      "fit batchsize",
      () => new Sequential([new Dense(2, 3)]).fit(d.x, d.y, { epochs: 1, optimizer: new SGD(), batchsize: 4 } as never),
      /options\.batchsize .*did you mean batchSize/,
    ],
    ["spiralData seeed", () => spiralData(10, 3, { seeed: 1 } as never), /did you mean seed/],
  ])("%s", async (_name, call, message) => {
    const error = await errorOf(call);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
  });

  it("init with an unknown option rejects", async () => {
    await expect(init({ simd: true, thread: 2 } as never)).rejects.toThrow(
      "options.thread is not a known option; the options are simd, relaxedSimd and threads",
    );
  });
});

describe("limits are checked before training starts", () => {
  it("a batch whose dropout counters exceed 2^32 is refused up front, the layer untouched", async () => {
    const dropout = new Dropout(0.5, { seed: 1 });
    const model = new Sequential([new Dense(2, 65537, { seed: 2 }), dropout, new Dense(65537, 2, { seed: 3 })]);
    const rows = 65536; // 65536 × 65537 > 2^32
    const x = new Float32Array(rows * 2);
    const y = new Uint32Array(rows);
    await expect(model.fit(x, y, { epochs: 1, optimizer: new SGD() })).rejects.toThrow(/exceeds the 2\^32 counters/);
    expect(dropout.step).toBe(0);
    expect(model.optimizer).toBeNull();
    model.free();
  });

  it("a dropout step that would pass 2^32 − 1 is refused up front", async () => {
    const d = spiralData(10, 3, { seed: 1 });
    const dropout = new Dropout(0.5, { seed: 1 });
    const model = new Sequential([new Dense(2, 4), dropout, new Dense(4, 3)]);
    dropout.step = 2 ** 32 - 3;
    await expect(model.fit(d.x, d.y, { epochs: 3, optimizer: new SGD() })).rejects.toThrow(/past 2\^32 − 1/);
    expect(dropout.step).toBe(2 ** 32 - 3);
    model.free();
  });

  it("an L2 strength whose gradient 2·λ2 overflows f32 is refused by the constructor", () => {
    expect(() => new Dense(2, 3, { weightL2: 2e38 })).toThrow(/options\.weightL2 must be at most 1\.7e38/);
    expect(() => new Dense(2, 3, { biasL2: 2e38 })).toThrow(/options\.biasL2/);
  });
});

describe("arrays of another realm", () => {
  it("a Float32Array from a vm context is accepted by kernels and fit", async () => {
    const foreign = runInNewContext("new Float32Array([1, -2, 3])") as Float32Array;
    expect(foreign instanceof Float32Array).toBe(false);
    expect(l1Penalty(foreign)).toBe(6);
    const d = spiralData(5, 3, { seed: 2 });
    const x = runInNewContext("(v) => Float32Array.from(v)")(Array.from(d.x)) as Float32Array;
    const y = runInNewContext("(v) => Uint32Array.from(v)")(Array.from(d.y)) as Uint32Array;
    const model = new Sequential([new Dense(2, 4, { seed: 1 }), new ReLU(), new Dense(4, 3, { seed: 2 })]);
    const twin = new Sequential([new Dense(2, 4, { seed: 1 }), new ReLU(), new Dense(4, 3, { seed: 2 })]);
    expect(await model.fit(x, y, { epochs: 2, optimizer: new SGD() })).toEqual(
      await twin.fit(d.x, d.y, { epochs: 2, optimizer: new SGD() }),
    );
    model.free();
    twin.free();
  });
});

describe("found in review", () => {
  it("predict and fit take a view of WASM memory that their own allocations would detach", async () => {
    const instance = await instantiate({ simd: true });
    const model = new Sequential([new Dense(2, 4, { seed: 1, instance }), new Dense(4, 3, { seed: 2, instance })]);
    const rows = 200_000; // 1.6 MB: placing it grows the fresh instance's memory
    const x = allocF32(rows * 2, instance);
    x.view().set(Float32Array.from({ length: rows * 2 }, (_, i) => Math.sin(i)));
    const copy = x.view().slice();
    const allocations = instance.heap.allocations;
    expect(Array.from(model.predict(x.view()).subarray(0, 30))).toEqual(
      Array.from(model.predict(copy).subarray(0, 30)),
    );
    expect(instance.heap.allocations).toBeGreaterThanOrEqual(allocations); // workspaces may stay; nothing throws
    model.free();
  });

  it("labels are read once: an accessor cannot pass the check and then train on another value", async () => {
    const d = spiralData(4, 3, { seed: 1 });
    let reads = 0;
    const y = Array.from(d.y);
    Object.defineProperty(y, 0, { get: () => (reads++ === 0 ? 0 : 1e9), enumerable: true });
    const model = new Sequential([new Dense(2, 3, { seed: 1 })]);
    const twin = new Sequential([new Dense(2, 3, { seed: 1 })]);
    const expected = await twin.fit(d.x, [0, ...y.slice(1)], { epochs: 1, optimizer: new SGD() });
    expect(await model.fit(d.x, y, { epochs: 1, optimizer: new SGD() })).toEqual(expected);
    expect(reads).toBe(1);
    model.free();
    twin.free();
  });

  it("a refused Sequential leaves the layers' positions alone", () => {
    const drop = new Dropout(0.5, { seed: 1 });
    new Sequential([new Dense(2, 4), new ReLU(), drop, new Dense(4, 3)]);
    expect(drop.index).toBe(2);
    expect(() => new Sequential([drop, new Dense(2, 3)], { chunkRows: 0 })).toThrow(/chunkRows/);
    expect(drop.index).toBe(2);
  });

  it("a ReLU, Dropout or loss moved to a model of another width works there", async () => {
    const d = spiralData(5, 3, { seed: 2 });
    const relu = new ReLU();
    const drop = new Dropout(0.2, { seed: 3 });
    const a = new Sequential([new Dense(2, 8, { seed: 1 }), drop, relu, new Dense(8, 3, { seed: 2 })]);
    await a.fit(d.x, d.y, { epochs: 1, optimizer: new SGD() });
    const b = new Sequential([new Dense(2, 16, { seed: 1 }), drop, relu, new Dense(16, 4, { seed: 2 })], {
      loss: a.loss,
    });
    await b.fit(d.x, d.y, { epochs: 1, optimizer: new SGD() });
    expect(b.predict(d.x).length).toBe(15 * 4);
    a.free();
    b.free();
  });

  it("a layer before the first sized one may not change the width", () => {
    class Twice extends ReLU {
      outputSize(n: number) {
        return 2 * n;
      }
    }
    expect(() => new Sequential([new Twice(), new Dense(4, 3)])).toThrow(/layers\[0\] changes the width \(4 → 8\)/);
  });

  it("dropout counters stop at their last stream without leaving an unsaveable state", () => {
    const d = spiralData(4, 3, { seed: 1 });
    const drop = new Dropout(0.5, { seed: 1, mcDropout: true });
    const model = new Sequential([new Dense(2, 4, { seed: 1 }), drop, new Dense(4, 3, { seed: 2 })]);
    drop.inferenceStep = 2 ** 32 - 2;
    model.predict(d.x);
    expect(() => model.predict(d.x)).toThrow(/inferenceStep \(4294967295\) has no stream left/);
    expect(drop.inferenceStep).toBe(2 ** 32 - 1);
    Sequential.fromJSON(model.toJSON()).free(); // still a valid document
    drop.step = 2 ** 32 - 1;
    expect(() => model.computeGradients(d.x, d.y)).toThrow(RangeError);
    expect(drop.step).toBe(2 ** 32 - 1);
    model.free();
  });

  it("documents need their seeds, optimizer configs and f32-range weights", async () => {
    const d = spiralData(4, 3, { seed: 1 });
    const model = new Sequential([
      new Dense(2, 4, { seed: 1 }),
      new Dropout(0.1, { seed: 2 }),
      new Dense(4, 3, { seed: 3 }),
    ]);
    await model.fit(d.x, d.y, { epochs: 1, optimizer: new Adam({ learningRate: 0.05 }) });
    const json = model.toJSON();
    model.free();
    const { seed: _dense, ...denseNoSeed } = json.layers[0];
    expect(() => Sequential.fromJSON({ ...json, layers: [denseNoSeed, ...json.layers.slice(1)] })).toThrow(
      /json\.seed/,
    );
    const { seed: _drop, ...dropNoSeed } = json.layers[1];
    expect(() => Sequential.fromJSON({ ...json, layers: [json.layers[0], dropNoSeed, json.layers[2]] })).toThrow(
      /json\.seed/,
    );
    const { config: _config, ...noConfig } = json.optimizer!;
    expect(() => Sequential.fromJSON({ ...json, optimizer: noConfig as never })).toThrow(/json\.config/);
    const weights = [...(json.layers[0].weights as number[])];
    weights[0] = 1e39;
    expect(() =>
      Sequential.fromJSON({ ...json, layers: [{ ...json.layers[0], weights }, ...json.layers.slice(1)] }),
    ).toThrow(/f32 range/);
  });

  it("buildExperiment returns the memory of what it built when a later piece is refused", () => {
    const heap = defaultInstance().heap;
    const before = heap.allocations;
    expect(() => buildExperiment({ ...L2_CHAPTER, classes: 1 })).toThrow(/at least 2 outputs/);
    expect(heap.allocations).toBe(before);
  });
});
