// Argument contracts of the model's smaller entry points: sparsity(), fit()'s shuffle and seed, and
// fromTfjs/loadTfjs options. Each bad argument is a clear error naming it, before anything is read.
import { describe, expect, it } from "vitest";
import { Dense, init, MeanSquaredError, ReLU, Sequential, sparsity } from "../../src/index.js";
import { thrown } from "../support/thrown.js";

await init();

/** A model whose parameters are set by hand: 2·3 weights and 3 biases, then 3·1 weights and 1 bias. */
function handModel(): Sequential {
  const model = new Sequential([new Dense(2, 3, { seed: 1 }), new ReLU(), new Dense(3, 1, { seed: 2 })], {
    loss: new MeanSquaredError(),
  });
  model.setWeights([
    new Float32Array([0, 1, -0, 2, 3, 0]), // 3 zeros (−0 counts) of 6
    new Float32Array([0, 0, 5]), // 2 of 3
    new Float32Array([7, 8, 9]), // 0 of 3
    new Float32Array([-0]), // 1 of 1
  ]);
  return model;
}

describe("sparsity()", () => {
  it("counts exact ±0 over a model, by parameter name, and over one layer", () => {
    const model = handModel();
    expect(sparsity(model)).toBe(6 / 13);
    expect(sparsity(model, "weights")).toBe(3 / 9);
    expect(sparsity(model, "biases")).toBe(3 / 4);
    expect(sparsity(model.layers[0])).toBe(5 / 9);
    expect(sparsity(model.layers[2], "biases")).toBe(1);
    // a name no parameter has, and a layer without parameters: nothing to count
    expect(sparsity(model, "kernel")).toBe(0);
    expect(sparsity(model.layers[1])).toBe(0);
    // anything with a layers array counts as a model
    expect(sparsity({ layers: [model.layers[2]] } as never)).toBe(1 / 4);
    model.free();
  });

  it.each([
    ["null", null, "null"],
    ["an object without layers", {}, "an Object"],
    ["layers that are not an array", { layers: "dense" }, "an Object"],
    ["a string", "model", "string model"],
  ])("layerOrModel as %s is a TypeError naming it", (_what, value, described) => {
    expect(thrown(() => sparsity(value as never))).toEqual(
      new TypeError(`layerOrModel must be a layer or a model, got ${described}`),
    );
  });

  it("a function is not a model, even one carrying a layers array", () => {
    const model = handModel();
    const impostor = Object.assign(() => 0, { layers: [model.layers[2]] });
    expect(thrown(() => sparsity(impostor as never))).toEqual(
      new TypeError(`layerOrModel must be a layer or a model, got function ${String(impostor)}`),
    );
    model.free();
  });

  it("a name that is not a string is a TypeError naming it", () => {
    const model = handModel();
    expect(thrown(() => sparsity(model, 5 as never))).toEqual(
      new TypeError("name must be a parameter name such as 'weights', got number 5"),
    );
    model.free();
  });
});

it("a new model's stopTraining is false (a callback sets it to end fit())", () => {
  const model = handModel();
  expect(model.stopTraining).toBe(false);
  model.free();
});

describe("fit() options", () => {
  const x = new Float32Array([0, 1, 1, 0]);
  const y = new Float32Array([1, 0]);

  it.each([
    ["shuffle", { shuffle: "yes" }, new TypeError("options.shuffle must be a boolean, got string yes")],
    ["seed", { seed: -1 }, new RangeError("options.seed must be an integer in [0, 2^53 - 1], got -1")],
  ])("a bad %s is an error naming options.%s, and the weights stay", async (_name, options, error) => {
    const model = handModel();
    const before = model.getWeights();
    await expect(model.fit(x, y, { epochs: 1, ...options } as never)).rejects.toEqual(error);
    expect(model.getWeights()).toEqual(before);
    model.free();
  });
});

describe("fromTfjs() and loadTfjs() options", () => {
  const artifacts = () => handModel().toTfjs();

  it("a loss that is not a Loss is a TypeError naming options.loss", () => {
    expect(thrown(() => Sequential.fromTfjs(artifacts(), { loss: "mse" as never }))).toEqual(
      new TypeError("options.loss must be a loss (SoftmaxCrossEntropy, …), got string mse"),
    );
  });

  it("an unknown option is a TypeError naming it, in fromTfjs and (before any file is read) loadTfjs", async () => {
    const message = "options.los is not a known option (did you mean loss?); the options are loss";
    expect(thrown(() => Sequential.fromTfjs(artifacts(), { los: 1 } as never))).toEqual(new TypeError(message));
    await expect(Sequential.loadTfjs("/no/such/dir", { los: 1 } as never)).rejects.toEqual(new TypeError(message));
  });

  it("the error from a missing model.json names Sequential.loadTfjs's path", async () => {
    await expect(Sequential.loadTfjs("/no/such/dir")).rejects.toThrow(/no[/\\]such[/\\]dir/);
  });
});
