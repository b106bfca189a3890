// A kernel call whose operands are buffers of one instance runs on that instance, not on the
// default one: its kernels are called there (spied), and the results match the float64 reference.
// Buffers of another instance are copied through their view, so a call run on the wrong instance
// could still give the right numbers: only where it runs tells the two apart. (Without a default
// instance, running there would throw; with one, as here, it would not.)
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { allocF32, allocU32, dropoutBackward, init, L2, randomUint32 } from "../../src/index.js";
import { defaultInstance, type Instance, instantiate } from "../../src/wasm/instance.js";
import { refApplyMask, refDropout, refPackBits, refUnpackBits } from "../reference.js";
import { refRandomUint32 } from "../support/reference-generator.js";
import { type RecordingInstance, recordingInstance } from "./support/recording-instance.js";

let base: Instance;
/** An instance over base's memory that records the kernels it runs. */
let other: Instance;
let recorded: RecordingInstance;
beforeAll(async () => {
  await init();
  base = await instantiate({ threads: 1 });
  recorded = recordingInstance(base);
  other = recorded.instance;
});
afterAll(() => base.stopThreads());

/** Runs `call` and returns the kernels it ran on `other` and whether the default instance ran any. */
function whereItRuns(call: () => void): { other: string[]; onDefault: boolean } {
  const onDefault = vi.spyOn(defaultInstance(), "run");
  const used = defaultInstance().heap.used;
  recorded.take();
  try {
    call();
    return {
      other: recorded.take(),
      onDefault: onDefault.mock.calls.length > 0 || defaultInstance().heap.used !== used,
    };
  } finally {
    onDefault.mockRestore();
  }
}

const N = 37;
const RATE = 0.3;
const SEED = 5;
const dvaluesOf = () => Float32Array.from({ length: N }, (_, i) => (i % 7) - 3.25);

describe("a call on another instance's buffers runs on that instance", () => {
  it("dropoutBackward with the forward's mask", () => {
    const dvalues = allocF32(N, other);
    dvalues.view().set(dvaluesOf());
    const keep = refDropout(new Float32Array(N), RATE, SEED).keep;
    const mask = allocU32(Math.ceil(N / 32), other);
    mask.view().set(refPackBits(keep));
    const out = allocF32(N, other);
    const where = whereItRuns(() => dropoutBackward(dvalues, { rate: RATE, mask, out }));
    expect(where).toEqual({ other: ["dropoutBackward"], onDefault: false });
    expect(Array.from(out.view())).toEqual(
      Array.from(refApplyMask(dvaluesOf(), refUnpackBits(refPackBits(keep), N), RATE)),
    );
  });

  it("dropoutBackward regenerating the mask from the seed", () => {
    const dvalues = allocF32(N, other);
    dvalues.view().set(dvaluesOf());
    const out = allocF32(N, other);
    const where = whereItRuns(() => dropoutBackward(dvalues, { rate: RATE, seed: SEED, out }));
    expect(where).toEqual({ other: ["dropout"], onDefault: false });
    const { keep } = refDropout(new Float32Array(N), RATE, SEED);
    expect(Array.from(out.view())).toEqual(Array.from(refApplyMask(dvaluesOf(), keep, RATE)));
  });

  it("randomUint32 into a buffer of another instance", () => {
    const out = allocU32(N, other);
    const where = whereItRuns(() => randomUint32(out, { seed: SEED, stream: 2 }));
    expect(where).toEqual({ other: ["randomUint32"], onDefault: false });
    expect(Array.from(out.view())).toEqual(Array.from(refRandomUint32(N, SEED, 2)));
  });

  it("a regularizer's penalty and gradient of another instance's buffers", () => {
    const values = dvaluesOf();
    const x = allocF32(N, other);
    x.view().set(values);
    const grad = allocF32(N, other);
    grad.view().fill(1);
    let penalty = 0;
    const l2 = new L2(0.25);
    const wherePenalty = whereItRuns(() => {
      penalty = l2.penalty(x);
    });
    expect(wherePenalty.onDefault).toBe(false);
    expect(wherePenalty.other.length).toBeGreaterThan(0);
    expect(penalty).toBeCloseTo(0.25 * values.reduce((sum, v) => sum + v * v, 0), 4);
    const whereGradient = whereItRuns(() => l2.addGradient(grad, x));
    expect(whereGradient.onDefault).toBe(false);
    expect(whereGradient.other.length).toBeGreaterThan(0);
    expect(Array.from(grad.view())).toEqual(Array.from(values, (v) => Math.fround(1 + Math.fround(0.5 * v))));
  });
});
