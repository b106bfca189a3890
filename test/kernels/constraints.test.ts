// Constraints (MaxNorm, MinMaxNorm, NonNeg, UnitNorm): projections against float64 references of
// Keras's formulas and the peers' test values, axes, names and JSON through constraints.get, and
// bad input.
//
// Ported: keras/src/constraints/constraints_test.py (ConstraintsTest) and
// tfjs-layers/src/constraints_test.ts ('Built-in Constraints', 'constraints.get', 'Constraints
// Serialization'), each test citing its source.
import { beforeAll, describe, expect, it } from "vitest";
import {
  allocF32,
  type Constraint,
  constraints,
  init,
  MaxNorm,
  MinMaxNorm,
  NonNeg,
  UnitNorm,
} from "../../src/index.js";
import { uniformF32 } from "./support/data.js";

beforeAll(() => init());

/** Keras's get_example_array: 100 × 100 uniform in [−50, 50) with [0, 0] = 0 (f32 here). */
function exampleArray(): Float32Array {
  const a = uniformF32(100 * 100, 3537, -50, 50);
  a[0] = 0;
  return a;
}

/** Column norms of a rows × cols matrix in float64. */
function columnNorms(w: Float32Array, rows: number, cols: number): number[] {
  return Array.from({ length: cols }, (_, j) => Math.hypot(...Array.from({ length: rows }, (_, i) => w[i * cols + j])));
}

/** Keras's norm constraints in float64: w·factor(‖slice‖), slices the columns (axis 0) of rows × cols. */
function refColumns(w: Float32Array, rows: number, cols: number, factor: (norm: number) => number): Float32Array {
  const norms = columnNorms(w, rows, cols);
  return w.map((v, k) => Math.fround(v * factor(norms[k % cols])));
}

const EPS = 1e-7;

