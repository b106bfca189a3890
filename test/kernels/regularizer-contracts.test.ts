// Contracts of the regularizer objects that regularizers.test.ts leaves open: the shape argument,
// zero vectors in OrthogonalRegularizer, the finite-difference step of a custom regularizer, the
// defaults, how `regularizers.get` tells its identifiers apart, buffers of another instance, and
// the exact message of every bad argument (the argument's name and the rule).
import { beforeAll, describe, expect, it } from "vitest";
import {
  allocF32,
  CustomRegularizer,
  init,
  instantiate,
  L1L2,
  L2,
  OrthogonalRegularizer,
  regularizers,
} from "../../src/index.js";

beforeAll(() => init());

/** Keras's OrthogonalRegularizer in float64 over the given vectors; a zero vector contributes 0 (its û is 0). */
function refOrthogonal(vectors: number[][], factor: number): number {
  const unit = vectors.map((v) => {
    const norm = Math.hypot(...v);
    return v.map((x) => (norm > 0 ? x / norm : 0));
  });
  const s = vectors.length;
  let sum = 0;
  for (let i = 0; i < s; i++)
    for (let j = 0; j < s; j++) if (i !== j) sum += Math.abs(unit[i].reduce((a, u, t) => a + u * unit[j][t], 0));
  return (factor * 0.5 * sum) / ((s * (s - 1)) / 2);
}

describe("the shape argument", () => {
  const bad = /^shape must be \[n\] or \[rows, cols\] with 2 elements in all, got /;

  it("is [n] or [rows, cols] of non-negative integers multiplying to the length; anything else is a RangeError", () => {
    const x = new Float32Array([1, -2]);
    const cases: unknown[] = [
      [], // rank 0: its empty product 1 is not the point
      [2, 1, 1], // rank 3
      [4, 0.5], // not integers
      [0.5, 4],
      [-1, -2], // negative
      new Int32Array([2]), // array-like, not an array
      [1, 1], // 1 element, not 2
    ];
    for (const shape of cases) {
      expect(() => new L2(0.1).penalty(x, shape as number[])).toThrow(RangeError);
      expect(() => new L2(0.1).penalty(x, shape as number[])).toThrow(bad);
      expect(() => new L2(0.1).addGradient(new Float32Array(2), x, shape as number[])).toThrow(bad);
    }
    // the one-element case: [] would multiply to 1
    expect(() => new L2(0.1).penalty(new Float32Array([3]), [])).toThrow(
      /^shape must be \[n\] or \[rows, cols\] with 1 elements in all, got an Array$/,
    );
  });

  it("takes a size 0: an empty matrix has no penalty", () => {
    expect(new L2(0.1).penalty(new Float32Array(0), [0, 3])).toBe(0);
    expect(new L2(0.1).penalty(new Float32Array(0), [3, 0])).toBe(0);
    expect(new L2(0.1).penalty(new Float32Array([1, -2]), [2, 1])).toBeCloseTo(0.5, 6); // 0.1·(1 + 4)
  });

  it("addGradient names its operands and checks the regularizer's rank with the name 'shape'", () => {
    const x = new Float32Array(4);
    expect(() => new L2().addGradient([0, 0, 0, 0] as never, x)).toThrow(
      /^grad must be a Float32Array or F32Buffer, got an Array$/,
    );
    expect(() => new L2().addGradient(x, [0, 0, 0, 0] as never)).toThrow(
      /^x must be a Float32Array or F32Buffer, got an Array$/,
    );
    expect(() => new OrthogonalRegularizer().addGradient(new Float32Array(4), x, [4])).toThrow(
      /^shape: OrthogonalRegularizer takes a matrix \[rows, cols\], got a tensor of shape \[4\]$/,
    );
    expect(() => new OrthogonalRegularizer().addGradient(new Float32Array(4), x, [2, 2, 1])).toThrow(
      /^shape must be \[n\] or \[rows, cols\] with 4 elements in all/,
    );
    // checkShape itself lists every size of the shape it is given
    expect(() => new OrthogonalRegularizer().checkShape("w", [1, 2, 3])).toThrow(
      /^w: OrthogonalRegularizer takes a matrix \[rows, cols\], got a tensor of shape \[1, 2, 3\]$/,
    );
  });
});

