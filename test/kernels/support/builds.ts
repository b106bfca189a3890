// The two builds a layer-kernel suite runs: the one its project tests (the build init() loaded: SIMD
// in "node" and "browser", scalar in the "-scalar" projects), checked against the references, and the
// other one, which must give the same bits (both sum in the same fixed order). Each is a fresh
// instance, so a suite's buffers never mix with the default instance's.
import { expect } from "vitest";
import { allocF32, type F32Buffer, type Instance, init, instantiate, simd } from "../../../src/index.js";
import { describeDifference } from "./bits.js";

export interface Builds {
  tested: Instance;
  other: Instance;
}

export async function loadBuilds(): Promise<Builds> {
  await init();
  const [tested, other] = await Promise.all([instantiate({ simd: simd() }), instantiate({ simd: !simd() })]);
  return { tested, other };
}

/** A new F32Buffer of `inst` holding `values`. */
export function put(inst: Instance, values: ArrayLike<number>): F32Buffer {
  const buf = allocF32(values.length, inst);
  buf.view().set(values);
  return buf;
}

/** Runs `run` on both builds, expects the same bits, returns the tested build's result. */
export function onBoth(builds: Builds, run: (inst: Instance) => Float32Array): Float32Array {
  const got = run(builds.tested);
  expect(describeDifference(got, run(builds.other))).toBe("identical");
  return got;
}
