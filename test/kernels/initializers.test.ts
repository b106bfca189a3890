// The weight initializers (src/layers/initializers/) against the float64 reference of the same draws,
// bit for bit after the one f32 rounding; the SIMD and scalar builds; pinned values and digests that
// every runtime must reproduce (this suite runs in Node and Chromium); the portable logarithm; the
// word reader. Runtime-neutral (no node:* imports).
import { beforeAll, describe, expect, it } from "vitest";
import { Dense, init, initializerRegistry, type Instance } from "../../src/index.js";
import { portableLog } from "../../src/layers/initializers/portable-log.js";
import { readWords, WORD_BLOCK } from "../../src/layers/initializers/word-reader.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { sha256Hex } from "../golden/bytes.js";
import { refRandomUint32 } from "../support/reference-generator.js";
import { bitsOf, describeDifference } from "./support/bits.js";
import { type Builds, loadBuilds } from "./support/builds.js";
import { BUILT_IN, refInitializer } from "./support/initializer-reference.js";

let builds: Builds;
beforeAll(async () => {
  await init();
  builds = await loadBuilds();
});

/** The named initializer's values for a fanIn × fanOut tensor of n values from (seed, stream) in `instance`. */
function draw(
  name: string,
  n: number,
  fanIn: number,
  fanOut: number,
  seed: number,
  stream: number,
  instance: Instance,
) {
  const out = new Float32Array(n);
  initializerRegistry.get("name", name)(out, { fanIn, fanOut }, { seed, stream, instance });
  return out;
}

const hex = (values: Float32Array) => Array.from(bitsOf(values), (b) => b.toString(16).padStart(8, "0"));

describe("each built-in initializer", () => {
  it("is registered under its name, in this order", () => {
    expect(initializerRegistry.names).toEqual(BUILT_IN);
  });

  // shapes: a single value, odd counts (Box–Muller pairs, polar pairs), one past a word block, a
  // kernel wider than tall, a bias vector (fanIn = fanOut), MNIST's first layer
  const cases: [number, number, number, number, number][] = [
    [1, 1, 1, 0, 0x57],
    [3, 5, 15, 7, 0x57],
    [17, 4, 68, 2 ** 40 + 5, 0x42],
    [8193, 1, 8193, 3, 0x57],
    [2, 512, 1024, 1, 0x57],
    [10, 10, 10, 11, 0x42],
    [784, 128, 784 * 128, 42, 0x57],
  ];
  it.each(BUILT_IN)("%s: fround of the float64 reference of the same draws, bit for bit", (name) => {
    for (const [fanIn, fanOut, n, seed, stream] of cases) {
      const got = draw(name, n, fanIn, fanOut, seed, stream, builds.tested);
      const want = Float32Array.from(refInitializer(name, n, fanIn, fanOut, seed, stream));
      expect(describeDifference(got, want), `${fanIn} × ${fanOut}, seed ${seed}`).toBe("identical");
    }
  });

  it.each(BUILT_IN)("%s: writes every element, whatever out held before", (name) => {
    const out = new Float32Array(1000).fill(Number.NaN);
    initializerRegistry.get("name", name)(
      out,
      { fanIn: 10, fanOut: 100 },
      { seed: 4, stream: 1, instance: builds.tested },
    );
    const want = Float32Array.from(refInitializer(name, 1000, 10, 100, 4, 1));
    expect(describeDifference(out, want)).toBe("identical");
  });

  it.each(BUILT_IN)("%s: the SIMD and the scalar build give the same bits", (name) => {
    const [a, b] = [builds.tested, builds.other].map((inst) => draw(name, 784 * 128, 784, 128, 9, 0x57, inst));
    expect(describeDifference(a, b)).toBe("identical");
  });
});

/**
 * Dense(784, 128)'s weights with seed 42 (stream 0x57): the first four values' f32 bits and the
 * SHA-256 of all 100352 values' little-endian bytes. Generated once from the reference; every
 * runtime and build must reproduce them.
 */