describe("buffers of another instance", () => {
  it("penalty and addGradient run where the buffers live", async () => {
    const other = await instantiate({ simd: false });
    const x = allocF32(3, other);
    x.view().set([1, -2, 3]);
    const grad = allocF32(3, other);
    grad.view().set([0.5, 0.5, 0.5]);
    // 0.1·(1 + 4 + 9) = 1.4; gradient 2·0.1·x
    expect(new L2(0.1).penalty(x)).toBeCloseTo(1.4, 6);
    expect(new L2(0.1).addGradient(grad, x)).toBeCloseTo(1.4, 6);
    const expected = [0.5 + 0.2, 0.5 - 0.4, 0.5 + 0.6];
    Array.from(grad.view()).forEach((g, i) => expect(g).toBeCloseTo(expected[i], 6));
  });
});

describe("OrthogonalRegularizer", () => {
  it("a zero vector has û = 0: it adds nothing to the penalty and gets a zero gradient (rows)", () => {
    // rows [3, 4], [0, 0], [1, 2]: the zero row sits between two others
    const x = new Float32Array([3, 4, 0, 0, 1, 2]);
    const reg = new OrthogonalRegularizer({ factor: 0.5 });
    const expected = refOrthogonal(
      [
        [3, 4],
        [0, 0],
        [1, 2],
      ],
      0.5,
    );
    expect(reg.penalty(x, [3, 2])).toBeCloseTo(expected, 12);
    const grad = new Float32Array(6);
    expect(reg.addGradient(grad, x, [3, 2])).toBeCloseTo(expected, 12);
    expect(grad[2]).toBe(0);
    expect(grad[3]).toBe(0);
    // the other rows: central differences of the float64 reference
    const h = 1e-6;
    for (const k of [0, 1, 4, 5]) {
      const up = Array.from(x);
      const down = Array.from(x);
      up[k] += h;
      down[k] -= h;
      const rowsOf = (v: number[]) => [v.slice(0, 2), v.slice(2, 4), v.slice(4, 6)];
      const fd = (refOrthogonal(rowsOf(up), 0.5) - refOrthogonal(rowsOf(down), 0.5)) / (2 * h);
      expect(grad[k]).toBeCloseTo(fd, 5);
    }
  });

  it("a zero column (columns mode) adds nothing and gets a zero gradient", () => {
    // 2 × 3, columns [1, 2], [0, 0], [2, -1]
    const x = new Float32Array([1, 0, 2, 2, 0, -1]);
    const reg = new OrthogonalRegularizer({ factor: 0.3, mode: "columns" });
    const expected = refOrthogonal(
      [
        [1, 2],
        [0, 0],
        [2, -1],
      ],
      0.3,
    );
    expect(expected).toBe(0); // columns 0 and 2 are orthogonal
    expect(reg.penalty(x, [2, 3])).toBe(0);
    const grad = new Float32Array(6);
    reg.addGradient(grad, x, [2, 3]);
    expect(Array.from(grad)).toEqual([0, 0, 0, 0, 0, 0]);
    // not orthogonal: columns [1, 2], [0, 0], [1, 1]
    const y = new Float32Array([1, 0, 1, 2, 0, 1]);
    const ref = refOrthogonal(
      [
        [1, 2],
        [0, 0],
        [1, 1],
      ],
      0.3,
    );
    expect(ref).toBeGreaterThan(0);
    expect(reg.penalty(y, [2, 3])).toBeCloseTo(ref, 12);
  });

  it("counts the vectors the mode names: 'columns' needs 2 columns", () => {
    const x = new Float32Array([1, 2, 3]);
    expect(() => new OrthogonalRegularizer({ mode: "columns" }).penalty(x, [3, 1])).toThrow(
      /^shape: OrthogonalRegularizer needs at least 2 columns \(pairs to compare\), got 1$/,
    );
    expect(() => new OrthogonalRegularizer({ mode: "rows" }).penalty(x, [1, 3])).toThrow(
      /^shape: OrthogonalRegularizer needs at least 2 rows \(pairs to compare\), got 1$/,
    );
  });

  it("is not a sum over rows (it cannot regularize activities), unlike L1/L2", () => {
    expect(new OrthogonalRegularizer().sumsOverRows).toBe(false);
    expect(new L2().sumsOverRows).toBe(true);
  });

  it("bad options and JSON name the argument and the rule", () => {
    expect(() => new OrthogonalRegularizer(null as never)).toThrow(
      /^options must be an object like \{ factor, mode \}, got null$/,
    );
    expect(() => new OrthogonalRegularizer({ factor: -1 })).toThrow(/^options\.factor must be a finite number >= 0/);
    expect(() => OrthogonalRegularizer.fromJSON({ type: "orthogonal", foo: 1 })).toThrow(
      /^json\.foo is not a known option; the options are type, factor, mode$/,
    );
    const made = regularizers.orthogonal({ factor: 0.5, mode: "columns" });
    expect(made).toBeInstanceOf(OrthogonalRegularizer);
    expect(made.toJSON()).toEqual({ type: "orthogonal", factor: 0.5, mode: "columns" });
  });
});

