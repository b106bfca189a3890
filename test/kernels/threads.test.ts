// Threads: every kernel that runs in parts gives the bits of one call for any thread count, on both
// builds (the scalar build's lanes are per instance), and the pool's contracts hold: options are
// checked, a part that traps in a worker is an error, and the pool is usable after it. In a browser
// page that is not cross-origin isolated, instantiate() falls back to one thread. Runtime-neutral.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addPenaltyGrad,
  allocF32,
  allocU32,
  dropout,
  dropoutBackward,
  type F32Buffer,
  type Instance,
  init,
  instantiate,
  l1Penalty,
  l2Penalty,
  Matrix,
  penalty,
  randomUint32,
  threads,
} from "../../src/index.js";
import { adamUpdate, sgdUpdate } from "../../src/kernels/optimizer.js";
import {
  reluBackward,
  reluForward,
  sigmoidBackward,
  sigmoidForward,
  tanhBackward,
  tanhForward,
} from "../../src/kernels/activation.js";
import { gatherRows } from "../../src/kernels/gather.js";
import { clampNonNegative, softThreshold } from "../../src/kernels/projection.js";
import { MIN_PART_ELEMENTS, partition } from "../../src/wasm/partition.js";
import { describeDifference } from "./support/bits.js";
import { normalF32 } from "./support/data.js";
import { threadsPossible } from "../support/threads-possible.js";

const live = (asked: number) => (threadsPossible ? asked : 1);

describe("partition", () => {
  it("cuts [0, total) into contiguous aligned parts of at least minSize, at most `parts` of them", () => {
    for (const total of [0, 1, 1023, 1024, 65536, 65536 + 17, 3 * 65536 + 1023, 1_000_003]) {
      for (const parts of [1, 2, 3, 4, 7]) {
        for (const [align, minSize] of [
          [1, 1],
          [1024, 32768],
          [4, 8192],
        ]) {
          const ranges = partition(total, parts, align, minSize);
          expect(ranges.length).toBeLessThanOrEqual(parts);
          const worth = Math.max(1, Math.min(parts, Math.ceil(total / align), Math.floor(total / minSize)));
          expect(ranges.length).toBe(total === 0 ? 0 : worth);
          let next = 0;
          for (const [start, end] of ranges) {
            expect(start).toBe(next);
            expect(start % align).toBe(0);
            expect(end).toBeGreaterThan(start);
            if (ranges.length > 1) expect(end - start).toBeGreaterThan(minSize - align);
            next = end;
          }
          expect(next).toBe(total === 0 ? 0 : total);
        }
      }
    }
  });
});

/** Bits of a buffer, copied out. */
const bits = (b: F32Buffer | Matrix) =>
  new Uint32Array(Float32Array.from(b instanceof Matrix ? b.data.view() : b.view()).buffer);
const words = (b: { view(): Uint32Array }) => Uint32Array.from(b.view());

/** The inputs of runAll at length n (drawn once, shared by every instance). */
function inputsOf(n: number) {
  return { x: normalF32(n, 11), grad: normalF32(n, 12), dy: normalF32(n, 13), g: normalF32(n, 14) };
}

/** Every threaded kernel on one instance: all outputs, as bit arrays and numbers; frees what it took. */
function runAll(inst: Instance, inputs: ReturnType<typeof inputsOf>): Record<string, Uint32Array | number> {
  const { x } = inputs;
  const n = x.length;
  const taken: { free(): void }[] = [];
  const f32 = (length: number) => {
    const buf = allocF32(length, inst);
    taken.push(buf);
    return buf;
  };
  const u32 = (length: number) => {
    const buf = allocU32(length, inst);
    taken.push(buf);
    return buf;
  };
  const put = (values: Float32Array): F32Buffer => {
    const buf = f32(values.length);
    buf.view().set(values);
    return buf;
  };
  const xb = put(x);
  const out: Record<string, Uint32Array | number> = {};
  out.l1 = l1Penalty(xb);
  out.l2 = l2Penalty(xb);
  out.penalty = penalty(xb, { l1: 0.3, l2: 0.7 });
  const grad = put(inputs.grad);
  out.addPenaltyGrad = addPenaltyGrad(grad, xb, { l1: 0.01, l2: 0.02 });
  out.grad = bits(grad);
  const dropped = f32(n);
  const mask = u32(Math.ceil(n / 32));
  dropout(xb, { rate: 0.3, seed: 5, stream: 2, offset: 64, out: dropped, mask });
  out.dropout = bits(dropped);
  out.mask = words(mask);
  const dx = f32(n);
  dropoutBackward(xb, { rate: 0.3, mask }, dx);
  out.dropoutBackward = bits(dx);
  dropoutBackward(xb, { rate: 0.3, seed: 5, stream: 2, offset: 64 }, dx);
  out.dropoutBackwardRegenerated = bits(dx);
  const random = u32(n);
  randomUint32(random, { seed: 9, stream: 1, offset: 3 });
  out.randomUint32 = words(random);
  // the layer kernels: elementwise activations and optimizer updates on matrices in WASM memory
  const cols = 64;
  const rows = Math.floor(n / cols);
  const matrix = (values: Float32Array) => new Matrix(put(values.subarray(0, rows * cols)), rows, cols);
  const empty = () => new Matrix(f32(rows * cols), rows, cols);
  const xm = matrix(x);
  const dy = matrix(inputs.dy);
  const y = empty();
  const d = empty();
  for (const [forward, backward, name] of [
    [reluForward, reluBackward, "relu"],
    [sigmoidForward, sigmoidBackward, "sigmoid"],
    [tanhForward, tanhBackward, "tanh"],
  ] as const) {
    forward(y, xm);
    backward(d, dy, y);
    out[`${name}Forward`] = bits(y);
    out[`${name}Backward`] = bits(d);
  }
  const w = put(x);
  const g = put(inputs.g);
  const m1 = f32(n);
  const v = f32(n);
  for (let step = 1; step <= 2; step++)
    adamUpdate(w, g, m1, v, {
      lr: 1e-3,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      c1: 1 - 0.9 ** step,
      c2: 1 - 0.999 ** step,
      keep: 1 - 1e-5,
    });
  out.adamUpdate = bits(w);
  out.adamMoment1 = bits(m1);
  out.adamMoment2 = bits(v);
  sgdUpdate(w, g, m1, 0.05, 0.9, 1);
  out.sgdUpdate = bits(w);
  const shrunk = put(x);
  softThreshold(shrunk, 0.3);
  out.softThreshold = bits(shrunk);
  clampNonNegative(shrunk);
  out.clampNonNegative = bits(shrunk);
  const indices = u32(rows);
  indices.view().set(Array.from({ length: rows }, (_, i) => (i * 7919) % rows));
  const gathered = f32(rows * cols);
  gatherRows(gathered, xm.data, indices, 0, rows, cols);
  out.gatherRows = bits(gathered);
  for (const buf of taken) buf.free();
  return out;
}

