// The single-file format's contracts at their edges: the 2^32 − 1 limit of each section, the hints for
// a JSON or gzip file passed by mistake, the hex in the checksum message, header sizes that are not
// multiples of 4, a JSON section in shared memory; and the helpers under it (packed-floats, crc32).
import { crc32 as zlibCrc32 } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseJson, readModelBytes, writeModelBytes } from "../../src/model/bytes.js";
import { crc32 } from "../../src/model/crc32.js";
import { packFloats } from "../../src/model/packed-floats.js";
import { thrown } from "../support/thrown.js";
import { fileOf } from "./support.js";

afterEach(() => {
  vi.unstubAllGlobals();
});

/** An array that claims `length` f32 values without holding them (Array.isArray sees an array). */
const claimsLength = (length: number): number[] =>
  new Proxy([] as number[], {
    get: (target, key, receiver) => {
      if (key === "length") return length;
      if (key === "every") return () => true;
      return Reflect.get(target, key, receiver);
    },
  });

describe("writeModelBytes: each section holds at most 2^32 − 1 bytes", () => {
  it("an f32 section above the limit, with a small JSON section", () => {
    // 2^40 values: 2^42 bytes. Checked before anything is allocated.
    const text = `{"a":{"$f32":[0,${2 ** 40}]}}`;
    const jsonBytes = Math.ceil(text.length / 4) * 4;
    expect(() => writeModelBytes({ a: claimsLength(2 ** 40) })).toThrow(
      new RangeError(`the model needs ${jsonBytes} JSON and ${2 ** 42} f32 bytes; a file holds 2^32 − 1 of each`),
    );
  });

  it("a JSON section above the limit, with an empty f32 section", () => {
    // no string that long can be built: an encoder that reports 2^42 bytes of UTF-8
    vi.stubGlobal(
      "TextEncoder",
      class {
        encode() {
          return { length: 2 ** 42 };
        }
      },
    );
    expect(() => writeModelBytes({ a: 1 })).toThrow(
      new RangeError(`the model needs ${2 ** 42} JSON and 0 f32 bytes; a file holds 2^32 − 1 of each`),
    );
  });
});

const NOT_THIS_FORMAT = 'bytes is not a regwasm model file: it does not start with "regwasm\\0"';
const JSON_HINT = " (it is JSON text: use Sequential.fromJSON, or Sequential.load for a saved .json)";
const GZIP_HINT = " (it is gzip-compressed: decompress it first)";
const short = (n: number) => `bytes has ${n} bytes, fewer than the 24-byte header of a regwasm model file`;

