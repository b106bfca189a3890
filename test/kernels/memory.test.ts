// WASM memory growth detaches every typed-array view of the old memory. These tests grow memory while
// buffers are alive (also in the middle of a kernel call) and show that results stay right, i.e.
// that no stale view is ever used. Each test uses its own fresh instance so growth is deterministic.
import { beforeAll, describe, expect, it } from "vitest";
import {
  addPenaltyGrad,
  allocF32,
  allocU32,
  dropout,
  dropoutBackward,
  init,
  instantiate,
  l1Penalty,
  maskWords,
  penalty,
  randomUint32,
  simd,
  type F32Buffer,
  type Instance,
  type U32Buffer,
} from "../../src/index.js";
import {
  refAddPenaltyGrad,
  refApplyMask,
  refDropout,
  refL1,
  refPackBits,
  refPenalty,
  refUnpackBits,
} from "../reference.js";
import { refRandomUint32 } from "../support/reference-generator.js";
import { describeDifference } from "./support/bits.js";
import { MULTI_WINDOW, normalF32 } from "./support/data.js";

// the same build as the default instance (scalar in the node-scalar project)
let build: boolean;
beforeAll(async () => {
  await init();
  build = simd();
});

// Penalty tolerance as in penalty.test.ts: ≤ 64 non-negative f32 terms per lane → 64·2^-24 relative.
const REL = 64 * 2 ** -24;
const expectClose = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(REL * Math.abs(expected));

const bytes = (inst: Instance) => inst.heap.memory.buffer.byteLength;

/** Allocates exactly the rest of the current memory, so that the next allocation must grow it. */
function fillMemory(inst: Instance): void {
  const rest = bytes(inst) - inst.heap.used;
  if (rest > 0) allocF32(rest / 4, inst);
  expect(inst.heap.used).toBe(bytes(inst));
}

describe("memory growth with live buffers", () => {
  it("after growth, view() is fresh and right, old views are detached, kernels on old buffers are right", async () => {
    const inst = await instantiate({ simd: build, threads: 1 }); // one thread: an ordinary memory, which detaches
    const xData = normalF32(1000, 1),
      gData = normalF32(1000, 2);
    const x = allocF32(1000, inst),
      g = allocF32(1000, inst),
      mask = allocU32(maskWords(1000), inst);
    x.view().set(xData);
    g.view().set(gData);
    const staleView = x.view();
    fillMemory(inst);
    const before = bytes(inst);

    const big = allocF32(4_000_000, inst); // 16 MB: must grow
    expect(bytes(inst)).toBeGreaterThan(before);
    expect(staleView.length).toBe(0); // what a kept view turns into: detached, reads nothing
    expect(describeDifference(x.view(), xData)).toBe("identical");
    expect(big.view().length).toBe(4_000_000);

    expectClose(l1Penalty(x), refL1(xData));
    expectClose(addPenaltyGrad(g, x, { l1: 0.1, l2: 0.2 }), refPenalty(xData, 0.1, 0.2));
    expect(describeDifference(g.view(), refAddPenaltyGrad(gData, xData, 0.1, 0.2))).toBe("identical");
    const fwd = dropout<F32Buffer, undefined, U32Buffer>(x, { rate: 0.3, seed: 5, mask });
    expect(describeDifference(fwd.output.view(), refDropout(xData, 0.3, 5).output)).toBe("identical");
    const back = dropoutBackward<F32Buffer>(x, { rate: 0.3, mask });
    expect(describeDifference(back.view(), refApplyMask(xData, refUnpackBits(mask.view(), 1000), 0.3))).toBe(
      "identical",
    );
  });

  it("with threads the memory is shared: growth never detaches a kept view, view() covers the new size", async () => {
    const inst = await instantiate({ simd: build, threads: 2 });
    try {
      const xData = normalF32(1000, 1);
      const x = allocF32(1000, inst);
      x.view().set(xData);
      const keptView = x.view();
      const memoryBefore = bytes(inst);
      const big = allocF32(4_000_000, inst); // 16 MB: must grow
      expect(bytes(inst)).toBeGreaterThan(memoryBefore);
      if (inst.threads > 1) {
        expect(keptView.buffer).toBeInstanceOf(SharedArrayBuffer);
        expect(describeDifference(keptView, xData)).toBe("identical"); // still the same bytes
      }
      expect(describeDifference(x.view(), xData)).toBe("identical");
      expect(big.view().length).toBe(4_000_000);
      expectClose(l1Penalty(x), refL1(xData));
    } finally {
      inst.stopThreads();
    }
  });

  it("growth in the middle of a call (output and scratch allocated while input buffers are alive)", async () => {
    const inst = await instantiate({ simd: build });
    const n = MULTI_WINDOW;
    const xData = normalF32(n, 3),
      gData = normalF32(n, 4);
    const x = allocF32(n, inst);
    x.view().set(xData);
    fillMemory(inst);

    // plain grad + buffer x: the call allocates copy-window scratch first, growing memory
    let before = bytes(inst);
    const grad = Float32Array.from(gData);
    expectClose(addPenaltyGrad(grad, x, { l1: 0.01, l2: 0.02 }), refPenalty(xData, 0.01, 0.02));
    expect(bytes(inst)).toBeGreaterThan(before);
    expect(describeDifference(grad, refAddPenaltyGrad(gData, xData, 0.01, 0.02))).toBe("identical");

    // dropout allocates its output buffer inside the call: growth again, with x and the scratch alive
    fillMemory(inst);
    before = bytes(inst);
    const { output, mask } = dropout<F32Buffer>(x, { rate: 0.6, seed: 8, stream: 1 });
    expect(bytes(inst)).toBeGreaterThan(before);
    const ref = refDropout(xData, 0.6, 8, 1);
    expect(describeDifference(output.view(), ref.output)).toBe("identical");
    expect(describeDifference(mask!, refPackBits(ref.keep))).toBe("identical");

    fillMemory(inst);
    before = bytes(inst);
    const regenerated = dropoutBackward<F32Buffer>(x, { rate: 0.6, seed: 8, stream: 1 });
    expect(bytes(inst)).toBeGreaterThan(before);
    expect(describeDifference(regenerated.view(), refApplyMask(xData, ref.keep, 0.6))).toBe("identical");
  });

  it("the Float32Array copy path gives the same results before and after the default memory grows", () => {
    const data = normalF32(MULTI_WINDOW, 6);
    const first = [l1Penalty(data), penalty(data, { l1: 0.2, l2: 0.3 })];
    const words0 = randomUint32(new Uint32Array(5000), { seed: 12 });
    const big = allocF32(8_000_000); // 32 MB in the default instance: grows its memory
    expect([l1Penalty(data), penalty(data, { l1: 0.2, l2: 0.3 })]).toEqual(first);
    expectClose(first[0], refL1(data));
    const words1 = randomUint32(new Uint32Array(5000), { seed: 12 });
    expect(describeDifference(words1, words0)).toBe("identical");
    expect(describeDifference(words1, refRandomUint32(5000, 12))).toBe("identical");
    big.free();
  });
});

