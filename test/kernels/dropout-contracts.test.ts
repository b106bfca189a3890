// dropout()'s contracts at its edges: rates 0, 1 and those whose 1 − rate rounds to 1 (bit-exact
// copies and zeros, whatever a stored mask says), an output that is a second view of the input's
// memory, WASM memory given back after noise-shaped calls, and the stream arguments' checks.
import { beforeAll, describe, expect, it } from "vitest";
import { dropout, dropoutBackward, init } from "../../src/index.js";
import { streamArgs } from "../../src/kernels/random.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { refApplyMask, refDropout, refPackBits, refScale, refUnpackBits } from "../reference.js";
import { thrown } from "../support/thrown.js";
import { bitsOf, describeDifference } from "./support/bits.js";
import { normalF32 } from "./support/data.js";

beforeAll(() => init());

const ROWS = 7;
const COLS = 10;
const N = ROWS * COLS;
/** One keep bit per row, broadcast along it. */
const ROW_NOISE = { noiseShape: [null, 1], shape: [ROWS, COLS] };

/** Values whose bits a multiply would change: signaling NaNs (quieted by any arithmetic), −0, a subnormal. */
function awkward(n: number): Float32Array {
  const x = normalF32(n, 3);
  const bits = new Uint32Array(x.buffer);
  bits[0] = 0x7f800001; // signaling NaN
  bits[1] = 0xff812345; // negative signaling NaN with a payload
  bits[2] = 0x80000000; // −0
  bits[3] = 0x00000001; // smallest subnormal
  bits[4] = 0x7fc00abc; // quiet NaN with a payload
  return x;
}

/** A mask word array with every one of `bits` bits set (bits past them clear). */
const allSet = (bits: number) => refPackBits(new Uint8Array(bits).fill(1));

/** The reference of dropout over ROW_NOISE: row r kept iff the keep rule keeps noise element r. */
function refRowDropout(x: Float32Array, rate: number, seed: number) {
  const { keep } = refDropout(new Float32Array(ROWS), rate, seed);
  const scale = refScale(rate);
  const output = x.map((v, i) => (keep[Math.floor(i / COLS)] ? Math.fround(v * scale) : 0));
  return { output, keep };
}

describe("rates that keep everything: an exact copy, bit for bit", () => {
  // 1 − 2^-54 and anything closer to 1 rounds to 1 in float64: no threshold below 2^32 exists
  it.each([
    ["0", 0],
    ["1e-17", 1e-17],
    ["2^-54", 2 ** -54],
    ["Number.MIN_VALUE", Number.MIN_VALUE],
  ])("rate %s copies x's bits and sets every mask bit", (_, rate) => {
    const x = awkward(N);
    const plain = dropout(x, { rate, seed: 4 });
    expect(describeDifference(plain.output, x)).toBe("identical");
    expect(describeDifference(plain.mask, allSet(N))).toBe("identical");
    const noise = dropout(x, { rate, seed: 4, ...ROW_NOISE });
    expect(describeDifference(noise.output, x)).toBe("identical");
    expect(describeDifference(noise.mask, allSet(ROWS))).toBe("identical");
    // the regenerated backward pass is the same copy
    expect(describeDifference(dropoutBackward<Float32Array, undefined>(x, { rate, seed: 4, ...ROW_NOISE }), x)).toBe(
      "identical",
    );
  });

  it("rate 1 gives +0 everywhere and clears every mask bit", () => {
    const x = awkward(N);
    for (const options of [{}, ROW_NOISE]) {
      const { output, mask } = dropout(x, { rate: 1, seed: 4, ...options });
      expect(Array.from(bitsOf(output))).toEqual(new Array(N).fill(0));
      expect(Array.from(mask)).toEqual(new Array(mask.length).fill(0));
    }
  });
});

describe("backward from a stored mask at rates 0 and 1: whatever the mask says", () => {
  it("rate 0 is the identity even under a mask that drops everything", () => {
    const dy = awkward(N);
    const plain = dropoutBackward(dy, { rate: 0, mask: new Uint32Array(Math.ceil(N / 32)) });
    expect(describeDifference(plain, dy)).toBe("identical");
    const noise = dropoutBackward(dy, { rate: 0, mask: new Uint32Array(1), ...ROW_NOISE });
    expect(describeDifference(noise, dy)).toBe("identical");
  });

  it("rate 1 gives +0 even under a mask that keeps everything", () => {
    const dy = awkward(N);
    const plain = dropoutBackward(dy, { rate: 1, mask: allSet(N) });
    expect(Array.from(bitsOf(plain))).toEqual(new Array(N).fill(0));
    const noise = dropoutBackward(dy, { rate: 1, mask: allSet(ROWS), ...ROW_NOISE });
    expect(Array.from(bitsOf(noise))).toEqual(new Array(N).fill(0));
  });
});

