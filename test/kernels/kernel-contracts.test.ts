// The kernel API's messages for bad arguments, exactly (bad-input.test.ts checks classes and
// names), and normals() against the reference generator through the documented Box–Muller step.
// Runtime-neutral (no node:* imports).
import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  addPenaltyGrad,
  allocF32,
  dropout,
  dropoutBackward,
  init,
  instantiate,
  penalty,
  randomUint32,
} from "../../src/index.js";
import { normals } from "../../src/kernels/normals.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { refRandomUint32 } from "../support/reference-generator.js";

beforeAll(() => init());

function outcome(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    return `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
  return "ok";
}

describe("messages", () => {
  const x = new Float32Array(4);
  const shared = new Float32Array(8);
  const shifted = shared.subarray(1, 5);
  const head = shared.subarray(0, 4);

  it.each<[string, () => unknown, string]>([
    [
      "dropout options",
      () => dropout(x, null as never),
      "TypeError: options must be an object like { rate, seed? }, got null",
    ],
    [
      "dropout out length",
      () => dropout(x, { rate: 0.5, seed: 1, out: new Float32Array(3) }),
      "RangeError: options.out must have the same length as x (4), got 3",
    ],
    [
      "dropout out overlapping x",
      () => dropout(head, { rate: 0.5, seed: 1, out: shifted }),
      "RangeError: options.out shares memory with x without being the same array",
    ],
    [
      "dropoutBackward options",
      () => dropoutBackward(x, null as never),
      "TypeError: options must be an object like { rate, mask } or { rate, seed }, got null",
    ],
    [
      "dropoutBackward out length",
      () => dropoutBackward(x, { rate: 0.5, seed: 1 }, new Float32Array(5)),
      "RangeError: out must have the same length as dvalues (4), got 5",
    ],
    [
      "dropoutBackward out overlapping dvalues",
      () => dropoutBackward(head, { rate: 0.5, seed: 1 }, shifted),
      "RangeError: out shares memory with dvalues without being the same array",
    ],
    [
      "randomUint32 options",
      () => randomUint32(new Uint32Array(2), null as never),
      "TypeError: options must be an object like { seed?, stream?, offset? }, got null",
    ],
    [
      "randomUint32 past the last counter",
      () => randomUint32(new Uint32Array(8), { seed: 1, offset: 2 ** 32 - 4 }),
      "RangeError: options.offset + length must be <= 2^32 (one stream has 2^32 counters), got 4294967300",
    ],
    [
      "addPenaltyGrad grad length",
      () => addPenaltyGrad(new Float32Array(3), x, { l1: 1 }),
      "RangeError: grad must have the same length as x (4), got 3",
    ],
    [
      "addPenaltyGrad grad overlapping x",
      () => addPenaltyGrad(shifted, head, { l1: 1 }),
      "RangeError: grad shares memory with x without being the same array",
    ],
    [
      "penalty options",
      () => penalty(x, null as never),
      "TypeError: options must be an object like { l1, l2 }, got null",
    ],
  ])("%s", (_, call, want) => {
    expect(outcome(call)).toBe(want);
  });

  it("the last counters of a stream are usable", () => {
    const words = randomUint32(new Uint32Array(4), { seed: 1, offset: 2 ** 32 - 4 });
    expect(Array.from(words)).toEqual(Array.from(refRandomUint32(4, 1, 0, 2 ** 32 - 4)));
  });
});

describe("a call that fails after its checks (no memory left for a copy window)", () => {
  it("dropout frees the output it allocated, and never one the caller gave", () => {
    const inst = defaultInstance();
    const x = allocF32(100);
    const out = allocF32(100);
    const before = inst.heap.allocations;
    // the default mask is a Uint32Array, so the kernel runs through a copy window in scratch memory
    const full = vi.spyOn(inst, "scratch").mockImplementation(() => {
      throw new RangeError("regwasm: out of memory: 4294967360 bytes exceed the 4 GiB of wasm32");
    });
    try {
      const noMemory = "RangeError: regwasm: out of memory: 4294967360 bytes exceed the 4 GiB of wasm32";
      expect(outcome(() => dropout(x, { rate: 0.5, seed: 1 }))).toBe(noMemory);
      expect(outcome(() => dropoutBackward(x, { rate: 0.5, mask: new Uint32Array(4) }))).toBe(noMemory);
      expect(inst.heap.allocations).toBe(before);
      expect(outcome(() => dropout(x, { rate: 0.5, seed: 1, out }))).toBe(noMemory);
      expect(outcome(() => dropoutBackward(x, { rate: 0.5, mask: new Uint32Array(4) }, out))).toBe(noMemory);
      expect(out.freed).toBe(false);
      expect(inst.heap.allocations).toBe(before);
    } finally {
      full.mockRestore();
      x.free();
      out.free();
    }
  });
});

describe("overflowing sums", () => {
  it("a λ of 0 adds 0 even when its sum overflowed (0·∞ would be NaN): the penalty is ∞, not NaN", () => {
    // every f32 lane of Σ|x| and Σx² overflows to ∞
    const x = new Float32Array(1024).fill(3e38);
    expect(addPenaltyGrad(new Float32Array(1024), x, { l2: 1 })).toBe(Infinity);
    expect(addPenaltyGrad(new Float32Array(1024), x, { l1: 1 })).toBe(Infinity);
  });
});

describe("normals", () => {
  /** Box–Muller over words 2i, 2i + 1 of the stream: u1 = (w + 1)/2^32 ∈ (0, 1], u2 = w/2^32. */
  function refNormals(n: number, seed: number, stream: number): number[] {
    const pairs = Math.ceil(n / 2);
    const w = refRandomUint32(2 * pairs, seed, stream);
    const out: number[] = [];
    for (let i = 0; i < pairs; i++) {
      const r = Math.sqrt(-2 * Math.log((w[2 * i] + 1) / 2 ** 32));
      const a = 2 * Math.PI * (w[2 * i + 1] / 2 ** 32);
      out.push(r * Math.cos(a), r * Math.sin(a));
    }
    return out.slice(0, n);
  }

  it.each([
    [1, 0, 0],
    [2, 7, 3],
    [7, 2 ** 40 + 5, 0x57],
  ])("%i samples of seed %d, stream %d: the documented transform of the reference words", (n, seed, stream) => {
    const live = defaultInstance().heap.allocations;
    const got = normals(n, seed, stream);
    expect(got).toHaveLength(n);
    expect(Array.from(got)).toEqual(refNormals(n, seed, stream));
    expect(defaultInstance().heap.allocations).toBe(live);
  });

  it("draws from the instance it is given", async () => {
    const other = await instantiate();
    const before = other.heap.allocations;
    expect(Array.from(normals(3, 9, 1, other))).toEqual(refNormals(3, 9, 1));
    expect(other.heap.allocations).toBe(before);
  });
});
