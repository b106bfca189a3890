// Hostile input to the kernels: options that answer differently on each read, rewritten buffer
// geometry, operands sharing memory, typos in option names, detached arrays, freed and foreign
// buffers. Each call either gives the reference result or throws a TypeError/RangeError that names
// the argument, before any data is touched; no other live buffer ever changes.
import { beforeAll, describe, expect, it } from "vitest";
import {
  addPenaltyGrad,
  allocF32,
  allocU32,
  dropout,
  dropoutBackward,
  F32Buffer,
  init,
  instantiate,
  l1Penalty,
  maskWords,
  penalty,
  randomUint32,
} from "../../src/index.js";
import { bufferView } from "../../src/wasm/buffer.js";
import { normalF32 } from "./support/data.js";

beforeAll(() => init());

const N = 64;

/** A live buffer with known content that no call below names: it must never change. */
function canary(): { check: () => void } {
  const buf = allocF32(N);
  buf.view().set(normalF32(N, 77));
  const before = buf.view().slice();
  return { check: () => expect(Array.from(buf.view())).toEqual(Array.from(before)) };
}

describe("options are read once", () => {
  it("an `out` getter answering another buffer on its second read cannot redirect the write", () => {
    const x = allocF32(N),
      out = allocF32(N),
      victim = allocF32(N);
    x.view().set(normalF32(N, 1));
    victim.view().fill(7);
    let reads = 0;
    const options = {
      rate: 0.5,
      seed: 3,
      get out() {
        return reads++ === 0 ? out : victim;
      },
    };
    dropout(x, options);
    expect(reads).toBe(1);
    expect(victim.view().every((v) => v === 7)).toBe(true);
  });

  it("a `mask` getter is read once by dropout and dropoutBackward", () => {
    const x = normalF32(N, 2);
    const mask = new Uint32Array(maskWords(N));
    const other = allocU32(maskWords(N));
    let reads = 0;
    const get = () => (reads++ === 0 ? mask : other);
    dropout(x, {
      rate: 0.3,
      seed: 1,
      get mask() {
        return get();
      },
    });
    expect(reads).toBe(1);
    reads = 0;
    dropoutBackward(x, {
      rate: 0.3,
      get mask() {
        return get();
      },
    });
    expect(reads).toBe(1);
    expect(Array.from(other.view())).toEqual([0, 0]);
  });
});

describe("buffer geometry is immutable", () => {
  it("a caller cannot make a buffer handle at an address of its choosing", () => {
    const buf = allocF32(8);
    const Ctor = F32Buffer as unknown as new (...args: unknown[]) => F32Buffer;
    expect(() => new Ctor(buf.instance, buf.ptr, 8)).toThrow(TypeError);
    expect(() => new Ctor(buf.instance, buf.ptr, 8)).toThrow(/made by allocF32\(\) and allocU32\(\)/);
  });

  it("length, instance and the pointer of an F32Buffer cannot be rewritten", () => {
    const buf = allocF32(8);
    expect(Object.isFrozen(buf)).toBe(true);
    expect(() => {
      (buf as unknown as { length: number }).length = 1 << 20;
    }).toThrow(TypeError);
    expect(buf.length).toBe(8);
    expect(() => {
      (buf as unknown as { ptr: number }).ptr = 0;
    }).toThrow(TypeError);
  });
});

describe("operands never share memory, except an exact in-place output", () => {
  it("a mask over the same bytes as x or out is refused", () => {
    const bytes = new ArrayBuffer(N * 4);
    const x = new Float32Array(bytes);
    const before = x.slice();
    expect(() => dropout(x, { rate: 0.5, seed: 1, mask: new Uint32Array(bytes, 0, maskWords(N)) })).toThrow(
      /options\.mask shares memory with x/,
    );
    const out = new Float32Array(N);
    expect(() =>
      dropout(normalF32(N, 1), { rate: 0.5, seed: 1, out, mask: new Uint32Array(out.buffer, 8, maskWords(N)) }),
    ).toThrow(/options\.mask shares memory with options\.out/);
    expect(() => dropoutBackward(x, { rate: 0.5, mask: new Uint32Array(bytes, 4, maskWords(N)) })).toThrow(RangeError);
    expect(Array.from(x)).toEqual(Array.from(before));
  });

  it("an F32Buffer that partially overlaps another is refused; the exact same bytes are allowed", () => {
    const a = allocF32(N);
    a.view().set(normalF32(N, 4));
    const before = a.view().slice();
    const shifted = bufferView(a.instance, a.ptr + 4, N);
    const guard = canary();
    expect(() => addPenaltyGrad(shifted, a, { l2: 0.1 })).toThrow(/grad shares memory with x/);
    expect(() => dropout(a, { rate: 0.5, seed: 2, out: shifted })).toThrow(/options\.out shares memory with x/);
    expect(Array.from(a.view())).toEqual(Array.from(before));
    // the same bytes through a second handle is an in-place call
    const same = bufferView(a.instance, a.ptr, N);
    const expected = before.map((v) => Math.fround(v + Math.fround(0.2) * v));
    addPenaltyGrad(same, a, { l2: 0.1 });
    expect(Array.from(a.view())).toEqual(Array.from(expected));
    guard.check();
  });

  it("a view of WASM memory overlapping an F32Buffer is refused", () => {
    const a = allocF32(N);
    const view = new Float32Array(a.instance.heap.memory.buffer, a.ptr + 8, N);
    expect(() => dropout(a, { rate: 0.1, seed: 1, out: view })).toThrow(RangeError);
  });
});

