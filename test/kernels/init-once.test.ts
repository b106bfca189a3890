// init() loads once: a later call asking for another thread count is refused with the count already
// running, in the right number ("1 thread", "2 threads"); after init({ relaxedSimd: true }), asking for
// it again is accepted and asking for the exact builds is refused. Each case needs a never-initialized module
// graph (the first init() decides), so this file re-imports the module that holds init() after
// vi.resetModules(): that module alone, not the package, so that no layer's module-level code runs
// inside these tests (mutation testing would count it as covered by them alone).
import { describe, expect, it, vi } from "vitest";
import { threadsPossible } from "../support/threads-possible.js";

type InstanceModule = typeof import("../../src/wasm/instance.js");

async function freshModule(): Promise<InstanceModule> {
  vi.resetModules();
  return (await import("../../src/wasm/instance.js")) as InstanceModule;
}

// Under Node vi.resetModules() yields a new graph; in a browser the native module map cannot be reset.
const probe = await freshModule();
const canTest =
  threadsPossible &&
  (() => {
    try {
      probe.simd();
      return false;
    } catch {
      return true;
    }
  })();

describe.skipIf(!canTest)("init() keeps its first thread count", () => {
  it.each([
    [1, "regwasm: init() already started 1 thread"],
    [2, "regwasm: init() already started 2 threads"],
  ])("threads: %i, then another count: %s", async (first, message) => {
    const m = await freshModule();
    await m.init({ threads: first });
    try {
      expect(m.threads()).toBe(first);
      const error = await m.init({ threads: first + 1 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe(message);
    } finally {
      m.defaultInstance().stopThreads();
    }
  });
});

const relaxed = canTest && probe.relaxedSimdSupported();

// Runs where relaxed SIMD validates (Chromium; Node 20 with --experimental-wasm-relaxed-simd).
describe.skipIf(!relaxed)("init() keeps the relaxed-SIMD build", () => {
  it("relaxedSimd: true again is accepted, relaxedSimd: false refused", async () => {
    const m = await freshModule();
    await m.init({ relaxedSimd: true, threads: 1 });
    expect(m.build()).toBe("relaxed-simd");
    await expect(m.init({ relaxedSimd: true })).resolves.toBeUndefined();
    await expect(m.init({ relaxedSimd: false })).rejects.toThrow(
      "regwasm: init() already loaded the relaxed-simd build",
    );
  });
});
