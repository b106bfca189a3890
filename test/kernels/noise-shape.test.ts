// dropout with noiseShape (Keras noise_shape) against a plain-TS reference: the keep bits of the
// noise tensor are dropout's own keep rule over noise elements (refDropout on the noise length), and
// input element i reads the bit of its broadcast noise index. Behaviours ported from keras
// keras/src/layers/regularization/dropout_test.py (test_dropout_partial_noise_shape_dynamic/static,
// the test_validate_noise_shape_* cases) and pytorch test/nn/test_dropout.py (_test_dropoutNd_channel_zero).
import { beforeAll, describe, expect, it } from "vitest";
import { allocF32, allocU32, dropout, dropoutBackward, init, maskWords } from "../../src/index.js";
import { describeDifference } from "./support/bits.js";
import { MULTI_WINDOW, normalF32 } from "./support/data.js";
import { refNoiseDropout } from "./support/noise-reference.js";

beforeAll(() => init());

const CASES: { shape: number[]; noise: (number | null)[] }[] = [
  { shape: [20, 5, 10], noise: [null, 1, null] }, // Keras's partial noise shape
  { shape: [20, 5, 10], noise: [20, 1, 10] },
  { shape: [4, 3, 2, 5], noise: [4, 3, 1, 1] }, // channels first: whole channels (PyTorch Dropout2d)
  { shape: [4, 2, 3, 5], noise: [4, 1, 1, 5] }, // channels last (Keras SpatialDropout2D)
  { shape: [7, 33], noise: [1, null] }, // one mask row for the whole batch
  { shape: [7, 33], noise: [null, 1] },
  { shape: [3, 1, 40], noise: [1, 1, 1] }, // one bit for all
  { shape: [2, 3, 4, 5, 6], noise: [null, 1, null, 1, null] },
];

describe("dropout with noiseShape: bits against the reference", () => {
  for (const { shape, noise } of CASES) {
    for (const rate of [0.3, 0.5]) {
      it(`shape [${shape}] noise [${noise}] rate ${rate}`, () => {
        const n = shape.reduce((a, b) => a * b, 1);
        const x = normalF32(n, 11);
        const ref = refNoiseDropout(x, shape, noise, rate, 99, 4, 3);
        const { output, mask } = dropout(x, { rate, seed: 99, stream: 4, offset: 3, noiseShape: noise, shape });
        expect(describeDifference(output, ref.output)).toBe("identical");
        expect(describeDifference(mask!, ref.mask)).toBe("identical");
        // the same from WASM buffers (zero-copy path)
        const xb = allocF32(n);
        xb.view().set(x);
        const mb = allocU32(mask!.length);
        const r = dropout(xb, { rate, seed: 99, stream: 4, offset: 3, noiseShape: noise, shape, mask: mb });
        expect(describeDifference(r.output.view(), ref.output)).toBe("identical");
        expect(describeDifference(mb.view(), ref.mask)).toBe("identical");
        xb.free();
        mb.free();
        r.output.free();
      });
    }
  }

  it("inputs past one copy window (65536 elements) of a plain array: the same bits as from WASM memory", () => {
    // MULTI_WINDOW = 3·43703: windows start mid-row, so each window's first multi-index matters
    const x = normalF32(MULTI_WINDOW, 3);
    for (const [shape, noiseShape] of [
      [
        [3, 43703],
        [1, null],
      ],
      [
        [43703, 3],
        [null, 1],
      ],
    ] as const) {
      const ref = refNoiseDropout(x, [...shape], [...noiseShape], 0.4, 5);
      const got = dropout(x, { rate: 0.4, seed: 5, noiseShape, shape });
      expect(describeDifference(got.output, ref.output)).toBe("identical");
      const back = dropoutBackward(x, { rate: 0.4, mask: got.mask!, noiseShape, shape });
      expect(describeDifference(back, ref.output)).toBe("identical");
    }
  });

  it("a noise shape equal to the input's gives plain dropout's bits (keras: None means the input's size)", () => {
    const x = normalF32(600, 4);
    const plain = dropout(x, { rate: 0.25, seed: 8, stream: 2 });
    const shaped = dropout(x, { rate: 0.25, seed: 8, stream: 2, noiseShape: [null, 30], shape: [20, 30] });
    expect(describeDifference(shaped.output, plain.output)).toBe("identical");
    expect(describeDifference(shaped.mask!, plain.mask!)).toBe("identical");
  });

  it("keras test_dropout_partial_noise_shape_*: outputs[:, 0, :] equals outputs[:, 1, :]", () => {
    const x = new Float32Array(20 * 5 * 10).fill(1);
    for (const noiseShape of [
      [null, 1, null],
      [20, 1, 10],
    ]) {
      const { output } = dropout(x, { rate: 0.5, seed: 1337, noiseShape, shape: [20, 5, 10] });
      for (let b = 0; b < 20; b++)
        for (let s = 1; s < 5; s++)
          expect(output.subarray(b * 50 + s * 10, b * 50 + s * 10 + 10)).toEqual(output.subarray(b * 50, b * 50 + 10));
      // and they are not all equal: some of the 200 channels dropped, some kept
      const zeros = output.filter((v) => v === 0).length;
      expect(zeros).toBeGreaterThan(0);
      expect(zeros).toBeLessThan(x.length);
    }
  });

  it("pytorch _test_dropoutNd_channel_zero: a channel's nonzero count is 0 or its size", () => {
    const [B, C, L] = [10, 4, 2];
    const { output } = dropout(new Float32Array(B * C * L).fill(1), {
      rate: 0.5,
      seed: 3,
      noiseShape: [null, null, 1],
      shape: [B, C, L],
    });
    for (let i = 0; i < B * C; i++) {
      const nonzero = output.subarray(i * L, i * L + L).filter((v) => v !== 0).length;
      expect([0, L]).toContain(nonzero);
    }
  });

  it("rate 0 copies (every bit set), rate 1 zeros (no bit set)", () => {
    const x = normalF32(60, 2);
    const keepAll = dropout(x, { rate: 0, seed: 1, noiseShape: [null, 1], shape: [6, 10] });
    expect(describeDifference(keepAll.output, x)).toBe("identical");
    expect(keepAll.mask).toEqual(Uint32Array.of(0b111111));
    const none = dropout(x, { rate: 1, seed: 1, noiseShape: [null, 1], shape: [6, 10] });
    expect(describeDifference(none.output, new Float32Array(60))).toBe("identical");
    expect(none.mask).toEqual(Uint32Array.of(0));
  });

  it("keep fraction of 10^5 channels within 5σ of 1 − rate", () => {
    // channels kept ~ Binomial(10^5, 0.7): σ = 145; 5σ: a false alarm ~6e-7 likely
    const channels = 100_000;
    const { mask } = dropout(new Float32Array(channels * 3), {
      rate: 0.3,
      seed: 77,
      noiseShape: [1, null],
      shape: [3, channels],
    });
    let kept = 0;
    for (let i = 0; i < channels; i++) kept += (mask![i >> 5] >>> (i & 31)) & 1;
    expect(mask!.length).toBe(maskWords(channels));
    expect(Math.abs(kept - 0.7 * channels)).toBeLessThan(5 * Math.sqrt(channels * 0.21));
  });
});

