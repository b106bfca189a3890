// A JSON tree (a model's toJSON()) as one self-describing binary file, for any runtime: a header, the
// tree as JSON with its long f32 arrays replaced by references (packed-floats.ts), then those arrays
// as little-endian f32. All sizes are checked against the byte length before anything is decoded.
//
//   offset   bytes  field
//   0        8      magic "regwasm" + 0x00
//   8        4      container version (1), u32 little-endian, like every field here
//   12       4      J: bytes of the JSON section (UTF-8, padded with spaces to a multiple of 4)
//   16       4      B: bytes of the f32 section (4 per value)
//   20       4      CRC-32 of the J + B bytes after the header
//   24       J      the tree as JSON, references {"$f32": [start, length]} in place of packed arrays
//   24 + J   B      the packed values; 4-byte aligned from the start of the file
import { checkBytes } from "../validate.js";
import { crc32 } from "./crc32.js";
import { packFloats, unpackFloats, writeFloats } from "./packed-floats.js";

export const MAGIC = [0x72, 0x65, 0x67, 0x77, 0x61, 0x73, 0x6d, 0x00]; // "regwasm\0"
export const CONTAINER_VERSION = 1;
export const HEADER_BYTES = 24;
const MAX_U32 = 0xffffffff;
const SPACE = 0x20;

/** The tree as one file's bytes. */
export function writeModelBytes(tree: unknown): Uint8Array {
  const packed = packFloats(tree);
  const text = new TextEncoder().encode(JSON.stringify(packed.json));
  const jsonBytes = Math.ceil(text.length / 4) * 4;
  const floatBytes = 4 * packed.values;
  if (jsonBytes > MAX_U32 || floatBytes > MAX_U32)
    throw new RangeError(
      `the model needs ${jsonBytes} JSON and ${floatBytes} f32 bytes; a file holds 2^32 − 1 of each`,
    );
  const bytes = new Uint8Array(HEADER_BYTES + jsonBytes + floatBytes);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC);
  view.setUint32(8, CONTAINER_VERSION, true);
  view.setUint32(12, jsonBytes, true);
  view.setUint32(16, floatBytes, true);
  bytes.set(text, HEADER_BYTES);
  bytes.fill(SPACE, HEADER_BYTES + text.length, HEADER_BYTES + jsonBytes);
  writeFloats(packed, new DataView(bytes.buffer, HEADER_BYTES + jsonBytes, floatBytes));
  view.setUint32(20, crc32(bytes.subarray(HEADER_BYTES)), true);
  return bytes;
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, "0")}`;

/** A hint for bytes that are no model file but something a user may well have passed instead. */
function whatItIs(bytes: Uint8Array): string {
  // a UTF-8 byte order mark (as some editors on Windows save text) may lead the JSON
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const first = bytes.subarray(bom).find((b) => b !== SPACE && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (first === 0x7b) return " (it is JSON text: use Sequential.fromJSON, or Sequential.load for a saved .json)";
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return " (it is gzip-compressed: decompress it first)";
  return "";
}

/**
 * The tree from writeModelBytes' bytes. Checks, in order and before it decodes anything: the type,
 * the header (magic, version, sizes), the byte length against the declared sizes, the checksum; then
 * the JSON and every reference against the f32 section (see unpackFloats).
 */
export function readModelBytes(value: unknown, name = "bytes"): unknown {
  const bytes = checkBytes(name, value);
  if (bytes.length < HEADER_BYTES)
    throw new RangeError(
      `${name} has ${bytes.length} bytes, fewer than the ${HEADER_BYTES}-byte header of a regwasm model file${whatItIs(bytes)}`,
    );
  if (MAGIC.some((b, i) => bytes[i] !== b))
    throw new TypeError(`${name} is not a regwasm model file: it does not start with "regwasm\\0"${whatItIs(bytes)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== CONTAINER_VERSION)
    throw new RangeError(`${name}: file version ${version} is not supported (expected ${CONTAINER_VERSION})`);
  const jsonBytes = view.getUint32(12, true);
  const floatBytes = view.getUint32(16, true);
  if (jsonBytes % 4 !== 0 || floatBytes % 4 !== 0)
    throw new RangeError(
      `${name}: the header declares ${jsonBytes} JSON and ${floatBytes} f32 bytes; both must be multiples of 4`,
    );
  const declared = HEADER_BYTES + jsonBytes + floatBytes;
  if (bytes.length !== declared) {
    const sizes = `${HEADER_BYTES} header + ${jsonBytes} JSON + ${floatBytes} f32 = ${declared} bytes`;
    throw new RangeError(
      bytes.length < declared
        ? `${name} is truncated: its header declares ${sizes}, got ${bytes.length}`
        : `${name} has ${bytes.length - declared} bytes after the end its header declares (${sizes})`,
    );
  }
  const stored = view.getUint32(20, true);
  const computed = crc32(bytes.subarray(HEADER_BYTES));
  if (stored !== computed)
    throw new TypeError(
      `${name} is corrupted: its CRC-32 is ${hex(computed)}, the header says ${hex(stored)} (a byte after the header changed)`,
    );
  const tree = parseJson(bytes.subarray(HEADER_BYTES, HEADER_BYTES + jsonBytes), `${name}'s JSON section`);
  return unpackFloats(tree, new DataView(bytes.buffer, bytes.byteOffset + HEADER_BYTES + jsonBytes, floatBytes), name);
}

/** UTF-8 JSON text, with TypeErrors that name where it came from. */
export function parseJson(utf8: Uint8Array, name: string): unknown {
  let text: string;
  try {
    // a copy: decode() refuses views of shared memory
    text = new TextDecoder("utf-8", { fatal: true }).decode(utf8.slice());
  } catch {
    throw new TypeError(`${name} is not valid UTF-8`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TypeError(`${name} is not valid JSON: ${(error as Error).message}`);
  }
}
