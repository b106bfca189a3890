// Fuzzing the public surface with fast-check: kernels, layer constructors, fit options, fromJSON
// documents, and model and IDX files with bytes changed, cut or added, with random and adversarial arguments (getters that change their answer, proxies,
// huge sizes, NaN/±0/subnormals, shared memory, detached, freed and foreign buffers, misspelt keys).
// Every call either returns what the same call returns with plain, well-behaved arguments, or throws a
// TypeError/RangeError; a rejected call leaves its arguments as they were; no call changes a live
// buffer it was not given, leaks WASM memory or grows memory beyond its inputs.
// `npm test` runs a short profile (150 runs per property); `npm run fuzz` runs 20000 (or FUZZ_RUNS).
import { crc32 } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  Adam,
  addPenaltyGrad,
  allocF32,
  allocU32,
  Dense,
  Dropout,
  dropout,
  dropoutBackward,
  type F32Buffer,
  init,
  l1Penalty,
  l2Penalty,
  penalty,
  randomUint32,
  readIdx,
  ReLU,
  Sequential,
  SGD,
  spiralData,
  type U32Buffer,
} from "../../src/index.js";
import { bufferView } from "../../src/wasm/buffer.js";
import { defaultInstance } from "../../src/wasm/instance.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.npm_lifecycle_event === "fuzz" ? 20000 : 150));
const PARAMS = { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261205) };

await init();
// the copy windows' scratch is taken once, at its largest (three operands), and kept: take it now so
// the properties can count allocations exactly
dropout(new Float32Array(1 << 16), { rate: 0.5, seed: 0 });

const heap = () => defaultInstance().heap;

/** Values a hostile caller might put anywhere. */
const junk = fc.oneof(
  fc.constantFrom(null, undefined, Number.NaN, -0, 0, 1, -1, 2 ** 32, 2 ** 53, Number.MIN_VALUE, 1e-45, 3.5e38),
  fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, "1", "", true, false, [], {}, () => 1),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 4 }),
);

const f32Values = fc.float32Array({ maxLength: 300 });

/** Live buffers no call is given: checked unchanged after every call. */
function canaries(): () => void {
  const f = allocF32(33);
  const u = allocU32(5);
  f.view().set(Float32Array.from({ length: 33 }, (_, i) => i - 16.5));
  u.view().set([1, 2, 3, 0xffffffff, 0x80000000]);
  const [fBefore, uBefore] = [f.view().slice(), u.view().slice()];
  return () => {
    expect(Array.from(f.view())).toEqual(Array.from(fBefore));
    expect(Array.from(u.view())).toEqual(Array.from(uBefore));
    f.free();
    u.free();
  };
}

/** A call that may throw only TypeError or RangeError; returns [ok, result]. */
function attempt<T>(call: () => T): [true, T] | [false, undefined] {
  try {
    return [true, call()];
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    expect((error as Error).message.length).toBeGreaterThan(10);
    return [false, undefined];
  }
}

/** attempt() of a call that may reject (fit). */
async function attemptAsync<T>(call: () => Promise<T>): Promise<[true, T] | [false, undefined]> {
  try {
    return [true, await call()];
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    expect((error as Error).message.length).toBeGreaterThan(10);
    return [false, undefined];
  }
}

/** An options object as a hostile caller builds it: plain, with a getter that flips, or a proxy. */
function hostile<T extends object>(plain: T, flip: unknown, mode: number): T {
  if (mode === 0) return plain;
  const keys = Object.keys(plain);
  if (mode === 1 && keys.length > 0) {
    const key = keys[0];
    let reads = 0;
    const copy = { ...plain } as Record<string, unknown>;
    Object.defineProperty(copy, key, { enumerable: true, get: () => (reads++ === 0 ? plain[key as keyof T] : flip) });
    return copy as T;
  }
  return new Proxy({ ...plain }, {});
}

type Arg = Float32Array | F32Buffer;
/** One data operand: a plain array, an F32Buffer with the same values, or a view of WASM memory. */
function operand(values: Float32Array, kind: number, owned: (F32Buffer | U32Buffer)[]): Arg {
  if (kind === 0) return values.slice();
  const buf = allocF32(values.length);
  owned.push(buf);
  buf.view().set(values);
  return kind === 1 ? buf : buf.view();
}

const snapshotOf = (a: Arg | Uint32Array | U32Buffer) => Array.from("view" in a ? a.view() : a);
/** The values of a kernel's output, freeing it when the kernel allocated an F32Buffer for it. */
function release(output: Arg): number[] {
  const values = snapshotOf(output);
  if ("free" in output) output.free();
  return values;
}

