// assembly/projection.ts (softThreshold, clampNonNegative, and the norm passes columnSquares/
// rowSquares/scaleColumns/scaleRows behind scaleByNorms) against float64 references, at the SIMD
// edge lengths and on special values, and the two builds against each other bit for bit.
import { beforeAll, describe, expect, it } from "vitest";
import { clampNonNegative, scaleByNorms, softThreshold } from "../../src/kernels/projection.js";
import { describeDifference } from "./support/bits.js";
import { type Builds, loadBuilds, onBoth, put } from "./support/builds.js";
import { EDGE_LENGTHS, normalF32 } from "./support/data.js";

let builds: Builds;
beforeAll(async () => {
  builds = await loadBuilds();
});

const FLT_MIN = 2 ** -126;
/** Values the kernels must treat exactly: ±0, subnormals, values at and near the threshold, ±∞, NaN. */
const SPECIAL = [0, -0, 1e-45, -1e-45, FLT_MIN, 0.25, -0.25, 0.2500001, -0.2499999, Infinity, -Infinity, NaN];

function withSpecials(n: number, seed: number): Float32Array {
  const x = normalF32(n, seed);
  for (let i = 0; i < n; i += 3) x[i] = SPECIAL[(i / 3) % SPECIAL.length];
  return x;
}

/** The rule in f32 arithmetic: |w| − t rounded once, kept when ≥ 2^-126 with w's sign, else +0; NaN kept. */
function refSoftThreshold(x: Float32Array, t: number): Float32Array {
  const t32 = Math.fround(t);
  return x.map((w) => {
    if (Number.isNaN(w)) return w;
    const shrunk = Math.fround(Math.abs(w) - t32);
    return shrunk >= FLT_MIN ? (w < 0 || Object.is(w, -0) ? -shrunk : shrunk) : 0;
  });
}

function run(x: Float32Array, apply: (b: ReturnType<typeof put>) => void) {
  return (inst: Parameters<typeof put>[0]) => {
    const buf = put(inst, x);
    apply(buf);
    const out = buf.view().slice();
    buf.free();
    return out;
  };
}

describe("softThreshold and clampNonNegative", () => {
  for (const n of EDGE_LENGTHS) {
    it(`n = ${n}: the f32 rule exactly, both builds bit for bit (NaN payloads aside)`, () => {
      const x = withSpecials(n, 100 + n);
      const t = 0.25;
      const got = run(x, (b) => softThreshold(b, t))(builds.tested);
      const other = run(x, (b) => softThreshold(b, t))(builds.other);
      expect(describeDifference(got, other, true)).toBe("identical");
      expect(describeDifference(got, refSoftThreshold(x, t), true)).toBe("identical");
      const clamped = onBoth(
        builds,
        run(x, (b) => clampNonNegative(b)),
      );
      expect(
        describeDifference(
          clamped,
          x.map((w) => (w >= 0 || Number.isNaN(w) ? w : 0)),
          true,
        ),
      ).toBe("identical");
    });
  }

  it("an exact zero for |w| ≤ t, the sign kept above it, and a subnormal remainder flushed", () => {
    const x = new Float32Array([0.1, -0.1, 0.3, -0.3, 0.25, -0.25]);
    const got = run(x, (b) => softThreshold(b, 0.25))(builds.tested);
    const kept = Math.fround(Math.fround(0.3) - 0.25); // f32(0.3) − 0.25, rounded once
    expect(Array.from(got)).toEqual([0, 0, kept, -kept, 0, 0]);
    // 2^-125 − (2^-126 + 2^-130) = 2^-126 − 2^-130: subnormal, stored as 0
    const tiny = run(new Float32Array([2 ** -125, -(2 ** -125)]), (b) => softThreshold(b, 2 ** -126 + 2 ** -130));
    expect(Array.from(tiny(builds.tested))).toEqual([0, 0]);
  });
});

describe("scaleByNorms", () => {
  /** The float64 reference: per column or row, Σ x² in element order, factor(√Σ), x·factor rounded once. */
  function refScale(x: Float32Array, rows: number, cols: number, byColumns: boolean, f: (n: number) => number) {
    const groups = byColumns ? cols : rows;
    const sums = new Float64Array(groups);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) sums[byColumns ? j : i] += x[i * cols + j] * x[i * cols + j];
    const factors = Array.from(sums, (s) => f(Math.sqrt(s)));
    return x.map((v, k) => Math.fround(v * factors[byColumns ? k % cols : Math.floor(k / cols)]));
  }
  const factor = (norm: number) => Math.min(norm, 1.5) / (1e-7 + norm);

  for (const [rows, cols] of [
    [1, 1],
    [3, 1],
    [1, 5],
    [4, 3],
    [7, 16],
    [5, 17],
    [33, 65],
  ]) {
    for (const byColumns of [true, false]) {
      it(`${rows} × ${cols} by ${byColumns ? "columns" : "rows"}: the reference bit for bit on both builds`, () => {
        const x = normalF32(rows * cols, rows * 100 + cols);
        const got = onBoth(
          builds,
          run(x, (b) => scaleByNorms(b, rows, cols, byColumns, factor)),
        );
        expect(describeDifference(got, refScale(x, rows, cols, byColumns, factor))).toBe("identical");
      });
    }
  }

  it("returns its scratch memory", () => {
    const inst = builds.tested;
    const buf = put(inst, normalF32(12, 1));
    const before = inst.heap.allocations;
    scaleByNorms(buf, 3, 4, true, () => 2);
    expect(inst.heap.allocations).toBe(before);
    buf.free();
  });
});
