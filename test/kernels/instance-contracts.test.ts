// What an instance promises about itself: the build it names, how run() dispatches parts (one part or
// one thread: straight to the kernel; several parts on a pool: through the pool, which checks them),
// stopThreads() on instances with and without workers, and init()'s checks of a later call's options
// against the instance it already loaded. Runtime-neutral.
import { describe, expect, it } from "vitest";
import { allocF32, build, init, instantiate, relaxedSimdSupported, simdSupported, threads } from "../../src/index.js";
import { MAX_THREADS } from "../../src/wasm/instance.js";
import { threadsPossible } from "../support/threads-possible.js";

/** Σ|x| of two parts of `x = [1, -2, 3, -4, 5, -6, 7, -8]`, each into its own accumulator pair. */
function twoPartSums(inst: Awaited<ReturnType<typeof instantiate>>): number[] {
  const x = allocF32(8, inst);
  x.view().set([1, -2, 3, -4, 5, -6, 7, -8]);
  const acc = allocF32(8, inst); // two [Σ|x|, Σx²] float64 pairs
  acc.view().fill(0);
  inst.run("l1Penalty", [
    [acc.ptr, x.ptr, 4],
    [acc.ptr + 16, x.ptr + 16, 4],
  ]);
  const sums = new Float64Array(acc.view().buffer, acc.ptr, 4);
  return [sums[0], sums[2]];
}

describe("an instance names its build", () => {
  it("scalar, simd and relaxed-simd", async () => {
    expect((await instantiate({ simd: false, threads: 1 })).build).toBe("scalar");
    if (simdSupported()) expect((await instantiate({ simd: true, threads: 1 })).build).toBe("simd");
    if (relaxedSimdSupported())
      expect((await instantiate({ relaxedSimd: true, threads: 1 })).build).toBe("relaxed-simd");
  });

  it("relaxedSimdSupported() is a boolean, and instantiate({ relaxedSimd: true }) works exactly when it is true", async () => {
    const supported = relaxedSimdSupported();
    expect(typeof supported).toBe("boolean");
    expect(relaxedSimdSupported()).toBe(supported); // a second call (cached bytes) agrees
    const made = instantiate({ relaxedSimd: true, threads: 1 }).then(
      () => true,
      () => false,
    );
    expect(await made).toBe(supported);
  });
});

describe("run() and stopThreads()", () => {
  it("a one-thread instance runs every part itself, and stopThreads() is a no-op on it", async () => {
    const inst = await instantiate({ threads: 1 });
    expect(twoPartSums(inst)).toEqual([10, 26]);
    inst.stopThreads();
    expect(inst.threads).toBe(1);
    expect(twoPartSums(inst)).toEqual([10, 26]);
  });

  it.skipIf(!threadsPossible)(
    "several parts on a pool go through the pool, which checks their argument counts",
    async () => {
      const inst = await instantiate({ threads: 2 });
      try {
        expect(inst.threads).toBe(2);
        expect(twoPartSums(inst)).toEqual([10, 26]);
        const x = allocF32(4, inst);
        const acc = allocF32(4, inst);
        // parts of different lengths: fine for plain calls (JS drops extra arguments), refused by the pool
        expect(() =>
          inst.run("l1Penalty", [
            [acc.ptr, x.ptr, 4],
            [acc.ptr + 16, x.ptr, 4, 0] as unknown as [number, number, number],
          ]),
        ).toThrow(RangeError);
        // one part never needs the pool: it is a plain call, however many arguments it has
        const many = [acc.ptr, x.ptr, 4, ...new Array(40).fill(0)] as unknown as [number, number, number];
        expect(() => inst.run("l1Penalty", [many])).not.toThrow();
      } finally {
        inst.stopThreads();
      }
      // stopped: the calling thread alone, and kernels still run
      expect(inst.threads).toBe(1);
      expect(twoPartSums(inst)).toEqual([10, 26]);
    },
  );
});

describe("init() checks a later call against the instance it loaded", () => {
  it("the thread count: the live one is accepted, another one refused with the live count", async () => {
    await init();
    const live = threads();
    expect(Number.isInteger(live) && live >= 1).toBe(true);
    await expect(init({ threads: live })).resolves.toBeUndefined();
    if (threadsPossible && live < MAX_THREADS)
      await expect(init({ threads: live + 1 })).rejects.toThrow(
        `regwasm: init() already started ${live} ${live === 1 ? "thread" : "threads"}`,
      );
  });

  it(`threads: ${MAX_THREADS} is a valid count (only a mismatch error), ${MAX_THREADS + 1} is not`, async () => {
    await init();
    const error = await init({ threads: MAX_THREADS }).then(
      () => undefined,
      (e: unknown) => e,
    );
    // without shared memory a requested count means 1 thread, which matches a live one-thread instance
    const effective = threadsPossible ? MAX_THREADS : 1;
    if (threads() !== effective) expect(String(error)).toMatch(/^Error: regwasm: init\(\) already started/);
    else expect(error).toBeUndefined();
    await expect(init({ threads: MAX_THREADS + 1 })).rejects.toThrow(RangeError);
  });

  it("relaxedSimd: the loaded build is accepted, the other refused naming the loaded build", async () => {
    await init();
    const loaded = build();
    const relaxed = loaded === "relaxed-simd";
    await expect(init({ relaxedSimd: relaxed })).resolves.toBeUndefined();
    await expect(init({ relaxedSimd: !relaxed })).rejects.toThrow(`regwasm: init() already loaded the ${loaded} build`);
  });
});
