// dropout and dropoutBackward against the reference keep rule v < floor((1 − rate)·2^32), v the
// uniform bit-sliced from the raw words (test/support/reference-generator.js).
import { beforeAll, describe, expect, it } from "vitest";
import {
  allocF32,
  allocU32,
  dropout,
  dropoutBackward,
  init,
  maskWords,
  randomUint32,
  type F32Buffer,
  type U32Buffer,
} from "../../src/index.js";
import { refApplyMask, refDropout, refKeepThreshold, refPackBits, refScale, refUnpackBits } from "../reference.js";
import { refKeepUniform, refStreamKey } from "../support/reference-generator.js";
import { bitsOf, describeDifference } from "./support/bits.js";
import { EDGE_LENGTHS, MULTI_WINDOW, normalF32 } from "./support/data.js";

beforeAll(() => init());

const RATES = [0.1, 0.3, 0.5, 0.9];

/** Elements kept according to a packed mask. */
function keptCount(mask: Uint32Array, n: number): number {
  return refUnpackBits(mask, n).reduce((a, b) => a + b, 0);
}

describe("keep rate", () => {
  for (const rate of RATES) {
    it(`rate ${rate}: kept fraction over 1e6 elements within 6σ of the binomial mean`, () => {
      const n = 1_000_000;
      const { mask } = dropout(new Float32Array(n).fill(1), { rate, seed: 2024, stream: 3 });
      const p = refKeepThreshold(rate) / 2 ** 32; // = 1 − rate up to 2^-32
      // K ~ Binomial(n, p): σ = √(n·p·(1−p)) ≈ 300–500 here; 6σ makes a false alarm ~2e-9 likely
      const sigma = Math.sqrt(n * p * (1 - p));
      expect(Math.abs(keptCount(mask!, n) - n * p)).toBeLessThanOrEqual(6 * sigma);
    });
  }
});