describe("kernels", () => {
  it("random and hostile arguments: the plain call's result, or a named TypeError/RangeError with nothing changed", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          "l1Penalty",
          "l2Penalty",
          "penalty",
          "addPenaltyGrad",
          "dropout",
          "dropoutBackward",
          "randomUint32",
        ),
        f32Values,
        f32Values,
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 2 }),
        fc.record({
          l1: fc.oneof(fc.double({ min: 0, max: 10 }), junk),
          l2: fc.oneof(fc.double({ min: 0, max: 10 }), junk),
        }),
        fc.record({
          rate: fc.oneof(fc.double({ min: 0, max: 1 }), junk),
          seed: fc.oneof(fc.nat(), junk),
          stream: fc.oneof(fc.nat(), junk),
        }),
        fc.option(fc.constantFrom("offest", "L2", "masks", "rate ", "out"), { nil: undefined }),
        junk,
        fc.integer({ min: 0, max: 2 }),
        fc.boolean(),
        (kernel, a, b, kindA, kindB, lambdas, stream, typo, flip, mode, shareMemory) => {
          const owned: (F32Buffer | U32Buffer)[] = [];
          const allocations = heap().allocations;
          const check = canaries();
          const used = heap().used;
          let x: Arg;
          let y: Arg;
          const shared = shareMemory && a.length > 1; // one element shifted by one only touches it
          if (shared) {
            // x and y over one region, y one element further: a partial overlap
            const region = allocF32(a.length + 1);
            owned.push(region);
            region.view().set(a);
            const memory = heap().memory.buffer;
            x =
              kindA === 1
                ? bufferView(region.instance, region.ptr, a.length)
                : new Float32Array(memory, region.ptr, a.length);
            y = new Float32Array(memory, region.ptr + 4, a.length);
          } else {
            x = operand(a, kindA, owned);
            y = operand(b.length >= a.length ? b.subarray(0, a.length) : a.map((v) => -v), kindB, owned);
          }
          const extra = typo ? { [typo]: 1 } : {};
          const before = [snapshotOf(x), snapshotOf(y)];
          const plainX = Float32Array.from(before[0]);
          const plainY = Float32Array.from(before[1]);
          let hostileCall: () => unknown;
          let plainCall: () => unknown;
          switch (kernel) {
            case "l1Penalty":
              [hostileCall, plainCall] = [() => l1Penalty(x), () => l1Penalty(plainX)];
              break;
            case "l2Penalty":
              [hostileCall, plainCall] = [() => l2Penalty(x), () => l2Penalty(plainX)];
              break;
            case "penalty":
              hostileCall = () => penalty(x, hostile({ ...lambdas, ...extra } as never, flip, mode));
              plainCall = () => penalty(plainX, { ...lambdas, ...extra } as never);
              break;
            case "addPenaltyGrad":
              hostileCall = () => {
                addPenaltyGrad(y, x, hostile({ ...lambdas, ...extra } as never, flip, mode));
                return snapshotOf(y);
              };
              plainCall = () => {
                if (plainY.length !== plainX.length || shared) throw new RangeError("shapes or memory");
                addPenaltyGrad(plainY, plainX, { ...lambdas, ...extra } as never);
                return Array.from(plainY);
              };
              break;
            case "dropout":
              hostileCall = () =>
                release(dropout(x, hostile({ ...stream, ...extra, mask: false } as never, flip, mode)).output);
              plainCall = () => Array.from(dropout(plainX, { ...stream, ...extra, mask: false } as never).output);
              break;
            case "dropoutBackward":
              hostileCall = () => release(dropoutBackward(x, hostile({ ...stream, ...extra } as never, flip, mode)));
              plainCall = () => Array.from(dropoutBackward(plainX, { ...stream, ...extra } as never));
              break;
            default: {
              const words = allocU32(x.length);
              owned.push(words);
              const { seed, stream: s } = stream;
              hostileCall = () =>
                snapshotOf(randomUint32(words, hostile({ seed, stream: s, ...extra } as never, flip, mode)));
              plainCall = () =>
                Array.from(randomUint32(new Uint32Array(x.length), { seed, stream: s, ...extra } as never));
            }
          }
          const [ok, got] = attempt(hostileCall);
          if (ok) {
            const [plainOk, expected] = attempt(plainCall);
            expect(plainOk).toBe(true);
            expect(got).toEqual(expected);
          } else {
            expect([snapshotOf(x), snapshotOf(y)]).toEqual(before);
          }
          for (const buf of owned) buf.free();
          check();
          expect(heap().allocations).toBe(allocations);
          // windows are bounded: at most three 256 KiB slots of scratch beyond the inputs
          expect(heap().used - used).toBeLessThanOrEqual(3 * 65536 * 4 + 8 * (a.length + b.length) * 4 + 4096);
        },
      ),
      PARAMS,
    );
  });
});