describe("readModelBytes: a hint for what the bytes are instead", () => {
  const utf8 = (text: string) => new TextEncoder().encode(text);

  it.each([" ", "\n", "\r", "\t", "\r\n", " \t\n\r "])("JSON text after whitespace %j", (space) => {
    const long = utf8(`${space}{"format": "not a model file at all"}`);
    expect(thrown(() => readModelBytes(long))).toEqual(new TypeError(NOT_THIS_FORMAT + JSON_HINT));
    const tiny = utf8(`${space}{}`);
    expect(thrown(() => readModelBytes(tiny))).toEqual(new RangeError(short(tiny.length) + JSON_HINT));
  });

  it("JSON text after a UTF-8 byte order mark (and whitespace)", () => {
    for (const text of ['\uFEFF{"format": "not a model file at all"}', "\uFEFF \n{}", "\uFEFF{}"]) {
      const bytes = utf8(text);
      expect(bytes.subarray(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
      const message = bytes.length < 24 ? short(bytes.length) : NOT_THIS_FORMAT;
      expect(thrown(() => readModelBytes(bytes)).message).toBe(message + JSON_HINT);
    }
    // only the whole mark counts: its first two bytes before "{" are no JSON text
    expect(thrown(() => readModelBytes(new Uint8Array([0xef, 0xbb, 0x7b, 0x7d]))).message).toBe(short(4));
    expect(thrown(() => readModelBytes(new Uint8Array([0xbb, 0xbf, 0x7b, 0x7d]))).message).toBe(short(4));
    // three bytes that are not the mark, "{" after them: no JSON text either (one byte off in each place)
    for (const notMark of [
      [0x00, 0xbb, 0xbf],
      [0xef, 0x00, 0xbf],
      [0xef, 0xbb, 0x00],
    ])
      expect(thrown(() => readModelBytes(new Uint8Array([...notMark, 0x7b, 0x7d]))).message).toBe(short(5));
  });

  it("no hint for other text, even after whitespace", () => {
    for (const text of ["\n [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]", "\t\r\n", "x{ is not the first character }"]) {
      const bytes = utf8(text);
      const message = bytes.length < 24 ? short(bytes.length) : NOT_THIS_FORMAT;
      expect(thrown(() => readModelBytes(bytes)).message).toBe(message);
    }
  });

  it("gzip only when both magic bytes 0x1f 0x8b lead", () => {
    const starting = (b0: number, b1: number, length = 40) => {
      const bytes = new Uint8Array(length);
      bytes[0] = b0;
      bytes[1] = b1;
      return bytes;
    };
    expect(thrown(() => readModelBytes(starting(0x1f, 0x8b))).message).toBe(NOT_THIS_FORMAT + GZIP_HINT);
    expect(thrown(() => readModelBytes(starting(0x1f, 0x8b, 2))).message).toBe(short(2) + GZIP_HINT);
    for (const [b0, b1] of [
      [0x1f, 0x00],
      [0x00, 0x8b],
      [0x8b, 0x1f],
      [0x1f, 0x1f],
    ]) {
      expect(thrown(() => readModelBytes(starting(b0, b1))).message).toBe(NOT_THIS_FORMAT);
      expect(thrown(() => readModelBytes(starting(b0, b1, 10))).message).toBe(short(10));
    }
  });
});

describe("readModelBytes: header fields", () => {
  const hex = (n: number) => `0x${n.toString(16).padStart(8, "0")}`;

  it("the checksum message shows both CRC-32s as 0x + 8 hex digits, zero-padded", () => {
    for (const stored of [0, 1, 0xabc, 0x0fffffff, 0xdeadbeef]) {
      const bytes = fileOf('{"a": [1, 2, 3]}');
      const computed = zlibCrc32(bytes.subarray(24)) >>> 0;
      new DataView(bytes.buffer).setUint32(20, stored, true);
      expect(thrown(() => readModelBytes(bytes))).toEqual(
        new TypeError(
          `bytes is corrupted: its CRC-32 is ${hex(computed)}, the header says ${hex(stored)} (a byte after the header changed)`,
        ),
      );
    }
    expect(hex(1)).toBe("0x00000001");
  });

  it("a JSON or f32 size that is not a multiple of 4, each alone", () => {
    // '{"a":1}' is 7 bytes: an 8-byte JSON section; one f32 value
    const withSizes = (json: number, f32: number) => {
      const bytes = fileOf('{"a":1}', [1]);
      const view = new DataView(bytes.buffer);
      view.setUint32(12, json, true);
      view.setUint32(16, f32, true);
      return bytes;
    };
    const message = (json: number, f32: number) =>
      `bytes: the header declares ${json} JSON and ${f32} f32 bytes; both must be multiples of 4`;
    for (const [json, f32] of [
      [8, 2],
      [8, 6],
      [8, 3],
      [6, 4],
      [5, 4],
      [6, 2],
    ])
      expect(thrown(() => readModelBytes(withSizes(json, f32)))).toEqual(new RangeError(message(json, f32)));
  });
});

describe("the JSON section in shared memory", () => {
  /** A copy of `bytes` in a SharedArrayBuffer, at byte offset 8 of it. */
  const shared = (bytes: Uint8Array) => {
    const view = new Uint8Array(new SharedArrayBuffer(bytes.length + 16), 8, bytes.length);
    view.set(bytes);
    return view;
  };

  it("is decoded from a copy, so a TextDecoder that refuses shared views (as browsers' do) reads it", () => {
    const tree = { a: "é", b: Array.from({ length: 16 }, (_, i) => i / 4) };
    const bytes = shared(writeModelBytes(tree));
    expect(readModelBytes(bytes)).toEqual(tree); // Node's own decoder takes shared views
    const Native = TextDecoder;
    vi.stubGlobal(
      "TextDecoder",
      class extends Native {
        override decode(input?: AllowSharedBufferSource, options?: TextDecodeOptions): string {
          const buffer = input && ArrayBuffer.isView(input) ? input.buffer : input;
          if (buffer instanceof SharedArrayBuffer)
            throw new TypeError("The provided ArrayBufferView must not be shared");
          return super.decode(input as ArrayBuffer, options);
        }
      },
    );
    expect(readModelBytes(bytes)).toEqual(tree);
    // a view into the middle of a larger shared buffer
    const text = new TextEncoder().encode('junk{"x": [1, "ü"]}junk');
    expect(parseJson(shared(text).subarray(4, text.length - 4), "text")).toEqual({ x: [1, "ü"] });
  });
});

describe("packFloats", () => {
  it("gives the copy own data properties: enumerable, writable, configurable, even for __proto__", () => {
    const f32 = Array.from({ length: 16 }, (_, i) => i);
    const tree = JSON.parse(`{"a": 1, "__proto__": {"b": "x"}, "c": ${JSON.stringify(f32)}}`);
    const { json } = packFloats(tree) as { json: Record<string, unknown> };
    const data = (value: unknown) => ({ value, enumerable: true, writable: true, configurable: true });
    expect(Object.getOwnPropertyDescriptor(json, "a")).toEqual(data(1));
    expect(Object.getOwnPropertyDescriptor(json, "c")).toEqual(data({ $f32: [0, 16] }));
    const proto = Object.getOwnPropertyDescriptor(json, "__proto__");
    expect(proto).toEqual(data({ b: "x" }));
    expect(Object.getOwnPropertyDescriptor(proto!.value, "b")).toEqual(data("x"));
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
    json.a = 2;
    expect(json.a).toBe(2);
    expect(delete json.c).toBe(true);
    expect(Object.keys(json)).toEqual(["a", "__proto__"]);
  });

  it("packs only numbers: an array of 16 BigInts stays in the tree, untouched", () => {
    const big = Array.from({ length: 16 }, (_, i) => BigInt(i));
    const packed = packFloats({ big, mixed: [1n, ...Array.from({ length: 15 }, (_, i) => i)] });
    expect(packed.values).toBe(0);
    expect(packed.arrays).toEqual([]);
    expect(packed.json).toEqual({ big, mixed: [1n, ...Array.from({ length: 15 }, (_, i) => i)] });
  });
});

describe("crc32", () => {
  it("matches the IEEE CRC-32 (zlib's) on the check value, every byte value and repeated calls", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(Uint8Array.of(0xff))).toBe(0xff000000);
    const all = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
    expect(crc32(all)).toBe(zlibCrc32(all) >>> 0);
    for (let b = 0; b < 256; b++)
      expect(crc32(Uint8Array.of(b, b ^ 0x5a))).toBe(zlibCrc32(Uint8Array.of(b, b ^ 0x5a)) >>> 0);
  });
});

describe("values JSON text cannot hold", () => {
  it("NaN, ±Infinity and −0 come back, in short arrays as in long ones (JSON would write null and 0)", () => {
    const long = Array.from({ length: 20 }, (_, i) => (i === 7 ? Number.NaN : i === 9 ? -Infinity : i / 8));
    const tree = { short: [1, Number.NaN, 2], edge: [Infinity], plain: [0.5, 0.25], long, nested: { bias: [1, -0] } };
    const back = readModelBytes(writeModelBytes(tree)) as typeof tree;
    expect(back).toStrictEqual(tree); // toStrictEqual tells NaN from null and -0 from 0
    // short finite arrays stay in the JSON text; the others went to the f32 section
    expect(packFloats(tree).arrays.map((a) => a.length)).toEqual([3, 1, 20, 2]);
  });
});
