// Bad-input table: every public function rejects bad arguments with a TypeError or RangeError whose
// message names the argument, before it writes anything (the caller's arrays stay bit for bit as they were).
import { beforeAll, describe, expect, it } from "vitest";
import {
  addPenaltyGrad,
  allocF32,
  allocU32,
  dropout,
  dropoutBackward,
  init,
  l1Penalty,
  l2Penalty,
  penalty,
  randomUint32,
  type F32Buffer,
  type U32Buffer,
} from "../../src/index.js";
import { snapshot } from "./support/bits.js";
import { normalF32 } from "./support/data.js";

beforeAll(() => init());

const N = 40; // two mask words

/** Arrays with known, non-zero content; every case gets a fresh set. */
function fixture() {
  const xBuf = allocF32(N),
    gradBuf = allocF32(N),
    maskBuf = allocU32(2);
  xBuf.view().set(normalF32(N, 5));
  gradBuf.view().set(normalF32(N, 6));
  maskBuf.view().set([0xa5a5a5a5, 0x5a]);
  return {
    x: normalF32(N, 1),
    grad: normalF32(N, 2),
    out: normalF32(N, 3),
    short: normalF32(N - 1, 4),
    mask: new Uint32Array([0x12345678, 0x9a]),
    words: new Uint32Array([1, 2, 3]),
    xBuf,
    gradBuf,
    maskBuf,
    shortBuf: allocF32(N - 1),
  };
}
type Fixture = ReturnType<typeof fixture>;

const T = TypeError,
  R = RangeError;
/** Where the type is wrong but the implementation may reasonably treat it as out of range. */
const TR = [TypeError, RangeError];
type Case = [
  label: string,
  call: (f: Fixture) => unknown,
  errors: ErrorConstructor | ErrorConstructor[],
  names: RegExp,
];

