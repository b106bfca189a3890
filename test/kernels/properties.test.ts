// Property tests (fast-check): arbitrary f32 arrays with edge values, λs, rates, seeds, streams and
// offsets against the reference. Runs are seeded, so a failure replays; counts keep the file fast.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  addPenaltyGrad,
  dropout,
  dropoutBackward,
  init,
  l1Penalty,
  l2Penalty,
  penalty,
  randomUint32,
} from "../../src/index.js";
import { refAddPenaltyGrad, refDropout, refL1, refL2, refPackBits, refPenalty } from "../reference.js";
import { refRandomUint32 } from "../support/reference-generator.js";
import { describeDifference } from "./support/bits.js";

beforeAll(() => init());

const RUNS = { numRuns: 300, seed: 20240611 };

/** Finite data whose f32 lane sums cannot overflow: |x| ≤ 1e18 → x² ≤ 1e36, 64 of them < f32 max. */
const boundedArray = fc.float32Array({
  min: Math.fround(-1e18),
  max: Math.fround(1e18),
  noNaN: true,
  maxLength: 2100,
  size: "max",
});
/** Anything an f32 can hold: NaN, ±∞, ±0, subnormals, ±max. */
const anyArray = fc.float32Array({ maxLength: 2100, size: "max" });
// λ up to 1e30: f32(λ1) and f32(2λ2) stay finite. (Validation accepts any finite λ; beyond f32 max
// the f32 λ is ∞ and ∞·0 terms make the result depend on how a build forms λ·sign(0): not specified.)
const lambda = fc.oneof(
  fc.constant(0),
  fc.double({ min: 0, max: 10, noNaN: true }),
  fc.double({ min: 0, max: 1e30, noNaN: true }),
);
const seed = fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.maxSafeNat());
const stream = fc.integer({ min: 0, max: 0xffffffff });
const rate = fc.oneof(
  fc.constantFrom(0, 1, 0.5, 1e-17, 1 - 2 ** -53, 2 ** -32),
  fc.double({ min: 0, max: 1, noNaN: true }),
);

/**
 * Error bound of one kernel sum against the f64 reference: 64·2^-24 relative (≤ 64 non-negative
 * f32 terms per lane, see penalty.test.ts) plus an absolute n·2^-150 because an f32 square below the
 * normal range is rounded to a multiple of 2^-149 (x² of a tiny x may even flush to 0).
 */
const sumBound = (exact: number, n: number) => 64 * 2 ** -24 * exact + n * 2 ** -150;

describe("properties against the reference", () => {
  it("Σ|x|, Σx² and λ1·Σ|x| + λ2·Σx² within the stated bound", () => {
    fc.assert(
      fc.property(boundedArray, lambda, lambda, (x, l1, l2) => {
        const n = x.length,
          a = refL1(x),
          q = refL2(x);
        expect(Math.abs(l1Penalty(x) - a)).toBeLessThanOrEqual(sumBound(a, n));
        expect(Math.abs(l2Penalty(x) - q)).toBeLessThanOrEqual(sumBound(q, n));
        const expected = refPenalty(x, l1, l2);
        // each λ scales its sum's error; the final f64 products and sum add a few ulps
        const bound = l1 * sumBound(a, n) + l2 * sumBound(q, n) + 4 * 2 ** -53 * expected;
        expect(Math.abs(penalty(x, { l1, l2 }) - expected)).toBeLessThanOrEqual(bound);
      }),
      RUNS,
    );
  });

  it("addPenaltyGrad: gradient bit for bit on any f32 data (NaN-ness for NaNs), penalty within bound", () => {
    fc.assert(
      fc.property(
        anyArray,
        lambda,
        lambda,
        fc.constantFrom<1 | 0 | -1>(1, 0, -1),
        fc.boolean(),
        (x, l1, l2, signAtZero, bounded) => {
          if (bounded) x = x.map((v) => (Number.isFinite(v) ? Math.max(-1e18, Math.min(1e18, v)) : 0));
          const grad0 = x.map((v, i) => (i % 3 === 0 ? -v : i % 3 === 1 ? 0.5 : -0));
          const grad = Float32Array.from(grad0);
          const p = addPenaltyGrad(grad, x, { l1, l2, signAtZero });
          expect(describeDifference(grad, refAddPenaltyGrad(grad0, x, l1, l2, signAtZero), true)).toBe("identical");
          if (bounded) {
            const expected = refPenalty(x, l1, l2);
            const bound =
              l1 * sumBound(refL1(x), x.length) + l2 * sumBound(refL2(x), x.length) + 4 * 2 ** -53 * expected;
            expect(Math.abs(p - expected)).toBeLessThanOrEqual(bound);
          }
        },
      ),
      RUNS,
    );
  });

  it("randomUint32 equals the reference for any seed, stream, offset and length", () => {
    fc.assert(
      fc.property(
        seed,
        stream,
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 300 }),
        (s, st, off, n) => {
          const offset = Math.min(off, 2 ** 32 - n);
          const out = randomUint32(new Uint32Array(n), { seed: s, stream: st, offset });
          expect(describeDifference(out, refRandomUint32(n, s, st, offset))).toBe("identical");
        },
      ),
      RUNS,
    );
  });

  it("dropout forward (output and mask) and both backward modes equal the reference", () => {
    fc.assert(
      fc.property(anyArray, rate, seed, stream, fc.integer({ min: 0, max: 2 ** 31 }), (x, r, s, st, offset) => {
        const ref = refDropout(x, r, s, st, offset);
        const { output, mask } = dropout(x, { rate: r, seed: s, stream: st, offset });
        expect(describeDifference(mask!, refPackBits(ref.keep))).toBe("identical");
        expect(describeDifference(output, ref.output, true)).toBe("identical");
        const dy = x.map((v) => -v);
        const stored = dropoutBackward(dy, { rate: r, mask: mask! });
        const regenerated = dropoutBackward(dy, { rate: r, seed: s, stream: st, offset });
        const expected = refDropout(dy, r, s, st, offset).output; // same keep pattern, applied to dy
        expect(describeDifference(stored, expected, true)).toBe("identical");
        expect(describeDifference(regenerated, expected, true)).toBe("identical");
      }),
      RUNS,
    );
  });
});
