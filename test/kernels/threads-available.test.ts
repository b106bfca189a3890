// The default thread count: in Node every core the OS gives this process; anywhere, one thread when
// SharedArrayBuffer or Atomics is missing (a page that is not cross-origin isolated has no
// SharedArrayBuffer: simulated here by removing the globals for the call). Runtime-neutral; the
// browser's own rules (isolation, a Worker, not the main thread) are checked in Chromium by the
// bundler and playground suites.
import { afterEach, describe, expect, it, vi } from "vitest";
import { availableThreads, sharedMemorySupported } from "../../src/wasm/threads-available.js";
import { inNode } from "../support/threads-possible.js";

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("availableThreads", () => {
  it.runIf(inNode)("in Node: shared memory, and one thread per core the OS makes available", async () => {
    expect(sharedMemorySupported()).toBe(true);
    for (const cores of [3, 1]) {
      vi.doMock("node:os", () => ({ availableParallelism: () => cores }));
      try {
        expect(await availableThreads()).toBe(cores);
      } finally {
        vi.doUnmock("node:os");
      }
    }
  });

  it.each(["SharedArrayBuffer", "Atomics"])("without %s: no shared memory, one thread", async (global) => {
    vi.stubGlobal(global, undefined);
    expect(sharedMemorySupported()).toBe(false);
    expect(await availableThreads()).toBe(1);
  });
});
