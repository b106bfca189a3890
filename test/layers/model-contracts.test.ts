// Sequential's contracts beyond training (model.test.ts, fit-loop.test.ts): every argument error by
// its exact message, the default chunk size, inference that leaves training state alone (dropout
// steps, gradients), the JSON form's optional parts, and regularizationLoss()'s argument.
import { beforeAll, describe, expect, it } from "vitest";
import {
  Dense,
  Dropout,
  init,
  type Instance,
  instantiate,
  ReLU,
  regularizationLoss,
  Sequential,
  SGD,
  SoftmaxCrossEntropy,
  spiralData,
} from "../../src/index.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { errorOf } from "./support.js";

let other: Instance;
beforeAll(async () => {
  await init();
  other = await instantiate();
});

const live = () => defaultInstance().heap.allocations;
const data = () => spiralData(6, 3, { seed: 2 });
const small = () =>
  new Sequential([new Dense(2, 5, { seed: 1, weightL2: 0.01 }), new ReLU(), new Dense(5, 3, { seed: 2 })]);

describe("new Sequential(): arguments", () => {
  /** A Dense that takes any input width: a trainable layer without a fixed input size. */
  class AnyWidth extends Dense {
    override get inputSize(): number | null {
      return null;
    }
  }

  it.each<[string, () => unknown, ErrorConstructor, string]>([
    ["no layers", () => new Sequential([]), TypeError, "layers must be a non-empty array of layers, got an Array"],
    [
      "not an array",
      () => new Sequential("d" as never),
      TypeError,
      "layers must be a non-empty array of layers, got string d",
    ],
    [
      "a non-layer",
      () => new Sequential([new Dense(2, 3), {} as never]),
      TypeError,
      "layers[1] must be a layer (Dense, ReLU, Dropout, …), got an Object",
    ],
    [
      "a layer twice",
      () => {
        const r = new ReLU();
        return new Sequential([new Dense(2, 3), r, r]);
      },
      TypeError,
      "layers[2] appears twice in the model",
    ],
    [
      "options not an object",
      () => new Sequential([new Dense(2, 3)], null as never),
      TypeError,
      "options must be an object, got null",
    ],
    [
      "a loss that is not a Loss",
      () => new Sequential([new Dense(2, 3)], { loss: {} as never }),
      TypeError,
      "options.loss must be a loss (SoftmaxCrossEntropy, BinaryCrossEntropy, MeanSquaredError, …), got an Object",
    ],
    [
      "no trainable layer",
      () => new Sequential([new ReLU(), new Dropout(0.5)]),
      TypeError,
      "layers must include at least one layer with parameters, such as Dense",
    ],
    [
      "no layer with a fixed input size",
      () => new Sequential([new AnyWidth(2, 3), new ReLU()]),
      TypeError,
      "layers must include a layer with a fixed input size, such as Dense",
    ],
    [
      "chunkRows 0",
      () => new Sequential([new Dense(2, 3)], { chunkRows: 0 }),
      RangeError,
      "options.chunkRows must be a positive integer, got number 0",
    ],
    [
      "one output",
      () => new Sequential([new Dense(2, 1)]),
      RangeError,
      "the last Dense layer must have at least 2 outputs (classes) for the class labels of softmax-crossentropy, got 1",
    ],
  ])("%s", (_, build, type, message) => {
    expect(build).toThrow(type);
    expect(build).toThrow(message);
    try {
      build();
    } catch (error) {
      expect((error as Error).message).toBe(message);
    }
  });

  it("refuses trainable layers in different instances", () => {
    const a = new Dense(2, 4),
      b = new Dense(4, 3, { instance: other });
    expect(() => new Sequential([a, b])).toThrow(/^all layers must live in the same regwasm instance$/);
    a.free();
    b.free();
  });

  it("takes two classes; the loss given; a model in another instance", () => {
    const loss = new SoftmaxCrossEntropy();
    const model = new Sequential([new Dense(2, 2, { instance: other })], { loss });
    expect([model.classes, model.inputSize]).toEqual([2, 2]);
    expect(model.loss).toBe(loss);
    const p = model.predict([1, 2, 3, 4]);
    expect(p).toHaveLength(4);
    expect(p[0] + p[1]).toBeCloseTo(1, 6);
    model.free();
  });
});

