// The wrappers that cut a kernel call into parts for threads, just past where parts start: on 2 threads
// the bits of 1 thread (sums: a float64 reference too), nothing written outside the operands, scratch
// returned, only the sums asked for; and the scratch and copy windows next to them. Runtime-neutral.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
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
  penalty,
  type U32Buffer,
} from "../../src/index.js";
import { DROPOUT_MIN_PART } from "../../src/kernels/dropout.js";
import { GATHER_MIN_PART, gatherRows } from "../../src/kernels/gather.js";
import { addPenaltyGradUnchecked } from "../../src/kernels/gradient.js";
import { adamUpdate, sgdUpdate } from "../../src/kernels/optimizer.js";
import { penaltySums, penaltyUnchecked } from "../../src/kernels/penalty.js";
import { clampNonNegative, scaleByNorms, softThreshold } from "../../src/kernels/projection.js";
import { MAX_PART_ELEMENTS, MIN_PART_ELEMENTS, PARTS_PER_THREAD } from "../../src/wasm/partition.js";
import { refAddPenaltyGrad, refL1, refL2, refPenalty } from "../reference.js";
import { mulberry32Uint32 } from "../support/mulberry32.js";
import { threadsPossible } from "../support/threads-possible.js";
import { describeDifference } from "./support/bits.js";
import { normalF32 } from "./support/data.js";

const MIN = MIN_PART_ELEMENTS;
// Penalty tolerance as in penalty.test.ts: ≤ 64 non-negative f32 terms per lane → 64·2^-24 relative.
const REL = 64 * 2 ** -24;
/** Elements of the guard buffer allocated right after a call's operands. */
const GUARD = 1024;

let one: Instance;
let two: Instance;
beforeAll(async () => {
  [one, two] = await Promise.all([instantiate({ threads: 1 }), instantiate({ threads: 2 })]);
});
afterAll(() => two.stopThreads());

/** A new buffer of `inst` holding `values`. */
function put(inst: Instance, values: Float32Array): F32Buffer;
function put(inst: Instance, values: Uint32Array): U32Buffer;
function put(inst: Instance, values: Float32Array | Uint32Array): F32Buffer | U32Buffer;
function put(inst: Instance, values: Float32Array | Uint32Array): F32Buffer | U32Buffer {
  const buf = values instanceof Float32Array ? allocF32(values.length, inst) : allocU32(values.length, inst);
  buf.view().set(values);
  return buf;
}

/** Runs `call`, returning each inst.run() it made as [kernel, number of parts]. */
function dispatched(inst: Instance, call: () => void): [string, number][] {
  const run = vi.spyOn(inst, "run");
  try {
    call();
    return run.mock.calls.map(([kernel, parts]) => [kernel, parts.length]);
  } finally {
    run.mockRestore();
  }
}

/** Runs `call`, returning each inst.run() it made as [kernel, its parts' argument lists]. */
function dispatchedParts(inst: Instance, call: () => void): [string, readonly number[][]][] {
  const run = vi.spyOn(inst, "run");
  try {
    call();
    return run.mock.calls.map(([kernel, parts]) => [kernel, parts as unknown as number[][]]);
  } finally {
    run.mockRestore();
  }
}

/** What a call cut into two parts hands to the pool (nothing where threads cannot start). */
const twoParts = (kernel: string): [string, number][] => (threadsPossible ? [[kernel, 2]] : []);

const relativeError = (got: number, want: number) => Math.abs(got - want) / want;

/**
 * Allocates `operands` in order on `inst`, then a guard right after the last one; runs `call` on the
 * buffers and returns their contents afterwards, having checked that the guard is untouched.
 */
function runGuarded<T extends Float32Array | Uint32Array>(
  inst: Instance,
  operands: T[],
  call: (bufs: (F32Buffer | U32Buffer)[]) => void,
): T[] {
  const bufs = operands.map((values) => put(inst, values));
  const guardValues = normalF32(GUARD, 77);
  const guard = put(inst, guardValues);
  try {
    const last = bufs[bufs.length - 1];
    expect(guard.ptr).toBe(last.ptr + 4 * last.length); // the guard is the next thing in memory
    call(bufs);
    expect(describeDifference(guard.view(), guardValues)).toBe("identical");
    return bufs.map((b) => b.view().slice() as T);
  } finally {
    guard.free();
    for (const b of bufs) b.free();
  }
}

