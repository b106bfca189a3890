// regwasm/tfjs seededGaussianNoise and seededGaussianDropout, contracts beyond the numbers (cpu
// backend; seeded-gaussian.test.ts checks the noise against regwasm's layers): arguments named in
// errors, TF.js's own layer arguments passed on (and only those), the input mask passed on, the
// 32-bit bounds of the step and of a batch, and the sign of zero noise terms.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { gaussianNoise, init } from "../../src/index.js";
import {
  type SeededGaussianDropout,
  type SeededGaussianNoise,
  seededGaussianDropout,
  seededGaussianNoise,
} from "../../src/tfjs/index.js";
import { uniform } from "../layers/support.js";
import { tf, tfjsReady, type tfl } from "./support.js";

await init();
beforeAll(() => tfjsReady());
afterEach(() => vi.restoreAllMocks());

const rows = 3;
const cols = 7;
const x = uniform(rows * cols, 5);
const bitsOf = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
const trainCall = (layer: tfl.layers.Layer) =>
  tf.tidy(
    () => (layer.apply(tf.tensor2d(x, [rows, cols]), { training: true }) as tf.Tensor).dataSync() as Float32Array,
  );

/** [class name, the plugin's factory, a layer with these args added, the shape its errors name] */
const kinds = [
  [
    "SeededGaussianNoise",
    seededGaussianNoise,
    (args: object) => seededGaussianNoise({ stddev: 0.5, seed: 3, ...args }),
    "{ stddev, seed }",
  ],
  [
    "SeededGaussianDropout",
    seededGaussianDropout,
    (args: object) => seededGaussianDropout({ rate: 0.3, seed: 3, ...args }),
    "{ rate, seed }",
  ],
] as const;

describe.each(kinds)("%s", (label, factory, make, hint) => {
  it("names a bad argument: an unknown key (with the expected shape), step and index", () => {
    expect(() => make({ sed: 1 })).toThrow(`args.sed is not a known option (did you mean seed?)`);
    expect(() => factory(7 as never)).toThrow(`args must be an object like ${hint}, got number 7`);
    expect(() => make({ step: -1 })).toThrow(/^args\.step must be an integer in \[0, 2\^32 - 1\], got/);
    expect(() => make({ index: 1.5 })).toThrow(/^args\.index must be an integer in \[0, 2\^32 - 1\], got/);
  });

  it("passes TF.js's layer arguments on, and accepts customObjects (what deserialization hands every layer)", () => {
    const layer = make({ name: "noisy", trainable: false, inputShape: [cols], dtype: "float32" });
    expect([layer.name, layer.trainable, layer.batchInputShape, layer.dtype]).toEqual([
      "noisy",
      false,
      [null, cols],
      "float32",
    ]);
    expect(() => make({ customObjects: {} })).not.toThrow();
  });

  it("passes the input mask on, as TF.js's GaussianNoise and GaussianDropout do", () => {
    expect(make({}).supportsMasking).toBe(true);
  });

  it("step 2^32 − 2 draws its stream; at 2^32 − 1 a training call is refused, naming the layer", () => {
    const layer = make({ step: 2 ** 32 - 2, name: "last" }) as SeededGaussianNoise | SeededGaussianDropout;
    const expected = layer.noise(rows * cols);
    trainCall(layer);
    expect(layer.step).toBe(2 ** 32 - 1);
    expect(bitsOf(layer.noise(rows * cols, 2 ** 32 - 2))).toEqual(bitsOf(expected));
    expect(() => trainCall(layer)).toThrow(
      new RangeError(`${label} 'last': step 4294967295 has no stream left (the counter is 32-bit)`),
    );
    expect(layer.step).toBe(2 ** 32 - 1);
  });

  it("a batch may hold 2^32 elements, not one more (checked before any noise is drawn)", () => {
    // a tensor-like: a real one of 2^32 floats is 16 GiB; call() reads only its size before drawing
    const layer = make({ name: "big" }) as SeededGaussianNoise | SeededGaussianDropout;
    const draw = vi.spyOn(layer, "noise").mockImplementation(() => {
      throw new Error("noise drawn");
    });
    const ofSize = (size: number) => ({ size, shape: [size] }) as unknown as tf.Tensor;
    expect(() => layer.call(ofSize(2 ** 32 + 1), { training: true })).toThrow(
      new RangeError(`${label} 'big': a batch may hold at most 2^32 elements (one stream)`),
    );
    expect(draw).not.toHaveBeenCalled();
    expect(() => layer.call(ofSize(2 ** 32), { training: true })).toThrow("noise drawn");
    expect(draw).toHaveBeenCalledWith(2 ** 32);
    expect(layer.step).toBe(0);
  });
});

describe("SeededGaussianNoise: zero terms", () => {
  it("keep their sign, as regwasm's kernel gives them on −0: f32(stddev·z) underflows to ±0 with z's sign", () => {
    const stddev = 1e-46; // every term rounds to a zero in f32
    const layer = seededGaussianNoise({ stddev, seed: 11 });
    const terms = layer.noise(256);
    const fromKernel = gaussianNoise(new Float32Array(256).fill(-0), { stddev, seed: 11, stream: 0 });
    expect(bitsOf(terms)).toEqual(bitsOf(fromKernel));
    const negative = Array.from(terms).filter((t) => Object.is(t, -0)).length;
    expect(negative).toBeGreaterThan(64); // about half of them
    expect(negative).toBeLessThan(192);
  });
});
