// The extension points: a layer and an optimizer written outside the library join a model and its
// JSON through one registry line each, and the registries reject what they cannot build.
import { afterEach, describe, expect, it } from "vitest";
import {
  allocF32,
  Dense,
  init,
  Layer,
  type LayerJSON,
  layerRegistry,
  Matrix,
  Optimizer,
  type OptimizerJSON,
  optimizerRegistry,
  type Param,
  Registry,
  ReLU,
  Sequential,
  SGD,
  spiralData,
} from "../../src/index.js";
import type { F32Buffer } from "../../src/wasm/buffer.js";

await init();

/** A user's layer in one class: output = factor · input, no parameters. */
class Scale extends Layer {
  readonly type = "test-scale";
  #outputs = new Map<number, Matrix>();

  constructor(readonly factor: number) {
    super();
  }

  get instance() {
    return null;
  }

  outputSize(inputSize: number): number {
    return inputSize;
  }

  forward(input: Matrix): Matrix {
    let out = this.#outputs.get(input.rows);
    if (!out) {
      out = new Matrix(allocF32(input.rows * input.cols, input.instance), input.rows, input.cols);
      this.#outputs.set(input.rows, out);
    }
    const x = input.data.view();
    const y = out.data.view();
    for (let i = 0; i < x.length; i++) y[i] = this.factor * x[i];
    return out;
  }

  backward(dOutput: Matrix, needInputGrad: boolean): Matrix | null {
    if (!needInputGrad) return null;
    const d = dOutput.data.view();
    for (let i = 0; i < d.length; i++) d[i] *= this.factor;
    return dOutput;
  }

  toJSON(): LayerJSON {
    return { type: this.type, factor: this.factor };
  }

  static fromJSON(json: LayerJSON): Scale {
    return new Scale(json.factor as number);
  }

  free(): void {
    for (const m of this.#outputs.values()) m.data.free();
    this.#outputs.clear();
  }
}

/** A user's optimizer in one class: w ← w − lr·sign(g). */
class SignSGD extends Optimizer {
  readonly type = "test-sign-sgd";

  constructor(options: { learningRate: number }) {
    super(options.learningRate, 0, 0);
  }

  protected slots(): number {
    return 0;
  }

  protected update(param: Param, _state: F32Buffer[], lr: number): void {
    const w = param.value.view();
    const g = param.grad.view();
    for (let i = 0; i < w.length; i++) w[i] -= lr * Math.sign(g[i]);
  }

  protected config(): Record<string, number> {
    return { learningRate: this.learningRate };
  }

