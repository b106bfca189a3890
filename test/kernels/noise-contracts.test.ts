// dropout with a noise shape at its seams: inputs over several copy windows (each window restarts the
// noise indices mid-tensor), exact messages for bad shapes, a noise shape with a bit per element (plain
// dropout's path), and Dropout layers over one element or with backward on another instance.
import { beforeAll, describe, expect, it } from "vitest";
import { allocF32, Dropout, dropout, init, instantiate } from "../../src/index.js";
import { streamSeed } from "../../src/layers/batch-streams.js";
import { Matrix } from "../../src/wasm/matrix.js";
import { refDropout } from "../reference.js";
import { thrown } from "../support/thrown.js";
import { describeDifference } from "./support/bits.js";
import { normalF32 } from "./support/data.js";
import { refNoiseDropout } from "./support/noise-reference.js";

beforeAll(() => init());

describe("a noise shape over an input of several copy windows (65536 elements each)", () => {
  // a window that ends exactly at the end of a row (or block) must start the next one at the next row
  for (const [shape, noise] of [
    [
      [512, 256],
      [null, 1],
    ],
    [
      [2, 256, 256],
      [null, 1, null],
    ],
    [
      [3, 50001],
      [null, 1],
    ],
    [
      [50001, 3],
      [1, null],
    ],
  ] as [number[], (number | null)[]][]) {
    it(`shape ${JSON.stringify(shape)}, noiseShape ${JSON.stringify(noise)}: output and mask as the reference`, () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const x = normalF32(n, 17);
      const ref = refNoiseDropout(x, shape, noise, 0.5, 21);
      const { output, mask } = dropout(x, { rate: 0.5, seed: 21, noiseShape: noise, shape });
      expect(describeDifference(output, ref.output)).toBe("identical");
      expect(describeDifference(mask, ref.mask)).toBe("identical");
    });
  }
});

describe("messages for bad shapes", () => {
  const x = new Float32Array(3);

  it("an entry of options.shape that is not a positive integer is named, whatever the product", () => {
    expect(thrown(() => dropout(x, { rate: 0.5, seed: 1, noiseShape: [null, 1], shape: [1.5, 2] }))).toEqual(
      new RangeError("options.shape[0] must be a positive integer, got number 1.5"),
    );
    expect(thrown(() => dropout(x, { rate: 0.5, seed: 1, noiseShape: [null, 1], shape: ["3", 1] as never }))).toEqual(
      new RangeError("options.shape[0] must be a positive integer, got string 3"),
    );
  });

  it("a noiseShape entry that is not a number is described with its type", () => {
    expect(thrown(() => dropout(x, { rate: 0.5, seed: 1, noiseShape: ["3"] as never }))).toEqual(
      new RangeError("options.noiseShape[0] must be null, 1 or the input's size 3, got string 3"),
    );
    expect(thrown(() => dropout(x, { rate: 0.5, seed: 1, noiseShape: [2] }))).toEqual(
      new RangeError("options.noiseShape[0] must be null, 1 or the input's size 3, got 2"),
    );
  });
});

