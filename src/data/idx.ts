// The IDX format of MNIST and Fashion-MNIST (train-images-idx3-ubyte, train-labels-idx1-ubyte, …):
// two zero bytes, a type code, the number of dimensions, one big-endian u32 size per dimension, then
// the values, big-endian, in row-major order. Everything is checked before the data is copied.
import { checkBytes } from "../validate.js";

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  /** Size of each dimension, outermost first: [60000, 28, 28] for MNIST's training images. */
  shape: number[];
  /** The values in row-major order, in a new array of the file's element type. */
  data: IdxData;
}

interface ElementType {
  name: string;
  bytes: number;
  create(length: number): IdxData;
  /** The big-endian value at a byte offset. */
  read(view: DataView, offset: number): number;
}

const ELEMENT_TYPES: ReadonlyMap<number, ElementType> = new Map<number, ElementType>([
  [0x08, { name: "u8", bytes: 1, create: (n) => new Uint8Array(n), read: (v, o) => v.getUint8(o) }],
  [0x09, { name: "i8", bytes: 1, create: (n) => new Int8Array(n), read: (v, o) => v.getInt8(o) }],
  [0x0b, { name: "i16", bytes: 2, create: (n) => new Int16Array(n), read: (v, o) => v.getInt16(o) }],
  [0x0c, { name: "i32", bytes: 4, create: (n) => new Int32Array(n), read: (v, o) => v.getInt32(o) }],
  [0x0d, { name: "f32", bytes: 4, create: (n) => new Float32Array(n), read: (v, o) => v.getFloat32(o) }],
  [0x0e, { name: "f64", bytes: 8, create: (n) => new Float64Array(n), read: (v, o) => v.getFloat64(o) }],
]);

const hex = (b: number): string => `0x${b.toString(16).padStart(2, "0")}`;
const KNOWN = [...ELEMENT_TYPES].map(([code, t]) => `${hex(code)} ${t.name}`).join(", ");

/**
 * Reads an IDX file (MNIST, Fashion-MNIST, EMNIST) from its bytes. The files are usually distributed
 * gzip-compressed (.gz): decompress them first, e.g. with Node's `zlib.gunzipSync` or a browser's
 * `DecompressionStream("gzip")`. Checks the header (two zero bytes, a known type code, at least one
 * dimension) and that the byte length is exactly the header plus the values it declares, before it
 * allocates anything: a truncated file or one with trailing bytes is a RangeError.
 * @example const { shape, data } = readIdx(gunzipSync(readFileSync("train-images-idx3-ubyte.gz")));
 */
export function readIdx(bytes: Uint8Array | ArrayBuffer): IdxArray {
  const b = checkBytes("bytes", bytes);
  if (b.length < 4) throw new RangeError(`bytes has ${b.length} bytes, fewer than the 4 of an IDX magic number`);
  if (b[0] !== 0 || b[1] !== 0) {
    const gzip = b[0] === 0x1f && b[1] === 0x8b ? ": it is gzip-compressed, decompress it first" : "";
    throw new TypeError(
      `bytes is not an IDX file: it must start with two zero bytes, got ${hex(b[0])} ${hex(b[1])}${gzip}`,
    );
  }
  const type = ELEMENT_TYPES.get(b[2]);
  if (!type) throw new TypeError(`bytes: IDX type code ${hex(b[2])} is unknown (known: ${KNOWN})`);
  const dimensions = b[3];
  if (dimensions === 0) throw new RangeError("bytes: an IDX file must have at least 1 dimension, got 0");
  const headerBytes = 4 + 4 * dimensions;
  if (b.length < headerBytes)
    throw new RangeError(
      `bytes is truncated: expected at least ${headerBytes} bytes (the header of ${dimensions} dimensions), got ${b.length}`,
    );
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const shape = Array.from({ length: dimensions }, (_, i) => view.getUint32(4 + 4 * i));
  // a zero size first: 0 × ∞ would be NaN for a valid empty file with many large dimensions
  const values = shape.includes(0) ? 0 : shape.reduce((n, size) => n * size, 1);
  const expected = headerBytes + values * type.bytes;
  const sizes = `${headerBytes}-byte header + ${shape.join(" × ")} ${type.name} values of ${type.bytes} byte${type.bytes > 1 ? "s" : ""}`;
  // beyond 2^53 the product is no longer exact, and no array could hold the values anyway
  if (!Number.isSafeInteger(expected))
    throw new RangeError(`bytes: its header declares more than 2^53 bytes (${sizes}), got ${b.length}`);
  if (b.length !== expected) {
    throw new RangeError(
      b.length < expected
        ? `bytes is truncated: expected ${expected} bytes (${sizes}), got ${b.length}`
        : `bytes has ${b.length - expected} bytes after the ${expected} its header declares (${sizes})`,
    );
  }
  const data = type.create(values);
  if (type.bytes === 1) {
    data.set(b.subarray(headerBytes)); // into an Int8Array, 128…255 wrap to −128…−1: the i8 bytes as stored
  } else {
    for (let i = 0; i < values; i++) data[i] = type.read(view, headerBytes + i * type.bytes);
  }
  return { shape, data };
}