const PINNED: Record<string, { first: string[]; sha256: string }> = {
  glorotUniform: {
    first: ["bd5edf4a", "bd6348d3", "3ccc081e", "3d7fabfc"],
    sha256: "0a70481ecafdc3ba16934f88fec96c3d9d4c04837f87e929cc00a4724ca6c6c0",
  },
  glorotNormal: {
    first: ["bc7c8dae", "bc80c6d2", "3c8c2ebc", "3d2fa99d"],
    sha256: "5f43db8257f852513f53d0e922e33cca56ff72700cb3715272e2cd542ec8e03c",
  },
  heNormal: {
    first: ["bc88320a", "bc8ae44a", "3c97318f", "3d3d75e0"],
    sha256: "3e91432da7f1ccb90836f57d196ee6f715c110b7836f46cb6fb701d970494eb3",
  },
  heUniform: {
    first: ["bd7060db", "bd75231c", "3cdc0ed5", "3d89e08c"],
    sha256: "70b44bbe3646e21611f8140011f58118538455e2dbc606d5f5c5bbdcabf6fa8d",
  },
  lecunNormal: {
    first: ["bc409c07", "bc446c30", "3c55d1ed", "3d05f801"],
    sha256: "4afca7513b5da0c953e43db8b36a37985564b21199060d6f5a6e7f0412850504",
  },
  lecunUniform: {
    first: ["bd29f921", "bd2d5690", "3c9b9abe", "3d42fcda"],
    sha256: "452e2899cdf10afbc6fcb500151d297294c4fae797cffc53c5e5207c523870be",
  },
  zeros: {
    first: ["00000000", "00000000", "00000000", "00000000"],
    sha256: "daede069d703460dc1275e43c772caa2a215db963efcbfa2dc4eef610aab241d",
  },
  ones: {
    first: ["3f800000", "3f800000", "3f800000", "3f800000"],
    sha256: "d095df936168cc7d9f75756f6d4e366f0c8b640756021a54773e22418a7b9702",
  },
  course: {
    first: ["3c2a2842", "3c824def", "3be26f98", "bbc82ea0"],
    sha256: "7acae46eb7e45b13984a6d5b37582844ce49fa0185d2aa570ddeaadfbccfea03",
  },
};

describe("pinned values", () => {
  it.each(BUILT_IN)("%s: the reference and the library reproduce the pinned first values and digest", async (name) => {
    const pin = PINNED[name];
    const want = Float32Array.from(refInitializer(name, 784 * 128, 784, 128, 42, 0x57));
    const got = draw(name, 784 * 128, 784, 128, 42, 0x57, defaultInstance());
    expect(hex(want.subarray(0, 4))).toEqual(pin.first);
    expect(await sha256Hex(new Uint8Array(want.buffer))).toBe(pin.sha256);
    expect(hex(got.subarray(0, 4))).toEqual(pin.first);
    expect(await sha256Hex(new Uint8Array(got.buffer))).toBe(pin.sha256);
  });
});

describe("Dense's initial parameters", () => {
  it("default: glorotUniform weights from stream 0x57, zero biases", () => {
    const layer = new Dense(5, 7, { seed: 12 });
    expect([layer.weightInit, layer.biasInit]).toEqual(["glorotUniform", "zeros"]);
    const weights = Float32Array.from(refInitializer("glorotUniform", 35, 5, 7, 12, 0x57));
    expect(describeDifference(layer.weights.view(), weights)).toBe("identical");
    expect(describeDifference(layer.biases.view(), new Float32Array(7))).toBe("identical");
    layer.free();
  });

  it("named: the weights from stream 0x57 with fans (nIn, nOut), the biases from stream 0x42 with fans (nOut, nOut)", () => {
    const layer = new Dense(6, 3, { weightInit: "heNormal", biasInit: "lecunUniform", seed: 2 ** 40 });
    const weights = Float32Array.from(refInitializer("heNormal", 18, 6, 3, 2 ** 40, 0x57));
    const biases = Float32Array.from(refInitializer("lecunUniform", 3, 3, 3, 2 ** 40, 0x42));
    expect(describeDifference(layer.weights.view(), weights)).toBe("identical");
    expect(describeDifference(layer.biases.view(), biases)).toBe("identical");
    layer.free();
  });

  it("'course': the weights the layer made before initializers were configurable (0.01·N(0, 1), stream 0x57)", () => {
    const layer = new Dense(2, 512, { weightInit: "course", seed: 1 });
    expect(
      describeDifference(layer.weights.view(), Float32Array.from(refInitializer("course", 1024, 2, 512, 1, 0x57))),
    ).toBe("identical");
    layer.free();
  });
});