// `as never` passes deliberately ill-typed arguments past the compiler: these are the calls under test.
const cases: Case[] = [
  // penalties
  ["l1Penalty(Float64Array)", () => l1Penalty(new Float64Array(3) as never), T, /\bx\b/],
  ["l1Penalty(number)", () => l1Penalty(3 as never), T, /\bx\b/],
  ["l1Penalty(null)", () => l1Penalty(null as never), T, /\bx\b/],
  ["l1Penalty(array holding a string)", () => l1Penalty([1, "2"] as never), T, /\bx\[1\]/],
  ["l2Penalty(Uint32Array)", () => l2Penalty(new Uint32Array(3) as never), T, /\bx\b/],
  ["l2Penalty(undefined)", () => l2Penalty(undefined as never), T, /\bx\b/],
  ["penalty(Float64Array)", () => penalty(new Float64Array(3) as never, { l1: 1 }), T, /\bx\b/],
  ["penalty options null", (f) => penalty(f.x, null as never), T, /options/],
  ["penalty options missing", (f) => penalty(f.x, undefined as never), T, /options/],
  ["penalty l1 NaN", (f) => penalty(f.x, { l1: NaN }), R, /options\.l1/],
  ["penalty l1 negative", (f) => penalty(f.x, { l1: -0.1 }), R, /options\.l1/],
  ["penalty l2 Infinity", (f) => penalty(f.x, { l2: Infinity }), R, /options\.l2/],
  ["penalty l2 string", (f) => penalty(f.x, { l2: "0.1" as never }), T, /options\.l2/],
  // gradient
  ["addPenaltyGrad grad Float64Array", (f) => addPenaltyGrad(new Float64Array(N) as never, f.x, { l1: 1 }), T, /grad/],
  ["addPenaltyGrad x null", (f) => addPenaltyGrad(f.grad, null as never, { l1: 1 }), T, /\bx\b/],
  ["addPenaltyGrad length mismatch", (f) => addPenaltyGrad(f.short, f.x, { l1: 1 }), R, /grad/],
  [
    "addPenaltyGrad length mismatch (buffers)",
    (f) => addPenaltyGrad(f.gradBuf, f.shortBuf, { l1: 1 }),
    R,
    /grad|\bx\b/,
  ],
  ["addPenaltyGrad l1 NaN", (f) => addPenaltyGrad(f.grad, f.x, { l1: NaN }), R, /options\.l1/],
  ["addPenaltyGrad l2 negative", (f) => addPenaltyGrad(f.grad, f.x, { l2: -1 }), R, /options\.l2/],
  ["addPenaltyGrad l1 Infinity", (f) => addPenaltyGrad(f.gradBuf, f.xBuf, { l1: Infinity }), R, /options\.l1/],
  ["penalty l1 above the f32 range", (f) => penalty(f.x, { l1: 3.5e38 }), R, /options\.l1/],
  ["addPenaltyGrad l2 whose double overflows f32", (f) => addPenaltyGrad(f.grad, f.x, { l2: 2e38 }), R, /options\.l2/],
  [
    "addPenaltyGrad signAtZero 2",
    (f) => addPenaltyGrad(f.grad, f.x, { l1: 1, signAtZero: 2 as never }),
    R,
    /signAtZero/,
  ],
  [
    "addPenaltyGrad signAtZero 0.5",
    (f) => addPenaltyGrad(f.gradBuf, f.xBuf, { l1: 1, signAtZero: 0.5 as never }),
    R,
    /signAtZero/,
  ],
  [
    "addPenaltyGrad signAtZero '1'",
    (f) => addPenaltyGrad(f.grad, f.x, { l1: 1, signAtZero: "1" as never }),
    TR,
    /signAtZero/,
  ],
  ["addPenaltyGrad options null", (f) => addPenaltyGrad(f.grad, f.x, null as never), T, /options/],
  // random words
  ["randomUint32 out Float32Array", (f) => randomUint32(f.x as never, { seed: 1 }), T, /\bout\b/],
  ["randomUint32 out Int32Array", () => randomUint32(new Int32Array(3) as never, { seed: 1 }), T, /\bout\b/],
  ["randomUint32 options null", (f) => randomUint32(f.words, null as never), T, /options/],
  ["randomUint32 seed a string", (f) => randomUint32(f.words, { seed: "1" } as never), T, /seed/],
  ["randomUint32 seed 1.5", (f) => randomUint32(f.words, { seed: 1.5 }), R, /seed/],
  ["randomUint32 seed -1", (f) => randomUint32(f.words, { seed: -1 }), R, /seed/],
  ["randomUint32 seed NaN", (f) => randomUint32(f.words, { seed: NaN }), R, /seed/],
  ["randomUint32 seed 2^53", (f) => randomUint32(f.words, { seed: 2 ** 53 }), R, /seed/],
  ["randomUint32 seed string", (f) => randomUint32(f.words, { seed: "1" as never }), T, /seed/],
  ["randomUint32 seed BigInt", (f) => randomUint32(f.words, { seed: 1n as never }), T, /seed/],
  ["randomUint32 stream 2^32", (f) => randomUint32(f.words, { seed: 1, stream: 2 ** 32 }), R, /stream/],
  ["randomUint32 stream -1", (f) => randomUint32(f.words, { seed: 1, stream: -1 }), R, /stream/],
  ["randomUint32 stream 0.5", (f) => randomUint32(f.words, { seed: 1, stream: 0.5 }), R, /stream/],
  ["randomUint32 offset -1", (f) => randomUint32(f.words, { seed: 1, offset: -1 }), R, /offset/],
  ["randomUint32 offset + length > 2^32", (f) => randomUint32(f.words, { seed: 1, offset: 2 ** 32 - 2 }), R, /offset/],
  // dropout
  ["dropout x Float64Array", () => dropout(new Float64Array(N) as never, { rate: 0.5, seed: 1 }), T, /\bx\b/],
  ["dropout x null", () => dropout(null as never, { rate: 0.5, seed: 1 }), T, /\bx\b/],
  ["dropout options null", (f) => dropout(f.x, null as never), T, /options/],
  ["dropout rate missing", (f) => dropout(f.x, { seed: 1 } as never), T, /rate/],
  ["dropout rate -0.1", (f) => dropout(f.x, { rate: -0.1, seed: 1 }), R, /rate/],
  ["dropout rate 1.5", (f) => dropout(f.x, { rate: 1.5, seed: 1 }), R, /rate/],
  ["dropout rate NaN", (f) => dropout(f.x, { rate: NaN, seed: 1 }), R, /rate/],
  ["dropout rate string", (f) => dropout(f.x, { rate: "0.5" as never, seed: 1 }), T, /rate/],
  ["dropout seed 0.5", (f) => dropout(f.x, { rate: 0.5, seed: 0.5, out: f.out }), R, /seed/],
  ["dropout seed -3", (f) => dropout(f.xBuf, { rate: 0.5, seed: -3, mask: f.maskBuf }), R, /seed/],
  ["dropout seed null", (f) => dropout(f.x, { rate: 0.5, seed: null } as never), T, /seed/],
  ["dropout stream 2^32", (f) => dropout(f.x, { rate: 0.5, seed: 1, stream: 2 ** 32, out: f.out }), R, /stream/],
  [
    "dropout offset + length > 2^32",
    (f) => dropout(f.x, { rate: 0.5, seed: 1, offset: 2 ** 32 - 1, out: f.out }),
    R,
    /offset/,
  ],
  [
    "dropout out Float64Array",
    (f) => dropout(f.x, { rate: 0.5, seed: 1, out: new Float64Array(N) as never }),
    T,
    /\bout\b/,
  ],
  ["dropout out too short", (f) => dropout(f.x, { rate: 0.5, seed: 1, out: f.short }), R, /\bout\b/],
  ["dropout out too short (buffers)", (f) => dropout(f.xBuf, { rate: 0.5, seed: 1, out: f.shortBuf }), R, /\bout\b/],
  [
    "dropout mask Float32Array",
    (f) => dropout(f.x, { rate: 0.5, seed: 1, out: f.out, mask: f.short as never }),
    T,
    /mask/,
  ],
  ["dropout mask true", (f) => dropout(f.x, { rate: 0.5, seed: 1, out: f.out, mask: true as never }), T, /mask/],
  ["dropout mask 3 words for 40", (f) => dropout(f.x, { rate: 0.5, seed: 1, out: f.out, mask: f.words }), R, /mask/],
  [
    "dropout mask 1 word for 40",
    (f) => dropout(f.x, { rate: 0.5, seed: 1, out: f.out, mask: new Uint32Array(1) }),
    R,
    /mask/,
  ],
  [
    "dropout mask wrong length (buffers)",
    (f) => dropout(f.xBuf, { rate: 0.5, seed: 1, out: f.gradBuf, mask: allocU32(3) }),
    R,
    /mask/,
  ],
  // dropout backward
  [
    "dropoutBackward dvalues Float64Array",
    (f) => dropoutBackward(new Float64Array(N) as never, { rate: 0.5, mask: f.mask }),
    T,
    /dvalues/,
  ],
  ["dropoutBackward dvalues number", (f) => dropoutBackward(1 as never, { rate: 0.5, mask: f.mask }), T, /dvalues/],
  ["dropoutBackward options null", (f) => dropoutBackward(f.x, null as never), T, /options/],
  ["dropoutBackward rate 1.5", (f) => dropoutBackward(f.x, { rate: 1.5, mask: f.mask }, f.out), R, /rate/],
  ["dropoutBackward rate -0.1", (f) => dropoutBackward(f.x, { rate: -0.1, seed: 1 }, f.out), R, /rate/],
  ["dropoutBackward rate NaN", (f) => dropoutBackward(f.xBuf, { rate: NaN, mask: f.maskBuf }, f.gradBuf), R, /rate/],
  ["dropoutBackward mask 3 words for 40", (f) => dropoutBackward(f.x, { rate: 0.5, mask: f.words }, f.out), R, /mask/],
  [
    "dropoutBackward mask Float32Array",
    (f) => dropoutBackward(f.x, { rate: 0.5, mask: f.short as never }, f.out),
    T,
    /mask/,
  ],
  ["dropoutBackward no mask and no seed", (f) => dropoutBackward(f.x, { rate: 0.5 } as never, f.out), T, /seed/],
  ["dropoutBackward seed -1", (f) => dropoutBackward(f.x, { rate: 0.5, seed: -1 }, f.out), R, /seed/],
  ["dropoutBackward seed 1.5", (f) => dropoutBackward(f.x, { rate: 0.5, seed: 1.5 }, f.out), R, /seed/],
  [
    "dropoutBackward stream 2^32",
    (f) => dropoutBackward(f.x, { rate: 0.5, seed: 1, stream: 2 ** 32 }, f.out),
    R,
    /stream/,
  ],
  [
    "dropoutBackward out Float64Array",
    (f) => dropoutBackward(f.x, { rate: 0.5, mask: f.mask }, new Float64Array(N) as never),
    T,
    /\bout\b/,
  ],
  ["dropoutBackward out too short", (f) => dropoutBackward(f.x, { rate: 0.5, mask: f.mask }, f.short), R, /\bout\b/],
  [
    "dropoutBackward options.out too short",
    (f) => dropoutBackward(f.x, { rate: 0.5, mask: f.mask, out: f.short }),
    R,
    /options\.out/,
  ],
  [
    "dropoutBackward options.out Float64Array (regenerate)",
    (f) => dropoutBackward(f.x, { rate: 0.5, seed: 1, out: new Float64Array(N) as never }),
    T,
    /options\.out/,
  ],
  [
    "dropoutBackward out given twice",
    (f) => dropoutBackward(f.x, { rate: 0.5, mask: f.mask, out: f.out }, f.out),
    T,
    /out is given twice/,
  ],
  [
    "dropoutBackward out too short (regenerate)",
    (f) => dropoutBackward(f.xBuf, { rate: 0.5, seed: 1 }, f.shortBuf),
    R,
    /\bout\b/,
  ],
  // allocation
  ["allocF32(-1)", () => allocF32(-1), R, /length/],
  ["allocF32(1.5)", () => allocF32(1.5), R, /length/],
  ["allocF32(NaN)", () => allocF32(NaN), R, /length/],
  ["allocF32('4')", () => allocF32("4" as never), TR, /length/],
  ["allocU32(-1)", () => allocU32(-1), R, /length/],
];

/** Byte snapshots of every array and buffer of a fixture. */
function snapshotAll(f: Fixture): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const [name, value] of Object.entries(f)) {
    out[name] = snapshot(
      value instanceof Float32Array || value instanceof Uint32Array ? value : (value as F32Buffer | U32Buffer).view(),
    );
  }
  return out;
}

describe("bad inputs", () => {
  it.each(cases)("%s", (_label, call, errors, names) => {
    const f = fixture();
    const before = snapshotAll(f);
    let thrown: unknown;
    try {
      call(f);
    } catch (e) {
      thrown = e;
    }
    const allowed = Array.isArray(errors) ? errors : [errors];
    expect(thrown, "must throw").toBeDefined();
    expect(
      allowed.some((E) => thrown instanceof E),
      `threw ${String(thrown)}`,
    ).toBe(true);
    expect((thrown as Error).message).toMatch(names);
    expect(snapshotAll(f)).toEqual(before);
  });
});