describe("layers, fit options and documents", () => {
  const data = spiralData(6, 3, { seed: 3 });

  it("Dense and Dropout constructors: a layer, or a named error with no memory taken", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 1, max: 40 }), junk),
        // sizes beyond the 4 GiB of wasm32 must be refused up front (valid huge ones would only be slow)
        fc.oneof(
          fc.integer({ min: 1, max: 40 }),
          fc.constantFrom(2 ** 31, 2 ** 40),
          junk.filter((v) => !(typeof v === "number" && v > 1e4 && v < 2 ** 30)),
        ),
        fc.dictionary(
          fc.constantFrom(
            "weightL1",
            "weightL2",
            "biasL1",
            "biasL2",
            "convention",
            "weightInit",
            "biasInit",
            "seed",
            "weightl2",
            "rate",
          ),
          fc.oneof(junk, fc.constantFrom("glorotUniform", "heNormal", "course", "ones", "glorotuniform")),
          { maxKeys: 3 },
        ),
        fc.oneof(fc.double({ min: -0.5, max: 1.5 }), junk),
        (nIn, nOut, options, rate) => {
          const allocations = heap().allocations;
          const check = canaries();
          const bytes = heap().memory.buffer.byteLength;
          const [ok, layer] = attempt(() => new Dense(nIn as number, nOut as number, options as never));
          if (ok) layer.free();
          const [, drop] = attempt(() => new Dropout(rate as number, options as never));
          drop?.free();
          check();
          expect(heap().allocations).toBe(allocations);
          if (!ok) expect(heap().memory.buffer.byteLength).toBe(bytes);
        },
      ),
      PARAMS,
    );
  });

  it("fit options: training, or a named error before any layer or weight changes", async () => {
    // a valid but huge epoch count would only train for long: epochs come from a small range or junk
    const epochs = fc.oneof(
      fc.integer({ min: -2, max: 3 }),
      junk.filter((v) => !(typeof v === "number" && v > 3)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom(
            "batchSize",
            "logEvery",
            "validationData",
            "validationSplit",
            "onEpoch",
            "batchsize",
            "optimizer",
            "shuffle",
            "seed",
            "callbacks",
            "yieldEvery",
          ),
          junk,
          { maxKeys: 3 },
        ),
        fc.option(epochs, { nil: undefined }),
        async (someOptions, epochCount) => {
          const options = epochCount === undefined ? someOptions : { ...someOptions, epochs: epochCount };
          const drop = new Dropout(0.2, { seed: 1 });
          const model = new Sequential([new Dense(2, 5, { seed: 1 }), new ReLU(), drop, new Dense(5, 3, { seed: 2 })]);
          const weights = model.params().map((p) => Array.from(p.value.view()));
          const fitOptions = { epochs: 1, optimizer: new SGD({ learningRate: 0.1 }), ...options };
          const [ok] = await attemptAsync(() => model.fit(data.x, data.y, fitOptions as never));
          if (!ok) {
            expect(model.params().map((p) => Array.from(p.value.view()))).toEqual(weights);
            expect(drop.step).toBe(0);
          }
          model.free();
        },
      ),
      { ...PARAMS, numRuns: Math.max(20, Math.floor(RUNS / 3)) },
    );
  });

  it("fromJSON documents with a field replaced, removed or added: a model, or a named error and no leak", async () => {
    const source = new Sequential([
      new Dense(2, 4, { seed: 1 }),
      new ReLU(),
      new Dropout(0.1, { seed: 2 }),
      new Dense(4, 3),
    ]);
    await source.fit(data.x, data.y, { epochs: 2, optimizer: new Adam() });
    const doc = source.toJSON();
    source.free();
    const paths: string[][] = [
      ["chunkRows"],
      ["version"],
      ["optimizer", "iterations"],
      ["optimizer", "type"],
      ["loss", "type"],
    ];
    doc.layers.forEach((layer, i) => {
      for (const key of Object.keys(layer)) paths.push(["layers", String(i), key]);
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...paths),
        fc.oneof(junk, fc.array(junk, { maxLength: 3 })),
        fc.constantFrom("set", "delete", "add"),
        (path, value, how) => {
          const copy = JSON.parse(JSON.stringify(doc));
          let target = copy;
          for (const key of path.slice(0, -1)) target = target[key];
          const last = path[path.length - 1];
          if (how === "set") target[last] = value;
          else if (how === "delete") delete target[last];
          else target[`${last}X`] = value;
          const allocations = heap().allocations;
          const [ok, model] = attempt(() => Sequential.fromJSON(copy));
          if (ok) model.free();
          expect(heap().allocations).toBe(allocations);
        },
      ),
      PARAMS,
    );
  });
});

