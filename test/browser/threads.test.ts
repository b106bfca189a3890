// The Chromium projects serve their pages cross-origin isolated (vitest.config.ts), so the kernel and
// golden suites there run on threads: the default instance has one per core, and a reduction large
// enough to run in parts gives the bits of the one-thread instance.
import { expect, it } from "vitest";
import { allocF32, init, instantiate, l2Penalty, threads } from "../../src/index.js";

it("the page is cross-origin isolated and init() starts one thread per core", async () => {
  expect(crossOriginIsolated).toBe(true);
  await init();
  expect(threads()).toBe(navigator.hardwareConcurrency);
});

it("a reduction in parts on the main thread (which may not block) equals the one-thread result", async () => {
  const [one, many] = await Promise.all([instantiate({ threads: 1 }), instantiate({ threads: 3 })]);
  expect(many.threads).toBe(3);
  const sums = [one, many].map((inst) => {
    const x = allocF32(300_007, inst);
    x.view().forEach((_, i, v) => {
      v[i] = Math.fround(Math.sin(i) * 3);
    });
    return l2Penalty(x);
  });
  many.stopThreads();
  expect(sums[1]).toBe(sums[0]);
});