describe("dropout vs the reference", () => {
  for (const n of EDGE_LENGTHS) {
    it(`n = ${n}: output, mask and kept values bit for bit, Float32Array and F32Buffer paths`, () => {
      const x = normalF32(n, 500 + n);
      for (const rate of RATES) {
        const ref = refDropout(x, rate, 99, 7, 0);
        const { output, mask } = dropout(x, { rate, seed: 99, stream: 7 });
        expect(describeDifference(output, ref.output), `rate ${rate}`).toBe("identical");
        expect(describeDifference(mask!, refPackBits(ref.keep)), `rate ${rate}`).toBe("identical");

        const xBuf = allocF32(n),
          maskBuf = allocU32(maskWords(n));
        xBuf.view().set(x);
        const viaBuf = dropout<F32Buffer, undefined, U32Buffer>(xBuf, { rate, seed: 99, stream: 7, mask: maskBuf });
        expect(viaBuf.mask).toBe(maskBuf);
        expect(describeDifference(viaBuf.output.view(), output)).toBe("identical");
        expect(describeDifference(maskBuf.view(), mask!)).toBe("identical");
        viaBuf.output.free();
        xBuf.free();
        maskBuf.free();
      }
    });
  }

  it("kept values are exactly f32(x·f32(1/(1−rate))), dropped ones exactly +0, mask bit = kept", () => {
    const n = 4099;
    const x = normalF32(n, 8); // no zeros, so a zero output can only mean "dropped"
    for (const rate of RATES) {
      const { output, mask } = dropout(x, { rate, seed: 5, stream: 1 });
      const keep = refUnpackBits(mask!, n);
      const bits = bitsOf(output);
      const scale = Math.fround(1 / (1 - rate));
      for (let i = 0; i < n; i++) {
        if (keep[i]) expect(output[i]).toBe(Math.fround(x[i] * scale));
        else expect(bits[i]).toBe(0); // +0, also where x < 0
        expect(output[i] !== 0).toBe(keep[i] === 1);
      }
      expect(mask![mask!.length - 1] >>> (n & 31)).toBe(0); // bits past n are 0
    }
  });

  it("the mask follows the rule on the raw stream: kept iff v < floor((1−rate)·2^32), v the transposed randomUint32 words", () => {
    // offset 40 is not a group start: groups 1..94 of the stream, cut at element 8 of group 1
    const n = 3000,
      offset = 40;
    const words = randomUint32(new Uint32Array(32 * 95), { seed: 31, stream: 9, offset: 32 });
    // bit 31 − k of v(c) is bit c & 31 of word 32·(c >> 5) + k (counted here from counter 32)
    const uniform = (c: number) => {
      let v = 0;
      for (let k = 0; k < 32; k++) v = v * 2 + ((words[32 * ((c >> 5) - 1) + k] >>> (c & 31)) & 1);
      return v;
    };
    for (const rate of RATES) {
      const { mask } = dropout(new Float32Array(n).fill(1), { rate, seed: 31, stream: 9, offset });
      const threshold = refKeepThreshold(rate);
      const keep = Array.from({ length: n }, (_, i) => (uniform(offset + i) < threshold ? 1 : 0));
      expect(describeDifference(mask!, refPackBits(keep))).toBe("identical");
    }
  });

  it("rate just above 0: a uniform of 0xFFFFFFFF is still kept, since floor((1 − rate)·2^32) = 2^32", () => {
    // (seed 1, stream 1, counter 1043521022) has v = 0xFFFFFFFF, found by a search over the 2^32
    // counters of streams 0 and 1 (stream 0 has none) and checked here by the reference. For
    // rate = 1e-17, 1 − rate rounds to 1 in f64, so the rule keeps every element; for rate = 2^-32 the
    // threshold is 2^32 − 1 and drops exactly that element.
    const at = { seed: 1, stream: 1, offset: 1043521022 };
    const [k1, k2] = refStreamKey(at.seed, at.stream);
    expect(refKeepUniform(at.offset, k1, k2)).toBe(0xffffffff);
    expect(refKeepUniform(at.offset - 1, k1, k2)).not.toBe(0xffffffff);
    expect(refKeepThreshold(1e-17)).toBe(2 ** 32);
    const kept = dropout(new Float32Array([1]), { rate: 1e-17, ...at });
    expect(Array.from(kept.mask!)).toEqual([1]);
    expect(kept.output[0]).toBe(refScale(1e-17));
    // the same element in a SIMD round (offset a multiple of 128), with its neighbours kept
    const start = at.offset - (at.offset % 128) - 128;
    const { mask } = dropout(new Float32Array(300).fill(1), { rate: 2 ** -32, ...at, offset: start });
    const dropped = Array.from(refUnpackBits(mask!, 300)).flatMap((bit, i) => (bit ? [] : [start + i]));
    expect(dropped).toEqual([at.offset]);
  });
});

describe("determinism", () => {
  const x = normalF32(1000, 77);
  const maskOf = (seed: number, stream: number) => dropout(x, { rate: 0.5, seed, stream }).mask!;

  it("same (seed, stream) → same mask", () => {
    expect(describeDifference(maskOf(10, 3), maskOf(10, 3))).toBe("identical");
  });

  it("different stream or seed → different mask", () => {
    // 1000 fair coin flips agreeing everywhere by chance has probability 2^-1000
    expect(describeDifference(maskOf(10, 3), maskOf(10, 4))).not.toBe("identical");
    expect(describeDifference(maskOf(10, 3), maskOf(11, 3))).not.toBe("identical");
    expect(describeDifference(maskOf(10, 3), maskOf(10 + 2 ** 32, 3))).not.toBe("identical");
  });

  it("chunking: pieces with offset = start index give one call's output and mask bits", () => {
    const n = 5000;
    const x = normalF32(n, 78);
    const whole = dropout(x, { rate: 0.3, seed: 4, stream: 2 });
    // cuts inside a 32-element group, at group starts, and at multiples of 1024 (how threads split work)
    for (const cuts of [[1, 2, 35, 64, 100], [32, 160, 288], [1024, 2048, 3072, 4096], [1023, 1024, 4096], [2500]]) {
      const output = new Float32Array(n);
      const keep = new Uint8Array(n);
      let start = 0;
      for (const end of [...cuts, n]) {
        const piece = dropout(x.subarray(start, end), {
          rate: 0.3,
          seed: 4,
          stream: 2,
          offset: start,
          out: output.subarray(start, end),
        });
        keep.set(refUnpackBits(piece.mask!, end - start), start);
        start = end;
      }
      expect(describeDifference(output, whole.output), `cuts ${cuts}`).toBe("identical");
      expect(describeDifference(refPackBits(keep), whole.mask!), `cuts ${cuts}`).toBe("identical");
    }
  });
});