describe("L1, L2, L1L2", () => {
  it("JSON with an unknown key is an error naming json", () => {
    expect(() => L2.fromJSON({ type: "l2", l1: 0.1 })).toThrow(
      /^json\.l1 is not a known option \(did you mean l2\?\); the options are type, l2$/,
    );
    expect(() => L1L2.fromJSON({ type: "l1l2", foo: 1 })).toThrow(/^json\.foo is not a known option/);
  });

  it("L1L2's λ2 must leave 2·λ2 finite in f32, named options.l2", () => {
    expect(() => new L1L2({ l2: 3e38 })).toThrow(/^options\.l2 must be at most 1\.7e38/);
  });

  it("l1(null), l2(null) and l1l2(null) are errors naming the argument", () => {
    expect(() => regularizers.l1(null as never)).toThrow(/^l1 must be a number, got null$/);
    expect(() => regularizers.l2(null as never)).toThrow(/^l2 must be a number, got null$/);
    expect(() => regularizers.l1l2(null as never)).toThrow(/^options must be an object like \{ l1, l2 \}, got null$/);
  });
});

describe("custom regularizers", () => {
  /** A penalty that records every w it is called with: Σw³ (gradient 3w²). */
  function recording() {
    const calls: Float64Array[] = [];
    const spec = {
      penalty: (w: Float64Array) => {
        calls.push(w.slice());
        return w.reduce((a, v) => a + v ** 3, 0);
      },
    };
    return { calls, spec };
  }

  it("without a gradient: central differences, 2·n calls after the value, step ∛ε·max(1, |wᵢ|)", () => {
    const { calls, spec } = recording();
    const reg = new CustomRegularizer("cubes", {}, spec);
    expect(reg.analytic).toBe(false);
    const w = [0.5, -40, 3];
    const grad = new Float32Array(3);
    expect(reg.addGradient(grad, new Float32Array(w))).toBeCloseTo(0.125 - 64000 + 27, 6);
    expect(calls.length).toBe(1 + 2 * w.length);
    const eps3 = Math.cbrt(Number.EPSILON); // ≈ 6.06e-6
    for (let i = 0; i < w.length; i++) {
      const up = calls[1 + 2 * i];
      const down = calls[2 + 2 * i];
      const h = eps3 * Math.max(1, Math.abs(w[i]));
      expect((up[i] - w[i]) / h).toBeCloseTo(1, 9);
      expect((w[i] - down[i]) / h).toBeCloseTo(1, 9);
      // the other entries untouched
      for (let k = 0; k < w.length; k++) if (k !== i) expect(up[k]).toBe(w[k]);
      expect(grad[i] / (3 * w[i] ** 2)).toBeCloseTo(1, 4);
    }
  });

  it("with a gradient: the penalty is called once and the gradient is what spec.gradient writes", () => {
    const { calls, spec } = recording();
    const reg = new CustomRegularizer(
      "cubes",
      {},
      {
        ...spec,
        gradient: (w: Float64Array, g: Float64Array) => {
          for (let i = 0; i < w.length; i++) g[i] = 3 * w[i] ** 2;
        },
      },
    );
    expect(reg.analytic).toBe(true);
    const grad = new Float32Array([1, 1]);
    reg.addGradient(grad, new Float32Array([2, -3]));
    expect(calls.length).toBe(1);
    expect(Array.from(grad)).toEqual([13, 28]);
  });

  it("is not a sum over rows unless spec.sumsOverRows says so", () => {
    expect(new CustomRegularizer("p", {}, { penalty: () => 0 }).sumsOverRows).toBe(false);
    expect(new CustomRegularizer("p", {}, { penalty: () => 0, sumsOverRows: true }).sumsOverRows).toBe(true);
  });

  it("a bad spec names the field and the rule", () => {
    expect(() => new CustomRegularizer("p", {}, null as never)).toThrow(
      /^spec must be an object like \{ penalty, gradient \}, got null$/,
    );
    expect(() => new CustomRegularizer("p", {}, { penalty: () => 0, gradient: 5 as never })).toThrow(
      /^spec\.gradient must be a function \(w, grad, shape\) => void, got number 5$/,
    );
    expect(() => new CustomRegularizer("p", {}, { penalty: () => 0, sumsOverRows: "yes" as never })).toThrow(
      /^spec\.sumsOverRows must be a boolean, got string yes$/,
    );
  });

  it("a config holds strings and booleans as well as numbers, and round-trips through get", () => {
    const make = regularizers.register("contractsScaled", ({ k, on }) => ({
      penalty: (w) => (on ? (k as number) * w.reduce((a, b) => a + b, 0) : 0),
    }));
    try {
      const reg = make({ k: 2, label: "x", on: true });
      expect(reg.toJSON()).toEqual({ type: "contractsScaled", k: 2, label: "x", on: true });
      const back = regularizers.get(reg.toJSON());
      expect(back?.penalty(new Float32Array([1, 2]))).toBe(6);
      expect(() => regularizers.get({ type: "contractsScaled", k: [1] })).toThrow(
        /^identifier: json\.k must be a finite number, a string or a boolean \(JSON\), got an Array$/,
      );
      // an unknown name lists the built-in names, then the registered types not among them, once each
      expect(() => regularizers.get("nope")).toThrow(
        new RangeError(
          "identifier must name a regularizer ('l1', 'L1', 'l2', 'L2', 'l1l2', 'L1L2', 'l1_l2', 'orthogonal', " +
            "'orthogonal_regularizer', 'OrthogonalRegularizer', 'contractsScaled'), got 'nope'",
        ),
      );
    } finally {
      regularizers.unregister("contractsScaled");
    }
  });
});