describe("a misspelt option is an error naming it and the closest known one", () => {
  const x = normalF32(N, 5);
  it.each<[string, () => unknown, RegExp]>([
    ["penalty L1", () => penalty(x, { L1: 0.1 } as never), /options\.L1 is not a known option \(did you mean l1\?\)/],
    [
      "addPenaltyGrad signAtzero",
      () => addPenaltyGrad(x.slice(), x, { signAtzero: 0 } as never),
      /did you mean signAtZero/,
    ],
    [
      "dropout offest",
      () => dropout(x, { rate: 0.1, seed: 1, offest: 3 } as never),
      /options\.offest .*did you mean offset/,
    ],
    [
      "dropoutBackward maks",
      () => dropoutBackward(x, { rate: 0.1, seed: 1, maks: null } as never),
      /did you mean mask/,
    ],
    [
      "randomUint32 Stream",
      () => randomUint32(new Uint32Array(4), { seed: 1, Stream: 2 } as never),
      /did you mean stream/,
    ],
  ])("%s", (_name, call, message) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });

  it("the message lists the known options when nothing is close", () => {
    expect(() => penalty(x, { lambda: 1 } as never)).toThrow(
      /^options\.lambda is not a known option; the options are l1, l2$/,
    );
  });
});

describe("option values", () => {
  it("inherited option values count, as destructuring reads them", () => {
    const x = normalF32(N, 9);
    expect(penalty(x, Object.create({ l1: 0.5 }))).toBe(penalty(x, { l1: 0.5 }));
    class Strengths {
      get l2() {
        return 0.25;
      }
    }
    expect(penalty(x, new Strengths() as never)).toBe(penalty(x, { l2: 0.25 }));
  });

  it("null is not an omitted stream or offset", () => {
    expect(() => randomUint32(new Uint32Array(2), { seed: 1, stream: null as never })).toThrow(/options\.stream/);
    expect(() => dropout(new Float32Array(2), { rate: 0.5, seed: 1, offset: null as never })).toThrow(
      /options\.offset/,
    );
  });
});

describe("error kinds", () => {
  it("signAtZero: null is refused (only an omitted option takes the default)", () => {
    expect(() =>
      addPenaltyGrad(new Float32Array(4), new Float32Array(4), { l1: 1, signAtZero: null as never }),
    ).toThrow(/options\.signAtZero must be 1, 0 or -1, got null/);
  });

  it("use after free and cross-instance use are TypeErrors", async () => {
    const buf = allocF32(4);
    buf.free();
    expect(() => l1Penalty(buf)).toThrow(TypeError);
    expect(() => l1Penalty(buf)).toThrow(/x was used after free\(\)/);
    const other = await instantiate({ simd: false });
    const foreign = allocF32(4, other);
    expect(() => addPenaltyGrad(allocF32(4), foreign, { l1: 1 })).toThrow(TypeError);
    expect(() => addPenaltyGrad(allocF32(4), foreign, { l1: 1 })).toThrow(/different regwasm instance/);
  });

  it("a detached array is named as such", () => {
    const x = new Float32Array(16);
    structuredClone(x.buffer, { transfer: [x.buffer] });
    expect(() => l1Penalty(x)).toThrow(TypeError);
    expect(() => l1Penalty(x)).toThrow(/x is a view of a detached ArrayBuffer/);
    const out = new Float32Array(16);
    structuredClone(out.buffer, { transfer: [out.buffer] });
    expect(() => dropout(new Float32Array(0), { rate: 0.5, seed: 1, out })).toThrow(
      /options\.out is a view of a detached/,
    );
  });
});
