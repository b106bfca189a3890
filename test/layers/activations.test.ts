// The activation layers Sigmoid, Tanh and Softmax on their own and in a model: forward and backward
// against float64 references, their JSON through the layer registry, the errors they name, the
// plan that keeps them unfused, workspaces that follow the instance, and free().
import { beforeAll, describe, expect, it } from "vitest";
import {
  allocF32,
  Dense,
  init,
  type Instance,
  instantiate,
  layerRegistry,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  Tanh,
} from "../../src/index.js";
import type { ActivationLayer } from "../../src/layers/activation-layer.js";
import { planStages } from "../../src/layers/plan.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { Matrix } from "../../src/wasm/matrix.js";
import { refSoftmaxBackward, refSigmoid, refTanh } from "../kernels/support/activation-reference.js";
import { refSoftmaxCrossEntropy } from "../kernels/support/layer-reference.js";
import { refMatmul, uniform } from "./support.js";

let other: Instance;
beforeAll(async () => {
  await init();
  other = await instantiate();
});

function matrix(values: ArrayLike<number>, rows: number, cols: number, inst: Instance = defaultInstance()): Matrix {
  const buf = allocF32(rows * cols, inst);
  buf.view().set(values);
  return new Matrix(buf, rows, cols);
}

/** Float64 forward and backward (from the float64 output) of each layer, per row of `cols` values. */
const REFERENCES = {
  sigmoid: {
    forward: (x: Float32Array) => Float64Array.from(x, refSigmoid),
    backward: (dy: Float32Array, y: ArrayLike<number>) => Float64Array.from(dy, (d, i) => d * y[i] * (1 - y[i])),
  },
  tanh: {
    forward: (x: Float32Array) => Float64Array.from(x, refTanh),
    backward: (dy: Float32Array, y: ArrayLike<number>) => Float64Array.from(dy, (d, i) => d * (1 - y[i] * y[i])),
  },
  softmax: {
    forward: (x: Float32Array, rows: number, cols: number) =>
      refSoftmaxCrossEntropy(x, new Uint32Array(rows), rows, cols, 1).probs,
    backward: (dy: Float32Array, y: ArrayLike<number>, rows: number, cols: number) =>
      refSoftmaxBackward(dy, y, rows, cols),
  },
};

const LAYERS: [string, () => ActivationLayer, keyof typeof REFERENCES][] = [
  ["Sigmoid", () => new Sigmoid(), "sigmoid"],
  ["Tanh", () => new Tanh(), "tanh"],
  ["Softmax", () => new Softmax(), "softmax"],
];

