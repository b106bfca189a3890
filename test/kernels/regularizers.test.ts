// Regularizer objects (L1, L2, L1L2, OrthogonalRegularizer, custom): penalties against float64
// references and the peers' test values, gradients against central differences of the penalty
// itself, names and JSON through regularizers.get, and bad input.
//
// Ported: keras/src/regularizers/regularizers_test.py (RegularizersTest, ValidateFloatArgTest) and
// tfjs-layers/src/regularizers_test.ts ('Built-in Regularizers', 'regularizers.get', 'Regularizer
// Serialization'), each test citing its source.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  allocF32,
  CustomRegularizer,
  init,
  L1,
  L1L2,
  L2,
  OrthogonalRegularizer,
  type Regularizer,
  regularizers,
} from "../../src/index.js";
import { refL1, refL2 } from "../reference.js";
import { uniformF32 } from "./support/data.js";

beforeAll(() => init());

/** The kernels' sums: f32 terms in 16 lanes folded into f64, ≤ 64·2^-24 relative (penalty.test.ts). */
const SUM_REL = 64 * 2 ** -24;

function expectRel(actual: number, expected: number, rel: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + 1e-300);
}

/** Keras's test input: np.random.random((4, 4)) as f32 (values in [0, 1)). */
const keras4x4 = (seed: number) => uniformF32(16, seed, 0, 1);

/** Keras's formula for OrthogonalRegularizer in float64, rows of a rows × cols matrix (the test's reference). */
function refOrthogonal(x: Float32Array, rows: number, cols: number, factor: number, mode: "rows" | "columns"): number {
  const count = mode === "rows" ? rows : cols;
  const length = mode === "rows" ? cols : rows;
  const v = (k: number, t: number) => (mode === "rows" ? x[k * cols + t] : x[t * cols + k]);
  const unit: number[][] = [];
  for (let k = 0; k < count; k++) {
    const norm = Math.hypot(...Array.from({ length }, (_, t) => v(k, t)));
    unit.push(Array.from({ length }, (_, t) => v(k, t) / norm));
  }
  let sum = 0;
  for (let i = 0; i < count; i++)
    for (let j = 0; j < count; j++) if (i !== j) sum += Math.abs(unit[i].reduce((a, u, t) => a + u * unit[j][t], 0));
  return (factor * 0.5 * sum) / ((count * (count - 1)) / 2);
}