describe("files", () => {
  /** Bytes written over, a cut or an extension: what a damaged download or disk does to a file. */
  const damage = fc.record({
    // mostly in the headers, and bytes that matter there or in JSON text
    writes: fc.array(
      fc.record({
        at: fc.oneof(fc.nat({ max: 40 }), fc.nat()),
        value: fc.oneof(
          fc.constantFrom(...[0, 1, 2, 0x7f, 0x80, 0xff], ...Buffer.from('[]{},:-."0123456789e')),
          fc.nat(255),
        ),
      }),
      { maxLength: 4 },
    ),
    // cut or extended one time in five, so that most files keep their length and reach the later checks
    length: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.nat(), weight: 1 }),
    extra: fc.oneof(
      { arbitrary: fc.constant(new Uint8Array(0)), weight: 4 },
      { arbitrary: fc.uint8Array({ minLength: 1, maxLength: 8 }), weight: 1 },
    ),
  });
  function damaged(file: Uint8Array, { writes, length, extra }: fc.RecordValue<typeof damage>, from = 0): Uint8Array {
    const b = new Uint8Array([
      ...file.subarray(0, length === undefined ? file.length : length % (file.length + 1)),
      ...extra,
    ]);
    for (const { at, value } of writes) if (b.length > from) b[from + (at % (b.length - from))] = value;
    return b;
  }

  it("model files (checksum right or wrong): a model, or a named error and no leak", async () => {
    const source = new Sequential([new Dense(2, 16, { seed: 1 }), new ReLU(), new Dense(16, 3, { seed: 2 })]);
    await source.fit(spiralData(6, 3, { seed: 3 }).x, spiralData(6, 3, { seed: 3 }).y, {
      epochs: 2,
      optimizer: new Adam(),
    });
    const file = source.toBytes();
    source.free();
    fc.assert(
      fc.property(damage, fc.boolean(), (change, reseal) => {
        // resealed, the damage after the header reaches the JSON, the references and fromJSON
        const b = damaged(file, change, reseal ? 24 : 0);
        if (reseal && b.length >= 24) new DataView(b.buffer).setUint32(20, crc32(b.subarray(24)) >>> 0, true);
        const allocations = heap().allocations;
        const [ok, model] = attempt(() => Sequential.fromBytes(b));
        if (ok) model.free();
        expect(heap().allocations).toBe(allocations);
      }),
      PARAMS,
    );
  });

  it("model files whose references are changed: a model, or a named error and no leak", async () => {
    const source = new Sequential([new Dense(2, 16, { seed: 1 }), new ReLU(), new Dense(16, 3, { seed: 2 })]);
    await source.fit(spiralData(6, 3, { seed: 3 }).x, spiralData(6, 3, { seed: 3 }).y, {
      epochs: 2,
      optimizer: new Adam(),
    });
    const file = source.toBytes();
    source.free();
    const jsonBytes = new DataView(file.buffer).getUint32(12, true);
    const text = Buffer.from(file.subarray(24, 24 + jsonBytes)).toString("utf8");
    const refs = [...text.matchAll(/\{"\$f32":\[(\d+),(\d+)\]\}/g)];
    const bound = fc.oneof(fc.integer({ min: -2, max: 1200 }), junk);
    fc.assert(
      fc.property(fc.nat(refs.length - 1), bound, bound, fc.boolean(), (k, start, length, keep) => {
        // one reference rewritten (its start, its length, or the whole value), the file resealed
        const ref = refs[k];
        const replacement = keep
          ? `{"$f32":[${JSON.stringify(start)},${ref[2]}]}`
          : `{"$f32":${JSON.stringify([start, length])}}`;
        const edited = Buffer.from(
          text.slice(0, ref.index) + replacement + text.slice(ref.index + ref[0].length),
          "utf8",
        );
        const padded = Math.ceil(edited.length / 4) * 4;
        const b = new Uint8Array(24 + padded + file.length - 24 - jsonBytes).fill(0x20);
        b.set(file.subarray(0, 24));
        b.set(edited, 24);
        b.set(file.subarray(24 + jsonBytes), 24 + padded);
        new DataView(b.buffer).setUint32(12, padded, true);
        new DataView(b.buffer).setUint32(20, crc32(b.subarray(24)) >>> 0, true);
        const allocations = heap().allocations;
        const [ok, model] = attempt(() => Sequential.fromBytes(b));
        if (ok) model.free();
        expect(heap().allocations).toBe(allocations);
      }),
      PARAMS,
    );
  });

  it("IDX files: the values, or a named error", () => {
    const file = new Uint8Array([
      0,
      0,
      0x0b,
      2,
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      3,
      ...Array.from({ length: 12 }, (_, i) => i * 21),
    ]);
    fc.assert(
      fc.property(damage, (change) => {
        const b = damaged(file, change);
        const [ok, read] = attempt(() => readIdx(b));
        // whatever it accepts, it reads consistently: as many values as the shape says, in the bytes given
        if (ok) expect(read.data.length * read.data.BYTES_PER_ELEMENT + 4 + 4 * read.shape.length).toBe(b.length);
      }),
      PARAMS,
    );
  });
});
