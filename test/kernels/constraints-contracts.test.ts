// Constraint contracts the main constraint tests leave open: the shape argument of apply() (rank 1
// or 2, whole non-negative sizes, Keras accepts a size 0), the axes a norm constraint takes (0, 1,
// −1, −2, as Keras's axis for a rank-2 kernel), the whole-matrix norm for axis [0, 1] against a
// float64 reference, MinMaxNorm's boundary cases (minValue = maxValue and rate 0 are valid in
// Keras), constraints.get for every identifier form, no WASM memory left behind, and the exact
// messages that name the argument and the rule.
import { beforeAll, describe, expect, it } from "vitest";
import {
  allocF32,
  type Constraint,
  type ConstraintJSON,
  constraints,
  init,
  MaxNorm,
  MinMaxNorm,
  NonNeg,
  UnitNorm,
} from "../../src/index.js";
import { thrown } from "../support/thrown.js";
import { defaultInstance } from "../../src/wasm/instance.js";

beforeAll(() => init());

/** Keras's MaxNorm on one slice in float64: w · min(‖w‖, m) / (1e−7 + ‖w‖). */
function maxNormRef(values: number[], maxValue: number): number[] {
  const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0));
  return values.map((v) => Math.fround((v * Math.min(norm, maxValue)) / (1e-7 + norm)));
}

describe("apply(w, shape): the shape argument", () => {
  const SHAPE_RULE = (n: number, got: string) =>
    `shape must be [n] or [rows, cols] with ${n} elements in all, got ${got}`;

  it("refuses a shape that is not an array, of rank 0 or 3, with a fractional or negative size", () => {
    const cases: [unknown, number, string][] = [
      [4, 4, "number 4"],
      [[], 1, "an Array"],
      [[1, 2, 2], 4, "an Array"],
      [[0.5, 4], 2, "an Array"],
      [[-2, -2], 4, "an Array"],
    ];
    for (const [shape, n, got] of cases) {
      for (const c of [new MaxNorm(), new NonNeg()]) {
        const error = thrown(() => c.apply(new Float32Array(n), shape as number[]));
        expect(error, JSON.stringify(shape)).toBeInstanceOf(RangeError);
        expect(error.message).toBe(SHAPE_RULE(n, got));
      }
    }
  });

  it("takes a size of 0 (an empty tensor, as Keras does) and leaves it empty", () => {
    const w = new Float32Array(0);
    expect(() => new MaxNorm().apply(w, [0])).not.toThrow();
    expect(() => new UnitNorm({ axis: 1 }).apply(w, [0, 3])).not.toThrow();
  });

  it("frees the WASM copy a Float32Array goes through", () => {
    const heap = defaultInstance().heap;
    const before = heap.allocations;
    const w = Float32Array.of(3, 4, -1, 0);
    new MaxNorm({ maxValue: 1 }).apply(w, [4]);
    new NonNeg().apply(w, [2, 2]);
    expect(heap.allocations).toBe(before);
  });
});