describe("penalties (keras regularizers_test.py)", () => {
  it("test_l1, test_l2, test_l1_l2: λ·Σ|x|, λ·Σx², both", () => {
    const value = keras4x4(1);
    expectRel(new L1(0.1).penalty(value), 0.1 * refL1(value), SUM_REL);
    expectRel(new L2(0.1).penalty(value), 0.1 * refL2(value), SUM_REL);
    expectRel(new L1L2({ l1: 0.1, l2: 0.2 }).penalty(value), 0.1 * refL1(value) + 0.2 * refL2(value), SUM_REL);
  });

  it("test_orthogonal_regularizer: factor·½·Σ_{i≠j}|ûi·ûj| / pairs on a 4 × 4 matrix, and columns mode", () => {
    const value = keras4x4(2);
    const rows = new OrthogonalRegularizer({ factor: 0.1, mode: "rows" }).penalty(value, [4, 4]);
    expectRel(rows, refOrthogonal(value, 4, 4, 0.1, "rows"), 1e-12);
    const wide = uniformF32(15, 3, -1, 1); // 3 × 5: the columns are 5 vectors of length 3
    const columns = new OrthogonalRegularizer({ factor: 0.2, mode: "columns" }).penalty(wide, [3, 5]);
    expectRel(columns, refOrthogonal(wide, 3, 5, 0.2, "columns"), 1e-12);
    // orthonormal rows have no penalty; two equal rows have |cos| = 1 for their one pair
    expect(new OrthogonalRegularizer().penalty(new Float32Array([1, 0, 0, 1]), [2, 2])).toBe(0);
    expectRel(new OrthogonalRegularizer({ factor: 1 }).penalty(new Float32Array([1, 2, 1, 2]), [2, 2]), 1, 1e-15);
  });

  it("test_l1_with_zero_weights, test_l2_with_zero_weights, test_l1l2_with_zero_weights, test_l1_with_negative_weights", () => {
    const zeros = new Float32Array(16);
    expect(new L1(0.1).penalty(zeros)).toBe(0);
    expect(new L2(0.1).penalty(zeros)).toBe(0);
    expect(new L1L2({ l1: 0.1, l2: 0.2 }).penalty(zeros)).toBe(0);
    expect(new L1(0.1).penalty(new Float32Array(16).fill(1))).toBe(new L1(0.1).penalty(new Float32Array(16).fill(-1)));
  });

  it("test_l1_zero_coefficient, test_l2_zero_coefficient, test_l1l2_zero_coefficients", () => {
    const value = keras4x4(4);
    expect(new L1(0).penalty(value)).toBe(0);
    expect(new L2(0).penalty(value)).toBe(0);
    expect(new L1L2({ l1: 0, l2: 0 }).penalty(value)).toBe(0);
  });

  it("test_l2_is_larger_than_l1_for_large_weights, …_smaller_…_for_small_weights", () => {
    const large = new Float32Array(16).fill(10);
    const small = new Float32Array(16).fill(0.1);
    expect(new L2(1).penalty(large)).toBeGreaterThan(new L1(1).penalty(large));
    expect(new L2(1).penalty(small)).toBeLessThan(new L1(1).penalty(small));
  });

  it("test_l1l2_only_l1, test_l1l2_only_l2: L1L2 with one λ is L1 or L2, bit for bit", () => {
    const value = keras4x4(5);
    expect(new L1L2({ l1: 0.1 }).penalty(value)).toBe(new L1(0.1).penalty(value));
    expect(new L1L2({ l2: 0.1 }).penalty(value)).toBe(new L2(0.1).penalty(value));
  });

  it("defaults: the classes as Keras (L1(0.01), L2(0.01), L1L2 zeros), the functions as TF.js (0.01)", () => {
    expect([new L1().l1, new L2().l2, new L1L2().l1, new L1L2().l2]).toEqual([0.01, 0.01, 0, 0]);
    expect([regularizers.l1l2().l1, regularizers.l1l2().l2]).toEqual([0.01, 0.01]);
    expect([new OrthogonalRegularizer().factor, new OrthogonalRegularizer().mode]).toEqual([0.01, "rows"]);
  });
});

describe("penalties (tfjs-layers regularizers_test.ts 'Built-in Regularizers')", () => {
  const x = new Float32Array([1, -2, 3, -4]);
  it("l1_l2, l1, l2 with the defaults, and l1_l2 non default", () => {
    expect(regularizers.l1l2().penalty(x)).toBeCloseTo(0.01 * (1 + 2 + 3 + 4) + 0.01 * (1 + 4 + 9 + 16), 12);
    expect(regularizers.l1().penalty(x)).toBeCloseTo(0.01 * (1 + 2 + 3 + 4), 12);
    expect(regularizers.l2().penalty(x)).toBeCloseTo(0.01 * (1 + 4 + 9 + 16), 12);
    expect(regularizers.l1l2({ l1: 1, l2: 2 }).penalty(x)).toBe(1 * (1 + 2 + 3 + 4) + 2 * (1 + 4 + 9 + 16));
  });

  it("the TF.js object form l1({ l1 }) and l2({ l2 }) is accepted besides a number (TF.js refuses numbers)", () => {
    expect(regularizers.l1({ l1: 0.5 }).l1).toBe(0.5);
    expect(regularizers.l2({ l2: 0.5 }).l2).toBe(0.5);
    expect(regularizers.l1(0.5).l1).toBe(0.5);
    expect(() => regularizers.l1({ l2: 0.5 } as never)).toThrow(/options\.l2 is not a known option/);
  });
});