describe("penalty sums in parts", () => {
  // two parts that end inside a block, a 16-element chunk past the last block and a 5-element tail
  const n = 2 * MIN + 1024 + 16 + 5;
  const x = normalF32(n, 31);

  it("l1Penalty, l2Penalty and penalty: the bits of one thread, the float64 sums, in two parts", () => {
    const [x1, x2] = [put(one, x), put(two, x)];
    try {
      const results: number[][] = [];
      const calls = dispatched(two, () =>
        results.push([l1Penalty(x2), l2Penalty(x2), penalty(x2, { l1: 0.3, l2: 0.7 })]),
      );
      expect(calls).toEqual([...twoParts("penaltyBlocks"), ...twoParts("penaltyBlocks"), ...twoParts("penaltyBlocks")]);
      expect(results[0]).toEqual([l1Penalty(x1), l2Penalty(x1), penalty(x1, { l1: 0.3, l2: 0.7 })]);
      const [abs, sq, both] = results[0];
      expect(relativeError(abs, refL1(x))).toBeLessThanOrEqual(REL);
      expect(relativeError(sq, refL2(x))).toBeLessThanOrEqual(REL);
      expect(relativeError(both, refPenalty(x, 0.3, 0.7))).toBeLessThanOrEqual(REL);
    } finally {
      x1.free();
      x2.free();
    }
  });

  it("one sum asked for: the other stays 0, the short tail included", () => {
    const x2 = put(two, x);
    try {
      const [abs, sq] = penaltySums(two, "penalty", x2);
      expect(penaltySums(two, "l1Penalty", x2)).toEqual([abs, 0]);
      expect(penaltySums(two, "l2Penalty", x2)).toEqual([0, sq]);
    } finally {
      x2.free();
    }
  });

  it("penalty() with one λ computes only that sum, and with none computes nothing", () => {
    for (const inst of [one, two]) {
      const xb = put(inst, x);
      try {
        const [abs, sq] = penaltySums(inst, "penalty", xb);
        expect([penalty(xb, { l1: 0.3 }), inst.readAcc()]).toEqual([0.3 * abs, [abs, 0]]);
        expect([penalty(xb, { l2: 0.7 }), inst.readAcc()]).toEqual([0.7 * sq, [0, sq]]);
        // both λ 0: the accumulator still holds the last call's sums
        expect([penaltyUnchecked(inst, xb, 0, 0), inst.readAcc()]).toEqual([0, [0, sq]]);
      } finally {
        xb.free();
      }
    }
  });

  it("addPenaltyGrad: the bits of one thread and of the f32 reference, the float64 penalty, in two parts", () => {
    const g = normalF32(n, 32);
    const [x1, x2, g1, g2] = [put(one, x), put(two, x), put(one, g), put(two, g)];
    try {
      let got = 0;
      const calls = dispatched(two, () => {
        got = addPenaltyGrad(g2, x2, { l1: 0.01, l2: 0.02, signAtZero: -1 });
      });
      expect(calls).toEqual(twoParts("addPenaltyGradBlocks"));
      expect(got).toBe(addPenaltyGrad(g1, x1, { l1: 0.01, l2: 0.02, signAtZero: -1 }));
      expect(relativeError(got, refPenalty(x, 0.01, 0.02))).toBeLessThanOrEqual(REL);
      const want = refAddPenaltyGrad(g, x, 0.01, 0.02, -1);
      expect(describeDifference(g2.view(), want)).toBe("identical");
      expect(describeDifference(g1.view(), want)).toBe("identical");
    } finally {
      for (const b of [x1, x2, g1, g2]) b.free();
    }
  });

  it("returns the memory of its block sums", () => {
    const [x2, g2] = [put(two, x), put(two, normalF32(n, 33))];
    try {
      const before = two.heap.allocations;
      l1Penalty(x2);
      penalty(x2, { l1: 1, l2: 1 });
      addPenaltyGrad(g2, x2, { l1: 1 });
      expect(two.heap.allocations).toBe(before);
    } finally {
      x2.free();
      g2.free();
    }
  });

  it("on one thread allocates nothing, so views of a full memory stay attached", async () => {
    // a fresh instance whose heap ends exactly at the end of its (unshared) memory: any allocation
    // would grow it, which detaches every view taken before
    const inst = await instantiate({ threads: 1 });
    const small = 1000 + 5;
    const [xb, gb] = [put(inst, normalF32(small, 34)), put(inst, normalF32(small, 35))];
    const rest = inst.heap.memory.buffer.byteLength - inst.heap.used;
    const filler = rest > 0 ? allocF32(rest / 4, inst) : null; // rest: a multiple of 64 bytes
    expect(inst.heap.used).toBe(inst.heap.memory.buffer.byteLength);
    const bytes = inst.heap.memory.buffer.byteLength;
    const view = xb.view();
    l1Penalty(xb);
    l2Penalty(xb);
    penalty(xb, { l1: 1, l2: 1 });
    addPenaltyGrad(gb, xb, { l1: 1, l2: 1 });
    expect([inst.heap.memory.buffer.byteLength, view.length]).toEqual([bytes, small]);
    for (const b of [xb, gb, filler]) b?.free();
  });
});

