// Starting the pool's workers in Node: a worker that fails while starting makes start() reject with
// that worker's own error; with every worker up, start() gives a pool of them all, whose start() and
// finish() open and close one job at a time. The workers run a module written here: it imports the shared memory and
// exports nothing, and a worker asked to set up scratch (which this module cannot) throws.
// Node only (worker_threads); browsers start Blob workers, checked in Chromium by the bundler suite.
import { describe, expect, it } from "vitest";
import { ThreadPool } from "../../src/wasm/thread-pool.js";
import { inNode } from "../support/threads-possible.js";

const name = (text: string) => [text.length, ...new TextEncoder().encode(text)];
const importContent = [1, ...name("env"), ...name("memory"), 2, 0x03, 1, 1]; // one shared memory of 1 page, at most 1
const MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 2, importContent.length, ...importContent]);

describe.runIf(inNode)("ThreadPool.start", () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });

  it("with every worker up: a pool of the workers and the calling thread", async () => {
    const pool = await ThreadPool.start(MODULE, memory, 2, [], () => 0);
    try {
      expect(pool.size).toBe(3);
    } finally {
      pool.terminate();
    }
    expect(pool.size).toBe(1);
  });

  it("a worker that fails while starting: start() rejects with its error", async () => {
    // worker 1 of 2 is given scratch: its module has no useScratch, so it throws a TypeError
    const started = ThreadPool.start(MODULE, memory, 2, [], (worker) => (worker === 1 ? 64 : 0));
    await expect(started).rejects.toThrow(TypeError);
    await expect(started).rejects.toThrow(/useScratch/);
  });

  it("a module that does not compile: every worker fails, start() rejects with the compile error", async () => {
    // the error crosses from the worker's realm: it keeps its name and message, not its class
    await expect(
      ThreadPool.start(new Uint8Array([0, 0x61, 0x73, 0x6d, 9]), memory, 1, [], () => 0),
    ).rejects.toMatchObject({
      name: "CompileError",
      message: expect.stringContaining("WebAssembly.Module()"),
    });
  });

  it("start() opens one job at a time, of at most 64 parts, and finish() closes it", async () => {
    const pool = await ThreadPool.start(MODULE, memory, 1, [], () => 0);
    try {
      // kernel number 0 of a module with no kernels is the tape replay: [first word, length 0] is no call
      const parts = (n: number) => Array.from({ length: n }, () => [0, 0]);
      const taken: number[] = [];
      const caller = (...args: number[]) => {
        taken.push(args.length);
      };
      expect(() => pool.finish()).toThrow("no job is open");
      expect(() => pool.start(0, caller, parts(65))).toThrow("at most 64 parts");
      pool.start(0, caller, parts(2));
      expect(() => pool.start(0, caller, parts(1))).toThrow("already open");
      pool.finish();
      expect(() => pool.finish()).toThrow("no job is open");
      pool.run(0, caller, parts(70)); // two jobs: 64 parts, then 6
      expect(taken.every((argc) => argc === 2)).toBe(true);
    } finally {
      pool.terminate();
    }
  });
});
