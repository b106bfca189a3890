// fromTfjsArtifacts's contracts, one rule at a time: each bad artifact (a valid one with one thing
// broken) is an error of the right class whose message names the argument or the layer and the rule;
// each Keras config maps to the exact regwasm layer JSON (no extra keys, weights bit for bit). TF.js
// (the peer) writes the artifacts where it can, and its own reading of a hand-written config (its
// constraint defaults) is the reference for what regwasm reads from it.
import { beforeAll, describe, expect, it } from "vitest";
import {
  AlphaDropout,
  Dense,
  Dropout,
  GaussianNoise,
  init,
  L1,
  MeanSquaredError,
  Sequential,
  SoftmaxCrossEntropy,
} from "../../src/index.js";
import type { TfjsArtifacts } from "../../src/model/tfjs-format.js";
import { fromTfjsArtifacts } from "../../src/model/tfjs-import.js";
import { thrown } from "../support/thrown.js";
import { configsOf, loadInTfjs, savedByTfjs, tfjsReady, tfl } from "./support.js";

await init();
beforeAll(() => tfjsReady());

// float32-exact values: the imported weights equal them as numbers
const KERNEL = [0.5, -1.25, 2, 0.75, -0.5, 1];
const BIAS = [0.125, -0.25, 0.375];

type Entry = { class_name: unknown; config?: Record<string, unknown> } | null;
type Weight = [name: string, shape: number[], values: number[]];

/** A Keras Sequential of `layers` with `weights` as TF.js writes them (specs, one buffer). */
function keras(layers: Entry[], weights: Weight[] = [], rest: Partial<TfjsArtifacts> = {}): TfjsArtifacts {
  return {
    modelTopology: { class_name: "Sequential", config: { name: "s", layers } },
    weightSpecs: weights.map(([name, shape]) => ({ name, shape, dtype: "float32" })),
    weightData: new Float32Array(weights.flatMap(([, , v]) => v)).buffer,
    ...rest,
  };
}
const input = (...dims: number[]): Entry => ({
  class_name: "InputLayer",
  config: { name: "in", batch_input_shape: [null, ...dims] },
});
const dense = (config: Record<string, unknown> = {}): Entry => ({
  class_name: "Dense",
  config: { name: "d", units: 3, ...config },
});
const denseWeights = (kernel = "d/kernel", bias = "d/bias"): Weight[] => [
  [kernel, [2, 3], KERNEL],
  [bias, [3], BIAS],
];
/** InputLayer [null, 2] and the Dense 'd' (2 → 3) with `config`. */
const denseModel = (config: Record<string, unknown> = {}, rest: Partial<TfjsArtifacts> = {}) =>
  keras([input(2), dense(config)], denseWeights(), rest);
const layer = (class_name: string, config: Record<string, unknown>): Entry => ({ class_name, config });
const meta = (layers: Record<string, unknown>) => ({
  regwasm: { version: 1, loss: { type: "mean-squared-error" }, layers },
});

/** The Dense JSON of 'd' a Keras config without any option gives. */
const denseJSON = (over: Record<string, unknown> = {}) => ({
  type: "dense",
  nIn: 2,
  nOut: 3,
  convention: "keras",
  weightL1: 0,
  weightL2: 0,
  biasL1: 0,
  biasL2: 0,
  weightInit: "glorotUniform",
  biasInit: "zeros",
  seed: 0,
  weights: KERNEL,
  biases: BIAS,
  ...over,
});
const imported = (a: TfjsArtifacts) => fromTfjsArtifacts(a).layers;
const only = (a: TfjsArtifacts) => {
  const layers = imported(a);
  expect(layers).toHaveLength(1);
  return layers[0];
};

const D = "layer 'd' \\(class Dense, artifacts\\.modelTopology layer 1\\)";
const R = "layer 'r' \\(class Reshape, artifacts\\.modelTopology layer 1\\)";
const NO_INPUT = "the model declares no input shape before it";
const rx = (source: string) => new RegExp(`^${source}$`);
/** A Keras VarianceScaling initializer object (how TF.js saves Glorot, He and LeCun). */
const varianceScaling = (scale: number, mode: string, distribution: string) => ({
  class_name: "VarianceScaling",
  config: { scale, mode, distribution },
});

