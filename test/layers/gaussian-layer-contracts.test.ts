// GaussianNoise and GaussianDropout on their own (no model around them): errors that name the
// layer and the rule, stddev 0 (the identity, which needs no stream), the 32-bit limits of the step
// and of one stream's counters at their edges, work areas per instance and width, and free().
// Values against the float64 normal variates of test/support/normal-reference.js.
import { beforeAll, describe, expect, it } from "vitest";
import { GaussianDropout, GaussianNoise, init, type Instance, instantiate } from "../../src/index.js";
import { streamSeed } from "../../src/layers/batch-streams.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import type { Matrix } from "../../src/wasm/matrix.js";
import { refNormals } from "../support/normal-reference.js";
import { matrixOf, uniform } from "./support.js";

let other: Instance;
beforeAll(async () => {
  await init();
  other = await instantiate();
});

const live = (inst: Instance = defaultInstance()) => inst.heap.allocations;

/**
 * out against x + f32(σ·z) (GaussianNoise) or x·f32(1 + σ·z) (GaussianDropout, σ = sqrt(rate/(1 − rate))),
 * z the float64 normals of stream `stream` from counter `offset` under the seed of a layer at position 0;
 * within one f32 ulp of the float64 value (the kernel rounds the sum or product once more).
 */
function expectNoise(
  out: Matrix,
  x: ArrayLike<number>,
  layer: GaussianNoise | GaussianDropout,
  stream: number,
  offset = 0,
) {
  const z = refNormals(x.length, streamSeed(layer.seed, 0, 0), stream, offset);
  const got = out.toArray();
  expect(got.length).toBe(x.length);
  for (let i = 0; i < x.length; i++) {
    const want =
      layer instanceof GaussianNoise
        ? x[i] + Math.fround(layer.stddev * z[i])
        : x[i] * Math.fround(1 + Math.sqrt(layer.rate / (1 - layer.rate)) * z[i]);
    const ulp = 2 ** (Math.floor(Math.log2(Math.max(Math.abs(want), 1e-30))) - 23);
    expect(Math.abs(got[i] - want), `element ${i}`).toBeLessThanOrEqual(ulp);
  }
}

const both = (): [string, GaussianNoise | GaussianDropout][] => [
  ["GaussianNoise", new GaussianNoise(0.5, { seed: 11 })],
  ["GaussianDropout", new GaussianDropout(0.3, { seed: 11 })],
];

describe("arguments and JSON", () => {
  it("name the option or key that is wrong", () => {
    for (const make of [(o: object) => new GaussianNoise(0.1, o), (o: object) => new GaussianDropout(0.1, o)])
      expect(() => make({ seed: -1 })).toThrow(/^options\.seed must be an integer in \[0, 2\^53 - 1\], got -1$/);
    expect(() => GaussianNoise.fromJSON({ type: "gaussian-noise", stddev: 0.1, seed: 1, rate: 0.1 })).toThrow(
      /^json\.rate is not a known option; the options are type, stddev, seed, step$/,
    );
    expect(() => GaussianDropout.fromJSON({ type: "gaussian-dropout", rate: 0.1, seed: 1, stddev: 1 })).toThrow(
      /^json\.stddev is not a known option; the options are type, rate, seed, step$/,
    );
    expect(() => GaussianDropout.fromJSON({ type: "gaussian-dropout", rate: 0.1 })).toThrow(
      /^json\.seed must be a number, got undefined$/,
    );
    expect(() => GaussianNoise.fromJSON({ type: "gaussian-noise", stddev: 0.1, seed: 1, step: -1 })).toThrow(
      /^json\.step must be an integer in \[0, 2\^32 - 1\], got -1$/,
    );
    expect(() => GaussianDropout.fromJSON({ type: "gaussian-dropout", rate: 0.1, seed: 1, step: 2 ** 32 })).toThrow(
      /^json\.step must be an integer in \[0, 2\^32 - 1\], got 4294967296$/,
    );
  });
});

describe("backward", () => {
  it("refuses a backward before any forward and a dOutput of another shape, naming the layer; no input gradient → null", () => {
    for (const [label, layer] of both()) {
      // a 1 × 1 dOutput: the "before forward" rule must fire, not the shape rule
      expect(() => layer.backward(matrixOf([1], 1, 1), true)).toThrow(
        new RegExp(`^${label}\\.backward\\(\\) called before forward\\(\\)$`),
      );
      layer.forward(matrixOf(new Float32Array(8).fill(1), 2, 4), true);
      expect(() => layer.backward(matrixOf(new Float32Array(12), 3, 4), true)).toThrow(
        /^dOutput must be 2 × 4, got 3 × 4$/,
      );
      expect(() => layer.backward(matrixOf(new Float32Array(10), 2, 5), true)).toThrow(
        /^dOutput must be 2 × 4, got 2 × 5$/,
      );
      expect(layer.backward(matrixOf([1, 2, 3, 4, 5, 6, 7, 8], 2, 4), false)).toBeNull();
      layer.free();
    }
  });

  it("after a forward of 0 rows, a 0-row dOutput passes through", () => {
    for (const [, layer] of both()) {
      layer.forward(matrixOf([], 0, 3), false);
      const d = matrixOf([], 0, 3);
      expect(layer.backward(d, true) === d, "dOutput itself").toBe(true);
      layer.free();
    }
  });
});