describe("out as a second view of x's memory (in place through another Float32Array)", () => {
  /** x and out: two Float32Arrays over one ArrayBuffer, x holding `values`. */
  function twoViews(values: Float32Array): [Float32Array, Float32Array] {
    const memory = new ArrayBuffer(values.byteLength);
    const x = new Float32Array(memory);
    x.set(values);
    return [x, new Float32Array(memory)];
  }

  it("dropout with a noise shape", () => {
    const values = normalF32(N, 8);
    const ref = refRowDropout(values, 0.5, 12);
    const [x, out] = twoViews(values);
    const { output, mask } = dropout(x, { rate: 0.5, seed: 12, out, ...ROW_NOISE });
    expect(output).toBe(out);
    expect(describeDifference(out, ref.output)).toBe("identical");
    expect(describeDifference(x, ref.output)).toBe("identical");
    expect(describeDifference(mask, refPackBits(ref.keep))).toBe("identical");
  });

  it("dropoutBackward from a stored mask, with and without a noise shape", () => {
    const values = normalF32(N, 9);
    const keep = refDropout(new Float32Array(N), 0.5, 13).keep;
    const [dy, out] = twoViews(values);
    dropoutBackward(dy, { rate: 0.5, mask: refPackBits(keep), out });
    expect(describeDifference(out, refApplyMask(values, keep, 0.5))).toBe("identical");

    const rows = refDropout(new Float32Array(ROWS), 0.5, 13).keep;
    const [dy2, out2] = twoViews(values);
    dropoutBackward(dy2, { rate: 0.5, mask: refPackBits(rows), out: out2, ...ROW_NOISE });
    const perElement = refUnpackBits(refPackBits(rows), ROWS);
    const want = refApplyMask(
      values,
      values.map((_, i) => perElement[Math.floor(i / COLS)]),
      0.5,
    );
    expect(describeDifference(out2, want)).toBe("identical");
  });
});

describe("noise-shaped calls give back the WASM memory they take", () => {
  it.each<[string, () => Float32Array]>([
    ["dropout, default mask", () => dropout(normalF32(N, 1), { rate: 0.5, seed: 6, ...ROW_NOISE }).output],
    ["dropout, no mask", () => dropout(normalF32(N, 1), { rate: 0.5, seed: 6, mask: false, ...ROW_NOISE }).output],
    [
      "dropoutBackward, stored mask",
      () =>
        dropoutBackward(normalF32(N, 1), {
          rate: 0.5,
          mask: refPackBits(refRowDropout(new Float32Array(N), 0.5, 6).keep),
          ...ROW_NOISE,
        }),
    ],
    ["dropoutBackward, regenerated mask", () => dropoutBackward(normalF32(N, 1), { rate: 0.5, seed: 6, ...ROW_NOISE })],
  ])("%s", (_, call) => {
    const heap = defaultInstance().heap;
    call(); // the instance's copy window may grow once, and is kept
    const live = heap.allocations;
    const output = call();
    expect(heap.allocations).toBe(live);
    expect(describeDifference(output, refRowDropout(normalF32(N, 1), 0.5, 6).output)).toBe("identical");
  });
});

describe("stream arguments", () => {
  it("splits the seed into 32-bit halves and passes stream and offset on", () => {
    expect(streamArgs(2 ** 40 + 5, 7, 9, 100)).toEqual([5, 256, 7, 9]);
    expect(streamArgs(3, undefined, undefined, 1)).toEqual([3, 0, 0, 0]);
  });

  it("names the options object in its messages, `options` unless told", () => {
    expect(thrown(() => streamArgs(1, 0, 2 ** 32 - 1, 2))).toEqual(
      new RangeError("options.offset + length must be <= 2^32 (one stream has 2^32 counters), got 4294967297"),
    );
    expect(thrown(() => streamArgs(-1, 0, 0, 2, "layer"))).toEqual(
      new RangeError("layer.seed must be an integer in [0, 2^53 - 1], got -1"),
    );
  });
});