  static fromJSON(json: OptimizerJSON): SignSGD {
    return new SignSGD({ learningRate: json.config.learningRate });
  }
}

afterEach(() => {
  layerRegistry.unregister("test-scale");
  optimizerRegistry.unregister("test-sign-sgd");
});

const data = spiralData(20, 3, { seed: 5 });
const build = () =>
  new Sequential([new Dense(2, 8, { seed: 1 }), new Scale(0.5), new ReLU(), new Dense(8, 3, { seed: 2 })]);

describe("registries", () => {
  it("a custom layer and optimizer train, save and load through one register line each", async () => {
    layerRegistry.register("test-scale", Scale.fromJSON);
    optimizerRegistry.register("test-sign-sgd", SignSGD.fromJSON);
    const model = build();
    await model.fit(data.x, data.y, { epochs: 3, optimizer: new SignSGD({ learningRate: 0.01 }) });
    const copy = Sequential.fromJSON(JSON.stringify(model.toJSON()));
    expect(copy.layers.map((l) => l.type)).toEqual(["dense", "test-scale", "relu", "dense"]);
    expect((copy.layers[1] as Scale).factor).toBe(0.5);
    expect(copy.optimizer).toBeInstanceOf(SignSGD);
    expect(copy.predict(data.x)).toEqual(model.predict(data.x));
    // both continue identically: the custom optimizer's config came back
    const a = await model.fit(data.x, data.y, { epochs: 2 });
    const b = await copy.fit(data.x, data.y, { epochs: 2 });
    expect(b).toEqual(a);
    model.free();
    copy.free();
  });

  it("the custom layer's gradient flows: Scale(s) before ReLU trains like weights scaled by s", () => {
    // (s·z)⁺ = s·z⁺ for s > 0, so Dense → Scale(0.5) → ReLU → Dense equals Dense → ReLU → Dense with
    // the second layer's weights halved, in forward and (by the chain rule) in the first layer's gradient
    layerRegistry.register("test-scale", Scale.fromJSON);
    const scaled = build();
    const plain = new Sequential([new Dense(2, 8, { seed: 1 }), new ReLU(), new Dense(8, 3, { seed: 2 })]);
    const w = plain.layers[2] as Dense;
    w.weights.view().set(w.weights.view().map((v) => v * 0.5));
    const gs = scaled.computeGradients(data.x, data.y);
    const gp = plain.computeGradients(data.x, data.y);
    expect(gs.dataLoss).toBeCloseTo(gp.dataLoss, 6);
    const [dw1s] = scaled.params().map((p) => p.grad.view());
    const [dw1p] = plain.params().map((p) => p.grad.view());
    for (let i = 0; i < dw1s.length; i++) expect(dw1s[i]).toBeCloseTo(dw1p[i], 6);
    scaled.free();
    plain.free();
  });

  it("an unregistered type is an error naming the path and the registered types", () => {
    const json = build().toJSON(); // Scale is not registered here
    expect(() => Sequential.fromJSON(json)).toThrow(
      /json\.layers\[1\]\.type must be a registered layer type \('dense', 'relu', 'dropout', 'sigmoid', 'tanh', 'softmax', 'activity-regularization', 'spatial-dropout-1d', .*, 'selu'\), got string test-scale/,
    );
    const badOptimizer = { ...new Sequential([new Dense(2, 3)]).toJSON() };
    badOptimizer.optimizer = { type: "lion", config: {}, iterations: 0, state: [null, null] };
    expect(() => Sequential.fromJSON(badOptimizer)).toThrow(
      /json\.optimizer\.type must be a registered optimizer type \('sgd', 'adam'\)/,
    );
    const badLoss = { ...new Sequential([new Dense(2, 3)]).toJSON(), loss: { type: "hinge" } };
    expect(() => Sequential.fromJSON(badLoss)).toThrow(/json\.loss\.type must be a registered loss type/);
  });

  it("a builder's error is prefixed with the JSON path", () => {
    const json = new Sequential([new Dense(2, 3)]).toJSON();
    json.layers[0] = { ...json.layers[0], weights: [1, 2] };
    expect(() => Sequential.fromJSON(json)).toThrow(
      /^json\.layers\[0\]: json\.weights must be an array of 6 finite numbers/,
    );
  });

  it("registering a taken type, an empty type or a non-function is refused", () => {
    expect(() => layerRegistry.register("dense", Dense.fromJSON)).toThrow(/already registered/);
    expect(() => layerRegistry.register("", Dense.fromJSON)).toThrow(TypeError);
    expect(() => layerRegistry.register("x", null as never)).toThrow(/fromJSON must be a function/);
    const r = new Registry<number>("thing").register("one", () => 1);
    expect(r.types).toEqual(["one"]);
    expect(r.fromJSON({ type: "one" }, "json.thing")).toBe(1);
    expect(() => r.fromJSON(null, "json.thing")).toThrow(/json\.thing must be an object/);
    expect(r.unregister("one")).toBe(true);
    expect(r.has("one")).toBe(false);
  });

  it("an optimizer that is not an Optimizer is refused by fit", async () => {
    const model = new Sequential([new Dense(2, 3)]);
    await expect(model.fit(data.x, data.y, { epochs: 1, optimizer: { step: () => 0 } as never })).rejects.toThrow(
      /options\.optimizer must be an optimizer/,
    );
    await model.fit(data.x, data.y, { epochs: 1, optimizer: new SGD() });
    model.free();
  });
});