describe("norm constraints: axes", () => {
  const AXIS_RULE = (got: string) => `options.axis must be an axis 0, 1, -1 or -2 (or an array of them), got ${got}`;

  it("refuses an axis outside [−2, 1], a fractional one and an empty list, naming options.axis", () => {
    const cases: [unknown, string][] = [
      [2, "number 2"],
      [-3, "number -3"],
      [0.5, "number 0.5"],
      [[], "an Array"],
      [[0, 5], "an Array"],
      [[2, 0], "an Array"],
    ];
    for (const [axis, got] of cases)
      for (const make of [
        () => new MaxNorm({ axis: axis as number }),
        () => new MinMaxNorm({ axis: axis as number }),
        () => new UnitNorm({ axis: axis as number }),
      ]) {
        const error = thrown(make);
        expect(error, String(axis)).toBeInstanceOf(RangeError);
        expect(error.message).toBe(AXIS_RULE(got));
      }
  });

  it("axis −2 on a matrix is axis 0 (each column) and −1 is axis 1 (each row), as in Keras", () => {
    // 2 × 2 row-major [[3, 0], [4, 1]]: columns (3, 4) norm 5 and (0, 1); rows (3, 0) and (4, 1)
    const w = () => Float32Array.of(3, 0, 4, 1);
    const cols = w();
    new MaxNorm({ maxValue: 2, axis: -2 }).apply(cols, [2, 2]);
    const [c0, c1] = [maxNormRef([3, 4], 2), maxNormRef([0, 1], 2)];
    expect([...cols]).toEqual([c0[0], c1[0], c0[1], c1[1]]);
    const rows = w();
    new MaxNorm({ maxValue: 2, axis: -1 }).apply(rows, [2, 2]);
    expect([...rows]).toEqual([...maxNormRef([3, 0], 2), ...maxNormRef([4, 1], 2)]);
  });

  it("axis [0, 1] takes the norm of the whole matrix", () => {
    const values = [1, -2, 3, -4, 5, -6];
    const w = Float32Array.from(values);
    new MaxNorm({ maxValue: 2, axis: [0, 1] }).apply(w, [2, 3]);
    expect([...w]).toEqual(maxNormRef(values, 2));
  });

  it("an axis past a vector's rank is refused, naming the argument (apply and applyTo)", () => {
    const message = (name: string) => `${name}: axis 1 is out of range for a tensor of rank 1 ([n])`;
    const error = thrown(() => new UnitNorm({ axis: 1 }).apply(new Float32Array(3), [3]));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe(message("shape"));
    const buffer = allocF32(3);
    try {
      const direct = thrown(() => new UnitNorm({ axis: 1 }).applyTo(buffer, [3]));
      expect(direct).toBeInstanceOf(RangeError);
      expect(direct.message).toBe(message("shape"));
    } finally {
      buffer.free();
    }
  });

  it("an axis counted from the end past a vector's rank is refused too: -2 of a vector", () => {
    const error = thrown(() => new UnitNorm({ axis: -2 }).apply(new Float32Array(3), [3]));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe("shape: axis -2 is out of range for a tensor of rank 1 ([n])");
  });
});

describe("MinMaxNorm: bounds and rate", () => {
  it("minValue = maxValue is valid (Keras): every column is moved to that norm", () => {
    const w = Float32Array.of(3, 0, 4, 2); // columns (3, 4) norm 5 and (0, 2) norm 2
    new MinMaxNorm({ minValue: 1, maxValue: 1 }).apply(w, [2, 2]);
    expect([...w]).toEqual([3 / (5 + 1e-7), 0, 4 / (5 + 1e-7), 2 / (2 + 1e-7)].map(Math.fround));
  });

  it("rate 0 is valid and leaves the norms where they are (up to ε)", () => {
    const w = Float32Array.of(3, 4);
    new MinMaxNorm({ minValue: 0, maxValue: 1, rate: 0 }).apply(w, [2]);
    expect([...w]).toEqual([(3 * 5) / (5 + 1e-7), (4 * 5) / (5 + 1e-7)].map(Math.fround));
  });

  it("refuses maxValue < minValue and a rate outside [0, 1] with the rule", () => {
    const cases: [object, string][] = [
      [{ minValue: 2, maxValue: 1 }, "options.maxValue must be >= options.minValue (2), got 1"],
      [{ rate: -0.1 }, "options.rate must be in [0, 1], got number -0.1"],
      [{ rate: 1.5 }, "options.rate must be in [0, 1], got number 1.5"],
      [{ rate: Number.NaN }, "options.rate must be in [0, 1], got number NaN"],
      [{ rate: "0.5" }, "options.rate must be in [0, 1], got string 0.5"],
      [{ minValue: -1 }, "options.minValue must be a finite number >= 0, got number -1"],
      [{ maxValue: -1 }, "options.maxValue must be a finite number >= 0, got number -1"],
    ];
    for (const [options, message] of cases) {
      const error = thrown(() => new MinMaxNorm(options));
      expect(error).toBeInstanceOf(RangeError);
      expect(error.message).toBe(message);
    }
  });
});

