// The contracts of the normal-variate kernels around their arithmetic: exact messages for bad
// arguments, in-place calls through a second view of the same bytes, what a call that fails midway
// frees, randomNormal and normals() against the reference. Runtime-neutral (no node:*).
import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  allocF32,
  type F32Buffer,
  gaussianDropout,
  gaussianNoise,
  init,
  instantiate,
  randomNormal,
} from "../../src/index.js";
import { normals } from "../../src/kernels/normals.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { refNormals } from "../support/normal-reference.js";
import { thrown } from "../support/thrown.js";
import { describeDifference } from "./support/bits.js";
import { MULTI_WINDOW, normalF32 } from "./support/data.js";
import { maxScaledError } from "./support/layer-reference.js";

beforeAll(() => init());

describe("messages", () => {
  const x = new Float32Array(4);
  const shared = new Float32Array(8);
  const head = shared.subarray(0, 4);
  const shifted = shared.subarray(1, 5);

  it.each<[string, () => unknown, Error]>([
    [
      "gaussianNoise x not float data",
      () => gaussianNoise(new Float64Array(4) as never, { stddev: 1, seed: 1 }),
      new TypeError("x must be a Float32Array, F32Buffer or array of numbers, got a Float64Array"),
    ],
    [
      "gaussianNoise options",
      () => gaussianNoise(x, null as never),
      new TypeError("options must be an object like { stddev, seed? }, got null"),
    ],
    [
      "gaussianNoise out not a Float32Array",
      () => gaussianNoise(x, { stddev: 1, seed: 1, out: new Float64Array(4) as never }),
      new TypeError("options.out must be a Float32Array or F32Buffer, got a Float64Array"),
    ],
    [
      "gaussianNoise out overlapping x",
      () => gaussianNoise(head, { stddev: 1, seed: 1, out: shifted }),
      new RangeError("options.out shares memory with x without being the same array"),
    ],
    [
      "gaussianDropout x not float data",
      () => gaussianDropout(new Uint32Array(4) as never, { rate: 0.5, seed: 1 }),
      new TypeError("x must be a Float32Array, F32Buffer or array of numbers, got a Uint32Array"),
    ],
    [
      "gaussianDropout options",
      () => gaussianDropout(x, null as never),
      new TypeError("options must be an object like { rate, seed? }, got null"),
    ],
    [
      "gaussianDropout negative rate",
      () => gaussianDropout(x, { rate: -0.1, seed: 1 }),
      new RangeError(
        "options.rate must be in [0, 1) (the noise's variance rate/(1 − rate) is infinite at 1), got -0.1",
      ),
    ],
    [
      "gaussianDropout out overlapping x",
      () => gaussianDropout(head, { rate: 0.5, seed: 1, out: shifted }),
      new RangeError("options.out shares memory with x without being the same array"),
    ],
  ])("%s", (_, call, want) => {
    const before = shared.slice();
    expect(thrown(call)).toEqual(want);
    expect(describeDifference(shared, before)).toBe("identical");
  });
});

describe("out over the same bytes as x through another view", () => {
  // plain arrays go through copy windows: each view has its own window, and only out's is copied back
  it.each([
    ["gaussianNoise", 0.5, (x: Float32Array, out: Float32Array) => gaussianNoise(x, { stddev: 0.5, seed: 3, out })],
    [
      "gaussianDropout",
      Math.sqrt(0.2 / 0.8),
      (x: Float32Array, out: Float32Array) => gaussianDropout(x, { rate: 0.2, seed: 3, out }),
    ],
  ] as const)("%s over two windows and a tail: the result of a separate out, x's noise", (name, s, call) => {
    const x0 = normalF32(MULTI_WINDOW, 12);
    const separate = call(Float32Array.from(x0), new Float32Array(MULTI_WINDOW));
    const bytes = Float32Array.from(x0).buffer;
    const [x, out] = [new Float32Array(bytes), new Float32Array(bytes)];
    expect(call(x, out)).toBe(out);
    expect(describeDifference(out, separate)).toBe("identical");
    // the float64 formula: x + stddev·z or x·(1 + stddev·z), two f32 roundings
    const z = refNormals(MULTI_WINDOW, 3);
    const want = Array.from(x0, (v, i) => (name === "gaussianNoise" ? v + s * z[i] : v * (1 + s * z[i])));
    const scale = Array.from(x0, (v, i) =>
      name === "gaussianNoise" ? Math.abs(v) + Math.abs(s * z[i]) : Math.abs(v) * (1 + Math.abs(s * z[i])),
    );
    expect(maxScaledError(out, want, scale)).toBeLessThanOrEqual(2 ** -22);
  });
});