describe("regularizers.get", () => {
  const x = new Float32Array([1, -2, 3, -4]);

  it("keras test_get_method: 'l1l2', 'l1', 'l2', 'orthogonal_regularizer', null, and a typo", () => {
    expect(regularizers.get("l1l2")).toBeInstanceOf(L1L2);
    expect(regularizers.get("l1")).toBeInstanceOf(L1);
    expect(regularizers.get("l2")).toBeInstanceOf(L2);
    expect(regularizers.get("orthogonal_regularizer")).toBeInstanceOf(OrthogonalRegularizer);
    expect(regularizers.get("orthogonal")).toBeInstanceOf(OrthogonalRegularizer);
    expect(regularizers.get(null)).toBe(null);
    expect(regularizers.get(undefined)).toBe(null);
    expect(() => regularizers.get("typo")).toThrow(RangeError);
    expect(() => regularizers.get("typo")).toThrow(/identifier must name a regularizer \('l1', .*got 'typo'/);
  });

  it("tfjs 'by string - lower camel' and 'upper camel': 'l1l2' and 'L1L2' are l1l2() (0.01 each), as Keras's 'l1_l2'", () => {
    for (const name of ["l1l2", "L1L2", "l1_l2"]) {
      expect(regularizers.get(name)!.penalty(x)).toBe(regularizers.l1l2().penalty(x));
    }
  });

  it("tfjs 'by existing object': the same instance", () => {
    const reg = regularizers.l1l2({ l1: 1, l2: 2 });
    expect(regularizers.get(reg)).toBe(reg);
  });

  it("tfjs 'by config dict' and 'Regularizer Serialization': TF.js's { className, config } and our JSON", () => {
    const reg = regularizers.l1l2({ l1: 1, l2: 2 });
    const fromTfjs = regularizers.get({ className: "L1L2", config: { l1: 1, l2: 2 } })!;
    expect(fromTfjs.penalty(x)).toBe(reg.penalty(x));
    const roundTrip = regularizers.get(JSON.parse(JSON.stringify(reg.toJSON())))!;
    expect(roundTrip.toJSON()).toEqual({ type: "l1l2", l1: 1, l2: 2 });
    expect(
      regularizers.get({ class_name: "OrthogonalRegularizer", config: { factor: 0.1, mode: "columns" } })!.toJSON(),
    ).toEqual({
      type: "orthogonal",
      factor: 0.1,
      mode: "columns",
    });
  });

  it("keras test_config, test_l1l2_get_config, test_orthogonal_regularizer_get_config: JSON round trips", () => {
    const all: Regularizer[] = [
      new L1(0.1),
      new L2(0.1),
      new L1L2({ l1: 0.1, l2: 0.2 }),
      new OrthogonalRegularizer({ factor: 0.1, mode: "rows" }),
      new OrthogonalRegularizer({ factor: 0.01, mode: "columns" }),
    ];
    for (const reg of all) {
      const copy = regularizers.get(JSON.parse(JSON.stringify(reg)))!;
      expect(copy.constructor).toBe(reg.constructor);
      expect(copy.toJSON()).toEqual(reg.toJSON());
    }
    expect(new L1L2({ l1: 0.01, l2: 0.02 }).toJSON()).toEqual({ type: "l1l2", l1: 0.01, l2: 0.02 });
  });

  it("an unregistered type, a wrong shape of identifier", () => {
    expect(() => regularizers.get({ type: "nope" })).toThrow(/identifier\.type must be a registered regularizer type/);
    expect(() => regularizers.get(3)).toThrow(TypeError);
    expect(() => regularizers.get({ type: "l1", l1: 0.1, l3: 1 })).toThrow(/json\.l3 is not a known option/);
  });
});

describe("gradients against central differences of the penalty", () => {
  // x moved ≥ 0.05 from 0 (|x| is not differentiable there; the step is 1e-3). The penalties are
  // sums in f64 of f32 terms (relative error ~1e-7 of the sum) over a difference of 2e-3: ≤ 1e-4
  // absolute on penalties of order 1; the curvature term of orthogonal is O(h²) = 1e-6. Tolerance:
  // 1e-3 relative + 2e-4 absolute; a missing factor 2 or a wrong sign is orders of magnitude beyond.
  const H = 1e-3;
  function check(reg: Regularizer, x: Float32Array, shape: number[]): void {
    const grad = new Float32Array(x.length);
    const value = reg.addGradient(grad, x, shape);
    expectRel(value, reg.penalty(x, shape), 1e-6);
    for (let i = 0; i < x.length; i++) {
      const up = x.slice();
      const down = x.slice();
      up[i] = x[i] + H;
      down[i] = x[i] - H;
      const numeric = (reg.penalty(up, shape) - reg.penalty(down, shape)) / (up[i] - down[i]);
      expect(Math.abs(grad[i] - numeric), `${reg.type} element ${i}`).toBeLessThanOrEqual(
        1e-3 * Math.abs(numeric) + 2e-4,
      );
    }
  }
  const awayFromZero = (n: number, seed: number) =>
    uniformF32(n, seed, -1, 1).map((v) => (v < 0 ? v - 0.05 : v + 0.05));

  it("L1, L2, L1L2 (on a Float32Array and on an F32Buffer)", () => {
    const x = awayFromZero(20, 7);
    check(new L1(0.3), x, [20]);
    check(new L2(0.7), x, [4, 5]);
    check(new L1L2({ l1: 0.2, l2: 0.5 }), x, [5, 4]);
    const buf = allocF32(20);
    const g = allocF32(20);
    try {
      buf.view().set(x);
      const reg = new L1L2({ l1: 0.2, l2: 0.5 });
      const expected = new Float32Array(20);
      reg.addGradient(expected, x);
      expect(reg.addGradient(g, buf)).toBe(reg.penalty(x));
      expect(Array.from(g.view())).toEqual(Array.from(expected));
    } finally {
      buf.free();
      g.free();
    }
  });

  it("OrthogonalRegularizer, rows and columns", () => {
    check(new OrthogonalRegularizer({ factor: 0.5, mode: "rows" }), awayFromZero(12, 8), [3, 4]);
    check(new OrthogonalRegularizer({ factor: 0.5, mode: "columns" }), awayFromZero(12, 9), [3, 4]);
    check(new OrthogonalRegularizer({ factor: 2, mode: "rows" }), awayFromZero(30, 10), [6, 5]);
  });

  it("a custom regularizer: its analytic gradient, and the finite-difference fallback", () => {
    const spec = {
      penalty: (w: Float64Array) => 0.5 * w.reduce((a, b) => a + b, 0) ** 2,
      gradient: (w: Float64Array, g: Float64Array) => g.fill(w.reduce((a, b) => a + b, 0)),
    };
    const x = awayFromZero(10, 11);
    const analytic = new CustomRegularizer("sumSquaredTest", {}, spec);
    const numeric = new CustomRegularizer("sumSquaredTest", {}, { penalty: spec.penalty });
    expect(analytic.analytic).toBe(true);
    expect(numeric.analytic).toBe(false);
    check(analytic, x, [10]);
    check(numeric, x, [10]);
    // the fallback's own error: h ≈ 6e-6 on a quadratic is exact up to rounding, ~1e-10 relative
    const ga = new Float32Array(10);
    const gn = new Float32Array(10);
    analytic.addGradient(ga, x);
    numeric.addGradient(gn, x);
    for (let i = 0; i < 10; i++) expectRel(gn[i], ga[i], 1e-6);
  });

  it("grad accumulates (+=) and may be x itself", () => {
    const x = new Float32Array([1, -2, 3]);
    const grad = new Float32Array([10, 10, 10]);
    new L2(0.5).addGradient(grad, x);
    expect(Array.from(grad)).toEqual([11, 8, 13]);
    const same = new Float32Array([1, -2, 3]);
    new L2(0.5).addGradient(same, same);
    expect(Array.from(same)).toEqual([2, -4, 6]);
  });
});

describe("custom regularizers registered by name", () => {
  const registered: string[] = [];
  afterAll(() => {
    for (const type of registered) regularizers.unregister(type);
  });

  it("register(type, make): the factory's regularizers save as { type, ...config } and load back through get", () => {
    registered.push("centeredTest");
    const centered = regularizers.register("centeredTest", ({ k }: { k: number }) => ({
      penalty: (w) => k * w.reduce((a, b) => a + b, 0) ** 2,
      gradient: (w, g) => g.fill(2 * k * w.reduce((a, b) => a + b, 0)),
      sumsOverRows: false,
    }));
    const reg = centered({ k: 0.25 });
    expect(reg.toJSON()).toEqual({ type: "centeredTest", k: 0.25 });
    const x = new Float32Array([1, 2, -4]);
    expect(reg.penalty(x)).toBe(0.25);
    const copy = regularizers.get(JSON.parse(JSON.stringify(reg)))!;
    expect(copy).toBeInstanceOf(CustomRegularizer);
    expect(copy.penalty(x)).toBe(0.25);
    expect(regularizers.get("centeredTest")).toBeInstanceOf(CustomRegularizer); // by name: an empty config
  });

  it("bad registrations and configs", () => {
    expect(() => regularizers.register("l1", () => ({ penalty: () => 0 }))).toThrow(
      /a regularizer of type 'l1' is already registered/,
    );
    expect(() => regularizers.register("noMakeTest", 3 as never)).toThrow(/make must be a function/);
    registered.push("badConfigTest");
    const bad = regularizers.register("badConfigTest", () => ({ penalty: () => 0 }));
    expect(() => bad({ f: (() => 0) as never })).toThrow(/config\.f must be a finite number, a string or a boolean/);
    expect(() => bad({ type: "x" } as never)).toThrow(/config\.type is reserved/);
    expect(() => bad({ k: Number.NaN })).toThrow(/config\.k must be a finite number/);
    registered.push("notANumberTest");
    const wrong = regularizers.register("notANumberTest", () => ({ penalty: () => "1" as never }));
    expect(() => wrong().penalty(new Float32Array(2))).toThrow(
      /the penalty of regularizer 'notANumberTest' must return a number, got string 1/,
    );
    expect(() => new CustomRegularizer("x", {}, { penalty: 3 } as never)).toThrow(/spec\.penalty must be a function/);
  });
});

describe("bad input", () => {
  it("keras ValidateFloatArgTest: negative, NaN, ±∞, strings, null, arrays and booleans are refused", () => {
    for (const bad of [-1, -0.001, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(() => new L1(bad)).toThrow(RangeError);
      expect(() => new L2(bad)).toThrow(RangeError);
      expect(() => new L1L2({ l1: bad })).toThrow(RangeError);
      expect(() => new OrthogonalRegularizer({ factor: bad })).toThrow(RangeError);
    }
    for (const bad of ["not_a_number", null, [0.1], true]) {
      expect(() => new L1(bad as never)).toThrow(TypeError);
      expect(() => new L1L2({ l2: bad as never })).toThrow(TypeError);
    }
    expect(() => new L1(-1)).toThrow("l1 must be a finite number >= 0 (at most 3.4e38, the f32 range), got -1");
    expect(() => new L2(3e38)).toThrow(/l2 must be at most 1\.7e38/);
    // validate_float_with_zero / very_small / large: accepted
    expect([new L1(0).l1, new L1(1e-10).l1, new L1(1e6).l1]).toEqual([0, 1e-10, 1e6]);
  });

  it("keras test_orthogonal_regularizer_mode_validation and _input_rank_validation", () => {
    expect(() => new OrthogonalRegularizer({ factor: 0.01, mode: "invalid_mode" as never })).toThrow(
      "options.mode must be 'rows' or 'columns', got string invalid_mode",
    );
    expect(() => new OrthogonalRegularizer({ factor: 0.1 }).penalty(new Float32Array(4))).toThrow(
      "shape: OrthogonalRegularizer takes a matrix [rows, cols], got a tensor of shape [4]",
    );
    expect(() => new OrthogonalRegularizer().penalty(new Float32Array(4), [1, 4])).toThrow(
      /needs at least 2 rows \(pairs to compare\), got 1/,
    );
  });

  it("arrays, lengths and shapes", () => {
    const reg = new L2(0.1);
    expect(() => reg.penalty([1, 2] as never)).toThrow("x must be a Float32Array or F32Buffer, got an Array");
    expect(() => reg.addGradient(new Float32Array(2), new Float32Array(3))).toThrow(
      "grad must have the same length as x (3), got 2",
    );
    expect(() => reg.penalty(new Float32Array(6), [4, 2])).toThrow(
      "shape must be [n] or [rows, cols] with 6 elements in all, got an Array",
    );
    const x = new Float32Array(8);
    expect(() => reg.addGradient(x.subarray(1, 5), x.subarray(0, 4))).toThrow(/grad shares memory with x/);
    expect(() => new L1L2({ l3: 1 } as never)).toThrow(/options\.l3 is not a known option/);
  });
});
