// What the thread pool promises a caller of Instance.run with several parts: every part runs once,
// also past one job's 64 parts (a call of more runs as several jobs), and parts of more than 16
// arguments are refused before any runs (16 are accepted). (A part that traps:
// test/kernels/threads.test.ts. Which thread reports it cannot be pinned: a thread preempted for a
// moment loses its own parts to the other.) Runtime-neutral (skipped where no worker can start).
import { afterAll, describe, expect, it } from "vitest";
import { allocF32, instantiate } from "../../src/index.js";
import { MAX_ARGS, MAX_PARTS } from "../../src/wasm/pool-protocol.js";
import { threadsPossible } from "../support/threads-possible.js";

describe.skipIf(!threadsPossible)("the pool, through Instance.run", async () => {
  const inst = threadsPossible ? await instantiate({ threads: 2 }) : (null as never);
  afterAll(() => inst?.stopThreads());

  it.each([MAX_PARTS, MAX_PARTS + 1, 2 * MAX_PARTS + 3])("%i parts: each runs once", (parts) => {
    const x = allocF32(parts, inst);
    x.view().forEach((_, i, a) => (a[i] = i + 1));
    const acc = allocF32(4 * parts, inst); // a [Σ|x|, Σx²] float64 pair per part
    acc.view().fill(0);
    inst.run(
      "l1Penalty",
      Array.from({ length: parts }, (_, i) => [acc.ptr + 16 * i, x.ptr + 4 * i, 1] as [number, number, number]),
    );
    const sums = new Float64Array(acc.view().buffer, acc.ptr, 2 * parts);
    expect(Array.from({ length: parts }, (_, i) => sums[2 * i])).toEqual(
      Array.from({ length: parts }, (_, i) => i + 1),
    );
    x.free();
    acc.free();
  });

  it(`parts of more than ${MAX_ARGS} arguments are refused before any runs`, () => {
    const x = allocF32(4, inst);
    x.view().fill(1);
    const acc = allocF32(8, inst);
    acc.view().fill(0);
    const part = [acc.ptr, x.ptr, 1, ...new Array(MAX_ARGS - 2).fill(0)] as unknown as [number, number, number];
    expect(() => inst.run("l1Penalty", [part, part])).toThrow(
      new RangeError(`regwasm: kernel parts must have the same number of arguments, at most ${MAX_ARGS}`),
    );
    expect(Array.from(acc.view())).toEqual(new Array(8).fill(0));
    // past one job's parts too: the first job does not run when a part of the second is refused
    const ok = [acc.ptr, x.ptr, 1] as [number, number, number];
    expect(() => inst.run("l1Penalty", [...new Array(MAX_PARTS).fill(ok), part])).toThrow(RangeError);
    expect(Array.from(acc.view())).toEqual(new Array(8).fill(0));
    // exactly the most: accepted (the kernel ignores what it does not take)
    const most = (at: number) =>
      [at, x.ptr, 1, ...new Array(MAX_ARGS - 3).fill(0)] as unknown as [number, number, number];
    inst.run("l1Penalty", [most(acc.ptr), most(acc.ptr + 16)]);
    const sums = new Float64Array(acc.view().buffer, acc.ptr, 4);
    expect([sums[0], sums[2]]).toEqual([1, 1]);
    x.free();
    acc.free();
  });
});