describe("regularizers.get tells its identifiers apart", () => {
  it("a non-object, non-string is a TypeError listing the accepted forms", () => {
    for (const [value, got] of [
      [5, "number 5"],
      [true, "boolean true"],
    ] as const)
      expect(() => regularizers.get(value)).toThrow(
        new TypeError(
          `identifier must be a regularizer, a name ('l1', 'l2', 'l1l2', 'orthogonal'), a { type, … } JSON or null, got ${got}`,
        ),
      );
  });

  it("{ type, … } is the project's JSON even with a className key (rebuilt as that type, className unknown)", () => {
    expect(() => regularizers.get({ type: "l2", l2: 0.1, className: "L1" })).toThrow(
      /^identifier: json\.className is not a known option/,
    );
  });

  it("{ className } must be a string; { className, config } needs an object config named identifier.config", () => {
    expect(() => regularizers.get({ className: 5 })).toThrow(
      /^identifier\.type must be a registered regularizer type \(.*\), got undefined$/,
    );
    expect(() => regularizers.get({ className: "L2", config: 5 })).toThrow(
      /^identifier\.config must be an object, got number 5$/,
    );
    expect(regularizers.get({ className: "L2", config: { l2: 0.5 } })?.toJSON()).toEqual({ type: "l2", l2: 0.5 });
  });
});