describe("options and JSON messages name the argument and its shape", () => {
  it("a non-object options names the options each constraint takes", () => {
    const cases: [() => unknown, string][] = [
      [() => new MaxNorm(5 as never), "options must be an object like { maxValue, axis }, got number 5"],
      [
        () => new MinMaxNorm(5 as never),
        "options must be an object like { minValue, maxValue, rate, axis }, got number 5",
      ],
      [() => new UnitNorm(5 as never), "options must be an object like { axis }, got number 5"],
    ];
    for (const [make, message] of cases) {
      const error = thrown(make);
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe(message);
    }
  });

  it("an unknown key in a constraint's JSON is refused, naming json and the known keys", () => {
    const cases: [() => unknown, string][] = [
      [
        () => MaxNorm.fromJSON({ type: "maxNorm", rate: 1 }),
        "json.rate is not a known option; the options are type, maxValue, axis",
      ],
      [
        () => MinMaxNorm.fromJSON({ type: "minMaxNorm", foo: 1 }),
        "json.foo is not a known option; the options are type, minValue, maxValue, rate, axis",
      ],
      [() => NonNeg.fromJSON({ type: "nonNeg", axis: 0 }), "json.axis is not a known option; the options are type"],
      [
        () => UnitNorm.fromJSON({ type: "unitNorm", rate: 1 }),
        "json.rate is not a known option; the options are type, axis",
      ],
    ];
    for (const [make, message] of cases) {
      const error = thrown(make);
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe(message);
    }
  });
});

describe("constraints.get", () => {
  it("a name registered beyond the built-in ones is built from the registry", () => {
    class Clip extends NonNeg {
      readonly kind = "clip";
    }
    constraints.registry.register("clipAtZero", (json: ConstraintJSON) => {
      expect(json).toEqual({ type: "clipAtZero" });
      return new Clip();
    });
    try {
      expect((constraints.get("clipAtZero") as Clip).kind).toBe("clip");
    } finally {
      constraints.registry.unregister("clipAtZero");
    }
  });

  it("{ type, … } goes through the registry even with a className beside it", () => {
    // the type decides: NonNeg's JSON has no className key, so it is refused as unknown
    const error = thrown(() => constraints.get({ type: "nonNeg", className: "MaxNorm" }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("identifier: json.className is not a known option; the options are type");
  });

  it("an object with neither type nor className is a registry error naming identifier.type", () => {
    const error = thrown(() => constraints.get({ maxValue: 2 }, "kernelConstraint"));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(
      /^kernelConstraint\.type must be a registered constraint type \('maxNorm', .*\), got undefined$/,
    );
  });

  it("a className with a non-object config names identifier.config", () => {
    const error = thrown(() => constraints.get({ className: "MaxNorm", config: 5 }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("identifier.config must be an object, got number 5");
  });

  it("a number or a boolean is a TypeError listing the forms an identifier takes", () => {
    for (const [value, got] of [
      [5, "number 5"],
      [true, "boolean true"],
    ] as const) {
      const error = thrown(() => constraints.get(value, "biasConstraint"));
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe(
        `biasConstraint must be a constraint, a name ('maxNorm', 'minMaxNorm', 'nonNeg', 'unitNorm'), a { type, … } JSON or null, got ${got}`,
      );
    }
  });

  it("keeps an instance and reads Keras's snake-case config", () => {
    const c: Constraint = new UnitNorm();
    expect(constraints.get(c)).toBe(c);
    const m = constraints.get({ class_name: "MinMaxNorm", config: { min_value: 0.5, max_value: 3, rate: 0.25 } });
    expect(m?.toJSON()).toEqual({ type: "minMaxNorm", minValue: 0.5, maxValue: 3, rate: 0.25, axis: 0 });
  });
});