describe("chunkRows", () => {
  it("defaults to the widest layer's activations in 512 KiB, at least 8 rows", () => {
    const rows = (hidden: number) => {
      const model = new Sequential([new Dense(2, hidden), new ReLU(), new Dense(hidden, 3)]);
      const r = model.chunkRows;
      model.free();
      return r;
    };
    // 512 KiB / (4 B × width): 256 rows at 512, 32 at 4096, 8 at 65536 and 131072 (the floor); the input counts too
    expect([rows(512), rows(4096), rows(65536), rows(131072), rows(3)]).toEqual([256, 32, 8, 8, 43690]);
    const wideInput = new Sequential([new Dense(1024, 3)]);
    expect(wideInput.chunkRows).toBe(128);
    wideInput.free();
  });
});

describe("inference leaves training state alone", () => {
  it("evaluate() and predict() neither drop, advance dropout steps, nor touch the gradients", () => {
    const d = data();
    const build = (dropout: boolean) =>
      new Sequential([
        new Dense(2, 16, { seed: 1, weightL1: 0.01 }),
        new ReLU(),
        ...(dropout ? [new Dropout(0.5, { seed: 3 })] : []),
        new Dense(16, 3, { seed: 2 }),
      ]);
    const withDropout = build(true),
      plain = build(false);
    withDropout.computeGradients(d.x, d.y);
    const grads = withDropout.params().map((p) => Array.from(p.grad.view()));
    const drop = withDropout.layers[2] as Dropout;
    expect(drop.step).toBe(1);
    expect(Array.from(withDropout.predict(d.x))).toEqual(Array.from(plain.predict(d.x)));
    expect(withDropout.evaluate(d.x, d.y)).toEqual(plain.evaluate(d.x, d.y));
    expect(drop.step).toBe(1);
    expect(withDropout.params().map((p) => Array.from(p.grad.view()))).toEqual(grads);
    withDropout.free();
    plain.free();
  });

  it("computeGradients, evaluate and predict return the memory of their copies of the data", () => {
    const d = data();
    const model = small();
    model.computeGradients(d.x, d.y); // workspaces of this row count exist from here on
    model.predict(d.x);
    const before = live();
    model.computeGradients(d.x, d.y);
    model.evaluate(d.x, d.y);
    model.predict(d.x);
    expect(live()).toBe(before);
    model.free();
  });
});

describe("data arguments", () => {
  const model = () => small();
  it.each<[string, (m: Sequential) => unknown, string]>([
    ["x of strings", (m) => m.predict("abcd" as never), "x must be a Float32Array (rows × 2), got string abcd"],
    ["evaluate's x", (m) => m.evaluate({} as never, [0]), "x must be a Float32Array (rows × 2), got an Object"],
    [
      "computeGradients' x",
      (m) => m.computeGradients(7 as never, [0]),
      "x must be a Float32Array (rows × 2), got number 7",
    ],
    [
      "y as a string",
      (m) => m.computeGradients([1, 2], "0" as never),
      "y must be a Uint32Array, Int32Array or number[] of class labels, got string 0",
    ],
    ["empty y", (m) => m.evaluate([], []), "y must not be empty"],
    [
      "a label out of range",
      (m) => m.computeGradients([1, 2], [3]),
      "y[0] must be an integer class label in [0, 2], got 3",
    ],
    ["empty x for predict", (m) => m.predict([]), "x must hold rows × 2 values (a positive multiple of 2), got 0"],
    [
      "fit options not an object",
      (m) => m.fit([1, 2], [0], null as never),
      "options must be an object like { epochs, optimizer }, got null",
    ],
    [
      "logEvery 0",
      (m) => m.fit([1, 2], [0], { epochs: 1, optimizer: new SGD(), logEvery: 0 }),
      "options.logEvery must be a positive integer, got number 0",
    ],
    [
      "no optimizer",
      (m) => m.fit([1, 2], [0], { epochs: 1 }),
      "options.optimizer is required (an optimizer such as SGD or Adam)",
    ],
    [
      "onEpoch not a function",
      (m) => m.fit([1, 2], [0], { epochs: 1, optimizer: new SGD(), onEpoch: 1 as never }),
      "options.onEpoch must be a function, got number 1",
    ],
    [
      "validationData of one array",
      (m) => m.fit([1, 2], [0], { epochs: 1, optimizer: new SGD(), validationData: [[1, 2]] as never }),
      "options.validationData must be [x, y]",
    ],
    [
      "validationData not an array",
      (m) => m.fit([1, 2], [0], { epochs: 1, optimizer: new SGD(), validationData: {} as never }),
      "options.validationData must be [x, y]",
    ],
    [
      "validation labels out of range",
      (m) => m.fit([1, 2], [0], { epochs: 1, optimizer: new SGD(), validationData: [[1, 2], [5]] }),
      "options.validationData[1][0] must be an integer class label in [0, 2], got 5",
    ],
  ])("%s: named in the error", async (_, call, message) => {
    const m = model();
    // fit() rejects; the other methods throw
    const error = await errorOf(() => call(m));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(message);
    m.free();
  });

  it("accepts Float64Array and number[] inputs, Int32Array and number[] labels", () => {
    const m = model();
    const a = m.evaluate(new Float64Array([0.5, -1, 0.25, 2]), new Int32Array([1, 2]));
    const b = m.evaluate([0.5, -1, 0.25, 2], [1, 2]);
    expect(a).toEqual(b);
    m.free();
  });
});

