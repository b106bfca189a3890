// Finite-difference gradient checks: analytic gradients (model.computeGradients: the layers'
// backward passes, the softmax-CE gradient and the fused regularization kernel) against float64
// central differences of the model's own loss.
//
// Kinks: |w| (L1) and max(z, 0) (ReLU) are not differentiable at 0, and a central difference that
// straddles a kink measures a blend of the two slopes. So L1-penalised values are kept ≥ 0.05 away
// from 0 and each ReLU's biases are shifted (with a float64 reference forward) until every
// pre-activation is ≥ 0.05 away from 0: a single ±h = ±0.01 perturbation moves a pre-activation by
// at most 0.01·|input| ≤ 0.01 here, so no difference crosses a kink.
//
// Tolerance: the loss is computed from f32 activations, so it carries a rounding noise of about
// 1e-7 relative; divided by the 2h = 2e-2 of the central difference that is ≤ 1e-5 absolute. The
// truncation error of a central difference is O(h²) ≈ 1e-4 relative for these smooth, O(1)-curved
// losses. So |analytic − numeric| ≤ 2e-3·max(|analytic|, |numeric|) + 5e-5; a missing factor 2 in
// an L2 gradient, a wrong sign or a dropped term all exceed it by orders of magnitude.
import { beforeAll, describe, expect, it } from "vitest";
import {
  BinaryCrossEntropy,
  init,
  Dense,
  Dropout,
  type Layer,
  ReLU,
  Sequential,
  type DenseOptions,
  Sigmoid,
  Softmax,
  Tanh,
  MeanSquaredError,
  MeanAbsoluteError,
} from "../../src/index.js";
import { Matrix } from "../../src/wasm/matrix.js";
import { allocF32 } from "../../src/wasm/buffer.js";
import { refMatmul, uniform } from "./support.js";
import { refSigmoid, refTanh } from "../kernels/support/activation-reference.js";
import { refSoftmaxCrossEntropy } from "../kernels/support/layer-reference.js";

beforeAll(() => init());

const H = 1e-2;
const REL = 2e-3;
const ABS = 5e-5;

/** A dense layer with O(1) random weights and non-zero biases (L1 is not differentiable at 0). */
function dense(nIn: number, nOut: number, seed: number, options: DenseOptions = {}): Dense {
  const layer = new Dense(nIn, nOut, { ...options, seed });
  layer.weights.view().set(uniform(nIn * nOut, seed * 7 + 1, -1, 1));
  layer.biases.view().set(uniform(nOut, seed * 7 + 2, -0.5, 0.5));
  return layer;
}

function data(rows: number, features: number, classes: number, seed: number) {
  const x = uniform(rows * features, seed, -1, 1);
  const y = Uint32Array.from({ length: rows }, (_, i) => (i * 5 + seed) % classes);
  return { x, y };
}

const MARGIN = 0.05;

/** Moves values of L1-penalised parameters at least MARGIN away from 0 (keeping their sign). */
function clearOfZero(values: Float32Array): void {
  for (let i = 0; i < values.length; i++)
    if (Math.abs(values[i]) < MARGIN) values[i] = (values[i] < 0 ? -1 : 1) * (MARGIN + Math.abs(values[i]));
}

/** The bias closest to b that keeps every c[i] + bias, and itself (for biasL1), at least MARGIN away from 0. */
function safeBias(c: number[], b: number): number {
  const points = c.map((v) => -v).sort((p, q) => p - q);
  const candidates = [
    b,
    points[0] - 2 * MARGIN,
    points[points.length - 1] + 2 * MARGIN,
    points[0] - 4 * MARGIN,
    points[points.length - 1] + 4 * MARGIN,
  ];
  for (let i = 1; i < points.length; i++) candidates.push((points[i - 1] + points[i]) / 2);
  const ok = candidates.filter((cand) => Math.abs(cand) >= MARGIN && c.every((v) => Math.abs(v + cand) >= MARGIN));
  return ok.reduce((best, cand) => (Math.abs(cand - b) < Math.abs(best - b) ? cand : best));
}

/**
 * Makes the model's loss smooth within ±H of its parameters (see the header): L1-penalised values
 * away from 0, and each Dense layer feeding a ReLU re-biased using a float64 reference forward
 * (dropout layers are treated as identity: a positive scale does not move a kink; the smooth
 * activations are applied so that a ReLU after them is re-biased from the right values).
 */