describe("keras constraints_test.py", () => {
  it("test_max_norm: columns of norm > 2 scaled to 2, the others kept", () => {
    // x = np.array([[0, 0, 0], [1.0, 0, 0], [3, 0, 0], [3, 3, 3]]).T: 3 × 4, one vector per column
    const x = new Float32Array([0, 1, 3, 3, 0, 0, 0, 3, 0, 0, 0, 3]);
    const target = [0, 1, 2, 2 / Math.sqrt(3), 0, 0, 0, 2 / Math.sqrt(3), 0, 0, 0, 2 / Math.sqrt(3)];
    new MaxNorm({ maxValue: 2 }).apply(x, [3, 4]);
    x.forEach((v, i) => expect(v).toBeCloseTo(target[i], 6));
  });

  it("test_non_neg, test_non_neg_zeroes_negatives, _preserves_positives, _all_zeros_input", () => {
    const out = exampleArray();
    const positives = out.filter((v) => v >= 0);
    new NonNeg().apply(out, [100, 100]);
    expect(out.every((v) => v >= 0)).toBe(true);
    expect(out.filter((v) => v > 0)).toEqual(positives.filter((v) => v > 0)); // order kept, values untouched
    const negatives = new Float32Array(25).fill(-3);
    new NonNeg().apply(negatives);
    expect(Array.from(negatives)).toEqual(new Array(25).fill(0));
    const threes = new Float32Array(25).fill(3);
    new NonNeg().apply(threes);
    expect(Array.from(threes)).toEqual(new Array(25).fill(3));
    const zeros = new Float32Array(25);
    new NonNeg().apply(zeros);
    expect(Array.from(zeros)).toEqual(new Array(25).fill(0));
  });

  it("test_unit_norm: every column of norm 1 (within f32 rounding and ε = 1e-7)", () => {
    const out = exampleArray();
    new UnitNorm().apply(out, [100, 100]);
    for (const norm of columnNorms(out, 100, 100)) expect(Math.abs(norm - 1)).toBeLessThan(1e-6);
  });

  it("test_min_max_norm: column norms within [0.2, 0.5 + 1e-6]", () => {
    const out = exampleArray();
    new MinMaxNorm({ minValue: 0.2, maxValue: 0.5 }).apply(out, [100, 100]);
    for (const norm of columnNorms(out, 100, 100)) {
      expect(norm).toBeGreaterThanOrEqual(0.2 - 1e-7);
      expect(norm).toBeLessThanOrEqual(0.5 + 1e-6);
    }
  });

  it("test_get_method: 'unit_norm', null, and a typo", () => {
    expect(constraints.get("unit_norm")).toBeInstanceOf(UnitNorm);
    expect(constraints.get(null)).toBe(null);
    expect(() => constraints.get("typo")).toThrow(RangeError);
    expect(() => constraints.get("typo")).toThrow(/identifier must name a constraint \('maxNorm', .*got 'typo'/);
  });

  it("test_max_norm_get_config, test_unit_norm_get_config, test_min_max_norm_get_config, test_non_neg_get_config", () => {
    expect(new MaxNorm({ maxValue: 3, axis: 1 }).toJSON()).toEqual({ type: "maxNorm", maxValue: 3, axis: 1 });
    expect(new UnitNorm({ axis: 1 }).toJSON()).toEqual({ type: "unitNorm", axis: 1 });
    expect(new MinMaxNorm({ minValue: 0.5, maxValue: 2, rate: 0.7, axis: 1 }).toJSON()).toEqual({
      type: "minMaxNorm",
      minValue: 0.5,
      maxValue: 2,
      rate: 0.7,
      axis: 1,
    });
    expect(new NonNeg().toJSON()).toEqual({ type: "nonNeg" });
  });

  it("the from_config round trips (…_from_config_roundtrip, test_non_neg_serialization_roundtrip): same outputs", () => {
    const all: Constraint[] = [
      new MaxNorm({ maxValue: 3, axis: 1 }),
      new UnitNorm({ axis: 0 }),
      new MinMaxNorm({ minValue: 0.2, maxValue: 0.9, rate: 0.5, axis: 0 }),
      new NonNeg(),
    ];
    for (const original of all) {
      const restored = constraints.get(JSON.parse(JSON.stringify(original)))!;
      expect(restored.constructor).toBe(original.constructor);
      expect(restored.toJSON()).toEqual(original.toJSON());
      const a = exampleArray();
      const b = exampleArray();
      original.apply(a, [100, 100]);
      restored.apply(b, [100, 100]);
      expect(b).toEqual(a);
    }
  });
});

describe("keras constraints_test.py get_config values, read through Keras's { class_name, config } spelling", () => {
  // the expected configs of test_max_norm_get_config, test_unit_norm_get_config,
  // test_min_max_norm_get_config and test_non_neg_get_config, as Keras serializes them
  it.each([
    [
      { class_name: "MaxNorm", config: { max_value: 3.0, axis: 1 } },
      { type: "maxNorm", maxValue: 3, axis: 1 },
    ],
    [
      { class_name: "UnitNorm", config: { axis: 1 } },
      { type: "unitNorm", axis: 1 },
    ],
    [
      { class_name: "MinMaxNorm", config: { min_value: 0.5, max_value: 2.0, rate: 0.7, axis: 1 } },
      { type: "minMaxNorm", minValue: 0.5, maxValue: 2, rate: 0.7, axis: 1 },
    ],
    [{ module: "keras.constraints", class_name: "NonNeg", config: {}, registered_name: null }, { type: "nonNeg" }],
  ])("%j", (keras, ours) => {
    expect(constraints.get(keras)!.toJSON()).toEqual(ours);
  });

  it("an unknown snake-case key is still an error naming it", () => {
    expect(() => constraints.get({ class_name: "MaxNorm", config: { max_valu: 3 } })).toThrow(
      /maxValu is not a known option/,
    );
  });
});

describe("tfjs-layers constraints_test.ts", () => {
  const initVals = () => new Float32Array([-1, 2, 0, 4, -5, 6]);
  const maxNormed = [-0.2208630521, 0.4417261043, 0, 0.8834522086, -1.104315261, 1.325178313];

  function expectClose(actual: Float32Array, expected: number[]): void {
    // tfjs's expectTensorsClose: 1e-3 for float32
    actual.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-3));
  }

  for (const [upper, lower] of [
    ["NonNeg", "nonNeg"],
    ["MaxNorm", "maxNorm"],
    ["UnitNorm", "unitNorm"],
    ["MinMaxNorm", "minMaxNorm"],
  ] as const) {
    it(`'Built-in Constraints' ${upper} and ${lower} (defaults on a vector)`, () => {
      const expected =
        upper === "NonNeg" ? [0, 2, 0, 4, 0, 6] : upper === "MaxNorm" ? maxNormed : maxNormed.map((v) => v / 2);
      for (const name of [upper, lower]) {
        const out = initVals();
        constraints.get(name)!.apply(out);
        expectClose(out, expected);
      }
    });
  }

  it("the same values exactly as Keras's float64 formula, rounded to f32 once", () => {
    const x = initVals();
    const norm = Math.sqrt(82);
    const out = x.slice();
    new MaxNorm().apply(out);
    expect(out).toEqual(x.map((v) => Math.fround(v * (2 / (EPS + norm)))));
    const unit = x.slice();
    new UnitNorm().apply(unit);
    expect(unit).toEqual(x.map((v) => Math.fround(v * (1 / (EPS + norm)))));
  });

  it("'constraints.get' by string: maxNorm's config is maxValue 2, axis 0", () => {
    expect(constraints.get("maxNorm")!.toJSON()).toEqual({ type: "maxNorm", maxValue: 2, axis: 0 });
  });

  it("'constraints.get' by existing object, and by config dict (our JSON and TF.js's { className, config })", () => {
    const orig = constraints.nonNeg();
    expect(constraints.get(orig)).toBe(orig);
    // TF.js's test uses rate 3 and axis 4, which this library refuses (rate in [0, 1], rank ≤ 2)
    const mm = constraints.minMaxNorm({ minValue: 0, maxValue: 2, rate: 0.3, axis: 1 });
    expect(constraints.get(mm.toJSON())!.toJSON()).toEqual(mm.toJSON());
    expect(
      constraints.get({ className: "MinMaxNorm", config: { minValue: 0, maxValue: 2, rate: 0.3, axis: 1 } })!.toJSON(),
    ).toEqual(mm.toJSON());
  });

  it("'Constraints Serialization' Built-ins: every name round-trips", () => {
    for (const name of ["maxNorm", "nonNeg", "unitNorm", "minMaxNorm", "MaxNorm", "NonNeg", "UnitNorm", "MinMaxNorm"]) {
      const constraint = constraints.get(name)!;
      const reconstituted = constraints.get(JSON.parse(JSON.stringify(constraint)))!;
      expect(reconstituted).toEqual(constraint);
    }
  });
});

