// Calling a kernel before init() has resolved throws an error that tells the caller to call init().
// A setup file may already have initialized the shared module graph (the node-scalar project does),
// so the test resets the module registry and imports a fresh, never-initialized copy of the package.
import { describe, expect, it, vi } from "vitest";
import * as shared from "../../src/index.js";

type Regwasm = typeof shared;

/** A fresh copy of the whole module graph: its instance state has never seen init(). */
async function freshModule(): Promise<Regwasm> {
  vi.resetModules();
  return (await import("../../src/index.js")) as Regwasm;
}

/** True when the shared graph has been initialized (simd() throws before init()). */
function sharedInitialized(): boolean {
  try {
    shared.simd();
    return true;
  } catch {
    return false;
  }
}

// Under Node, vi.resetModules() always yields a new graph. In browser mode the native ES module map
// cannot be reset; there the shared graph is fresh per test file unless a setup file initialized it,
// and only that one combination (browser + setup-initialized) cannot be tested and is skipped.
const fresh = await freshModule();
const canTest = fresh.l1Penalty !== shared.l1Penalty || !sharedInitialized();

describe.skipIf(!canTest)("before init()", () => {
  it("the module under test is a fresh copy (not the one a setup file may have initialized)", () => {
    expect(() => fresh.simd()).toThrow(/init\(\)/);
  });

  it.each([
    ["l1Penalty", (m: Regwasm) => m.l1Penalty(new Float32Array(4))],
    ["l2Penalty", (m: Regwasm) => m.l2Penalty(new Float32Array(4))],
    ["penalty", (m: Regwasm) => m.penalty(new Float32Array(4), { l1: 1 })],
    ["addPenaltyGrad", (m: Regwasm) => m.addPenaltyGrad(new Float32Array(4), new Float32Array(4), { l1: 1 })],
    ["randomUint32", (m: Regwasm) => m.randomUint32(new Uint32Array(4), { seed: 1 })],
    ["dropout", (m: Regwasm) => m.dropout(new Float32Array(4), { rate: 0.5, seed: 1 })],
    [
      "dropoutBackward (mask)",
      (m: Regwasm) => m.dropoutBackward(new Float32Array(4), { rate: 0.5, mask: new Uint32Array(1) }),
    ],
    ["dropoutBackward (regenerate)", (m: Regwasm) => m.dropoutBackward(new Float32Array(4), { rate: 0.5, seed: 1 })],
    ["allocF32", (m: Regwasm) => m.allocF32(4)],
    ["allocU32", (m: Regwasm) => m.allocU32(4)],
    ["simd", (m: Regwasm) => m.simd()],
  ])("%s throws an error that mentions init()", (_name, call) => {
    expect(() => call(fresh)).toThrow(/init\(\)/);
  });

  it("penalty with every λ 0 computes nothing, so it needs no instance: 0 even before init()", () => {
    expect(fresh.penalty(new Float32Array([1, -2, 3]), {})).toBe(0);
    expect(fresh.penalty(new Float32Array([1, -2, 3]), { l1: 0, l2: 0 })).toBe(0);
    expect(() => fresh.penalty(new Float32Array([1, -2, 3]), { l2: 1 })).toThrow(/init\(\)/);
  });

  it("the same calls work once init() has resolved, and the caller's data was never touched", async () => {
    const x = new Float32Array([1, -2, 3]);
    expect(() => fresh.dropout(x, { rate: 0.5, seed: 1, out: x })).toThrow(/init\(\)/);
    expect(Array.from(x)).toEqual([1, -2, 3]);
    await fresh.init();
    expect(fresh.l1Penalty(x)).toBe(6);
  });
});
