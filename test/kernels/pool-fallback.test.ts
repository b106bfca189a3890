// Where workers cannot start (e.g. a Content-Security-Policy without blob: workers), the default
// thread count falls back to one thread with the same build, while an explicit count is an error.
// Workers always start in Node, so ThreadPool.start is replaced by one that refuses, and the core
// count by 4 (so the default asks for a pool even on a one-core machine).
import { describe, expect, it, vi } from "vitest";
import { threadsPossible } from "../support/threads-possible.js";

vi.mock("../../src/wasm/thread-pool.js", () => ({
  ThreadPool: { start: () => Promise.reject(new Error("refused: no workers here")) },
}));
vi.mock("../../src/wasm/threads-available.js", async (original) => ({
  ...(await original<typeof import("../../src/wasm/threads-available.js")>()),
  availableThreads: async () => 4,
}));

// a fresh graph: a setup file may already have imported the real modules
vi.resetModules();
const { instantiate, simdSupported } = await import("../../src/index.js");

describe.skipIf(!threadsPossible)("workers refused", () => {
  it("the default thread count falls back to one thread, keeping the build asked for", async () => {
    const scalar = await instantiate({ simd: false });
    expect([scalar.threads, scalar.build, scalar.simd]).toEqual([1, "scalar", false]);
    if (simdSupported()) {
      const simd = await instantiate({ simd: true });
      expect([simd.threads, simd.build, simd.simd]).toEqual([1, "simd", true]);
    }
  }, 5000);

  it("an explicit thread count is an error: the workers' own", async () => {
    await expect(instantiate({ threads: 2 })).rejects.toThrow("refused: no workers here");
  });
});