describe("portableLog", () => {
  /** |got − Math.log(x)| in units of the last place of Math.log(x). */
  const ulps = (x: number) => {
    const want = Math.log(x);
    return Math.abs(portableLog(x) - want) / 2 ** (Math.floor(Math.log2(Math.abs(want))) - 52);
  };

  it("is within 2 ulps of Math.log over (0, 1] (the polar method's s) and beyond", () => {
    const words = refRandomUint32(40000, 5, 1);
    let worst = 0;
    for (let i = 0; i < words.length; i += 2) {
      const s = (words[i] + 1) / 2 ** 32; // (0, 1]
      if (s < 1) worst = Math.max(worst, ulps(s));
      const wide = 2 ** ((words[i + 1] / 2 ** 32 - 0.5) * 2000) * 1.2345; // 2^-1000 … 2^1000
      worst = Math.max(worst, ulps(wide));
    }
    expect(worst).toBeLessThanOrEqual(2);
  });

  it("edges: 1, powers of two, the √½ and √2 reduction bounds, the smallest pair sum, subnormals", () => {
    expect(portableLog(1)).toBe(0);
    for (const x of [0.5, 2, 2 ** -64, 2 ** 52, Math.SQRT1_2, Math.SQRT2, 1 - 2 ** -53, 1 + 2 ** -52, 2 * 2 ** -64])
      expect(ulps(x), `x = ${x}`).toBeLessThanOrEqual(2);
    expect(Math.abs(portableLog(Number.MIN_VALUE) / Math.log(Number.MIN_VALUE) - 1)).toBeLessThan(1e-15);
  });

  it("on the reduction's upper bound x = √2·2^k: the correctly rounded ln where m = √2 (not √½) would be 1 ulp off", () => {
    // ln(Math.SQRT2·2^k) from a 200-bit evaluation (mpmath), rounded to the nearest double
    const correct: [number, number][] = [
      [0, 0.3465735902799727],
      [2, 1.7328679513998633],
      [21, 14.902664382038823],
      [31, 21.834136187638276],
    ];
    for (const [k, ln] of correct) expect(portableLog(Math.SQRT2 * 2 ** k), `k = ${k}`).toBe(ln);
  });
});

describe("readWords", () => {
  it("reads u(0), u(1), … across word blocks and returns its block of WASM memory", () => {
    const live = defaultInstance().heap.allocations;
    const n = 2 * WORD_BLOCK + 3;
    const got = new Uint32Array(n);
    readWords({ seed: 77, stream: 5, instance: defaultInstance() }, (next) => {
      for (let i = 0; i < n; i++) got[i] = next();
    });
    expect(describeDifference(got, refRandomUint32(n, 77, 5))).toBe("identical");
    expect(defaultInstance().heap.allocations).toBe(live);
  });

  it("returns its memory when the draw throws", () => {
    const live = defaultInstance().heap.allocations;
    expect(() =>
      readWords({ seed: 1, stream: 0, instance: defaultInstance() }, () => {
        throw new Error("stop");
      }),
    ).toThrow("stop");
    expect(defaultInstance().heap.allocations).toBe(live);
  });
});
