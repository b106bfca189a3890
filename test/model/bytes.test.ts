// model.toBytes() / Sequential.fromBytes(): the file's layout read back by an independent reader,
// exact round trips (bits of weights and optimizer state; training resumes bit for bit), the size of
// an MNIST-sized model, and a named error for every kind of broken file before anything is allocated.
import { runInNewContext } from "node:vm";
import { crc32 } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { Adam, Dense, init, ReLU, Sequential, type SequentialJSON } from "../../src/index.js";
import { readModelBytes, writeModelBytes } from "../../src/model/bytes.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { firstBitDifference } from "../layers/support.js";
import { adam, fileOf, header, referenceRead, seal, smallModel, train, weightsOf } from "./support.js";

await init();
const data = train();

describe("the file layout", () => {
  const model = smallModel();
  let bytes: Uint8Array;
  let json: SequentialJSON;
  beforeAll(async () => {
    await model.fit(data.x, data.y, { epochs: 3, optimizer: adam() });
    bytes = model.toBytes();
    json = model.toJSON();
  });

  it("has the documented header: magic, version 1, 4-byte-aligned sections, the CRC-32 of both sections", () => {
    const h = header(bytes);
    expect(h).toMatchObject({ magic: "regwasm\0", version: 1 });
    expect(h.jsonBytes % 4).toBe(0);
    expect(bytes.length).toBe(24 + h.jsonBytes + h.floatBytes);
    expect(h.crc32).toBe(crc32(bytes.subarray(24)) >>> 0);
  });

  it("holds toJSON()'s tree: an independent reader gets it back value for value", () => {
    expect(referenceRead(bytes)).toEqual(json);
  });

  it("moves the arrays of 16 or more f32 values, in tree order, and keeps the rest in the JSON", () => {
    const { jsonBytes } = header(bytes);
    const text = JSON.parse(Buffer.from(bytes.subarray(24, 24 + jsonBytes)).toString("utf8"));
    const [d1, , , d2] = text.layers;
    // Dense(2,24): 48 weights and 24 biases move; Dense(24,3): 72 weights move, its 3 biases stay
    expect(d1.weights).toEqual({ $f32: [0, 48] });
    expect(d1.biases).toEqual({ $f32: [48, 24] });
    expect(d2.weights).toEqual({ $f32: [72, 72] });
    expect(d2.biases).toEqual(json.layers[3].biases);
    // Adam's m and v per parameter follow in the same order; the last biases' stay in the JSON
    expect(text.optimizer.state[0]).toEqual([{ $f32: [144, 48] }, { $f32: [192, 48] }]);
    expect(text.optimizer.state[3]).toEqual(json.optimizer!.state[3]);
    expect(header(bytes).floatBytes).toBe(4 * (144 + 2 * 144));
    // and the dropout layer's (seed, step) stays as it was
    expect(text.layers[2]).toEqual(json.layers[2]);
  });

  it("writes the same bytes again after a round trip", () => {
    const copy = Sequential.fromBytes(bytes);
    expect(Buffer.compare(copy.toBytes(), bytes)).toBe(0);
    copy.free();
  });
});

describe("round trips", () => {
  it("training resumes bit for bit: k epochs, toBytes, fromBytes, m more = k + m straight", async () => {
    const straight = smallModel();
    const { logs: straightLog } = await straight.fit(data.x, data.y, { epochs: 9, optimizer: adam(), batchSize: 30 });
    const first = smallModel();
    await first.fit(data.x, data.y, { epochs: 4, optimizer: adam(), batchSize: 30 });
    const loaded = Sequential.fromBytes(first.toBytes());
    expect(firstBitDifference(loaded.predict(data.x), first.predict(data.x))).toBe(-1);
    const { logs: resumedLog } = await loaded.fit(data.x, data.y, { epochs: 5, batchSize: 30 });
    expect(resumedLog).toEqual(straightLog.slice(4).map((log, i) => ({ ...log, epoch: i })));
    const expected = weightsOf(straight);
    weightsOf(loaded).forEach((w, i) => expect(firstBitDifference(w, expected[i])).toBe(-1));
    for (const m of [straight, first, loaded]) m.free();
  });

  it("keeps what JSON text loses: −0 and ±∞ in a packed array, bit for bit", () => {
    const values = Array.from({ length: 16 }, (_, i) => Math.fround(i / 3) * (i % 2 ? -1 : 1));
    values[0] = -0;
    values[5] = Infinity;
    values[6] = -3.4028234663852886e38;
    const tree = { a: values };
    expect(readModelBytes(writeModelBytes(tree))).toEqual(tree); // toEqual tells −0 from 0
    expect(JSON.parse(JSON.stringify(tree))).not.toEqual(tree);
  });

  it("keeps in the JSON what is not exactly f32 or too short, and walks nested arrays and odd keys", () => {
    const f32 = Array.from({ length: 16 }, (_, i) => i + 0.5);
    const tree = {
      notF32: Array.from({ length: 16 }, (_, i) => i + 0.1),
      short: f32.slice(0, 15),
      mixed: [...f32, "x"],
      nested: [f32, [f32, null, { deep: f32 }]],
      ["__proto__"]: f32,
      root: 1,
    };
    const parsed = JSON.parse(JSON.stringify(tree)); // "__proto__" as an own key, as JSON.parse makes it
    const bytes = writeModelBytes(parsed);
    expect(header(bytes).floatBytes).toBe(4 * 16 * 4);
    const back = readModelBytes(bytes) as Record<string, unknown>;
    expect(back).toEqual(parsed);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.hasOwn(back, "__proto__")).toBe(true);
    // a tree that is one long array is a reference itself
    expect(readModelBytes(writeModelBytes(f32))).toEqual(f32);
  });

  it("rejects a tree that uses the reserved key $f32", () => {
    expect(() => writeModelBytes({ a: [{ $f32: [0, 1] }] })).toThrow(/json\.a\[0\]\.\$f32: the key \$f32 is reserved/);
  });

  it("reads an ArrayBuffer, a Buffer, a view at an odd offset and a Uint8Array of another realm", () => {
    const model = smallModel();
    const bytes = model.toBytes();
    const odd = new Uint8Array(bytes.length + 3);
    odd.set(bytes, 1);
    const foreign = runInNewContext(`new Uint8Array(${bytes.length})`) as Uint8Array;
    foreign.set(bytes);
    const inputs = [bytes.slice().buffer, Buffer.from(bytes), odd.subarray(1, bytes.length + 1), foreign];
    for (const input of inputs) {
      const copy = Sequential.fromBytes(input);
      weightsOf(copy).forEach((w, i) => expect(firstBitDifference(w, weightsOf(model)[i])).toBe(-1));
      copy.free();
    }
    model.free();
  });
});