describe("a call that fails after its checks", () => {
  const NO_MEMORY = "regwasm: out of memory: 4294967360 bytes exceed the 4 GiB of wasm32";
  const WORKER_FAILED = "regwasm: a kernel part failed in a worker thread";
  const calls = [
    [
      "gaussianNoise",
      (x: Float32Array | F32Buffer, out?: F32Buffer) => gaussianNoise(x, { stddev: 0.5, seed: 1, out }),
    ],
    [
      "gaussianDropout",
      (x: Float32Array | F32Buffer, out?: F32Buffer) => gaussianDropout(x, { rate: 0.3, seed: 1, out }),
    ],
  ] as const;

  it.each(calls)(
    "%s on plain arrays (no memory for the copy window): the error goes through unchanged; the caller's out stays live",
    (_, call) => {
      const inst = defaultInstance();
      const x = new Float32Array(100);
      const out = allocF32(100);
      const before = inst.heap.allocations;
      const full = vi.spyOn(inst, "scratch").mockImplementation(() => {
        throw new RangeError(NO_MEMORY);
      });
      try {
        expect(thrown(() => call(x))).toEqual(new RangeError(NO_MEMORY));
        expect(thrown(() => call(x, out))).toEqual(new RangeError(NO_MEMORY));
        expect(out.freed).toBe(false);
        expect(inst.heap.allocations).toBe(before);
      } finally {
        full.mockRestore();
        out.free();
      }
    },
  );

  it.each(calls)(
    "%s on an F32Buffer whose parts fail in a worker: the output it allocated is freed, the caller's is not",
    async (_, call) => {
      const inst = await instantiate({ threads: 1 });
      // two parts of 2^17 elements: the call goes through Instance.run, here failing as a lost worker would
      const x = allocF32(2 ** 18, inst);
      const out = allocF32(2 ** 18, inst);
      const before = inst.heap.allocations;
      Object.defineProperty(inst, "threads", { value: 2, configurable: true });
      const run = vi.spyOn(inst, "run").mockImplementation(() => {
        throw new Error(WORKER_FAILED);
      });
      try {
        expect(thrown(() => call(x))).toEqual(new Error(WORKER_FAILED));
        expect(inst.heap.allocations).toBe(before);
        expect(thrown(() => call(x, out))).toEqual(new Error(WORKER_FAILED));
        expect(out.freed).toBe(false);
        expect(inst.heap.allocations).toBe(before);
        expect(run).toHaveBeenCalledTimes(2);
      } finally {
        run.mockRestore();
        delete (inst as { threads?: number }).threads;
      }
    },
  );
});

describe("randomNormal", () => {
  it("fills a plain array and an F32Buffer with the same variates, the reference's to f32", () => {
    const n = 1001;
    const [seed, stream, offset] = [2 ** 33 + 17, 6, 5];
    const want = randomNormal(new Float32Array(n), { seed, stream, offset });
    const z = refNormals(n, seed, stream, offset);
    expect(maxScaledError(want, z, z.map(Math.abs))).toBeLessThanOrEqual(2 ** -23);
    const buf = randomNormal(allocF32(n), { seed, stream, offset });
    expect(describeDifference(buf.view(), want)).toBe("identical");
    buf.free();
  });
});

describe("normals", () => {
  it.each([1, 2, 5, 1000])("%i samples: the first n of the pairs drawn, and no more pairs behind them", (n) => {
    const got = normals(n, 11, 4);
    expect(got).toHaveLength(n);
    const z = refNormals(n, 11, 4);
    expect(maxScaledError(got, z, z.map(Math.abs))).toBeLessThanOrEqual(2 ** -40);
    // the result is a view of ⌈n/2⌉ Box–Muller pairs: at most one unused value behind it
    expect(got.buffer.byteLength).toBe(8 * 2 * Math.ceil(n / 2));
  });
});
