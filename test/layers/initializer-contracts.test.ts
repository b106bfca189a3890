// What the seeded bit-for-bit suite (test/kernels/initializers.test.ts) cannot reach: the truncated
// normal's boundaries (a pair whose s rounds to exactly 1, a draw of exactly ±2), which a random stream
// meets with probability ~1e-16 per pair, here on chosen words; that an initializer stops drawing once
// out is full; a user-made truncated-normal varianceScaling; its config's shape in the error message.
// The words are chosen through an instance whose word kernel is scripted (RandomSource.instance is
// the source of the words).
import { beforeAll, describe, expect, it } from "vitest";
import { init, varianceScaling } from "../../src/index.js";
import { WORD_BLOCK } from "../../src/layers/initializers/word-reader.js";
import { defaultInstance, Instance, instantiate } from "../../src/wasm/instance.js";
import { describeDifference } from "../kernels/support/bits.js";
import {
  type RefVarianceScaling,
  refParameter,
  refTruncatedNormal,
  refTruncatedNormalOf,
  refUniform,
} from "../kernels/support/initializer-reference.js";
import { refRandomUint32 } from "../support/reference-generator.js";

const [SEED, STREAM] = [9, 3];
/** The words of (SEED, STREAM) past any script: three blocks are more than these tests read. */
const STREAM_WORDS = refRandomUint32(3 * WORD_BLOCK, SEED, STREAM);
const TWO_32 = 2 ** 32;
/** A word as the doc comment of distributions.ts defines it: (2w + 1)/2^32 − 1. */
const centered = (w: number) => (2 * w + 1) / TWO_32 - 1;

let base: Instance;
beforeAll(async () => {
  await init();
  base = await instantiate({ threads: 1 }); // its own heap: the scripted instances allocate there
});

/**
 * An instance whose word kernel gives script[c] for counter c < script.length and the stream's own
 * words after that; `offsets` records the first counter of each call (one call per block of words).
 */
function scripted(script: readonly number[]) {
  const offsets: number[] = [];
  const real = base.kernels.randomUint32;
  const randomUint32: typeof real = (outPtr, n, seedLo, seedHi, stream, offset) => {
    offsets.push(offset);
    real(outPtr, n, seedLo, seedHi, stream, offset);
    const words = new Uint32Array(base.heap.memory.buffer, outPtr, n);
    for (let c = offset; c < Math.min(offset + n, script.length); c++) words[c - offset] = script[c];
  };
  const instance = new Instance(base.simd, { ...base.kernels, randomUint32 }, base.heap);
  const word = (c: number) => (c < script.length ? script[c] : STREAM_WORDS[c]);
  return { instance, offsets, word };
}

const UNIT_NORMAL: RefVarianceScaling = { scale: 1, mode: "fanIn", distribution: "truncatedNormal" };
const UNIT_UNIFORM: RefVarianceScaling = { scale: 1, mode: "fanIn", distribution: "uniform" };
const FANS = { fanIn: 1, fanOut: 1 };

/** n values of the rule `spec` (fans 1, 1) drawn from `instance`. */
function draw(spec: RefVarianceScaling, n: number, instance: Instance): Float32Array {
  const out = new Float32Array(n);
  varianceScaling(spec)(out, FANS, { seed: SEED, stream: STREAM, instance });
  return out;
}

/** The truncated normal (fans 1, 1) of these words, from the float64 reference. */
const refNormal = (n: number, word: (c: number) => number) =>
  Float32Array.from(refTruncatedNormalOf(n, refParameter(UNIT_NORMAL, 1, 1), word));

/** z₁ and z₂ of the pair (w₁, w₂) in float64 with Math.log, and s. */
function polar(w1: number, w2: number) {
  const [u, v] = [centered(w1), centered(w2)];
  const s = u * u + v * v;
  const factor = Math.sqrt((-2 * Math.log(s)) / s);
  return { s, z1: u * factor, z2: v * factor };
}