describe("a 784-512-512-10 MLP with Adam state", () => {
  it("takes 4 bytes per value (parameters, Adam's m and v) plus a small header and JSON", async () => {
    const model = new Sequential([
      new Dense(784, 512, { seed: 1 }),
      new ReLU(),
      new Dense(512, 512, { seed: 2 }),
      new ReLU(),
      new Dense(512, 10, { seed: 3 }),
    ]);
    const x = Float32Array.from({ length: 8 * 784 }, (_, i) => (i % 13) / 13);
    await model.fit(x, [0, 1, 2, 3, 4, 5, 6, 7], { epochs: 2, optimizer: new Adam() });
    const params = model.params().reduce((n, p) => n + p.value.length, 0);
    expect(params).toBe(669_706);
    const bytes = model.toBytes();
    const ideal = 4 * 3 * params;
    expect(Math.abs(bytes.length - ideal) / ideal).toBeLessThan(0.001);
    expect(header(bytes).jsonBytes).toBeLessThan(4096);
    const copy = Sequential.fromBytes(bytes);
    weightsOf(copy).forEach((w, i) => expect(firstBitDifference(w, weightsOf(model)[i])).toBe(-1));
    expect(Buffer.compare(copy.toBytes(), bytes)).toBe(0); // the Adam state (and iterations) too
    model.free();
    copy.free();
  });
});