describe("rate 0 and rate 1", () => {
  const x = new Float32Array([1.5, -0, 0, -2, NaN, Infinity, 3e-45, ...normalF32(30, 1)]); // n = 37

  it("rate 0 is an exact copy (−0 and NaN bits included) with every mask bit set, bits past n zero", () => {
    const { output, mask } = dropout(x, { rate: 0, seed: 1 });
    expect(describeDifference(output, x)).toBe("identical");
    expect(Array.from(mask!)).toEqual([0xffffffff, (1 << 5) - 1]);
    const buf = allocF32(x.length);
    buf.view().set(x);
    const viaBuf = dropout<F32Buffer>(buf, { rate: 0, seed: 1 });
    expect(describeDifference(viaBuf.output.view(), x)).toBe("identical");
    buf.free();
    viaBuf.output.free();
  });

  it("rate 1 gives +0 everywhere (NaN and −0 too) and an all-zero mask", () => {
    const mask = new Uint32Array(2).fill(0xdeadbeef);
    const { output } = dropout(x, { rate: 1, seed: 1, mask });
    expect(describeDifference(output, new Float32Array(x.length))).toBe("identical");
    expect(Array.from(mask)).toEqual([0, 0]);
  });

  it("backward: rate 0 copies dvalues, rate 1 gives zeros, with a mask or regenerated", () => {
    const full = new Uint32Array([0xffffffff, 31]);
    expect(describeDifference(dropoutBackward<Float32Array>(x, { rate: 0, mask: full }), x)).toBe("identical");
    expect(describeDifference(dropoutBackward<Float32Array>(x, { rate: 0, seed: 3 }), x)).toBe("identical");
    expect(
      describeDifference(dropoutBackward<Float32Array>(x, { rate: 1, mask: new Uint32Array(2) }), new Float32Array(37)),
    ).toBe("identical");
    expect(describeDifference(dropoutBackward<Float32Array>(x, { rate: 1, seed: 3 }), new Float32Array(37))).toBe(
      "identical",
    );
  });
});

describe("dropoutBackward", () => {
  for (const n of [...EDGE_LENGTHS, MULTI_WINDOW]) {
    it(`n = ${n}: regenerated == stored mask == reference, copy and buffer paths`, () => {
      const x = normalF32(n, 600 + n),
        dy = normalF32(n, 700 + n);
      for (const rate of RATES) {
        const stream = { seed: 2 ** 40 + 3, stream: 11, offset: 5 };
        const { mask } = dropout(x, { rate, ...stream });
        const expected = refApplyMask(dy, refUnpackBits(mask!, n), rate);
        expect(
          describeDifference(
            expected,
            refApplyMask(dy, refDropout(x, rate, stream.seed, stream.stream, stream.offset).keep, rate),
          ),
        ).toBe("identical");
        expect(
          describeDifference(dropoutBackward<Float32Array>(dy, { rate, mask: mask! }), expected),
          `stored, rate ${rate}`,
        ).toBe("identical");
        expect(
          describeDifference(dropoutBackward<Float32Array>(dy, { rate, ...stream }), expected),
          `regenerated, rate ${rate}`,
        ).toBe("identical");

        const dyBuf = allocF32(n),
          maskBuf = allocU32(mask!.length),
          outBuf = allocF32(n);
        dyBuf.view().set(dy);
        maskBuf.view().set(mask!);
        expect(dropoutBackward(dyBuf, { rate, mask: maskBuf }, outBuf)).toBe(outBuf);
        expect(describeDifference(outBuf.view(), expected)).toBe("identical");
        outBuf.view().fill(Number.NaN);
        expect(dropoutBackward(dyBuf, { rate, ...stream, out: outBuf }), "options.out, regenerated").toBe(outBuf);
        expect(describeDifference(outBuf.view(), expected)).toBe("identical");
        const outArray = new Float32Array(n).fill(Number.NaN);
        expect(dropoutBackward(dy, { rate, mask: mask!, out: outArray }), "options.out, stored").toBe(outArray);
        expect(describeDifference(outArray, expected)).toBe("identical");
        const regen = dropoutBackward<F32Buffer>(dyBuf, { rate, ...stream });
        expect(describeDifference(regen.view(), expected)).toBe("identical");
        for (const b of [dyBuf, maskBuf, outBuf, regen]) b.free();
      }
    });
  }
});