describe("free()", () => {
  it("a freed buffer cannot be used: view() and every kernel throw, a second free() is harmless", async () => {
    const inst = await instantiate({ simd: build });
    const x = allocF32(10, inst),
      other = allocF32(10, inst),
      mask = allocU32(1, inst),
      words = allocU32(4, inst);
    for (const b of [x, mask, words]) b.free();
    expect(x.freed).toBe(true);
    expect(() => x.view()).toThrow(/free/);
    expect(() => mask.view()).toThrow(/free/);
    expect(() => l1Penalty(x)).toThrow(/free/);
    expect(() => penalty(x, { l1: 1 })).toThrow(/free/);
    expect(() => addPenaltyGrad(other, x, { l1: 1 })).toThrow(/free/);
    expect(() => addPenaltyGrad(x, other, { l1: 1 })).toThrow(/free/);
    expect(() => dropout(x, { rate: 0.5, seed: 1 })).toThrow(/free/);
    expect(() => dropout(other, { rate: 0.5, seed: 1, mask })).toThrow(/free/);
    expect(() => dropoutBackward(other, { rate: 0.5, mask })).toThrow(/free/);
    expect(() => randomUint32(words, { seed: 1 })).toThrow(/free/);
    expect(() => x.free()).not.toThrow();
  });

  it("freed memory is reused: alloc/free cycles do not grow memory, and a reused block comes back zeroed", async () => {
    const inst = await instantiate({ simd: build });
    const keep = allocF32(100, inst);
    const first = allocF32(1 << 18, inst); // 1 MiB
    first.view().fill(7);
    first.free();
    const size = bytes(inst);
    for (let i = 0; i < 50; i++) {
      const b = allocF32(1 << 18, inst);
      expect(b.view().every((v) => v === 0)).toBe(true);
      b.view().fill(i + 1);
      b.free();
    }
    expect(bytes(inst)).toBe(size);
    // a hole between live buffers is filled by smaller allocations before memory grows
    const a = allocF32(1 << 16, inst),
      hole = allocF32(1 << 16, inst),
      c = allocF32(1 << 16, inst);
    fillMemory(inst);
    hole.free();
    const grown = bytes(inst);
    const small1 = allocF32(1 << 15, inst),
      small2 = allocF32(1 << 15, inst);
    expect(bytes(inst)).toBe(grown);
    for (const b of [keep, a, c, small1, small2]) b.free();
  });

  it("buffers of different instances cannot be mixed in one call", async () => {
    const one = await instantiate({ simd: build }),
      two = await instantiate({ simd: build });
    const a = allocF32(8, one),
      b = allocF32(8, two);
    expect(() => addPenaltyGrad(a, b, { l1: 1 })).toThrow(/instance/);
    expect(() => dropout(a, { rate: 0.5, seed: 1, out: b })).toThrow(/instance/);
  });
});

describe("views of WASM memory passed as plain arrays", () => {
  it("are used in place (no copy window), so growth during the call cannot detach them", async () => {
    const inst = await instantiate({ simd: build });
    const n = 3 * 65536 + 5; // more than one copy window, so a copy path would need scratch memory
    const x = allocF32(n, inst),
      out = allocF32(n, inst),
      grad = allocF32(n, inst);
    const data = normalF32(n, 7);
    x.view().set(data);
    fillMemory(inst); // any scratch allocation now grows memory and detaches every view
    const plain = new Float32Array(n).fill(0.5); // forces the copy path for the other operand
    dropout(plain, { rate: 0.25, seed: 3, out: out.view(), mask: false });
    const expected = refDropout(plain, 0.25, 3, 0, 0).output;
    expect(describeDifference(out.view(), expected)).toBe("identical");
    expectClose(l1Penalty(x.view()), refL1(data));
    expectClose(addPenaltyGrad(grad.view(), x.view(), { l1: 0.5 }), 0.5 * refL1(data));
  });
});