describe.each(LAYERS)("%s layer", (label, make, type) => {
  const rows = 7,
    cols = 5;
  const x = uniform(rows * cols, 101, -4, 4);
  const dy = uniform(rows * cols, 102, -1, 1);
  const ref = REFERENCES[type];

  it("forward and backward (in place in dOutput) against float64", () => {
    const layer = make();
    const y = layer.forward(matrix(x, rows, cols), true);
    expect([y.rows, y.cols]).toEqual([rows, cols]);
    const want = ref.forward(x, rows, cols);
    // σ and tanh within 4 ulp (the kernel suites' bound), softmax within 2 f32 roundings
    y.toArray().forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(4 * 2 ** -24 * Math.abs(want[i])));
    const d = matrix(dy, rows, cols);
    const dx = layer.backward(d, true)!;
    expect(dx).toBe(d);
    // from the float64 output: the layer's f32 output differs by ≤ 4 ulp, which moves y(1 − y), 1 − y²
    // or the softmax product by ≤ 1e-6 relative to the size of the terms (|dy| ≤ 1)
    const wantDx = ref.backward(dy, want, rows, cols);
    dx.toArray().forEach((v, i) => expect(Math.abs(v - wantDx[i])).toBeLessThanOrEqual(2e-6));
    expect(layer.backward(matrix(dy, rows, cols), false)).toBeNull();
    layer.free();
  });

  it("keeps any width, takes no parameters, is not fused into a Dense before it", () => {
    const layer = make();
    expect(layer.outputSize(13)).toBe(13);
    expect(layer.inputSize).toBeNull();
    expect(layer.params()).toEqual([]);
    expect(layer.activation).toBeNull();
    const d = new Dense(3, 4);
    expect(planStages([d, layer]).map((s) => [s.layer, s.fused])).toEqual([
      [d, null],
      [layer, null],
    ]);
    d.free();
  });

  it("names the misuse: backward before forward, dOutput of another shape", () => {
    const layer = make();
    expect(() => layer.backward(matrix(dy, rows, cols), true)).toThrow(
      new RegExp(`^${label}\\.backward\\(\\) called before forward\\(\\)$`),
    );
    layer.forward(matrix(x, rows, cols), false);
    expect(() => layer.backward(matrix(dy.subarray(0, 6 * cols), 6, cols), true)).toThrow(
      /^dOutput must be 7 × 5, got 6 × 5$/,
    );
    layer.free();
  });

  it("round-trips through the layer registry, which refuses unknown keys", () => {
    const layer = make();
    expect(layer.toJSON()).toEqual({ type });
    const copy = layerRegistry.fromJSON(JSON.parse(JSON.stringify(layer.toJSON())), "json.layers[0]");
    expect(copy.constructor).toBe(layer.constructor);
    expect(() => layerRegistry.fromJSON({ type, alpha: 1 }, "json.layers[0]")).toThrow(
      /^json\.layers\[0\]: json\.alpha is not a known option; the options are type$/,
    );
  });

  it("follows its input to another instance and frees its workspaces there", () => {
    const layer = make();
    const live = () => [defaultInstance().heap.allocations, other.heap.allocations];
    const inputs = [matrix(x, rows, cols), matrix(x, rows, cols, other)];
    const before = live();
    const a = layer.forward(inputs[0], false).toArray();
    const b = layer.forward(inputs[1], false);
    expect(b.instance).toBe(other);
    expect(b.toArray()).toEqual(a);
    expect(live()).toEqual([before[0], before[1] + 1]); // the first instance's workspace is gone
    layer.free();
    expect(live()).toEqual(before);
  });
});

describe("activation layers in a model", () => {
  it("Dense → Tanh → Dense → Sigmoid → Dense → Softmax → Dense: predictions match a float64 forward", () => {
    const dims = [3, 6, 5, 4, 3];
    const dense = dims.slice(1).map((n, i) => {
      const d = new Dense(dims[i], n, { seed: 70 + i });
      d.weights.view().set(uniform(dims[i] * n, 80 + i, -1, 1));
      d.biases.view().set(uniform(n, 90 + i, -0.5, 0.5));
      return d;
    });
    const model = new Sequential([dense[0], new Tanh(), dense[1], new Sigmoid(), dense[2], new Softmax(), dense[3]]);
    const rows = 11;
    const x = uniform(rows * 3, 99, -2, 2);
    let a: Float64Array = Float64Array.from(x);
    dense.forEach((d, i) => {
      a = refMatmul(a, d.weights.view(), rows, dims[i], dims[i + 1], d.biases.view());
      if (i === 0) a = a.map(refTanh);
      if (i === 1) a = a.map(refSigmoid);
      if (i === 2) a = refSoftmaxCrossEntropy(a, new Uint32Array(rows), rows, dims[3], 1).probs;
    });
    const want = refSoftmaxCrossEntropy(a, new Uint32Array(rows), rows, 3, 1).probs;
    const got = model.predict(x);
    // f32 activations through four layers of O(1) weights: ≤ 1e-5 absolute on probabilities
    got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(1e-5));
    model.free();
  });

  it("ReLU after a Dense is still fused when the new activations are around it", () => {
    const [d1, r, s, d2] = [new Dense(2, 4), new ReLU(), new Sigmoid(), new Dense(4, 3)];
    expect(planStages([d1, r, s, d2]).map((st) => [st.layer, st.fused])).toEqual([
      [d1, "relu"],
      [s, null],
      [d2, null],
    ]);
    d1.free();
    d2.free();
  });
});