describe("broken files: a named error, and no WASM memory taken", () => {
  const model = smallModel();
  let good: Uint8Array;
  let jsonBytes: number;
  beforeAll(async () => {
    await model.fit(data.x, data.y, { epochs: 2, optimizer: adam() });
    good = model.toBytes();
    jsonBytes = header(good).jsonBytes;
  });
  const live = () => defaultInstance().heap.allocations;
  const rejects = (bytes: unknown, error: typeof TypeError, message: RegExp) => {
    const before = live();
    expect(() => Sequential.fromBytes(bytes as Uint8Array)).toThrow(error);
    expect(() => Sequential.fromBytes(bytes as Uint8Array)).toThrow(message);
    expect(live()).toBe(before);
  };
  /** A copy of the good file with `change` applied, resealed so that only the change is wrong. */
  const edited = (change: (b: Uint8Array, view: DataView) => void): Uint8Array => {
    const b = good.slice();
    change(b, new DataView(b.buffer));
    return seal(b);
  };

  it("what is not bytes", () => {
    for (const value of [undefined, null, 3, "regwasm", [1, 2], new Float32Array(8), new DataView(good.buffer)])
      rejects(value, TypeError, /bytes must be a Uint8Array or an ArrayBuffer, got/);
    const buffer = good.slice().buffer;
    structuredClone(buffer, { transfer: [buffer] });
    rejects(buffer, TypeError, /bytes is a detached ArrayBuffer/);
    // a Uint8Array over a transferred buffer reads as 0 bytes: named as detached, not as a short file
    const copy = good.slice();
    const view = copy.subarray(8);
    structuredClone(copy.buffer, { transfer: [copy.buffer] });
    for (const v of [copy, view])
      rejects(
        v,
        TypeError,
        /^bytes is a view of a detached ArrayBuffer \(transferred or freed\), so it holds no data$/,
      );
  });

  it("every truncation, from 0 bytes to one byte short", () => {
    for (let n = 0; n < good.length; n++) {
      const message =
        n < 24
          ? `bytes has ${n} bytes, fewer than the 24-byte header of a regwasm model file`
          : `bytes is truncated: its header declares 24 header + ${jsonBytes} JSON + ${good.length - 24 - jsonBytes} f32 = ${good.length} bytes, got ${n}`;
      expect(() => Sequential.fromBytes(good.subarray(0, n))).toThrow(new RangeError(message));
    }
  });

  it("bytes after the declared end", () => {
    const longer = new Uint8Array(good.length + 4);
    longer.set(good);
    rejects(longer, RangeError, /bytes has 4 bytes after the end its header declares/);
  });

  it("another kind of file, with a hint for JSON text and gzip", () => {
    rejects(
      edited((b) => (b[3] = 0x47)),
      TypeError,
      /not a regwasm model file: it does not start with "regwasm\\0"$/,
    );
    const text = new TextEncoder().encode(`  ${JSON.stringify(model.toJSON())}`);
    rejects(text, TypeError, /it is JSON text: use Sequential\.fromJSON/);
    rejects(new Uint8Array(40).fill(0x1f, 0, 1).fill(0x8b, 1, 2), TypeError, /gzip-compressed/);
  });

  it("an unknown version, and section sizes that are not multiples of 4", () => {
    rejects(
      edited((_, v) => v.setUint32(8, 2, true)),
      RangeError,
      /file version 2 is not supported \(expected 1\)/,
    );
    rejects(
      edited((_, v) => v.setUint32(12, jsonBytes + 2, true)),
      RangeError,
      /declares \d+ JSON and \d+ f32 bytes; both must be multiples of 4/,
    );
  });

  it("declared sizes far beyond the bytes (a header that would ask for 8 GiB)", () => {
    const huge = edited((_, v) => {
      v.setUint32(12, 0xfffffffc, true);
      v.setUint32(16, 0xfffffffc, true);
    });
    rejects(huge, RangeError, /bytes is truncated: its header declares 24 header \+ 4294967292 JSON \+ 4294967292 f32/);
  });

  it("a changed byte anywhere after the header: the checksum", () => {
    for (const at of [24, 24 + jsonBytes - 1, 24 + jsonBytes, good.length - 1]) {
      const b = good.slice();
      b[at] ^= 0x10;
      rejects(b, TypeError, /bytes is corrupted: its CRC-32 is 0x[0-9a-f]{8}, the header says 0x[0-9a-f]{8}/);
    }
  });

  it("a JSON section that is not UTF-8 or not JSON", () => {
    rejects(fileOf('{"a": "\u00e9"}').fill(0xff, 31, 32), TypeError, /corrupted/); // unsealed: the checksum
    rejects(seal(fileOf('{"a": "\u00e9"}').fill(0xff, 31, 32)), TypeError, /bytes's JSON section is not valid UTF-8/);
    rejects(fileOf('{"a": '), TypeError, /bytes's JSON section is not valid JSON/);
  });

  it("references that break the rule: every f32 value belongs to exactly one reference", () => {
    const f = [1, 2, 3, 4];
    rejects(fileOf('{"a": {"$f32": [0, 5]}}', f), RangeError, /bytes\.a reaches value 4, past the 4 values/);
    rejects(
      fileOf('{"a": {"$f32": [1, 3]}}', f),
      RangeError,
      /values 0 to 0 of the f32 section belong to no reference/,
    );
    rejects(
      fileOf('{"a": {"$f32": [0, 3]}}', f),
      RangeError,
      /values 3 to 3 of the f32 section belong to no reference/,
    );
    rejects(
      fileOf('{"a": {"$f32": [0, 3]}, "b": [{"$f32": [2, 2]}]}', f),
      RangeError,
      /bytes\.b\[0\] overlaps another reference at value 2/,
    );
    for (const ref of [
      '{"$f32": [0]}',
      '{"$f32": [0, 1.5]}',
      '{"$f32": [-1, 4]}',
      '{"$f32": "0,4"}',
      '{"$f32": [0, 4], "x": 1}',
    ])
      rejects(fileOf(`{"a": ${ref}}`, f), TypeError, /bytes\.a must be a reference \{"\$f32": \[start, length\]\}/);
    // the same references are fine when they tile the section
    expect(readModelBytes(fileOf('{"b": [{"$f32": [2, 2]}], "a": {"$f32": [0, 2]}}', f))).toEqual({
      b: [[3, 4]],
      a: [1, 2],
    });
  });

  it("a well-formed file whose model is wrong: fromJSON's checks, with nothing left allocated", () => {
    const json = referenceRead(good) as SequentialJSON;
    (json.layers[0] as { nIn: number }).nIn = 3; // 48 weights no longer fit 3 × 24
    rejects(writeModelBytes(json), TypeError, /json\.weights must be an array of 72 finite numbers/);
    const withAdam = referenceRead(good) as SequentialJSON;
    withAdam.optimizer!.state[1] = [[1, 2]];
    rejects(writeModelBytes(withAdam), RangeError, /optimizer\.state\[1\] must hold 2 arrays/);
  });
});
