// Node only: a JSON tree (a model's toJSON()) as two files, a config and its weights beside it.
// save("dir/m.json") writes
//   dir/m.json         {"format": "regwasm.model-files", "version": 1,
//                       "weights": {"file": "m.weights.bin", "byteLength": …, "crc32": …},
//                       "model": the tree, long f32 arrays replaced by references (packed-floats.ts)}
//   dir/m.weights.bin  those arrays as little-endian f32, nothing else
// (a path without ".json" gets ".weights.bin" appended). The JSON names its weights file relative to
// itself, so the pair can be moved together; its size and CRC-32 make a truncated, corrupted or
// mismatched weights file an error on load.
//
// node:fs and node:path are imported on first call only, from specifiers in variables that browser
// bundlers (webpack, Vite, esbuild) leave alone: browser builds neither bundle nor stub them.
import { checkOptions, checkUint32, describe } from "../validate.js";
import { parseJson } from "./bytes.js";
import { crc32 } from "./crc32.js";
import { packFloats, unpackFloats, writeFloats } from "./packed-floats.js";

export const FILES_FORMAT = "regwasm.model-files";
export const FILES_VERSION = 1;
export const WEIGHTS_SUFFIX = ".weights.bin";

type NodeFs = typeof import("node:fs/promises");
type NodePath = typeof import("node:path");

const FS_MODULE = "node:fs/promises";
const PATH_MODULE = "node:path";

export type FilesCaller = "model.save" | "Sequential.load" | "model.saveTfjs" | "Sequential.loadTfjs";

/** What a browser user should do instead. */
const INSTEAD: Record<FilesCaller, string> = {
  "model.save": "use model.toBytes() and store the bytes yourself (a download, IndexedDB, a fetch upload)",
  "Sequential.load": "fetch or read the bytes of a toBytes() file and use Sequential.fromBytes(bytes)",
  "model.saveTfjs": "pass model.toTfjs() to a TF.js save handler (tf.io.browserDownloads, indexeddb://)",
  "Sequential.loadTfjs": "load the artifacts with a TF.js handler (tf.io.http(url).load()) and use Sequential.fromTfjs",
};

export async function nodeModules(caller: FilesCaller): Promise<{ fs: NodeFs; path: NodePath }> {
  if (typeof globalThis.process?.versions?.node !== "string")
    throw new Error(`${caller}(path) needs Node's file system, which this runtime lacks: ${INSTEAD[caller]}`);
  const [fs, path] = await Promise.all([
    import(/* webpackIgnore: true */ /* @vite-ignore */ FS_MODULE) as Promise<NodeFs>,
    import(/* webpackIgnore: true */ /* @vite-ignore */ PATH_MODULE) as Promise<NodePath>,
  ]);
  return { fs, path };
}

export function checkPath(name: string, value: unknown): asserts value is string {
  if (typeof value !== "string" || value === "")
    throw new TypeError(`${name} must be a non-empty file path, got ${describe(value)}`);
}

/** The weights file's name for a config file's name: "m.json" → "m.weights.bin", "m" → "m.weights.bin". */
export function weightsFileName(configName: string): string {
  return `${configName.replace(/\.json$/i, "")}${WEIGHTS_SUFFIX}`;
}

/** Writes the weights file, then the config that names it. */
export async function saveModelFiles(path: string, tree: unknown, caller: FilesCaller): Promise<void> {
  const { fs, path: paths } = await nodeModules(caller);
  checkPath("path", path);
  const packed = packFloats(tree);
  const weights = new Uint8Array(4 * packed.values);
  writeFloats(packed, new DataView(weights.buffer));
  const file = weightsFileName(paths.basename(path));
  const config = {
    format: FILES_FORMAT,
    version: FILES_VERSION,
    weights: { file, byteLength: weights.length, crc32: crc32(weights) },
    model: packed.json,
  };
  await fs.writeFile(paths.join(paths.dirname(path), file), weights);
  await fs.writeFile(path, `${JSON.stringify(config)}\n`);
}

/** A plain file name (no directory part), so a config can only name a file beside itself. */
function checkFileName(name: string, value: unknown): asserts value is string {
  if (typeof value !== "string" || value === "" || value === "." || value === ".." || /[/\\\0]/.test(value))
    throw new TypeError(`${name} must be a file name without a directory part, got ${describe(value)}`);
}

/**
 * The tree saveModelFiles saved at `path`. Checks the config (format, version, the weights entry),
 * then the weights file's size before reading it, then its checksum, then every reference.
 */
export async function loadModelFiles(path: string, caller: FilesCaller): Promise<unknown> {
  const { fs, path: paths } = await nodeModules(caller);
  checkPath("path", path);
  const config = parseJson(await fs.readFile(path), path) as Record<string, unknown>;
  // the format first: JSON from toJSON() is a likely mistake, and this message names it
  if (config === null || typeof config !== "object" || config.format !== FILES_FORMAT)
    throw new TypeError(
      `${path}.format must be "${FILES_FORMAT}" (a config written by save(); JSON from toJSON() loads with Sequential.fromJSON), got ${describe(config?.format)}`,
    );
  checkOptions(path, config, ["format", "version", "weights", "model"]);
  if (config.version !== FILES_VERSION)
    throw new RangeError(`${path}.version ${describe(config.version)} is not supported (expected ${FILES_VERSION})`);
  const entry = config.weights as Record<string, unknown>;
  checkOptions(`${path}.weights`, entry, ["file", "byteLength", "crc32"]);
  const { file, byteLength, crc32: stored } = entry;
  checkFileName(`${path}.weights.file`, file);
  if (typeof byteLength !== "number" || !Number.isSafeInteger(byteLength) || byteLength < 0 || byteLength % 4 !== 0)
    throw new RangeError(`${path}.weights.byteLength must be a multiple of 4 bytes, got ${describe(byteLength)}`);
  checkUint32(`${path}.weights.crc32`, stored);
  const weightsPath = paths.join(paths.dirname(path), file);
  const size = (await fs.stat(weightsPath)).size;
  if (size !== byteLength)
    throw new RangeError(
      `${weightsPath} has ${size} bytes, ${path} declares ${byteLength}: ${size < byteLength ? "it is truncated" : "it has extra bytes"} or belongs to another save`,
    );
  const weights = await fs.readFile(weightsPath);
  if (weights.length !== byteLength) throw new RangeError(`${weightsPath} changed while it was read`);
  const computed = crc32(weights);
  if (computed !== stored)
    throw new TypeError(
      `${weightsPath} is corrupted or belongs to another save: its CRC-32 is ${computed}, ${path} declares ${stored}`,
    );
  return unpackFloats(config.model, new DataView(weights.buffer, weights.byteOffset, weights.length), `${path}.model`);
}
