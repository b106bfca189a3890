// Helpers for the model-file suites: a small trained model, an independent reader of the byte format
// (written from the format's description, not from src/), and bit comparisons of model state.
import { crc32 } from "node:zlib";
import { Adam, Dense, Dropout, ReLU, Sequential, spiralData } from "../../src/index.js";

export const train = () => spiralData(30, 3, { seed: 7 });

/** Dense(2,24) with penalties, ReLU, Dropout (stored mask), Dense(24,3): packed and JSON-kept arrays. */
export const smallModel = () =>
  new Sequential([
    new Dense(2, 24, { weightL2: 5e-4, biasL1: 1e-4, seed: 1 }),
    new ReLU(),
    new Dropout(0.2, { seed: 2 }),
    new Dense(24, 3, { seed: 3 }),
  ]);

export const adam = () => new Adam({ learningRate: 0.02, decay: 1e-3 });

/** Every parameter's values, copied. */
export const weightsOf = (model: Sequential): Float32Array[] => model.params().map((p) => p.value.view().slice());

/** The header fields as the format describes them (little-endian u32s after an 8-byte magic). */
export function header(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    magic: Buffer.from(bytes.subarray(0, 8)).toString("latin1"),
    version: view.getUint32(8, true),
    jsonBytes: view.getUint32(12, true),
    floatBytes: view.getUint32(16, true),
    crc32: view.getUint32(20, true),
  };
}

/** The tree a file holds, read with Node's Buffer: references {"$f32": [start, length]} resolved. */
export function referenceRead(bytes: Uint8Array): unknown {
  const { jsonBytes } = header(bytes);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const floats = buf.subarray(24 + jsonBytes);
  return JSON.parse(buf.subarray(24, 24 + jsonBytes).toString("utf8"), (_, value) => {
    const run = value?.$f32;
    if (!run) return value;
    return Array.from({ length: run[1] }, (_, i) => floats.readFloatLE(4 * (run[0] + i)));
  });
}

/** Rewrites the header's CRC-32 (Node's zlib) after a test changed bytes on purpose. */
export function seal(bytes: Uint8Array): Uint8Array {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(20, crc32(bytes.subarray(24)) >>> 0, true);
  return bytes;
}

/** A file with this JSON section and f32 section (the JSON padded with spaces), sealed. */
export function fileOf(json: string, floats: number[] = [], version = 1): Uint8Array {
  const text = Buffer.from(json, "utf8");
  const jsonBytes = Math.ceil(text.length / 4) * 4;
  const bytes = new Uint8Array(24 + jsonBytes + 4 * floats.length);
  const view = new DataView(bytes.buffer);
  bytes.set(Buffer.from("regwasm\0", "latin1"));
  view.setUint32(8, version, true);
  view.setUint32(12, jsonBytes, true);
  view.setUint32(16, 4 * floats.length, true);
  bytes.set(text, 24);
  bytes.fill(0x20, 24 + text.length, 24 + jsonBytes);
  floats.forEach((v, i) => view.setFloat32(24 + jsonBytes + 4 * i, v, true));
  return seal(bytes);
}