function avoidKinks(model: Sequential, x: Float32Array, rows: number): void {
  for (const p of model.params()) if (p.l1 > 0) clearOfZero(p.value.view());
  let a: Float64Array = Float64Array.from(x);
  let cols = model.inputSize;
  model.layers.forEach((layer, i) => {
    if (layer instanceof Dense) {
      const w = layer.weights.view(),
        b = layer.biases.view();
      const z = refMatmul(a, w, rows, cols, layer.nOut);
      if (model.layers[i + 1] instanceof ReLU) {
        for (let j = 0; j < layer.nOut; j++) {
          b[j] = safeBias(
            Array.from({ length: rows }, (_, r) => z[r * layer.nOut + j]),
            b[j],
          );
        }
      }
      a = refMatmul(a, w, rows, cols, layer.nOut, b);
      cols = layer.nOut;
    } else if (layer instanceof ReLU) {
      a = a.map((v) => Math.max(v, 0));
    } else if (layer instanceof Sigmoid) {
      a = a.map(refSigmoid);
    } else if (layer instanceof Tanh) {
      a = a.map(refTanh);
    } else if (layer instanceof Softmax) {
      a = refSoftmaxCrossEntropy(a, new Uint32Array(rows), rows, cols, 1).probs;
    }
  });
}

/**
 * Compares every parameter's analytic gradient with central differences of `loss()`, which must
 * recompute the loss with the same dropout masks each time. Returns the number of entries checked.
 */
function checkModel(model: Sequential, x: Float32Array, y: Uint32Array | Float32Array, training: boolean): number {
  const dropouts = model.layers.filter((l): l is Dropout => l instanceof Dropout);
  const steps = dropouts.map((d) => d.step);
  const rewind = () => dropouts.forEach((d, i) => (d.step = steps[i]));
  avoidKinks(model, x, x.length / model.inputSize);
  const loss = (): number => {
    rewind();
    return training ? model.computeGradients(x, y).loss : model.evaluate(x, y).loss;
  };
  rewind();
  model.computeGradients(x, y);
  const params = model.params();
  const analytic = params.map((p) => p.grad.view().slice());
  let checked = 0;
  params.forEach((p, k) => {
    for (let i = 0; i < p.value.length; i++) {
      const w = p.value.view()[i];
      const up = Math.fround(w + H),
        down = Math.fround(w - H);
      p.value.view()[i] = up;
      const lossUp = loss();
      p.value.view()[i] = down;
      const lossDown = loss();
      p.value.view()[i] = w;
      const numeric = (lossUp - lossDown) / (up - down);
      const a = analytic[k][i];
      expect(
        Math.abs(a - numeric),
        `${p.name}[${i}] of param ${k}: analytic ${a}, numeric ${numeric}`,
      ).toBeLessThanOrEqual(REL * Math.max(Math.abs(a), Math.abs(numeric)) + ABS);
      checked++;
    }
  });
  return checked;
}

describe("Dense + softmax cross-entropy", () => {
  const { x, y } = data(7, 3, 4, 1);
  it.each<[string, DenseOptions]>([
    ["no penalty", {}],
    ["weightL1", { weightL1: 0.05 }],
    ["weightL2", { weightL2: 0.1 }],
    ["biasL1", { biasL1: 0.05 }],
    ["biasL2", { biasL2: 0.1 }],
    ["all four", { weightL1: 0.03, weightL2: 0.07, biasL1: 0.02, biasL2: 0.09 }],
    ["weightL2 + biasL2, torch convention", { weightL2: 0.1, biasL2: 0.2, convention: "torch" }],
  ])("%s: analytic gradients match central differences", (_, options) => {
    const model = new Sequential([dense(3, 4, 11, options)]);
    expect(checkModel(model, x, y, false)).toBe(3 * 4 + 4);
    model.free();
  });

  it("the check fails for a wrong gradient (the L2 term left out of the analytic side)", () => {
    const model = new Sequential([dense(3, 4, 11, { weightL2: 0.1 })]);
    model.computeGradients(x, y);
    const [weights] = model.params();
    const analytic = weights.grad.view()[0];
    const w = weights.value.view()[0];
    const without = analytic - 2 * 0.1 * w;
    weights.value.view()[0] = Math.fround(w + H);
    const up = model.evaluate(x, y).loss;
    weights.value.view()[0] = Math.fround(w - H);
    const down = model.evaluate(x, y).loss;
    const numeric = (up - down) / (Math.fround(w + H) - Math.fround(w - H));
    expect(Math.abs(without - numeric)).toBeGreaterThan(REL * Math.max(Math.abs(without), Math.abs(numeric)) + ABS);
    model.free();
  });
});