describe("bad artifacts: the error names the argument or the layer, and the rule", () => {
  const rows: [string, () => unknown, typeof TypeError | typeof RangeError, RegExp][] = [
    ["artifacts null", () => null, TypeError, /^artifacts must be an object, got null$/],
    [
      "no modelTopology",
      () => ({ weightSpecs: [] }),
      TypeError,
      /^artifacts\.modelTopology must be an object, got undefined$/,
    ],
    [
      "a Sequential without config",
      () => ({ modelTopology: { class_name: "Sequential" } }),
      TypeError,
      /^artifacts\.modelTopology\.config\.layers must be a non-empty array of layers$/,
    ],
    [
      "empty layers",
      () => keras([]),
      TypeError,
      /^artifacts\.modelTopology\.config\.layers must be a non-empty array of layers$/,
    ],
    [
      "empty layers (Keras 2.0's bare list)",
      () => ({ modelTopology: { class_name: "Sequential", config: [] } }),
      TypeError,
      /^artifacts\.modelTopology\.config\.layers must be a non-empty array of layers$/,
    ],
    [
      "layers a string",
      () => ({ modelTopology: { class_name: "Sequential", config: { layers: "dense" } } }),
      TypeError,
      /^artifacts\.modelTopology\.config\.layers must be a non-empty array of layers$/,
    ],
    [
      "weightSpecs not an array",
      () => ({ ...denseModel(), weightSpecs: {} }),
      TypeError,
      /^artifacts\.weightSpecs must be an array, got an Object$/,
    ],
    [
      "weightData a Float32Array",
      () => ({ ...denseModel(), weightData: new Float32Array([...KERNEL, ...BIAS]) }),
      TypeError,
      /^artifacts\.weightData must be an ArrayBuffer \(or an array of them\), got a Float32Array$/,
    ],
    [
      "weightData an array holding a Float32Array after an ArrayBuffer",
      () => ({ ...denseModel(), weightData: [new Float32Array(KERNEL).buffer, new Float32Array(BIAS)] }),
      TypeError,
      /^artifacts\.weightData must be an ArrayBuffer \(or an array of them\), got an Array$/,
    ],
    [
      "a weight spec null",
      () => {
        const a = denseModel();
        a.weightSpecs?.unshift(null as never);
        return a;
      },
      TypeError,
      /^artifacts\.weightSpecs\[0\] \(undefined\) must be an object, got null$/,
    ],
    [
      "a weight spec's name not a string",
      () => {
        const a = denseModel();
        Object.assign(a.weightSpecs?.[0] ?? {}, { name: 7 });
        return a;
      },
      TypeError,
      /^artifacts\.weightSpecs\[0\] \(number 7\): name must be a string$/,
    ],
    ...(
      [
        ["not an array", "3", "string 3"],
        ["negative", [-3], "an Array"],
        ["a negative size after a valid one", [3, -3], "an Array"],
        ["non-integer", [1.5, 2], "an Array"],
      ] as const
    ).map(([what, shape, got]): [string, () => unknown, typeof TypeError, RegExp] => [
      `a weight spec's shape ${what}`,
      () => {
        const a = denseModel();
        Object.assign(a.weightSpecs?.[1] ?? {}, { shape });
        return a;
      },
      TypeError,
      rx(`artifacts\\.weightSpecs\\[1\\] \\(string d/bias\\): shape must be an array of sizes, got ${got}`),
    ]),
    [
      "a kernel of a wrong size on one axis",
      () => keras([input(2), dense()], [["d/kernel", [2, 4], [...KERNEL, 0, 0]], ...denseWeights().slice(1)]),
      RangeError,
      rx(`${D}: 'd/kernel' has shape \\[2,4\\], the layer needs \\[2,3\\]`),
    ],
    [
      "a kernel of fewer axes whose sizes agree",
      () => keras([input(2), dense()], [["d/kernel", [2], [1, 2]], ...denseWeights().slice(1)]),
      RangeError,
      rx(`${D}: 'd/kernel' has shape \\[2\\], the layer needs \\[2,3\\]`),
    ],
    [
      "a missing bias",
      () => keras([input(2), dense()], [...denseWeights().slice(0, 1), ["d/biases", [3], BIAS]]),
      TypeError,
      rx(`${D}: artifacts\\.weightSpecs has no 'd/bias'`),
    ],
    ...([0, 1.5, "3", undefined] as const).map((units): [string, () => unknown, typeof TypeError, RegExp] => [
      `units ${String(units)}`,
      () => denseModel({ units }),
      TypeError,
      rx(
        `${D}: units must be a positive integer, got ${units === undefined ? "undefined" : `${typeof units} ${units}`}`,
      ),
    ]),
    [
      "a Dense without a declared input shape",
      () => keras([dense()], denseWeights()),
      TypeError,
      rx(`layer 'd' \\(class Dense, artifacts\\.modelTopology layer 0\\): ${NO_INPUT}`),
    ],
    ...([[null, 0], [null, 2, 0], [null], [null, -2], [null, 2.5]] as const).map(
      (shape): [string, () => unknown, typeof TypeError, RegExp] => [
        `a Dense whose only declared shape is [${shape}]`,
        () => keras([layer("Dense", { name: "d", units: 3, batch_input_shape: shape })], denseWeights()),
        TypeError,
        rx(`layer 'd' \\(class Dense, artifacts\\.modelTopology layer 0\\): ${NO_INPUT}`),
      ],
    ),
    [
      "a Reshape without a declared input shape",
      () => keras([layer("Reshape", { name: "r", target_shape: [2, 2] })]),
      TypeError,
      rx(`layer 'r' \\(class Reshape, artifacts\\.modelTopology layer 0\\): ${NO_INPUT}`),
    ],
    [
      "a Flatten without a declared input shape",
      () => keras([layer("Flatten", { name: "f" })]),
      TypeError,
      rx(`layer 'f' \\(class Flatten, artifacts\\.modelTopology layer 0\\): ${NO_INPUT}`),
    ],
    ...(
      [
        ["a size 0", [2, 0], "an Array"],
        ["a non-integer size", [1.5, 4], "an Array"],
        ["a negative size other than −1", [-2, 2], "an Array"],
        ["not an array", "4", "string 4"],
      ] as const
    ).map(([what, target, got]): [string, () => unknown, typeof TypeError, RegExp] => [
      `a Reshape target_shape with ${what}`,
      () => keras([input(4), layer("Reshape", { name: "r", target_shape: target })]),
      TypeError,
      rx(`${R}: target_shape must be an array of positive sizes \\(or one −1\\), got ${got}`),
    ]),
    ...(
      [
        ["two −1", [-1, -1]],
        ["too few values", [2]],
        ["too many values", [2, 4]],
        ["a −1 that leaves a fraction", [-1, 3]],
      ] as const
    ).map(([what, target]): [string, () => unknown, typeof RangeError, RegExp] => [
      `a Reshape target_shape with ${what}`,
      () => keras([input(4), layer("Reshape", { name: "r", target_shape: target })]),
      RangeError,
      rx(`${R}: target_shape \\[${target}\\] cannot hold a sample of shape \\[4\\]`),
    ]),
    [
      "a SpatialDropout1D without a declared input shape",
      () => keras([layer("SpatialDropout1D", { name: "sd", rate: 0.5 })]),
      TypeError,
      rx(
        "layer 'sd' \\(class SpatialDropout1D, artifacts\\.modelTopology layer 0\\): SpatialDropout1D needs samples of shape \\[steps, channels\\] \\(a Reshape before it\\), got no input shape",
      ),
    ],
    [
      "a SpatialDropout1D on flat samples",
      () => keras([input(4), layer("SpatialDropout1D", { name: "sd", rate: 0.5 })]),
      TypeError,
      rx(
        "layer 'sd' \\(class SpatialDropout1D, artifacts\\.modelTopology layer 1\\): SpatialDropout1D needs samples of shape \\[steps, channels\\] \\(a Reshape before it\\), got \\[4\\]",
      ),
    ],
    [
      "an unknown class, the layer without a name",
      () => keras([input(2), { class_name: "Conv1D", config: {} }]),
      TypeError,
      rx(
        "layer 'layer 1' \\(class Conv1D, artifacts\\.modelTopology layer 1\\) has no regwasm counterpart \\(Dense, Activation, Dropout, AlphaDropout, GaussianNoise, GaussianDropout, SpatialDropout1D, Reshape, Flatten and InputLayer do\\)",
      ),
    ],
    [
      "a class name that is not a string",
      () => keras([input(2), { class_name: 42, config: { name: "x" } }]),
      TypeError,
      /^layer 'x' \(class number 42, artifacts\.modelTopology layer 1\) has no regwasm counterpart/,
    ],
    [
      "a null layer",
      () => keras([null]),
      TypeError,
      /^layer 'layer 0' \(class undefined, artifacts\.modelTopology layer 0\) has no regwasm counterpart/,
    ],
    ...(["kernel_regularizer", "bias_regularizer", "activity_regularizer"] as const).map(
      (key): [string, () => unknown, typeof TypeError, RegExp] => [
        `an unknown ${key}`,
        () => denseModel({ [key]: { class_name: "OrthogonalRegularizer", config: {} } }),
        TypeError,
        rx(
          `${D}\\.${key}: the regularizer string OrthogonalRegularizer has no regwasm counterpart \\(L1L2, L1, L2 do\\)`,
        ),
      ],
    ),
    ...(["kernel_constraint", "bias_constraint"] as const).map(
      (key): [string, () => unknown, typeof TypeError, RegExp] => [
        `an unknown ${key}`,
        () => denseModel({ [key]: { class_name: "RadialConstraint", config: {} } }),
        TypeError,
        rx(`${D}\\.${key}: the constraint string RadialConstraint has no regwasm counterpart`),
      ],
    ),
    [
      "an activation that is not a string (even one that prints as 'relu')",
      () => denseModel({ activation: ["relu"] }),
      TypeError,
      rx(
        `${D}: the activation an Array has no regwasm counterpart \\(relu, sigmoid, tanh, softmax, selu, linear do\\)`,
      ),
    ],
    [
      "an Activation layer regwasm lacks",
      () => keras([input(2), layer("Activation", { name: "a", activation: "elu" })]),
      TypeError,
      /^layer 'a' \(class Activation, artifacts\.modelTopology layer 1\): the activation string elu has no regwasm counterpart/,
    ],
    [
      "an activity regularizer on a relu Dense",
      () => denseModel({ activation: "relu", activity_regularizer: { class_name: "L1L2", config: { l1: 0.5 } } }),
      TypeError,
      rx(
        `${D}: an activity regularizer on a Dense with activation 'relu' has no regwasm counterpart \\(regwasm penalizes the output before the activation\\)`,
      ),
    ],
  ];

  it.each(rows)("%s", (_name, make, kind, message) => {
    const error = thrown(() => Sequential.fromTfjs(make() as TfjsArtifacts));
    expect(error).toBeInstanceOf(kind);
    expect(error.message).toMatch(message);
  });

  it("softmax cross-entropy on a model without layers asks for the final softmax", () => {
    const error = thrown(() => Sequential.fromTfjs(keras([input(2)]), { loss: new SoftmaxCrossEntropy() }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(
      "the model must end in softmax for the loss softmax-crossentropy (which applies it): pass another loss",
    );
  });

  it("a model of an InputLayer only has no layers (mean squared error); Sequential refuses it", () => {
    expect(fromTfjsArtifacts(keras([input(2)]))).toStrictEqual({ layers: [], loss: { type: "mean-squared-error" } });
    const error = thrown(() => Sequential.fromTfjs(keras([input(2)])));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/^layers must be a non-empty array of layers/);
  });
});

describe("weights", () => {
  it.each([
    ["TF.js's 'layer/weight'", "d/kernel", "d/bias"],
    ["a scope before", "sequential/d/kernel", "sequential/d/bias"],
    ["':0' after", "d/kernel:0", "d/bias:0"],
    ["a scope and ':0'", "sequential/d/kernel:0", "sequential/d/bias:0"],
  ])("are found by name: %s", (_what, kernel, bias) => {
    expect(only(keras([input(2), dense()], denseWeights(kernel, bias)))).toStrictEqual(denseJSON());
  });

  it("an exact name wins over a scoped one listed before it; names that only start alike are not taken", () => {
    const other = KERNEL.map((v) => -v);
    const a = keras(
      [input(2), dense()],
      [["d/kernel/extra", [2, 3], other], ["outer/d/kernel", [2, 3], other], ...denseWeights()],
    );
    expect(only(a)).toStrictEqual(denseJSON());
    const scoped = keras([input(2), dense()], [["d/kernel_1", [2, 3], other], ...denseWeights("x/d/kernel")]);
    expect(only(scoped)).toStrictEqual(denseJSON());
  });

  it("weightData as buffers of different sizes (cut inside a tensor, one empty) is their concatenation in order", () => {
    const bytes = new Float32Array([...KERNEL, ...BIAS]).buffer;
    const a = denseModel(
      {},
      { weightData: [bytes.slice(0, 8), bytes.slice(8, 8), bytes.slice(8, 28), bytes.slice(28)] },
    );
    expect(only(a)).toStrictEqual(denseJSON());
  });

  it("a scalar spec and a zero-size one take 4 bytes and none", () => {
    const a = keras(
      [input(2), dense()],
      [
        ["d/kernel", [2, 3], KERNEL],
        ["other/scalar", [], [9]],
        ["other/empty", [0, 3], []],
        ["d/bias", [3], BIAS],
      ],
    );
    expect(only(a)).toStrictEqual(denseJSON());
  });

  it("a model without weights needs neither weightSpecs nor weightData", () => {
    const a: TfjsArtifacts = {
      modelTopology: keras([input(4), layer("Dropout", { name: "x", rate: 0.5 })]).modelTopology,
    };
    expect(fromTfjsArtifacts(a)).toStrictEqual({
      layers: [{ type: "dropout", rate: 0.5, seed: 0 }],
      loss: { type: "mean-squared-error" },
    });
  });
});

describe("Dense configs", () => {
  it("a Dense with its input_shape only, no activation, no initializers: the defaults, no undefined keys", () => {
    const a = keras([layer("Dense", { name: "d", units: 3, input_shape: [2] })], denseWeights());
    expect(fromTfjsArtifacts(a)).toStrictEqual({ layers: [denseJSON()], loss: { type: "mean-squared-error" } });
  });

  it("a Dense of one unit", () => {
    const a = keras(
      [input(2), dense({ units: 1 })],
      [
        ["d/kernel", [2, 1], [0.5, -2]],
        ["d/bias", [1], [0.25]],
      ],
    );
    expect(only(a)).toStrictEqual(denseJSON({ nOut: 1, weights: [0.5, -2], biases: [0.25] }));
  });

  it.each([
    ["L1", { l1: 0.5 }, { l1: 0.5, l2: 0 }],
    ["L2", { l2: 0.25 }, { l1: 0, l2: 0.25 }],
    ["L1L2", { l1: 0.5, l2: 0.25 }, { l1: 0.5, l2: 0.25 }],
    ["L1L2", undefined, { l1: 0, l2: 0 }],
  ])("Keras's %s %j: its λ1 and λ2 as numbers", (class_name, config, { l1, l2 }) => {
    const reg = { class_name, config };
    const a = denseModel({ kernel_regularizer: reg, bias_regularizer: reg });
    expect(only(a)).toStrictEqual(denseJSON({ weightL1: l1, weightL2: l2, biasL1: l1, biasL2: l2 }));
  });

  it("regwasm's L1 regularizer object comes back as one (Keras's λ, regwasm's form)", () => {
    const model = new Sequential([new Dense(2, 3, { weightRegularizer: new L1(0.25), seed: 4 })], {
      loss: new MeanSquaredError(),
    });
    const copy = Sequential.fromTfjs(model.toTfjs());
    expect(configsOf(copy)).toStrictEqual(configsOf(model));
    const a = denseModel(
      { kernel_regularizer: { class_name: "L1L2", config: { l1: 0.5, l2: 0 } } },
      { userDefinedMetadata: meta({ d: { weightRegularizer: { type: "l1", l1: 0.25 } } }) },
    );
    expect(only(a)).toStrictEqual(denseJSON({ weightRegularizer: { type: "l1", l1: 0.5 } }));
    model.free();
    copy.free();
  });

  it.each([
    ["linear", { activation: "linear" }],
    ["absent (Keras's default, linear)", {}],
  ])("an activity regularizer on a Dense whose activation is %s is regwasm's l1l2 one", (_what, activation) => {
    const a = denseModel({ ...activation, activity_regularizer: { class_name: "L1L2", config: { l1: 0.5 } } });
    expect(only(a)).toStrictEqual(denseJSON({ activityRegularizer: { type: "l1l2", l1: 0.5, l2: 0 } }));
    const model = Sequential.fromTfjs(a);
    expect(model.toJSON().layers[0]).toMatchObject({ activityRegularizer: { type: "l1l2", l1: 0.5, l2: 0 } });
    model.free();
  });

  // each against TF.js's reading of the same config (its getConfig(), camelCase, without the type)
  it.each([
    ["MaxNorm", {}, { type: "maxNorm", maxValue: 2, axis: 0 }],
    ["MaxNorm", { max_value: 3, axis: 1 }, { type: "maxNorm", maxValue: 3, axis: 1 }],
    ["MinMaxNorm", {}, { type: "minMaxNorm", minValue: 0, maxValue: 1, rate: 1, axis: 0 }],
    [
      "MinMaxNorm",
      { min_value: 0.5, max_value: 2, rate: 0.25, axis: 1 },
      { type: "minMaxNorm", minValue: 0.5, maxValue: 2, rate: 0.25, axis: 1 },
    ],
    ["NonNeg", {}, { type: "nonNeg" }],
    ["UnitNorm", {}, { type: "unitNorm", axis: 0 }],
    ["UnitNorm", { axis: 1 }, { type: "unitNorm", axis: 1 }],
  ])("kernel_constraint %s %j as TF.js reads it", async (class_name, config, expected) => {
    const a = denseModel({ kernel_constraint: { class_name, config } });
    expect(only(a)).toStrictEqual(denseJSON({ weightConstraint: expected }));
    const tfModel = await loadInTfjs(a);
    const tfConstraint = (tfModel.getLayer("d") as unknown as { kernelConstraint: { getConfig(): object } })
      .kernelConstraint;
    const { type: _type, ...rest } = expected;
    expect(tfConstraint.getConfig()).toEqual(rest);
    tfModel.dispose();
  });

  it("a bias_constraint is the biasConstraint", () => {
    const a = denseModel({ bias_constraint: { class_name: "MaxNorm", config: { max_value: 1.5 } } });
    expect(only(a)).toStrictEqual(denseJSON({ biasConstraint: { type: "maxNorm", maxValue: 1.5, axis: 0 } }));
  });

  it("constraints TF.js writes (every field) import as TF.js holds them", async () => {
    const tfModel = tfl.sequential();
    tfModel.add(
      tfl.layers.dense({
        units: 3,
        inputShape: [2],
        kernelConstraint: tfl.constraints.minMaxNorm({ minValue: 0.5, maxValue: 2, rate: 0.25, axis: 1 }),
        biasConstraint: tfl.constraints.unitNorm({ axis: 0 }),
      }),
    );
    const [json] = imported(await savedByTfjs(tfModel));
    const [tfLayer] = tfModel.layers as unknown as { kernelConstraint: { getConfig(): object } }[];
    expect(json.weightConstraint).toStrictEqual({ type: "minMaxNorm", ...tfLayer.kernelConstraint.getConfig() });
    expect(json.weightConstraint).toStrictEqual({
      type: "minMaxNorm",
      minValue: 0.5,
      maxValue: 2,
      rate: 0.25,
      axis: 1,
    });
    expect(json.biasConstraint).toStrictEqual({ type: "unitNorm", axis: 0 });
    tfModel.dispose();
  });

  it.each([
    ["RandomNormal(0, 0.01)", "course", 7, () => tfl.initializers.randomNormal({ mean: 0, stddev: 0.01, seed: 7 })],
    ["RandomNormal with TF.js's default stddev", "glorotUniform", 7, () => tfl.initializers.randomNormal({ seed: 7 })],
    [
      "RandomNormal(1, 0.01)",
      "glorotUniform",
      7,
      () => tfl.initializers.randomNormal({ mean: 1, stddev: 0.01, seed: 7 }),
    ],
    ["RandomNormal(0, 0.02)", "glorotUniform", 0, () => tfl.initializers.randomNormal({ mean: 0, stddev: 0.02 })],
    ["Zeros", "zeros", 0, () => tfl.initializers.zeros()],
    ["Ones", "ones", 0, () => tfl.initializers.ones()],
    ["TruncatedNormal (no counterpart)", "glorotUniform", 5, () => tfl.initializers.truncatedNormal({ seed: 5 })],
    // TF.js saves these as VarianceScaling { scale, mode, distribution }
    ["glorotUniform", "glorotUniform", 4, () => tfl.initializers.glorotUniform({ seed: 4 })],
    ["glorotNormal", "glorotNormal", 4, () => tfl.initializers.glorotNormal({ seed: 4 })],
    ["heNormal", "heNormal", 4, () => tfl.initializers.heNormal({ seed: 4 })],
    ["heUniform", "heUniform", 4, () => tfl.initializers.heUniform({ seed: 4 })],
    ["leCunNormal", "lecunNormal", 4, () => tfl.initializers.leCunNormal({ seed: 4 })],
    ["leCunUniform", "lecunUniform", 4, () => tfl.initializers.leCunUniform({ seed: 4 })],
    [
      "VarianceScaling(2, fan_out, uniform) (no counterpart)",
      "glorotUniform",
      4,
      () => tfl.initializers.varianceScaling({ scale: 2, mode: "fanOut", distribution: "uniform", seed: 4 }),
    ],
  ])("TF.js's kernel initializer %s: weightInit %s, seed %s", async (_what, weightInit, seed, make) => {
    const tfModel = tfl.sequential();
    tfModel.add(tfl.layers.dense({ units: 3, inputShape: [2], kernelInitializer: make(), biasInitializer: "ones" }));
    const [json] = imported(await savedByTfjs(tfModel));
    expect([json.weightInit, json.biasInit, json.seed]).toStrictEqual([weightInit, "ones", seed]);
    tfModel.dispose();
  });

  it.each([
    [
      "HeNormal with a mean 0, stddev 0.01 config",
      "heNormal",
      { class_name: "HeNormal", config: { mean: 0, stddev: 0.01 } },
    ],
    [
      "an unknown class with a mean 0, stddev 0.01 config",
      "glorotUniform",
      { class_name: "Custom", config: { mean: 0, stddev: 0.01 } },
    ],
    [
      "RandomNormal(0, 0.01) without a seed",
      "course",
      { class_name: "RandomNormal", config: { mean: 0, stddev: 0.01 } },
    ],
    ["RandomNormal without a config", "glorotUniform", { class_name: "RandomNormal" }],
    ["a class-less object", "glorotUniform", {}],
    // names of Object.prototype's members are no initializers either
    ["toString", "glorotUniform", { class_name: "toString" }],
    ["constructor", "glorotUniform", { class_name: "constructor" }],
    ["__proto__", "glorotUniform", { class_name: "__proto__" }],
    // Keras's spelling of the normal variance-scaling initializers
    ["VarianceScaling(2, fan_in, truncated_normal)", "heNormal", varianceScaling(2, "fan_in", "truncated_normal")],
    [
      "VarianceScaling(1, fan_avg, untruncated_normal) (no counterpart)",
      "glorotUniform",
      varianceScaling(1, "fan_avg", "untruncated_normal"),
    ],
    ["VarianceScaling(2, fan_avg, normal) (no counterpart)", "glorotUniform", varianceScaling(2, "fan_avg", "normal")],
    ["VarianceScaling(3, fan_in, normal) (no counterpart)", "glorotUniform", varianceScaling(3, "fan_in", "normal")],
    [
      "VarianceScaling(1, fan_out, uniform) (no counterpart)",
      "glorotUniform",
      varianceScaling(1, "fan_out", "uniform"),
    ],
  ])("the kernel initializer %s is %s", (_what, weightInit, init) => {
    expect(only(denseModel({ kernel_initializer: init }))).toStrictEqual(denseJSON({ weightInit }));
  });

  // Keras's (Python) class names; TF.js itself writes VarianceScaling for all but GlorotUniform
  it.each([
    ["GlorotUniform", "glorotUniform"],
    ["GlorotNormal", "glorotNormal"],
    ["HeNormal", "heNormal"],
    ["HeUniform", "heUniform"],
    ["LeCunNormal", "lecunNormal"],
    ["LeCunUniform", "lecunUniform"],
    ["Zeros", "zeros"],
    ["Ones", "ones"],
  ])("Keras's kernel initializer %s is %s, its seed the seed", (class_name, weightInit) => {
    const a = denseModel({ kernel_initializer: { class_name, config: { seed: 3 } } });
    expect(only(a)).toStrictEqual(denseJSON({ weightInit, seed: 3 }));
  });

  it.each([
    ["Ones", "ones", { class_name: "Ones", config: {} }],
    ["RandomNormal(0, 0.01)", "course", { class_name: "RandomNormal", config: { mean: 0, stddev: 0.01 } }],
    ["null", "zeros", null],
  ])("the bias initializer %s is %s", (_what, biasInit, init) => {
    expect(only(denseModel({ bias_initializer: init }))).toStrictEqual(denseJSON({ biasInit }));
  });

  it.each([
    [7, 7],
    [0, 0],
    [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    [-3, 0],
    [2.5, 0],
    [2 ** 53, 0],
    ["7", 0],
    [null, 0],
  ])("the kernel initializer's seed %s gives the seed %s", (seed, expected) => {
    const a = denseModel({ kernel_initializer: { class_name: "GlorotUniform", config: { seed } } });
    expect(only(a)).toStrictEqual(denseJSON({ seed: expected }));
  });

  it("regwasm's metadata wins over the Keras initializers and seed; l1Method comes from it only", () => {
    const a = denseModel(
      { kernel_initializer: { class_name: "HeNormal", config: { seed: 3 } }, bias_initializer: { class_name: "Ones" } },
      { userDefinedMetadata: meta({ d: { seed: 9, weightInit: "course", biasInit: "zeros", l1Method: "proximal" } }) },
    );
    expect(only(a)).toStrictEqual(denseJSON({ seed: 9, weightInit: "course", l1Method: "proximal" }));
  });

  it("metadata without its layers map is read as no extras", () => {
    const a = denseModel(
      {},
      { userDefinedMetadata: { regwasm: { version: 1, loss: { type: "mean-absolute-error" } } } },
    );
    expect(fromTfjsArtifacts(a)).toStrictEqual({ layers: [denseJSON()], loss: { type: "mean-absolute-error" } });
  });
});

describe("activations and the loss", () => {
  it.each([
    ["relu", ["relu"], "mean-squared-error"],
    ["sigmoid", ["sigmoid"], "binary-crossentropy"],
    ["softmax", [], "softmax-crossentropy"],
    ["linear", [], "mean-squared-error"],
  ])("a Dense with activation %s: its activation layer, the inferred loss", (activation, after, loss) => {
    const { layers, loss: chosen } = fromTfjsArtifacts(denseModel({ activation }));
    expect(layers).toStrictEqual([denseJSON(), ...after.map((type) => ({ type }))]);
    expect(chosen).toStrictEqual({ type: loss });
  });

  it("an Activation layer linear adds no layer; tanh adds one", () => {
    const a = keras(
      [
        input(2),
        dense(),
        layer("Activation", { name: "a", activation: "linear" }),
        layer("Activation", { name: "b", activation: "tanh" }),
        layer("Activation", { name: "c", activation: "linear" }),
      ],
      denseWeights(),
    );
    expect(imported(a)).toStrictEqual([denseJSON(), { type: "tanh" }]);
  });
});

describe("noise layers", () => {
  const steps = { seed: 9, step: 4, inferenceStep: 2, storeMask: false };

  it("without metadata: the Keras rate and seed, no step keys, no noise shape", () => {
    const a = keras([
      input(6),
      layer("Dropout", { name: "a", rate: 0.25, noise_shape: null, seed: 5 }),
      layer("AlphaDropout", { name: "b", rate: 0.125 }),
      layer("GaussianNoise", { name: "c", stddev: 0.5, seed: 3 }),
      layer("GaussianDropout", { name: "e", rate: 0.375, seed: -1 }),
      layer("Reshape", { name: "r", target_shape: [3, -1] }),
      layer("SpatialDropout1D", { name: "f", rate: 0.5, seed: 2 }),
    ]);
    expect(imported(a)).toStrictEqual([
      { type: "dropout", rate: 0.25, seed: 5 },
      { type: "alpha-dropout", rate: 0.125, seed: 0 },
      { type: "gaussian-noise", stddev: 0.5, seed: 3 },
      { type: "gaussian-dropout", rate: 0.375, seed: 0 },
      { type: "spatial-dropout-1d", rate: 0.5, seed: 2, inputShape: [3, 2], dataFormat: "channels_last" },
    ]);
  });

  it("with metadata: each layer takes the steps it has (AlphaDropout no storeMask, the Gaussian ones step only)", () => {
    const names = ["a", "b", "c", "e", "f"];
    const a = keras(
      [
        input(6),
        layer("Dropout", { name: "a", rate: 0.25, seed: 5 }),
        layer("AlphaDropout", { name: "b", rate: 0.125 }),
        layer("GaussianNoise", { name: "c", stddev: 0.5 }),
        layer("GaussianDropout", { name: "e", rate: 0.375 }),
        layer("Reshape", { name: "r", target_shape: [-1, 2] }),
        layer("SpatialDropout1D", { name: "f", rate: 0.5 }),
      ],
      [],
      { userDefinedMetadata: meta(Object.fromEntries(names.map((n) => [n, steps]))) },
    );
    expect(imported(a)).toStrictEqual([
      { type: "dropout", rate: 0.25, seed: 9, step: 4, inferenceStep: 2, storeMask: false },
      { type: "alpha-dropout", rate: 0.125, seed: 9, step: 4, inferenceStep: 2 },
      { type: "gaussian-noise", stddev: 0.5, seed: 9, step: 4 },
      { type: "gaussian-dropout", rate: 0.375, seed: 9, step: 4 },
      {
        type: "spatial-dropout-1d",
        rate: 0.5,
        seed: 9,
        inputShape: [3, 2],
        dataFormat: "channels_last",
        step: 4,
        inferenceStep: 2,
        storeMask: false,
      },
    ]);
  });

  it("a Dropout's noise_shape; its sample shape when Reshape made one", () => {
    const a = keras([
      input(6),
      layer("Dropout", { name: "a", rate: 0.25, noise_shape: [null, 1] }),
      layer("Reshape", { name: "r", target_shape: [2, 3] }),
      layer("Dropout", { name: "b", rate: 0.5, noise_shape: [null, 1, 3] }),
      layer("Flatten", { name: "f" }),
    ]);
    expect(imported(a)).toStrictEqual([
      { type: "dropout", rate: 0.25, seed: 0, noiseShape: [null, 1] },
      { type: "dropout", rate: 0.5, seed: 0, noiseShape: [null, 1, 3], inputShape: [2, 3] },
    ]);
  });

  it("TF.js's own model (Reshape, SpatialDropout1D, Flatten, a Dense after) imports with its shapes and weights", async () => {
    const tfModel = tfl.sequential();
    tfModel.add(tfl.layers.dense({ units: 6, inputShape: [2], name: "d" }));
    tfModel.add(tfl.layers.reshape({ targetShape: [3, 2], name: "r" }));
    tfModel.add(tfl.layers.spatialDropout1d({ rate: 0.25, seed: 4, name: "s" }));
    tfModel.add(tfl.layers.flatten({ name: "f" }));
    tfModel.add(tfl.layers.dense({ units: 2, name: "e" }));
    const layers = imported(await savedByTfjs(tfModel));
    // TF.js's Dense defaults to glorotNormal (Keras's to glorotUniform), saved as VarianceScaling
    const { weights: _w, biases: _b, ...config } = denseJSON({ weightInit: "glorotNormal" });
    expect(layers.map(({ weights: _w, biases: _b, ...c }) => c)).toStrictEqual([
      { ...config, nOut: 6 },
      { type: "spatial-dropout-1d", rate: 0.25, seed: 4, inputShape: [3, 2], dataFormat: "channels_last" },
      { ...config, nIn: 6, nOut: 2 },
    ]);
    const tfWeights = tfModel.getWeights().map((w) => Array.from(w.dataSync()));
    expect([layers[0].weights, layers[0].biases, layers[2].weights, layers[2].biases]).toStrictEqual(tfWeights);
    tfModel.dispose();
  });
});

it("the caller's artifacts are left as they were", () => {
  const model = new Sequential(
    [
      new Dense(2, 6, { seed: 1 }),
      new AlphaDropout(0.2, { seed: 2 }),
      new Dropout(0.1, { seed: 3 }),
      new GaussianNoise(0.5),
    ],
    { loss: new MeanSquaredError() },
  );
  const a = model.toTfjs();
  (a.modelTopology.config as { layers: Entry[] }).layers.splice(
    2,
    0,
    layer("Reshape", { name: "r", target_shape: [-1, 2] }),
    layer("Dropout", { name: "x", rate: 0.5, noise_shape: [null, 1, 2] }),
    layer("Flatten", { name: "f" }),
  );
  const before = structuredClone(a);
  const copy = Sequential.fromTfjs(a);
  expect(a).toStrictEqual(before);
  expect(new Uint8Array(a.weightData as ArrayBuffer)).toStrictEqual(new Uint8Array(before.weightData as ArrayBuffer));
  copy.free();
  model.free();
});
