// The keep rule at its boundary: element c is kept iff v(c) < floor((1 − rate)·2^32), so a uniform
// EQUAL to the threshold is dropped and one below it is kept. Random data hits equality once in 2^32
// draws, so these tests make it happen: for a known uniform v of a chosen stream, the rate
// (2^32 − v)/2^32 (exact in f64: an integer over a power of two) gives threshold exactly v, and
// (2^32 − v − 1)/2^32 gives v + 1. At threshold v the bit-sliced comparison stays undecided for that
// element down to T's last set bit. Offsets put it at chosen positions: in a 128-element SIMD round,
// in the 32-element words after the rounds, and in calls whose offset is not a group start, on both
// builds.
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
import { refKeepUniform, refStreamKey } from "../support/reference-generator.js";
import { describeDifference } from "./support/bits.js";
import { normalF32 } from "./support/data.js";

beforeAll(() => init());

const SEED = 2 ** 33 + 77;
const STREAM = 9;

const [K1, K2] = refStreamKey(SEED, STREAM);

/** The first counter ≥ 1000 of the stream whose uniform has the high bit set (or clear), and its uniform. */
function counterWith(highBit: boolean): { counter: number; v: number } {
  for (let counter = 1000; ; counter++) {
    const v = refKeepUniform(counter, K1, K2);
    // v + 1 must stay a u32 threshold; 0 would make rate 1
    if (v >>> 31 === (highBit ? 1 : 0) && v > 0 && v < 0xffffffff) return { counter, v };
  }
}
// both halves: T's first bit decides which branch the first level takes
const UNIFORMS = [counterWith(true), counterWith(false)];

/** The rate whose threshold floor((1 − rate)·2^32) is exactly t (0 < t < 2^32). */
const rateFor = (t: number) => (2 ** 32 - t) / 2 ** 32;

/** [where, offset, n] for the element at counter c: a SIMD round, the words after them, unaligned calls. */
const placesOf = (c: number) =>
  [
    ["second SIMD round", c - (c % 128) - 128, 300],
    ["word after the rounds", c - (c % 32) - 256, 256 + (c % 32) + 3],
    ["unaligned call, position 5 of 67", c - 5, 67],
    ["unaligned call, position 60 of 67", c - 60, 67],
    ["unaligned call, last of 67", c - 66, 67],
    ["call of 3, position 1", c - 1, 3],
  ] as const;

const cases = UNIFORMS.flatMap(({ counter, v }) =>
  placesOf(counter).map(([where, offset, n]) => ({
    name: `v = 0x${v.toString(16)}, ${where}`,
    counter,
    v,
    n,
    offset,
    at: counter - offset,
  })),
);

describe("the boundary rates are exact", () => {
  it.each(cases)("$name: the kernel's raw words give v there, and the thresholds are v and v + 1", ({ counter, v }) => {
    // v(c) from randomUint32's words of c's group (bit 31 − k of v is bit c & 31 of word k)
    const words = randomUint32(new Uint32Array(32), { seed: SEED, stream: STREAM, offset: counter - (counter % 32) });
    let fromWords = 0;
    for (let k = 0; k < 32; k++) fromWords = fromWords * 2 + ((words[k] >>> (counter % 32)) & 1);
    expect(fromWords).toBe(v);
    expect(refKeepThreshold(rateFor(v))).toBe(v);
    expect(refKeepThreshold(rateFor(v + 1))).toBe(v + 1);
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

  it.each(cases)("$name: dropped at threshold v, kept at threshold v + 1", ({ v, n, offset, at }) => {
    if (inst) expect(inst.simd).toBe(simd);
    const x = normalF32(n, 31 + at),
      dy = normalF32(n, 32 + at); // no zeros: a +0 output can only mean dropped
    for (const [threshold, kept] of [
      [v, 0],
      [v + 1, 1],
    ] as const) {
      const rate = rateFor(threshold);
      const got = run(inst, x, dy, rate, offset);
      const scale = refScale(rate);
      const what = `threshold ${threshold === v ? "v" : "v + 1"}`;
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