describe("ReLU between dense layers (fused into the Dense kernel)", () => {
  it("analytic gradients match central differences", () => {
    const { x, y } = data(9, 3, 4, 2);
    const model = new Sequential([dense(3, 6, 21, { weightL2: 0.02 }), new ReLU(), dense(6, 4, 22, { biasL1: 0.01 })]);
    expect(checkModel(model, x, y, false)).toBe(3 * 6 + 6 + 6 * 4 + 4);
    model.free();
  });

  it("a ReLU not after a Dense (unfused, first layer) also matches", () => {
    const { x, y } = data(9, 3, 4, 3);
    const model = new Sequential([new ReLU(), dense(3, 5, 31), new ReLU(), new ReLU(), dense(5, 4, 32)]);
    expect(checkModel(model, x, y, false)).toBe(3 * 5 + 5 + 5 * 4 + 4);
    model.free();
  });
});

describe("Dropout with a fixed mask", () => {
  it.each([true, false])(
    "layer alone (storeMask %s): backward equals the derivative of Σ c·dropout(x)",
    (storeMask) => {
      const rows = 5,
        cols = 37,
        rate = 0.3;
      const layer = new Dropout(rate, { seed: 9, storeMask });
      const xs = uniform(rows * cols, 41, -1, 1),
        c = uniform(rows * cols, 42, -1, 1);
      const matrix = (values: Float32Array) => {
        const buf = allocF32(values.length);
        buf.view().set(values);
        return new Matrix(buf, rows, cols);
      };
      const objective = (values: Float32Array): number => {
        layer.step = 4;
        const out = layer.forward(matrix(values), true).data.view();
        let s = 0;
        for (let i = 0; i < out.length; i++) s += c[i] * out[i];
        return s;
      };
      objective(xs);
      const dx = layer.backward(matrix(c), true)!.data.view().slice();
      let kept = 0;
      for (let i = 0; i < xs.length; i++) {
        const up = xs.slice(),
          down = xs.slice();
        up[i] = Math.fround(xs[i] + H);
        down[i] = Math.fround(xs[i] - H);
        const numeric = (objective(up) - objective(down)) / (up[i] - down[i]);
        // linear in x: exact up to the f32 rounding of c·x·scale products (≤ 1e-6 relative)
        expect(Math.abs(dx[i] - numeric)).toBeLessThanOrEqual(1e-5);
        if (dx[i] !== 0) kept++;
      }
      // about (1 − rate) of the elements are kept, each scaled by 1/(1 − rate)
      expect(kept / xs.length).toBeGreaterThan(0.5);
      expect(kept / xs.length).toBeLessThan(0.9);
    },
  );

  it("whole small model in training mode (masks replayed from the saved step)", () => {
    const { x, y } = data(8, 2, 3, 4);
    const model = new Sequential([
      dense(2, 6, 51, { weightL1: 0.01, weightL2: 0.02, biasL1: 0.01, biasL2: 0.02 }),
      new ReLU(),
      new Dropout(0.25, { seed: 5 }),
      dense(6, 3, 52, { weightL2: 0.03 }),
    ]);
    expect(checkModel(model, x, y, true)).toBe(2 * 6 + 6 + 6 * 3 + 3);
    model.free();
  });

  it("the same model in regenerate mode gives the same gradients as with a stored mask", () => {
    const { x, y } = data(8, 2, 3, 4);
    const build = (storeMask: boolean) =>
      new Sequential([dense(2, 6, 51), new ReLU(), new Dropout(0.25, { seed: 5, storeMask }), dense(6, 3, 52)]);
    const a = build(true),
      b = build(false);
    a.computeGradients(x, y);
    b.computeGradients(x, y);
    a.params().forEach((p, i) => expect(Array.from(p.grad.view())).toEqual(Array.from(b.params()[i].grad.view())));
    a.free();
    b.free();
  });
});