describe("the truncated normal's boundaries, on chosen words", () => {
  // found by a search over word pairs: u·√(−2 ln s / s) is exactly 2 in float64 (portableLog and Math.log alike)
  const [AT_TWO, SMALL] = [2937487475, 2149918520];
  const mirror = (w: number) => TWO_32 - 1 - w; // centered(mirror(w)) = −centered(w)

  it("a pair whose s = u² + v² rounds to 1 is skipped, though its exact s is below 1 (ln 1 = 0 would make z = 0)", () => {
    const pair = [4294954794, 2154811224];
    expect(polar(pair[0], pair[1]).s).toBe(1);
    const [a, b] = pair.map((w) => BigInt(2 * w + 1 - TWO_32)); // u, v times 2^32, exactly
    expect(a * a + b * b < 2n ** 64n).toBe(true);
    const { instance, word } = scripted(pair);
    const got = draw(UNIT_NORMAL, 6, instance);
    expect(describeDifference(got, refNormal(6, word))).toBe("identical");
    expect(got.every((x) => x !== 0)).toBe(true);
  });

  it.each([
    ["+2", AT_TWO],
    ["−2", mirror(AT_TWO)],
  ])("z₁ = %s exactly is dropped (|z| < 2 only), the pair's z₂ kept", (_, first) => {
    const { z1, z2 } = polar(first, SMALL);
    expect(Math.abs(z1)).toBe(2);
    const { instance, word } = scripted([first, SMALL]);
    const got = draw(UNIT_NORMAL, 4, instance);
    expect(describeDifference(got, refNormal(4, word))).toBe("identical");
    expect(got[0]).toBe(Math.fround(refParameter(UNIT_NORMAL, 1, 1) * z2));
  });

  it.each([
    ["+2", AT_TWO],
    ["−2", mirror(AT_TWO)],
  ])("z₂ = %s exactly is dropped, after the pair's z₁", (_, second) => {
    const { z1, z2 } = polar(SMALL, second);
    expect(Math.abs(z2)).toBe(2);
    const { instance, word } = scripted([SMALL, second]);
    const got = draw(UNIT_NORMAL, 4, instance);
    expect(describeDifference(got, refNormal(4, word))).toBe("identical");
    expect(got[0]).toBe(Math.fround(refParameter(UNIT_NORMAL, 1, 1) * z1));
    const limit = 2 * refParameter(UNIT_NORMAL, 1, 1);
    expect(got.every((x) => Math.abs(x) < limit)).toBe(true);
  });
});

// A fill ending on a block's last word generates no further block (and so, at the stream's end, never
// asks past its 2^32 words).
describe("an initializer stops drawing once out is full", () => {
  it("uniform, one word per value: 8192 values read one block, 8193 two", () => {
    const one = scripted([]);
    const got = draw(UNIT_UNIFORM, WORD_BLOCK, one.instance);
    expect(one.offsets).toEqual([0]);
    const want = Float32Array.from(refUniform(WORD_BLOCK, refParameter(UNIT_UNIFORM, 1, 1), SEED, STREAM));
    expect(describeDifference(got, want)).toBe("identical");
    const two = scripted([]);
    draw(UNIT_UNIFORM, WORD_BLOCK + 1, two.instance);
    expect(two.offsets).toEqual([0, WORD_BLOCK]);
  });

  it("truncated normal: values that end on the block's last pair read one block, one more value two", () => {
    const { word } = scripted([]);
    /** How many words the reference reads for n values. */
    const wordsFor = (n: number) => {
      let read = 0;
      refTruncatedNormalOf(n, 1, (c) => {
        read = c + 1;
        return word(c);
      });
      return read;
    };
    // the most values the first block gives
    let [lo, hi] = [1, WORD_BLOCK];
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (wordsFor(mid) <= WORD_BLOCK) lo = mid;
      else hi = mid - 1;
    }
    expect(wordsFor(lo), "the block's last pair gives the last value").toBe(WORD_BLOCK);
    const one = scripted([]);
    const got = draw(UNIT_NORMAL, lo, one.instance);
    expect(one.offsets).toEqual([0]);
    expect(describeDifference(got, refNormal(lo, word))).toBe("identical");
    const two = scripted([]);
    draw(UNIT_NORMAL, lo + 1, two.instance);
    expect(two.offsets).toEqual([0, WORD_BLOCK]);
  });
});

describe("varianceScaling", () => {
  it("a user-made truncated-normal rule: Keras's truncated normal of its scale and fan, bit for bit", () => {
    const spec: RefVarianceScaling = { scale: 3, mode: "fanOut", distribution: "truncatedNormal" };
    const out = new Float32Array(35);
    varianceScaling(spec)(out, { fanIn: 7, fanOut: 5 }, { seed: SEED, stream: STREAM, instance: defaultInstance() });
    const want = Float32Array.from(refTruncatedNormal(35, refParameter(spec, 7, 5), SEED, STREAM));
    expect(describeDifference(out, want)).toBe("identical");
  });

  it("a config that is not an object: the error shows the config's shape", () => {
    expect(() => varianceScaling(null as never)).toThrow(
      new TypeError("config must be an object like { scale, mode, distribution }, got null"),
    );
  });
});