describe("runSplit wrappers in parts", () => {
  it("adamUpdate: the bits of one thread from 2·MIN/4 elements (two parts, the chunked kernel); g unchanged", () => {
    const n = 2 * (MIN / 4);
    const [w, g, m, v] = [normalF32(n, 41), normalF32(n, 42), normalF32(n, 43).map(Math.abs), new Float32Array(n)];
    for (let i = 0; i < n; i++) v[i] = Math.fround(m[i] * m[i]);
    const step = { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, c1: 0.19, c2: 0.002, keep: 1 - 1e-5 };
    const apply = (inst: Instance) => {
      const calls: [string, number][][] = [];
      const out = runGuarded(inst, [w, g, m, v], ([wb, gb, mb, vb]) => {
        calls.push(
          dispatched(inst, () => adamUpdate(wb as F32Buffer, gb as F32Buffer, mb as F32Buffer, vb as F32Buffer, step)),
        );
      });
      return { out, calls: calls[0] };
    };
    const got = apply(two);
    const want = apply(one);
    expect([got.calls, want.calls]).toEqual([twoParts("adamUpdateInChunks"), []]);
    expect(got.out.map((o, k) => describeDifference(o, want.out[k]))).toEqual(Array(4).fill("identical"));
    expect(describeDifference(got.out[1], g)).toBe("identical");
  });

  for (const momentum of [0, 0.9]) {
    it(`sgdUpdate ${momentum ? "with" : "without"} momentum: the bits of one thread from 2·MIN elements (two parts); g unchanged`, () => {
      const n = 2 * MIN;
      const operands = [normalF32(n, 51), normalF32(n, 52), ...(momentum ? [normalF32(n, 53)] : [])];
      const apply = (inst: Instance) => {
        const calls: [string, number][][] = [];
        const out = runGuarded(inst, operands, ([wb, gb, ub]) => {
          calls.push(
            dispatched(inst, () =>
              sgdUpdate(
                wb as F32Buffer,
                gb as F32Buffer,
                (ub as F32Buffer | undefined) ?? null,
                0.05,
                momentum,
                1 - 1e-4,
              ),
            ),
          );
        });
        return { out, calls: calls[0] };
      };
      const got = apply(two);
      const want = apply(one);
      expect([got.calls, want.calls]).toEqual([twoParts("sgdUpdate"), []]);
      expect(got.out.map((o, k) => describeDifference(o, want.out[k]))).toEqual(
        Array(operands.length).fill("identical"),
      );
      expect(describeDifference(got.out[1], operands[1])).toBe("identical");
    });
  }

  it.each([
    ["softThreshold", (w: F32Buffer) => softThreshold(w, 0.3)],
    ["clampNonNegative", (w: F32Buffer) => clampNonNegative(w)],
  ] as const)("%s: the bits of one thread from 2·MIN elements (two parts)", (kernel, project) => {
    const w = normalF32(2 * MIN, 61);
    const apply = (inst: Instance) => {
      const calls: [string, number][][] = [];
      const [out] = runGuarded(inst, [w], ([wb]) => {
        calls.push(dispatched(inst, () => project(wb as F32Buffer)));
      });
      return { out, calls: calls[0] };
    };
    const got = apply(two);
    const want = apply(one);
    expect([got.calls, want.calls]).toEqual([twoParts(kernel), []]);
    expect(describeDifference(got.out, want.out)).toBe("identical");
  });

  it("dropout and dropoutBackward: the bits of one thread from 2·DROPOUT_MIN_PART values (two parts)", () => {
    // the second part ends inside a mask word; the guard follows dx (n·4 bytes a multiple of 64: no padding)
    const n = 2 * DROPOUT_MIN_PART + 1024 + 16;
    expect(128 * 512, "a training batch of 128 rows of 512 is worth two parts").toBeGreaterThanOrEqual(
      2 * DROPOUT_MIN_PART,
    );
    const x = normalF32(n, 91);
    const apply = (inst: Instance) => {
      const calls: [string, number][][] = [];
      const out = runGuarded(
        inst,
        [x, new Uint32Array(Math.ceil(n / 32)), new Float32Array(n), new Float32Array(n)],
        ([xb, mb, yb, db]) => {
          const mask = mb as U32Buffer;
          calls.push(
            dispatched(inst, () => dropout(xb, { rate: 0.2, seed: 7, stream: 3, offset: 96, out: yb, mask })),
            dispatched(inst, () => dropoutBackward(xb, { rate: 0.2, mask }, db)),
          );
        },
      );
      return { out, calls };
    };
    const got = apply(two);
    const want = apply(one);
    expect([got.calls, want.calls]).toEqual([
      [twoParts("dropout"), twoParts("dropoutBackward")],
      [[], []],
    ]);
    for (const i of [1, 2, 3]) expect(describeDifference(got.out[i], want.out[i]), `operand ${i}`).toBe("identical");
    // and the values: a kept x scaled by 1/(1 − rate), a dropped one 0, as its mask bit says
    const mask = got.out[1] as Uint32Array;
    const kept = (i: number) => (mask[i >>> 5] >>> (i & 31)) & 1;
    for (const i of [0, n >> 1, n - 1])
      expect(got.out[2][i]).toBe(kept(i) ? Math.fround(x[i] * Math.fround(1 / 0.8)) : 0);
  });

  it("a large call: parts of at most MAX_PART_ELEMENTS, as many on each thread, the bits of one thread", () => {
    // more than PARTS_PER_THREAD parts of MAX_PART_ELEMENTS per thread; the last part ends inside a
    // block and a mask word (n·4 bytes a multiple of 64: the guard follows with no padding)
    const n = 2 * PARTS_PER_THREAD * MAX_PART_ELEMENTS + 3 * 1024 + 16;
    const x = normalF32(n, 41);
    const g = normalF32(n, 42);
    // where each kernel's part takes its element count
    const countAt: Record<string, number> = { penaltyBlocks: 2, addPenaltyGradBlocks: 3, dropout: 3 };
    const apply = (inst: Instance) => {
      const calls: [string, readonly number[][]][][] = [];
      let sum = 0;
      const out = runGuarded(inst, [x, g, new Float32Array(n)], ([xb, gb, yb]) => {
        calls.push(
          dispatchedParts(inst, () => {
            sum = l2Penalty(xb as F32Buffer);
          }),
          dispatchedParts(inst, () => addPenaltyGrad(gb as F32Buffer, xb as F32Buffer, { l1: 0.01, l2: 0.02 })),
          dispatchedParts(inst, () =>
            dropout(xb as F32Buffer, { rate: 0.3, seed: 5, mask: false, out: yb as F32Buffer }),
          ),
        );
      });
      return { out, calls, sum };
    };
    const got = apply(two);
    const want = apply(one);
    expect(want.calls).toEqual([[], [], []]);
    if (threadsPossible) {
      const kernels = got.calls.map((call) => call.map(([kernel]) => kernel));
      expect(kernels).toEqual([["penaltyBlocks"], ["addPenaltyGradBlocks"], ["dropout"]]);
      for (const [[kernel, parts]] of got.calls) {
        const counts = parts.map((args) => args[countAt[kernel]]);
        expect(parts.length % 2, `${kernel}: as many parts on each thread`).toBe(0);
        expect(parts.length, kernel).toBeGreaterThan(2 * PARTS_PER_THREAD);
        expect(Math.max(...counts), `${kernel}: the largest part`).toBeLessThanOrEqual(MAX_PART_ELEMENTS);
        // the parts cover the call's whole-chunk prefix (the sums' last n mod 16 run apart)
        expect(
          counts.reduce((a, b) => a + b, 0),
          `${kernel}: elements in parts`,
        ).toBe(n - (n % 16));
      }
    }
    expect(got.sum).toBe(want.sum);
    expect(relativeError(got.sum, refL2(x))).toBeLessThanOrEqual(REL);
    for (const i of [1, 2]) expect(describeDifference(got.out[i], want.out[i]), `operand ${i}`).toBe("identical");
  });

  it("gatherRows: the bits of one thread from 2·⌈GATHER_MIN_PART/width⌉ rows (two parts), from an offset into the indices", () => {
    const width = 48;
    const count = 2 * Math.ceil(GATHER_MIN_PART / width);
    const srcRows = count + 100;
    const start = 3;
    const next = mulberry32Uint32(71);
    const src = Uint32Array.from({ length: srcRows * width }, () => next());
    const indices = Uint32Array.from({ length: start + count }, () => next() % srcRows);
    const apply = (inst: Instance) => {
      const calls: [string, number][][] = [];
      const out = runGuarded(inst, [src, indices, new Uint32Array(count * width)], ([sb, ib, db]) => {
        calls.push(dispatched(inst, () => gatherRows(db, sb, ib as U32Buffer, start, count, width)));
      });
      return { out, calls: calls[0] };
    };
    const got = apply(two);
    const want = apply(one);
    expect([got.calls, want.calls]).toEqual([twoParts("gatherRows"), []]);
    expect(describeDifference(got.out[2], want.out[2])).toBe("identical");
    // and the gather itself: row r of dst is row indices[start + r] of src
    const row = (r: number) => src.subarray(indices[start + r] * width, (indices[start + r] + 1) * width);
    for (const r of [0, count / 2 - 1, count / 2, count - 1])
      expect(describeDifference(got.out[2].subarray(r * width, (r + 1) * width), row(r))).toBe("identical");
  });
});