describe("axes, references and buffers", () => {
  const rows = 7;
  const cols = 5;
  const w = () => uniformF32(rows * cols, 42, -2, 2);

  it("axis 0 takes columns, axis 1 (= −1) rows, [0, 1] the whole matrix: float64 references, bit for bit", () => {
    const maxValue = 1.3;
    const f = (n: number) => Math.min(n, maxValue) / (EPS + n);
    const byColumns = w();
    new MaxNorm({ maxValue }).apply(byColumns, [rows, cols]);
    expect(byColumns).toEqual(refColumns(w(), rows, cols, f));
    // rows of W are the columns of Wᵀ
    const byRows = w();
    new MaxNorm({ maxValue, axis: 1 }).apply(byRows, [rows, cols]);
    const wt = new Float32Array(rows * cols);
    const src = w();
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) wt[j * rows + i] = src[i * cols + j];
    const refT = refColumns(wt, cols, rows, f);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) expect(byRows[i * cols + j]).toBe(refT[j * rows + i]);
    const byLast = w();
    new MaxNorm({ maxValue, axis: -1 }).apply(byLast, [rows, cols]);
    expect(byLast).toEqual(byRows);
    const whole = w();
    new UnitNorm({ axis: [0, 1] }).apply(whole, [rows, cols]);
    const total = Math.hypot(...w());
    expect(whole).toEqual(w().map((v) => Math.fround(v * (1 / (EPS + total)))));
  });

  it("MinMaxNorm with rate < 1 moves the norm part of the way: rate·clip(n) + (1 − rate)·n", () => {
    const opts = { minValue: 0.5, maxValue: 1, rate: 0.25 };
    const out = w();
    new MinMaxNorm(opts).apply(out, [rows, cols]);
    const f = (n: number) => (0.25 * Math.min(Math.max(n, 0.5), 1) + 0.75 * n) / (EPS + n);
    expect(out).toEqual(refColumns(w(), rows, cols, f));
  });

  it("an F32Buffer is projected in place, as a Float32Array", () => {
    const buf = allocF32(rows * cols);
    try {
      buf.view().set(w());
      new UnitNorm().apply(buf, [rows, cols]);
      const expected = w();
      new UnitNorm().apply(expected, [rows, cols]);
      expect(buf.view()).toEqual(expected);
    } finally {
      buf.free();
    }
  });
});

describe("bad input", () => {
  it("values, axes and keys", () => {
    expect(() => new MaxNorm({ maxValue: -1 })).toThrow("options.maxValue must be a finite number >= 0, got number -1");
    expect(() => new MinMaxNorm({ minValue: 2, maxValue: 1 })).toThrow(
      "options.maxValue must be >= options.minValue (2), got 1",
    );
    expect(() => new MinMaxNorm({ rate: 3 })).toThrow("options.rate must be in [0, 1], got number 3");
    expect(() => new UnitNorm({ axis: 2 })).toThrow(/options\.axis must be an axis 0, 1, -1 or -2/);
    expect(() => new UnitNorm({ axis: "0" as never })).toThrow(/options\.axis must be an axis/);
    expect(() => new MaxNorm({ max_value: 2 } as never)).toThrow(/options\.max_value is not a known option/);
    expect(() => new MaxNorm({ axis: 1 }).apply(new Float32Array(3))).toThrow(
      "shape: axis 1 is out of range for a tensor of rank 1 ([n])",
    );
    expect(() => new NonNeg().apply([1] as never)).toThrow("w must be a Float32Array or F32Buffer, got an Array");
    expect(() => new NonNeg().apply(new Float32Array(6), [4, 2])).toThrow(/shape must be \[n\] or \[rows, cols\]/);
    expect(() => constraints.get({ type: "nope" })).toThrow(/identifier\.type must be a registered constraint type/);
  });
});
