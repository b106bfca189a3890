// The keep rule at its boundary: element i is kept iff u(offset + i) < floor((1 − rate)·2^32), so a
// word EQUAL to the threshold is dropped and a word one below it is kept. Random data hits equality
// once in 2^32 draws, so these tests make it happen: for a known word u of a chosen stream, the rate
// (2^32 − u)/2^32 (exact in f64: an integer over a power of two) gives threshold exactly u, and
// (2^32 − u − 1)/2^32 gives u + 1. Offsets put that word at chosen positions: inside the 32-element
// groups of the SIMD loop and in the scalar tail (n mod 32 ≠ 0), on both builds.
import { beforeAll, describe, expect, it } from "vitest";
import {
  allocF32,
  allocU32,
  dropout,
  dropoutBackward,
  type F32Buffer,
  init,
  type Instance,
  instantiate,
  maskWords,
  randomUint32,
  type U32Buffer,
} from "../../src/index.js";
import { refDropout, refKeepThreshold, refPackBits, refScale } from "../reference.js";
import { refRandomUint32 } from "../support/reference-generator.js";
import { describeDifference } from "./support/bits.js";
import { normalF32 } from "./support/data.js";

beforeAll(() => init());

const SEED = 2 ** 33 + 77;
const STREAM = 9;

/** The first counter ≥ 1000 of the stream whose word has the high bit set (or clear), and its word. */
function counterWith(highBit: boolean): { counter: number; u: number } {
  for (let counter = 1000; ; counter++) {
    const u = refRandomUint32(1, SEED, STREAM, counter)[0];
    // u + 1 must stay a u32 threshold; 0 would make rate 1
    if (u >>> 31 === (highBit ? 1 : 0) && u > 0 && u < 0xffffffff) return { counter, u };
  }
}
// both halves: the SIMD path compares (u ^ 2^31) < (t ^ 2^31) as signed
const WORDS = [counterWith(true), counterWith(false)];

/** The rate whose threshold floor((1 − rate)·2^32) is exactly t (0 < t < 2^32). */
const rateFor = (t: number) => (2 ** 32 - t) / 2 ** 32;

// [n, position]: groups 0 and 1 of the 32-element SIMD loop, its tail (67 = 2·32 + 3), a call that is all tail
const PLACES = [
  [67, 5],
  [67, 60],
  [67, 66],
  [3, 1],
] as const;

const cases = WORDS.flatMap(({ counter, u }) =>
  PLACES.map(([n, at]) => ({ name: `u = 0x${u.toString(16)} at ${at} of ${n}`, counter, u, n, at })),
);

describe("the boundary rates are exact", () => {
  it.each(cases)("$name: randomUint32 gives u there, and the thresholds are u and u + 1", ({ counter, u, n, at }) => {
    const words = randomUint32(new Uint32Array(n), { seed: SEED, stream: STREAM, offset: counter - at });
    expect(words[at]).toBe(u);
    expect(refKeepThreshold(rateFor(u))).toBe(u);
    expect(refKeepThreshold(rateFor(u + 1))).toBe(u + 1);
  });
});

/** Forward (mask and output), backward from the mask and regenerated, on one instance's buffers. */
function run(inst: Instance | null, x: Float32Array, dy: Float32Array, rate: number, offset: number) {
  const stream = { seed: SEED, stream: STREAM, offset };
  if (!inst) {
    const { output, mask } = dropout(x, { rate, ...stream });
    return {
      output,
      mask: mask!,
      fromMask: dropoutBackward<Float32Array>(dy, { rate, mask: mask! }),
      regenerated: dropoutBackward<Float32Array>(dy, { rate, ...stream }),
    };
  }
  const n = x.length;
  const xBuf = allocF32(n, inst),
    dyBuf = allocF32(n, inst),
    maskBuf = allocU32(maskWords(n), inst);
  xBuf.view().set(x);
  dyBuf.view().set(dy);
  const forward = dropout<F32Buffer, undefined, U32Buffer>(xBuf, { rate, ...stream, mask: maskBuf });
  const fromMask = dropoutBackward<F32Buffer>(dyBuf, { rate, mask: maskBuf });
  const regenerated = dropoutBackward<F32Buffer>(dyBuf, { rate, ...stream });
  const result = {
    output: forward.output.view().slice(),
    mask: maskBuf.view().slice(),
    fromMask: fromMask.view().slice(),
    regenerated: regenerated.view().slice(),
  };
  for (const b of [xBuf, dyBuf, maskBuf, forward.output, fromMask, regenerated]) b.free();
  return result;
}

describe.each([
  ["init() build, Float32Array", null],
  ["SIMD build, F32Buffer", true],
  ["scalar build, F32Buffer", false],
] as const)("keep boundary on the %s", (_, simd) => {
  let inst: Instance | null = null;
  beforeAll(async () => {
    if (simd !== null) inst = await instantiate({ simd });
  });

  it.each(cases)("$name: dropped at threshold u, kept at threshold u + 1", ({ counter, u, n, at }) => {
    if (inst) expect(inst.simd).toBe(simd);
    const x = normalF32(n, 31 + at),
      dy = normalF32(n, 32 + at); // no zeros: a +0 output can only mean dropped
    const offset = counter - at;
    for (const [threshold, kept] of [
      [u, 0],
      [u + 1, 1],
    ] as const) {
      const rate = rateFor(threshold);
      const got = run(inst, x, dy, rate, offset);
      const scale = refScale(rate);
      const what = `threshold ${threshold === u ? "u" : "u + 1"}`;
      expect((got.mask[at >> 5] >>> (at & 31)) & 1, `${what}: mask bit`).toBe(kept);
      expect(Object.is(got.output[at], kept ? Math.fround(x[at] * scale) : 0), `${what}: output`).toBe(true);
      expect(Object.is(got.regenerated[at], kept ? Math.fround(dy[at] * scale) : 0), `${what}: regenerated`).toBe(true);
      // every other element follows the rule too
      const ref = refDropout(x, rate, SEED, STREAM, offset);
      expect(describeDifference(got.output, ref.output), what).toBe("identical");
      expect(describeDifference(got.mask, refPackBits(ref.keep)), what).toBe("identical");
      expect(describeDifference(got.fromMask, got.regenerated), what).toBe("identical");
    }
  });
});
