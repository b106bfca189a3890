// Plain typed arrays pass through copy windows of 65536 elements (2048 mask words); lengths that are
// exact multiples of the window, or one off, are where a window loop drops or duplicates its last
// element. Every windowed public kernel runs at those lengths on plain arrays and must give exactly
// the zero-copy (F32Buffer / U32Buffer: one kernel call) result, and the reference's last element and
// last mask word.
import { beforeAll, describe, expect, it } from "vitest";
import {
  addPenaltyGrad,
  allocF32,
  allocU32,
  dropout,
  dropoutBackward,
  type F32Buffer,
  init,
  l1Penalty,
  l2Penalty,
  maskWords,
  penalty,
  randomUint32,
  type U32Buffer,
} from "../../src/index.js";
import { refAddPenaltyGrad, refDropout, refPackBits } from "../reference.js";
import { refRandomUint32 } from "../support/reference-generator.js";
import { orderedPenalty, orderedSums } from "../support/penalty-order.js";
import { describeDifference } from "./support/bits.js";
import { normalF32 } from "./support/data.js";

beforeAll(() => init());

const WINDOW = 65536;
const LENGTHS = [WINDOW, 2 * WINDOW - 1, 2 * WINDOW, 2 * WINDOW + 1];
const STREAM = { seed: 2 ** 40 + 9, stream: 4, offset: 1000 };
const RATE = 0.375;

/** The same values in WASM memory; freed by the caller. */
function f32Buffer(values: Float32Array): F32Buffer {
  const buf = allocF32(values.length);
  buf.view().set(values);
  return buf;
}

describe.each(LENGTHS)("n = %i through copy windows", (n) => {
  const x = normalF32(n, n);
  x[n - 1] = 1000.25; // a last element no sum can lose unnoticed
  const dy = normalF32(n, n + 1);
  const last = n - 1;
  const lastWord = maskWords(n) - 1;

  it("l1Penalty, l2Penalty, penalty: the zero-copy bits and the documented order's", () => {
    const buf = f32Buffer(x);
    const [abs, sq] = orderedSums(x);
    expect([l1Penalty(x), l2Penalty(x), penalty(x, { l1: 0.5, l2: 0.25 })]).toEqual([
      abs,
      sq,
      orderedPenalty(x, 0.5, 0.25),
    ]);
    expect([l1Penalty(buf), l2Penalty(buf), penalty(buf, { l1: 0.5, l2: 0.25 })]).toEqual([
      abs,
      sq,
      orderedPenalty(x, 0.5, 0.25),
    ]);
    buf.free();
  });

  it("addPenaltyGrad: every gradient element (the last one named) and the penalty", () => {
    const grad = Float32Array.from(dy);
    const gradBuf = f32Buffer(dy),
      xBuf = f32Buffer(x);
    const want = refAddPenaltyGrad(dy, x, 0.01, 0.02);
    expect(addPenaltyGrad(grad, x, { l1: 0.01, l2: 0.02 })).toBe(orderedPenalty(x, 0.01, 0.02));
    expect(addPenaltyGrad(gradBuf, xBuf, { l1: 0.01, l2: 0.02 })).toBe(orderedPenalty(x, 0.01, 0.02));
    expect(grad[last]).toBe(want[last]);
    expect(describeDifference(grad, want)).toBe("identical");
    expect(describeDifference(gradBuf.view(), want)).toBe("identical");
    gradBuf.free();
    xBuf.free();
  });

  it("randomUint32: every word (the last one named)", () => {
    const words = randomUint32(new Uint32Array(n), STREAM);
    const buf = allocU32(n);
    randomUint32(buf, STREAM);
    expect(words[last]).toBe(refRandomUint32(1, STREAM.seed, STREAM.stream, STREAM.offset + last)[0]);
    expect(describeDifference(words, buf.view())).toBe("identical");
    buf.free();
  });

  it("dropout with and without a mask, dropoutBackward from the mask and regenerated", () => {
    const ref = refDropout(x, RATE, STREAM.seed, STREAM.stream, STREAM.offset);
    const refMask = refPackBits(ref.keep);
    const refBackward = refDropout(dy, RATE, STREAM.seed, STREAM.stream, STREAM.offset).output;

    const { output, mask } = dropout(x, { rate: RATE, ...STREAM });
    expect([output[last], mask![lastWord]]).toEqual([ref.output[last], refMask[lastWord]]);
    expect(describeDifference(output, ref.output)).toBe("identical");
    expect(describeDifference(mask!, refMask)).toBe("identical");
    const noMask = dropout(x, { rate: RATE, ...STREAM, mask: false }).output;
    expect(noMask[last]).toBe(ref.output[last]);
    expect(describeDifference(noMask, ref.output)).toBe("identical");

    const fromMask = dropoutBackward<Float32Array>(dy, { rate: RATE, mask: mask! });
    const regenerated = dropoutBackward<Float32Array>(dy, { rate: RATE, ...STREAM });
    expect([fromMask[last], regenerated[last]]).toEqual([refBackward[last], refBackward[last]]);
    expect(describeDifference(fromMask, refBackward)).toBe("identical");
    expect(describeDifference(regenerated, refBackward)).toBe("identical");

    // the zero-copy path: one kernel call, no windows
    const xBuf = f32Buffer(x),
      dyBuf = f32Buffer(dy),
      maskBuf = allocU32(maskWords(n));
    const viaBuf = dropout<F32Buffer, undefined, U32Buffer>(xBuf, { rate: RATE, ...STREAM, mask: maskBuf });
    const backBuf = dropoutBackward<F32Buffer>(dyBuf, { rate: RATE, mask: maskBuf });
    expect(describeDifference(viaBuf.output.view(), output)).toBe("identical");
    expect(describeDifference(maskBuf.view(), mask!)).toBe("identical");
    expect(describeDifference(backBuf.view(), fromMask)).toBe("identical");
    for (const b of [xBuf, dyBuf, maskBuf, viaBuf.output, backBuf]) b.free();
  });
});