describe("whole model with wide and narrow kernels", () => {
  it("Dense(2, 20) → ReLU → Dense(20, 17) → ReLU → Dense(17, 3): every kernel form's gradients", () => {
    // 20 and 17 outputs use the wide kernels, 3 outputs from 17 inputs the narrow ones
    const { x, y } = data(6, 2, 3, 6);
    const layers: Layer[] = [
      dense(2, 20, 61, { weightL2: 0.01 }),
      new ReLU(),
      dense(20, 17, 62, { weightL1: 0.005 }),
      new ReLU(),
      dense(17, 3, 63, { biasL2: 0.05 }),
    ];
    const model = new Sequential(layers);
    expect((layers[4] as Dense).narrow).toBe(true);
    expect((layers[2] as Dense).narrow).toBe(false);
    expect(checkModel(model, x, y, false)).toBe(2 * 20 + 20 + 20 * 17 + 17 + 17 * 3 + 3);
    model.free();
  });
});

describe("Sigmoid, Tanh and Softmax layers (backward from their outputs)", () => {
  it.each<[string, () => Layer]>([
    ["Sigmoid", () => new Sigmoid()],
    ["Tanh", () => new Tanh()],
    ["Softmax", () => new Softmax()],
  ])("Dense(3, 5) → %s → Dense(5, 4): analytic gradients match central differences", (_, make) => {
    const { x, y } = data(9, 3, 4, 7);
    const model = new Sequential([dense(3, 5, 71, { weightL2: 0.02 }), make(), dense(5, 4, 72)]);
    expect(checkModel(model, x, y, false)).toBe(3 * 5 + 5 + 5 * 4 + 4);
    model.free();
  });

  it("all three and a fused ReLU in one model, an activation first", () => {
    const { x, y } = data(8, 3, 3, 8);
    const model = new Sequential([
      new Tanh(),
      dense(3, 6, 81),
      new Sigmoid(),
      dense(6, 5, 82),
      new ReLU(),
      dense(5, 4, 83),
      new Softmax(),
      dense(4, 3, 84, { biasL1: 0.01 }),
    ]);
    expect(checkModel(model, x, y, false)).toBe(3 * 6 + 6 + 6 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3);
    model.free();
  });
});

describe("losses on value targets (rows × outputs)", () => {
  const rows = 9;
  const x = uniform(rows * 3, 91, -1, 1);

  it("BinaryCrossEntropy on Dense(3, 5) → Tanh → Dense(5, 2) → Sigmoid, soft and hard targets", () => {
    const y = Float32Array.from(uniform(rows * 2, 92, 0, 1), (v, i) => (i % 3 ? Math.round(v) : v));
    const model = new Sequential([dense(3, 5, 93, { weightL2: 0.01 }), new Tanh(), dense(5, 2, 94), new Sigmoid()], {
      loss: new BinaryCrossEntropy(),
    });
    // O(1) weights keep every probability in (0.01, 0.99): far from the clip at 1e-7 and 1 − 1e-7
    const p = model.predict(x);
    expect(p.every((v) => v > 0.01 && v < 0.99)).toBe(true);
    expect(checkModel(model, x, y, false)).toBe(3 * 5 + 5 + 5 * 2 + 2);
    model.free();
  });

  it.each<[string, () => MeanSquaredError | MeanAbsoluteError]>([
    ["MeanSquaredError", () => new MeanSquaredError()],
    ["MeanAbsoluteError", () => new MeanAbsoluteError()],
  ])("%s on Dense(3, 6) → ReLU → Dense(6, 1) and on three outputs", (_, make) => {
    for (const outputs of [1, 3]) {
      const model = new Sequential([dense(3, 6, 95, { biasL1: 0.02 }), new ReLU(), dense(6, outputs, 96)], {
        loss: make(),
      });
      // |y − p| ≥ 0.3 everywhere: a ±0.01 step of one parameter moves p by far less, so MAE's kink
      // at y = p is never crossed (p after the ReLU re-biasing, which checkModel repeats as a no-op)
      avoidKinks(model, x, rows);
      const p = model.predict(x);
      const y = Float32Array.from(p, (v, i) => v + (i % 2 ? 1 : -1) * (0.3 + 0.4 * Math.abs(Math.sin(i))));
      expect(y.every((v, i) => Math.abs(v - p[i]) >= 0.3 - 1e-6)).toBe(true);
      expect(checkModel(model, x, y, false)).toBe(3 * 6 + 6 + 6 * outputs + outputs);
      model.free();
    }
  });
});