describe("JSON", () => {
  it("rejects what is not a saved model, naming the part", () => {
    const json = small().toJSON();
    const err = (v: unknown) => {
      try {
        Sequential.fromJSON(v as never);
      } catch (error) {
        return `${(error as Error).constructor.name}: ${(error as Error).message}`;
      }
      return "no error";
    };
    expect(err(null)).toBe("TypeError: json must be a regwasm.sequential object from toJSON()");
    expect(err("null")).toBe("TypeError: json must be a regwasm.sequential object from toJSON()");
    expect(err("5")).toBe("TypeError: json must be a regwasm.sequential object from toJSON()");
    expect(err({ ...json, version: 2 })).toBe("RangeError: json.version number 2 is not supported (expected 1)");
    expect(err({ ...json, layers: {} })).toBe("TypeError: json.layers must be an array");
  });

  it("keeps chunkRows; a missing loss is the default loss; an unfitted model has no optimizer", () => {
    const model = new Sequential([new Dense(2, 4, { seed: 1 }), new Dense(4, 3, { seed: 2 })], { chunkRows: 5 });
    const json = model.toJSON();
    expect(json.optimizer).toBeNull();
    const copy = Sequential.fromJSON(json);
    expect(copy.chunkRows).toBe(5);
    expect(copy.optimizer).toBeNull();
    const { loss: _, ...withoutLoss } = json;
    const noLoss = Sequential.fromJSON(withoutLoss as never);
    expect(noLoss.loss).toBeInstanceOf(SoftmaxCrossEntropy);
    const x = [0.5, -0.5, 1, 2];
    expect(Array.from(noLoss.predict(x))).toEqual(Array.from(model.predict(x)));
    for (const m of [model, copy, noLoss]) m.free();
  });
});

describe("regularizationLoss()", () => {
  it("of a layer, a model, or any object holding layers; anything else is refused by name", () => {
    const dense = new Dense(2, 3, { seed: 1, weightL2: 0.5 });
    const model = new Sequential([dense, new ReLU(), new Dense(3, 3, { seed: 2, weightL1: 0.25 })]);
    const expected = model.layers[0].regularizationLoss() + model.layers[2].regularizationLoss();
    expect(regularizationLoss(dense)).toBe(dense.regularizationLoss());
    expect(regularizationLoss(model)).toBe(expected);
    expect(regularizationLoss({ layers: model.layers })).toBe(expected);
    const holder = Object.assign(() => 0, { layers: model.layers });
    for (const bad of [null, undefined, 3, "layers", {}, { layers: "x" }, holder]) {
      expect(() => regularizationLoss(bad as never)).toThrow(TypeError);
    }
    expect(() => regularizationLoss(null as never)).toThrow(/^layerOrModel must be a layer or a model, got null$/);
    model.free();
  });
});