describe("dropoutBackward with noiseShape", () => {
  const shape = [6, 5, 7];
  const noiseShape = [null, 1, null];
  const dy = normalF32(210, 9);

  it("from the stored mask and regenerated from the stream: dy·mask·scale, the forward rule", () => {
    const { mask } = dropout(normalF32(210, 1), { rate: 0.35, seed: 12, stream: 6, noiseShape, shape });
    const ref = refNoiseDropout(dy, shape, noiseShape, 0.35, 12, 6).output;
    const fromMask = dropoutBackward(dy, { rate: 0.35, mask: mask!, noiseShape, shape });
    const regenerated = dropoutBackward(dy, { rate: 0.35, seed: 12, stream: 6, noiseShape, shape });
    expect(describeDifference(fromMask, ref)).toBe("identical");
    expect(describeDifference(regenerated, ref)).toBe("identical");
  });

  it("a mask of the input's size is refused (the mask has one bit per noise element)", () => {
    expect(() => dropoutBackward(dy, { rate: 0.5, mask: new Uint32Array(maskWords(210)), noiseShape, shape })).toThrow(
      /options\.mask must hold ceil\(length \/ 32\) = 2 words/,
    );
  });
});

describe("bad noise shapes (keras test_validate_noise_shape_*)", () => {
  const x = new Float32Array(24);
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ["a string", { noiseShape: "Invalid", shape: [4, 6] }, /options\.noiseShape must be an array/],
    [
      "a fraction",
      { noiseShape: [4, 1.5], shape: [4, 6] },
      /options\.noiseShape\[1\] must be null, 1 or the input's size 6, got 1\.5/,
    ],
    ["a negative size", { noiseShape: [4, -1], shape: [4, 6] }, /options\.noiseShape\[1\] must be null, 1/],
    ["a zero size", { noiseShape: [0, 6], shape: [4, 6] }, /options\.noiseShape\[0\] must be null, 1/],
    [
      "a size that does not broadcast",
      { noiseShape: [2, 6], shape: [4, 6] },
      /options\.noiseShape\[0\] must be null, 1 or the input's size 4, got 2/,
    ],
    [
      "the wrong rank",
      { noiseShape: [null, 1, 1], shape: [4, 6] },
      /one entry per dim of options\.shape \[4, 6\] \(2\), got 3/,
    ],
    [
      "a shape of the wrong size",
      { noiseShape: [null, 1], shape: [4, 5] },
      /options\.shape \[4, 5\] holds 20 elements, but the input has 24/,
    ],
    [
      "a shape with a zero",
      { noiseShape: [null, 1], shape: [0, 24] },
      /options\.shape\[0\] must be a positive integer/,
    ],
    ["a shape without a noise shape", { shape: [4, 6] }, /options\.shape is only read with options\.noiseShape/],
  ];
  for (const [what, extra, message] of bad)
    it(what, () => expect(() => dropout(x, { rate: 0.5, seed: 1, ...extra } as never)).toThrow(message));

  it("the default shape is [length]: noiseShape [1] drops all or nothing", () => {
    const { output } = dropout(new Float32Array(64).fill(2), { rate: 0.5, seed: 4, noiseShape: [1] });
    expect(new Set(output).size).toBe(1);
  });
});