describe("stddev 0: the identity, with no stream", () => {
  it("a training forward returns its input and leaves the step alone, even at the last step", () => {
    for (const layer of [new GaussianNoise(0, { seed: 1 }), new GaussianDropout(0, { seed: 1 })]) {
      layer.step = 2 ** 32 - 1;
      // -0 would come out as +0 through x + 0·z
      const input = matrixOf([-0, 1, Number.NaN, -2], 2, 2);
      expect(layer.forward(input, true) === input, "the input itself").toBe(true);
      expect(layer.step).toBe(2 ** 32 - 1);
      expect(layer.instance).toBeNull();
      // no stream needed: neither the step nor the batch size is refused
      expect(() => layer.checkTraining(2 ** 31, 4, 10)).not.toThrow();
      layer.free();
    }
  });

  it("any other stddev is checked against the step and one stream's counters", () => {
    for (const [label, layer] of both()) {
      layer.step = 2 ** 32 - 3;
      expect(() => layer.checkTraining(8, 4, 2)).not.toThrow();
      expect(() => layer.checkTraining(8, 4, 3)).toThrow(
        new RegExp(`^3 more updates would take ${label} layer 0's step \\(4294967293\\) past 2\\^32 − 1$`),
      );
      layer.step = 0;
      expect(() => layer.checkTraining(2 ** 30, 4, 1)).not.toThrow();
      expect(() => layer.checkTraining(2 ** 30 + 1, 4, 1)).toThrow(
        new RegExp(`^a batch of 1073741825 rows × 4 columns at ${label} layer 0 exceeds the 2\\^32 counters`),
      );
    }
  });
});

describe("the 32-bit counters", () => {
  it("the step 2^32 − 2 is the last one with a stream; at 2^32 − 1 forward refuses, naming the layer", () => {
    for (const [label, layer] of both()) {
      const x = uniform(8, 3, -2, 2);
      layer.step = 2 ** 32 - 2;
      expectNoise(layer.forward(matrixOf(x, 2, 4), true), x, layer, 2 ** 32 - 2);
      expect(layer.step).toBe(2 ** 32 - 1);
      expect(() => layer.forward(matrixOf(x, 2, 4), true)).toThrow(
        new RegExp(`^${label} layer 0's step \\(4294967295\\) has no stream left \\(the counter is 32-bit\\)$`),
      );
      expect(layer.step).toBe(2 ** 32 - 1);
      layer.free();
    }
  });

  it("a chunk may end on the stream's last counter, 2^32 − 1, and not past it", () => {
    for (const [, layer] of both()) {
      const x = uniform(4, 5, -2, 2);
      layer.step = 6;
      layer.forward(matrixOf(x, 1, 4), true); // the batch's first chunk: stream 6
      // rows from 2^30 − 1 on, 4 wide: counters 2^32 − 4 … 2^32 − 1
      expectNoise(layer.forward(matrixOf(x, 1, 4), true, 2 ** 30 - 1), x, layer, 6, 2 ** 32 - 4);
      expect(() => layer.forward(matrixOf(x, 1, 4), true, 2 ** 30)).toThrow(
        /^a noise batch may hold at most 2\^32 elements \(one stream\), got 4294967300$/,
      );
      expect(layer.step).toBe(7);
      layer.free();
    }
  });
});

describe("work areas", () => {
  it("computes in the instance and at the width of each input: a new work area when either changes, and after free()", () => {
    for (const [, layer] of both()) {
      expect(layer.instance).toBeNull();
      const x = uniform(12, 7, -2, 2);
      const runs: [Instance, number, number][] = [
        [defaultInstance(), 3, 4],
        [other, 3, 4], // another instance, the same width
        [other, 2, 6], // the same instance, another width
        [defaultInstance(), 2, 6],
      ];
      runs.forEach(([inst, rows, cols], step) => {
        const out = layer.forward(matrixOf(x, rows, cols, inst), true);
        // identity as a boolean: a failing toBe would print two whole instances
        expect([out.instance === inst, layer.instance === inst]).toEqual([true, true]);
        expect([out.rows, out.cols]).toEqual([rows, cols]);
        expectNoise(out, x, layer, step);
      });
      layer.free();
      // the same instance and width as before free(): its work areas are gone, new ones are made
      expectNoise(layer.forward(matrixOf(x, 2, 6), true), x, layer, 4);
      layer.free();
    }
  });

  it("keeps one per row count (the 4 most recent) and reuses it; a move to another instance or free() returns them", () => {
    const layer = new GaussianNoise(0.5, { seed: 2 });
    const inputs = [1, 2, 3, 4, 5].map((rows) => matrixOf(new Float32Array(rows * 4), rows, 4));
    const moved = matrixOf(new Float32Array(8), 2, 4, other);
    // the test's own inputs are not freed: count what the layer holds
    const base = [live(), live(other)];
    const outputs = inputs.map((input) => layer.forward(input, true));
    expect(live() - base[0]).toBe(4);
    expect(layer.forward(inputs[4], true) === outputs[4], "the same work area").toBe(true);
    expect(live() - base[0]).toBe(4);
    layer.forward(moved, true);
    expect([live() - base[0], live(other) - base[1]]).toEqual([0, 1]);
    layer.free();
    expect([live() - base[0], live(other) - base[1]]).toEqual([0, 0]);
  });
});