describe("x as a view of WASM memory, in a call whose copy window grows memory", () => {
  // growing an unshared memory detaches every view of it: the view's address must be taken first
  async function grownCall(shape: number[], noiseShape: (number | null)[]) {
    const inst = await instantiate({ threads: 1 });
    const n = shape.reduce((a, b) => a * b, 1);
    const x = allocF32(n, inst);
    const values = normalF32(n, 5);
    x.view().set(values);
    const out = allocF32(n, inst); // makes inst the call's instance
    const gap = inst.heap.memory.buffer.byteLength - inst.heap.used;
    const filler = allocF32(gap / 4, inst); // the heap now ends at the end of memory
    const bytes = inst.heap.memory.buffer.byteLength;
    const { mask } = dropout(x.view(), { rate: 0.5, seed: 8, noiseShape, shape, out });
    expect(inst.heap.memory.buffer.byteLength).toBeGreaterThan(bytes); // the call did grow memory
    const got = out.view().slice();
    filler.free();
    return { got, mask, ref: refNoiseDropout(values, shape, noiseShape, 0.5, 8) };
  }

  // a dim of size 1 takes nothing from the noise tensor: [64, 1, 16] / [null, 1, null] is full too
  for (const [shape, noiseShape] of [
    [
      [64, 16],
      [null, null],
    ],
    [
      [64, 1, 16],
      [null, 1, null],
    ],
    [[1024], [null]],
  ] as [number[], (number | null)[]][]) {
    it(`noiseShape ${JSON.stringify(noiseShape)} over shape ${JSON.stringify(shape)} (one bit per element) gives plain dropout's bits`, async () => {
      const { got, mask, ref } = await grownCall(shape, noiseShape);
      expect(describeDifference(got, ref.output)).toBe("identical");
      expect(describeDifference(mask, ref.mask)).toBe("identical");
    });
  }

  // the noise-shaped path allocates its mask and the layout's dims before its windows run: the views
  // are pinned as buffers first, or the allocation would detach them
  it("a broadcast noise shape over such a view gives the reference's bits", async () => {
    const { got, mask, ref } = await grownCall([64, 16], [null, 1]);
    expect(describeDifference(got, ref.output)).toBe("identical");
    expect(describeDifference(mask, ref.mask)).toBe("identical");
  });
});

describe("a Dropout layer over a single element", () => {
  it("noiseShape [null, null] over a 1×1 batch: one bit, the keep rule's first noise element of each step", () => {
    const layer = new Dropout(0.5, { seed: 31, noiseShape: [null, null] });
    const buf = allocF32(1);
    buf.view()[0] = 3;
    const input = new Matrix(buf, 1, 1);
    const got: number[] = [];
    const want: number[] = [];
    for (let step = 0; step < 8; step++) {
      layer.step = step;
      got.push(layer.forward(input, true).toArray()[0]);
      const { keep } = refDropout(new Float32Array(1), 0.5, streamSeed(31, 0, 0), step);
      want.push(keep[0] ? 6 : 0);
    }
    expect(got).toEqual(want);
    expect(new Set(want).size).toBe(2); // both a kept and a dropped step
    buf.free();
  });
});

describe("a Dropout layer whose backward pass gets dOutput in another instance than its forward input", () => {
  /** The layer's dInput for dOutput of ones, forward on one instance and backward on another. */
  async function crossInstanceGradient(options: { noiseShape?: (number | null)[] }) {
    const [a, b] = [await instantiate({ threads: 1 }), await instantiate({ threads: 1 })];
    const layer = new Dropout(0.5, { seed: 3, ...options });
    const [rows, cols] = [8, 4];
    const x = allocF32(rows * cols, a);
    x.view().fill(1);
    const output = layer.forward(new Matrix(x, rows, cols), true).toArray();
    const dOutput = allocF32(rows * cols, b);
    dOutput.view().fill(1);
    const dInput = layer.backward(new Matrix(dOutput, rows, cols), true)!.toArray();
    return { output, dInput };
  }

  it("with a noise shape: dInput = dOutput · the forward's mask · scale (the mask copied across)", async () => {
    const { output, dInput } = await crossInstanceGradient({ noiseShape: [null, 1] });
    const { keep } = refDropout(new Float32Array(8), 0.5, streamSeed(3, 0, 0), 0);
    const want = Float32Array.from({ length: 32 }, (_, i) => (keep[Math.floor(i / 4)] ? 2 : 0));
    expect(describeDifference(output, want)).toBe("identical");
    expect(describeDifference(dInput, want)).toBe("identical");
  });

  // the stored mask is a buffer of the forward's instance: read through its view, not by its address
  // in dOutput's memory
  it("without a noise shape: the same rule", async () => {
    const { output, dInput } = await crossInstanceGradient({});
    const { keep } = refDropout(new Float32Array(32), 0.5, streamSeed(3, 0, 0), 0);
    const want = Float32Array.from(keep, (k) => (k ? 2 : 0));
    expect(describeDifference(output, want)).toBe("identical");
    expect(describeDifference(dInput, want)).toBe("identical");
  });
});