describe("paths and windows", () => {
  it(`n = ${MULTI_WINDOW} (copy windows of 65536): Float32Array path == F32Buffer path == reference`, () => {
    const n = MULTI_WINDOW;
    const x = normalF32(n, 90);
    const ref = refDropout(x, 0.25, 123, 45, 6);
    const plain = dropout(x, { rate: 0.25, seed: 123, stream: 45, offset: 6 });
    expect(describeDifference(plain.output, ref.output)).toBe("identical");
    expect(describeDifference(plain.mask!, refPackBits(ref.keep))).toBe("identical");

    const xBuf = allocF32(n),
      maskBuf = allocU32(maskWords(n));
    xBuf.view().set(x);
    const viaBuf = dropout<F32Buffer, undefined, U32Buffer>(xBuf, {
      rate: 0.25,
      seed: 123,
      stream: 45,
      offset: 6,
      mask: maskBuf,
    });
    expect(describeDifference(viaBuf.output.view(), ref.output)).toBe("identical");
    expect(describeDifference(maskBuf.view(), plain.mask!)).toBe("identical");
    // mixed: buffer input, plain mask (the copy path with one operand in WASM memory)
    const mixed = dropout<F32Buffer>(xBuf, { rate: 0.25, seed: 123, stream: 45, offset: 6 });
    expect(describeDifference(mixed.output.view(), ref.output)).toBe("identical");
    expect(describeDifference(mixed.mask!, plain.mask!)).toBe("identical");
    // mixed the other way: plain input, output buffer
    const outBuf = allocF32(n);
    dropout(x, { rate: 0.25, seed: 123, stream: 45, offset: 6, out: outBuf, mask: false });
    expect(describeDifference(outBuf.view(), ref.output)).toBe("identical");
    for (const b of [xBuf, maskBuf, viaBuf.output, mixed.output, outBuf]) b.free();
  });

  it("rate 0 and rate 1 across windows", () => {
    const x = normalF32(MULTI_WINDOW, 91);
    const copy = dropout(x, { rate: 0, seed: 0 });
    expect(describeDifference(copy.output, x)).toBe("identical");
    expect(keptCount(copy.mask!, x.length)).toBe(x.length);
    const zeros = dropout(x, { rate: 1, seed: 0 });
    expect(describeDifference(zeros.output, new Float32Array(x.length))).toBe("identical");
    expect(zeros.mask!.every((w) => w === 0)).toBe(true);
  });

  it("the null mask of { mask: false } passed to backward means regenerate", () => {
    const x = normalF32(1000, 11),
      dy = normalF32(1000, 12);
    const { mask } = dropout(x, { rate: 0.3, seed: 5, stream: 2, mask: false });
    expect(mask).toBeNull();
    const regenerated = dropoutBackward(dy, { rate: 0.3, seed: 5, stream: 2, mask });
    const stored = dropoutBackward(dy, { rate: 0.3, mask: dropout(x, { rate: 0.3, seed: 5, stream: 2 }).mask! });
    expect(describeDifference(regenerated, stored)).toBe("identical");
  });

  it("mask: false returns no mask and the same output; out is filled and returned", () => {
    const x = normalF32(100, 92);
    const withMask = dropout(x, { rate: 0.4, seed: 8 });
    const out = new Float32Array(100);
    const noMask = dropout(x, { rate: 0.4, seed: 8, mask: false, out });
    expect(noMask.mask).toBeNull();
    expect(noMask.output).toBe(out);
    expect(describeDifference(out, withMask.output)).toBe("identical");
  });
});
