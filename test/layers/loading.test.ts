// Loading the WASM build: init()'s and instantiate()'s options, which build init() loads on a fresh
// module graph, and a failed load that can be retried. Node only: each case needs a never-initialized
// copy of the package (vi.resetModules), which browser mode cannot give.
import { afterEach, describe, expect, it, vi } from "vitest";
import * as shared from "../../src/index.js";

type Regwasm = typeof shared;

/** A fresh copy of the whole module graph: its instance state has never seen init(). */
async function freshModule(): Promise<Regwasm> {
  vi.resetModules();
  return (await import("../../src/index.js")) as Regwasm;
}

// Each case gets its own fresh copy, made while the file loads: module-level code then runs outside
// any test, as it does for every other suite (a mutation run counts it as static, not as these tests').
const [noSimdRuntime, scalarFirst, failingLoad] = [await freshModule(), await freshModule(), await freshModule()];

afterEach(() => {
  vi.restoreAllMocks();
});

describe("options of init() and instantiate()", () => {
  it.each<[string, unknown, string]>([
    ["null", null, "TypeError: options must be an object like { simd, threads }"],
    ["a number", 5, "TypeError: options must be an object like { simd, threads }"],
    ["a string", "simd", "TypeError: options must be an object like { simd, threads }"],
    ["simd as a string", { simd: "yes" }, "TypeError: options.simd must be a boolean, got string"],
    ["simd as a number", { simd: 1 }, "TypeError: options.simd must be a boolean, got number"],
    ["threads 0", { threads: 0 }, "RangeError: options.threads must be an integer from 1 to 256, got 0"],
    ["threads 2.5", { threads: 2.5 }, "RangeError: options.threads must be an integer from 1 to 256, got 2.5"],
    ["threads as a string", { threads: "2" }, "RangeError: options.threads must be an integer from 1 to 256, got 2"],
  ])("%s is refused by both, as a rejected promise", async (_name, options, message) => {
    for (const load of [shared.init, shared.instantiate]) {
      // a rejected promise, never a synchronous throw
      const error = await load(options as never).then(
        () => null,
        (e: Error) => e,
      );
      expect(`${error?.constructor.name}: ${error?.message}`).toBe(message);
    }
  });

  it("{ simd: undefined } and {} leave the choice to the runtime", async () => {
    expect((await shared.instantiate({ simd: undefined })).simd).toBe(shared.simdSupported());
    expect((await shared.instantiate({})).simd).toBe(shared.simdSupported());
  });
});

describe("a runtime without WebAssembly SIMD (it does not validate the SIMD build)", () => {
  it("instantiate() and init() pick the scalar build; asking for SIMD is refused with the way out", async () => {
    const fresh = noSimdRuntime;
    vi.spyOn(WebAssembly, "validate").mockReturnValue(false);
    expect(fresh.simdSupported()).toBe(false);
    expect((await fresh.instantiate()).simd).toBe(false);
    await expect(fresh.instantiate({ simd: true })).rejects.toThrow(
      /^regwasm: this runtime does not support WebAssembly SIMD; use \{ simd: false \}$/,
    );
    await fresh.init();
    expect(fresh.simd()).toBe(false);
  });
});

describe("init() on a fresh module graph", () => {
  it("init({ simd: false }) loads the scalar build; init() then keeps it, init({ simd: true }) refuses it", async () => {
    const fresh = scalarFirst;
    await fresh.init({ simd: false });
    expect(fresh.simd()).toBe(false);
    await fresh.init();
    expect(fresh.simd()).toBe(false);
    await expect(fresh.init({ simd: true })).rejects.toThrow(/^regwasm: init\(\) already loaded the scalar build$/);
  });

  it("a load that fails rejects, and the next init() loads afresh", async () => {
    const fresh = failingLoad;
    vi.spyOn(WebAssembly, "instantiate").mockRejectedValueOnce(new Error("no memory for the module"));
    await expect(fresh.init()).rejects.toThrow("no memory for the module");
    expect(() => fresh.simd()).toThrow(/not initialized/);
    await fresh.init();
    expect(fresh.simd()).toBe(fresh.simdSupported());
    expect(fresh.l1Penalty(new Float32Array([1, -2]))).toBe(3);
  });
});
