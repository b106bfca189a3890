// The argument checks (src/validate.ts) one rule at a time: what each accepts at its bounds, what it
// refuses, with which error class and exactly which message (errors name the argument and the rule).
// Runtime-neutral (no node:* imports).
import { beforeAll, describe as group, expect, it } from "vitest";
import { allocF32, allocU32, init, type Instance, instantiate } from "../../src/index.js";
import {
  checkBoolean,
  checkF32,
  checkFraction,
  checkGradientL2,
  checkLambda,
  checkNoOverlap,
  checkNonNegative,
  checkObject,
  checkOneOf,
  checkOptions,
  checkPositive,
  checkPositiveInt,
  checkRate,
  checkSameLength,
  checkSeed,
  checkU32,
  checkUint32,
  describe,
  F32_MAX,
  ownerOf,
} from "../../src/validate.js";
import { defaultInstance } from "../../src/wasm/instance.js";

let other: Instance;
beforeAll(async () => {
  await init();
  other = await instantiate();
});

/** "ErrorClass: message" of what `call` throws, or "ok". */
function outcome(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    return `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
  return "ok";
}

group("describe", () => {
  it("names objects by constructor with the right article, other values by type and value", () => {
    expect([null, undefined].map(describe)).toEqual(["null", "undefined"]);
    expect(describe([])).toBe("an Array");
    expect(describe(new Float32Array(1))).toBe("a Float32Array");
    expect(describe(new Int8Array(1))).toBe("an Int8Array");
    expect(describe({})).toBe("an Object");
    expect(describe(Object.create(null))).toBe("an object");
    expect(describe(1.5)).toBe("number 1.5");
    expect(describe("x")).toBe("string x");
    expect(describe(true)).toBe("boolean true");
    expect(describe(10n)).toBe("bigint 10");
  });
});

group("checks", () => {
  it.each<[string, () => unknown, string]>([
    ["object: null", () => checkObject("o", null), "TypeError: o must be an object, got null"],
    [
      "object: number, with shape",
      () => checkObject("o", 3, "{ a }"),
      "TypeError: o must be an object like { a }, got number 3",
    ],
    ["object: an array is an object", () => checkObject("o", []), "ok"],
    ["boolean", () => checkBoolean("b", 0), "TypeError: b must be a boolean, got number 0"],
    ["boolean: false", () => checkBoolean("b", false), "ok"],
    ["positive int: 0", () => checkPositiveInt("n", 0), "RangeError: n must be a positive integer, got number 0"],
    ["positive int: 1", () => checkPositiveInt("n", 1), "ok"],
    [
      "positive int: 2^53",
      () => checkPositiveInt("n", 2 ** 53),
      "RangeError: n must be a positive integer, got number 9007199254740992",
    ],
    [
      "positive int: string",
      () => checkPositiveInt("n", "1"),
      "RangeError: n must be a positive integer, got string 1",
    ],
    [
      "positive: 0",
      () => checkPositive("p", 0),
      "RangeError: p must be a finite number > 0 (at most 3.4e38, the f32 range), got number 0",
    ],
    [
      "positive: ∞",
      () => checkPositive("p", Infinity),
      "RangeError: p must be a finite number > 0 (at most 3.4e38, the f32 range), got number Infinity",
    ],
    [
      "positive: string",
      () => checkPositive("p", "1"),
      "RangeError: p must be a finite number > 0 (at most 3.4e38, the f32 range), got string 1",
    ],
    ["positive: tiny", () => checkPositive("p", 5e-324), "ok"],
    ["positive: f32 max", () => checkPositive("p", F32_MAX), "ok"],
    [
      "positive: above f32",
      () => checkPositive("p", 3.5e38),
      "RangeError: p must be a finite number > 0 (at most 3.4e38, the f32 range), got number 3.5e+38",
    ],
    ["non-negative: 0", () => checkNonNegative("q", 0), "ok"],
    [
      "non-negative: −0.1",
      () => checkNonNegative("q", -0.1),
      "RangeError: q must be a finite number >= 0, got number -0.1",
    ],
    [
      "non-negative: NaN",
      () => checkNonNegative("q", Number.NaN),
      "RangeError: q must be a finite number >= 0, got number NaN",
    ],
    [
      "non-negative: string",
      () => checkNonNegative("q", "0"),
      "RangeError: q must be a finite number >= 0, got string 0",
    ],
    ["fraction: 0", () => checkFraction("f", 0), "ok"],
    ["fraction: 1", () => checkFraction("f", 1), "RangeError: f must be in [0, 1), got number 1"],
    ["fraction: −0.1", () => checkFraction("f", -0.1), "RangeError: f must be in [0, 1), got number -0.1"],
    ["fraction: string", () => checkFraction("f", "0.5"), "RangeError: f must be in [0, 1), got string 0.5"],
    ["lambda: f32 max", () => checkLambda("l", F32_MAX), "ok"],
    ["lambda: 0", () => checkLambda("l", 0), "ok"],
    [
      "lambda: above f32",
      () => checkLambda("l", 3.5e38),
      "RangeError: l must be a finite number >= 0 (at most 3.4e38, the f32 range), got 3.5e+38",
    ],
    [
      "lambda: −1",
      () => checkLambda("l", -1),
      "RangeError: l must be a finite number >= 0 (at most 3.4e38, the f32 range), got -1",
    ],
    ["lambda: string", () => checkLambda("l", "1"), "TypeError: l must be a number, got string 1"],
    ["gradient λ2: half of f32 max", () => checkGradientL2("l", F32_MAX / 2), "ok"],
    [
      "gradient λ2: above",
      () => checkGradientL2("l", 1.8e38),
      "RangeError: l must be at most 1.7e38 (2·l2 must fit in f32), got 1.8e+38",
    ],
    ["rate: 0 and 1", () => [checkRate("r", 0), checkRate("r", 1)], "ok"],
    ["rate: above 1", () => checkRate("r", 1.01), "RangeError: r must be in [0, 1] (the fraction dropped), got 1.01"],
    ["rate: below 0", () => checkRate("r", -0.01), "RangeError: r must be in [0, 1] (the fraction dropped), got -0.01"],
    ["rate: NaN", () => checkRate("r", Number.NaN), "RangeError: r must be in [0, 1] (the fraction dropped), got NaN"],
    ["seed: 0 and 2^53 − 1", () => [checkSeed("s", 0), checkSeed("s", 2 ** 53 - 1)], "ok"],
    [
      "seed: 2^53",
      () => checkSeed("s", 2 ** 53),
      "RangeError: s must be an integer in [0, 2^53 - 1], got 9007199254740992",
    ],
    ["seed: −1", () => checkSeed("s", -1), "RangeError: s must be an integer in [0, 2^53 - 1], got -1"],
    ["seed: string", () => checkSeed("s", "1"), "TypeError: s must be a number, got string 1"],
    ["uint32: 0 and 2^32 − 1", () => [checkUint32("u", 0), checkUint32("u", 2 ** 32 - 1)], "ok"],
    [
      "uint32: 2^32",
      () => checkUint32("u", 2 ** 32),
      "RangeError: u must be an integer in [0, 2^32 - 1], got 4294967296",
    ],
    ["uint32: −1", () => checkUint32("u", -1), "RangeError: u must be an integer in [0, 2^32 - 1], got -1"],
    ["uint32: 0.5", () => checkUint32("u", 0.5), "RangeError: u must be an integer in [0, 2^32 - 1], got 0.5"],
    [
      "same length",
      () => checkSameLength("a", [1, 2], "b", [1]),
      "RangeError: b must have the same length as a (2), got 1",
    ],
    ["same length: equal", () => checkSameLength("a", [1], "b", [2]), "ok"],
  ])("%s", (_, call, want) => {
    expect(outcome(call)).toBe(want);
  });

  it("checkOneOf lists the choices ('a', 'b' or 'c'; one alone; numbers bare) and picks the error class by type", () => {
    expect(outcome(() => checkOneOf("c", "d", ["a", "b", "c"]))).toBe(
      "RangeError: c must be 'a', 'b' or 'c', got string d",
    );
    expect(outcome(() => checkOneOf("c", "d", ["a"]))).toBe("RangeError: c must be 'a', got string d");
    expect(outcome(() => checkOneOf("c", 3, ["a", "b"]))).toBe("TypeError: c must be 'a' or 'b', got number 3");
    expect(outcome(() => checkOneOf("k", 3, [1, 2]))).toBe("RangeError: k must be 1 or 2, got number 3");
    expect(outcome(() => checkOneOf("k", "1", [1, 2]))).toBe("TypeError: k must be 1 or 2, got string 1");
    expect(outcome(() => checkOneOf("k", 2, [1, 2]))).toBe("ok");
  });
});

group("checkOptions", () => {
  const known = ["l1", "l2"];
  it("suggests the known option at the smallest edit distance; on a tie, the first in the list", () => {
    // "l3" is one edit from l1 and from l2
    expect(outcome(() => checkOptions("o", { l3: 1 }, known))).toBe(
      "TypeError: o.l3 is not a known option (did you mean l1?); the options are l1, l2",
    );
    expect(outcome(() => checkOptions("o", { l3: 1 }, ["l2", "l1"]))).toBe(
      "TypeError: o.l3 is not a known option (did you mean l2?); the options are l2, l1",
    );
  });

  it("suggests an option for a key shorter than its distance to it (within 2 edits)", () => {
    // "l" is one edit from l1, as many as its own length: still a likely typo
    expect(outcome(() => checkOptions("o", { l: 1 }, known))).toBe(
      "TypeError: o.l is not a known option (did you mean l1?); the options are l1, l2",
    );
    expect(outcome(() => checkOptions("o", { l1: 1, l2: 0 }, known))).toBe("ok");
  });
});

group("typed data checks", () => {
  it("checkF32 / checkU32 take their array or a live buffer, and refuse freed buffers and other kinds", () => {
    const f = allocF32(2),
      u = allocU32(2);
    expect([outcome(() => checkF32("x", f)), outcome(() => checkF32("x", new Float32Array(1)))]).toEqual(["ok", "ok"]);
    expect(outcome(() => checkF32("x", new Float64Array(1)))).toBe(
      "TypeError: x must be a Float32Array or F32Buffer, got a Float64Array",
    );
    expect(outcome(() => checkF32("x", { ptr: 0 }))).toBe(
      "TypeError: x must be a Float32Array or F32Buffer, got an Object",
    );
    expect([outcome(() => checkU32("m", u)), outcome(() => checkU32("m", new Uint32Array(1)))]).toEqual(["ok", "ok"]);
    expect(outcome(() => checkU32("m", [1]))).toBe("TypeError: m must be a Uint32Array or U32Buffer, got an Array");
    f.free();
    u.free();
    expect(outcome(() => checkF32("x", f))).toBe("TypeError: x was used after free()");
    expect(outcome(() => checkU32("m", u))).toBe("TypeError: m was used after free()");
  });

  it("checkNoOverlap allows the very same array or range, disjoint views and other memory; refuses any partial overlap", () => {
    const buffer = new ArrayBuffer(64);
    const a = new Float32Array(buffer, 0, 8);
    const check = (x: Float32Array, y: Float32Array) => outcome(() => checkNoOverlap({ x, out: y }));
    const refused = "RangeError: out shares memory with x without being the same array";
    expect(check(a, a)).toBe("ok");
    expect(check(a, new Float32Array(buffer, 0, 8))).toBe("ok"); // same range, another view
    expect(check(a, new Float32Array(buffer, 32, 8))).toBe("ok"); // adjacent, disjoint
    expect(check(new Float32Array(buffer, 32, 8), a)).toBe("ok");
    expect(check(a, new Float32Array(new ArrayBuffer(32)))).toBe("ok"); // other memory
    expect(check(a, new Float32Array(new ArrayBuffer(64), 4, 8))).toBe("ok"); // other memory, offsets overlapping
    expect(check(a, new Float32Array(buffer, 4, 8))).toBe(refused);
    expect(check(new Float32Array(buffer, 4, 8), a)).toBe(refused);
    expect(check(a, new Float32Array(buffer, 0, 4))).toBe(refused);
    expect(check(a, new Float32Array(buffer, 28, 1))).toBe(refused);
    // an empty view holds no bytes, even where it points inside another operand
    expect(check(a, new Float32Array(buffer, 8, 0))).toBe("ok");
    expect(check(new Float32Array(buffer, 8, 0), a)).toBe("ok");
    // buffers and views of WASM memory are compared in the memory that holds them
    const buf = allocF32(8);
    expect(outcome(() => checkNoOverlap({ x: buf, out: buf.view() }))).toBe("ok");
    expect(outcome(() => checkNoOverlap({ x: buf, out: buf.view().subarray(1) }))).toBe(refused);
    expect(outcome(() => checkNoOverlap({ x: buf.view(), mask: new Uint32Array(buf.view().buffer, buf.ptr, 8) }))).toBe(
      "RangeError: mask shares memory with x without being the same array",
    );
    buf.free();
  });

  it("ownerOf: the one instance of the buffers among the arguments (default without any); mixing is refused by name", () => {
    const a = allocF32(1),
      b = allocF32(1, other),
      m = allocU32(1, other);
    expect(ownerOf({})).toBe(defaultInstance());
    expect(ownerOf({ x: new Float32Array(1), out: undefined })).toBe(defaultInstance());
    expect(ownerOf({ x: b, out: new Float32Array(1), mask: m })).toBe(other);
    expect(outcome(() => ownerOf({ x: new Float32Array(1), w: a, out: b }))).toBe(
      "TypeError: out belongs to a different regwasm instance than w",
    );
    expect(outcome(() => ownerOf({ x: b, mask: allocU32(1) }))).toBe(
      "TypeError: mask belongs to a different regwasm instance than x",
    );
    for (const x of [a, b, m]) x.free();
  });
});