const THREAD_COUNTS = [1, 2, 3, 4];
// Lengths for 2–4 parts, part ends inside a block, a 16-element tail, and many parts' worth.
const LENGTHS = [2 * MIN_PART_ELEMENTS, 3 * MIN_PART_ELEMENTS + 1024 + 16 + 5, 7 * MIN_PART_ELEMENTS + 1023];

describe.each([
  ["SIMD", true],
  ["scalar", false],
] as const)("the %s build gives the same bits on 1, 2, 3 and 4 threads", (_, simd) => {
  // one instance per thread count, reused for every length (each run frees what it took)
  let instances: Instance[] = [];
  beforeAll(async () => {
    instances = await Promise.all(THREAD_COUNTS.map((threads) => instantiate({ simd, threads })));
  });
  afterAll(() => {
    for (const inst of instances) inst.stopThreads();
  });
  it.each(LENGTHS)("n = %i", (n) => {
    const inputs = inputsOf(n);
    expect(instances[0].threads).toBe(1);
    const expected = runAll(instances[0], inputs);
    for (let i = 1; i < instances.length; i++) {
      expect(instances[i].threads).toBe(live(THREAD_COUNTS[i]));
      const got = runAll(instances[i], inputs);
      for (const key of Object.keys(expected)) {
        const [a, b] = [got[key], expected[key]];
        if (typeof b === "number") expect({ key, value: a }).toEqual({ key, value: b });
        else
          expect({ key, difference: describeDifference(a as Uint32Array, b) }).toEqual({
            key,
            difference: "identical",
          });
      }
    }
  });
});

describe("the pool", () => {
  it("reports a part that traps in a worker as an error, and runs the next call normally", async () => {
    const inst = await instantiate({ threads: 2 });
    try {
      const x = allocF32(64, inst);
      x.view().fill(2);
      const acc = allocF32(8, inst);
      const outside = 2 ** 31; // far past the end of this instance's memory: the kernel traps
      const call = () =>
        inst.run("l1Penalty", [
          [acc.ptr, x.ptr, 64],
          [acc.ptr + 16, outside, 1024],
        ]);
      // the part traps on whichever thread takes it: the caller's own error, or the pool's
      expect(call).toThrow(/memory access out of bounds|a kernel part failed in a worker thread/);
      acc.view().fill(0);
      inst.run("l1Penalty", [
        [acc.ptr, x.ptr, 32],
        [acc.ptr + 16, x.ptr + 128, 32],
      ]);
      expect(Array.from(new Float64Array(acc.view().buffer, acc.ptr, 4))).toEqual([64, 0, 64, 0]);
    } finally {
      inst.stopThreads();
    }
  });

  it("checks the thread count before starting anything", async () => {
    for (const threads of [0, 1.5, -1, 257, Number.NaN, "2", null]) {
      await expect(instantiate({ threads: threads as number })).rejects.toThrow(
        `options.threads must be an integer from 1 to 256, got ${String(threads)}`,
      );
    }
    await expect(instantiate({ thread: 2 } as never)).rejects.toThrow(
      "options.thread is not a known option; the options are simd, relaxedSimd and threads",
    );
  });

  it("init() keeps its thread count: asking for another one afterwards is an error", async () => {
    await init();
    const live = threads();
    expect(live).toBeGreaterThanOrEqual(1);
    await expect(init({ threads: live })).resolves.toBeUndefined();
    if (threadsPossible)
      await expect(init({ threads: live + 1 })).rejects.toThrow(`init() already started ${live} thread`);
  });
});