describe("a second view of the same memory", () => {
  beforeAll(() => init());

  it("addPenaltyGrad(grad, x) with x another view of grad's range gives the result of x === grad", () => {
    const x0 = normalF32(1000, 81);
    const backing = Float32Array.from(x0);
    const grad = backing.subarray(0, 1000);
    const x = new Float32Array(backing.buffer, 0, 1000);
    const p = addPenaltyGrad(grad, x, { l1: 0.1, l2: 0.2 });
    expect(describeDifference(backing, refAddPenaltyGrad(x0, x0, 0.1, 0.2))).toBe("identical");
    expect(relativeError(p, refPenalty(x0, 0.1, 0.2))).toBeLessThanOrEqual(REL);
    // the internal path the layers take, on an instance of its own
    const again = Float32Array.from(x0);
    addPenaltyGradUnchecked(one, again, new Float32Array(again.buffer), 0.1, 0.2, 1);
    expect(describeDifference(again, refAddPenaltyGrad(x0, x0, 0.1, 0.2))).toBe("identical");
  });
});

describe("scaleByNorms' scratch", () => {
  /** Each group's norm: √ of its f64 sum of squares in element order. */
  function refNorms(x: Float32Array, rows: number, cols: number, byColumns: boolean): number[] {
    const sums = new Float64Array(byColumns ? cols : rows);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) sums[byColumns ? j : i] += x[i * cols + j] * x[i * cols + j];
    return Array.from(sums, Math.sqrt);
  }

  it.each([true, false])("byColumns %s: one factor per group, scratch sized for every group", async (byColumns) => {
    // a fresh instance with a 64-byte hole low in its heap and a guard right above it: a scratch too
    // small for the groups' sums would take the hole and spill into the guard
    const inst = await instantiate({ threads: 1 });
    const [rows, cols] = byColumns ? [3, 100] : [100, 3];
    const first = allocF32(16, inst);
    const hole = allocF32(16, inst);
    const guardValues = normalF32(GUARD, 91);
    const guard = put(inst, guardValues);
    const x = normalF32(rows * cols, 92);
    const w = put(inst, x);
    hole.free();
    const factor = (norm: number) => 1 / (1 + norm);
    const norms: number[] = [];
    scaleByNorms(w, rows, cols, byColumns, (norm) => {
      norms.push(norm);
      return factor(norm);
    });
    expect(describeDifference(guard.view(), guardValues)).toBe("identical");
    const want = refNorms(x, rows, cols, byColumns);
    expect(norms).toEqual(want);
    const scaled = x.map((v, k) => Math.fround(v * factor(want[byColumns ? k % cols : Math.floor(k / cols)])));
    expect(describeDifference(w.view(), scaled)).toBe("identical");
    for (const b of [first, guard, w]) b.free();
  });
});
