// Node only: TF.js artifacts as the files TF.js's `file://` handler writes and reads: dir/model.json
// ({ modelTopology, weightsManifest: [{ paths: ["weights.bin"], weights: specs }], format, … }) and
// dir/weights.bin (the weight data). Loading reads every shard the manifest lists, relative to
// model.json, in order (converted models are often split into group1-shard1of2.bin, …).
// node:fs and node:path come from files.ts's lazy import, which browser bundles leave alone.
import { describe } from "../validate.js";
import { parseJson } from "./bytes.js";
import { checkPath, type FilesCaller, nodeModules } from "./files.js";
import {
  TFJS_FORMAT,
  TFJS_MODEL_FILE,
  TFJS_WEIGHTS_FILE,
  type TfjsArtifacts,
  type TfjsModelJSON,
  type TfjsWeightSpec,
} from "./tfjs-format.js";

/** The path of `value`, "file://dir" as TF.js spells it or a plain path; "file://" alone is no path either. */
function schemelessPath(name: string, value: unknown): string {
  checkPath(name, value);
  const path = value.replace(/^file:\/\//, "");
  if (path === "") throw new TypeError(`${name} must be a non-empty file path, got ${describe(value)}`);
  return path;
}

/** Writes dir/weights.bin, then dir/model.json that lists it (the directory is created if missing). */
export async function saveTfjsFiles(dir: string, artifacts: TfjsArtifacts, caller: FilesCaller): Promise<void> {
  const { fs, path } = await nodeModules(caller);
  const root = schemelessPath("dir", dir);
  // TF.js 4 allows the weight data as a list of buffers: written one after another
  const parts = artifacts.weightData === undefined ? [] : [artifacts.weightData].flat();
  const weights = new Uint8Array(parts.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of parts) {
    weights.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  const modelJSON: TfjsModelJSON = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format ?? TFJS_FORMAT,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.userDefinedMetadata) modelJSON.userDefinedMetadata = artifacts.userDefinedMetadata;
  await fs.mkdir(root, { recursive: true });
  await fs.writeFile(path.join(root, TFJS_WEIGHTS_FILE), weights);
  await fs.writeFile(path.join(root, TFJS_MODEL_FILE), JSON.stringify(modelJSON));
}

/** A shard path of the manifest: relative, inside model.json's directory. */
function checkShard(name: string, value: unknown): asserts value is string {
  if (
    typeof value !== "string" ||
    value === "" ||
    /^([/\\]|[a-z]+:)/i.test(value) ||
    /(^|[/\\])\.\.([/\\]|$)/.test(value)
  )
    throw new TypeError(
      `${name} must be a path relative to model.json and inside its directory, got ${describe(value)}`,
    );
}

/** The artifacts of `pathOrDir` (model.json, or a directory holding one) and the weight files it lists. */
export async function loadTfjsFiles(pathOrDir: string, caller: FilesCaller): Promise<TfjsArtifacts> {
  const { fs, path } = await nodeModules(caller);
  let file = schemelessPath("path", pathOrDir);
  if ((await fs.stat(file)).isDirectory()) file = path.join(file, TFJS_MODEL_FILE);
  const json = parseJson(await fs.readFile(file), file) as TfjsModelJSON;
  if (json === null || typeof json !== "object" || typeof json.modelTopology !== "object")
    throw new TypeError(`${file} must be a TF.js model.json with a modelTopology`);
  const manifest = json.weightsManifest ?? [];
  if (!Array.isArray(manifest)) throw new TypeError(`${file}: weightsManifest must be an array of weight groups`);
  const specs: TfjsWeightSpec[] = [];
  const shards: Uint8Array[] = [];
  for (const [g, group] of manifest.entries()) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights))
      throw new TypeError(`${file}: weightsManifest[${g}] must have paths and weights arrays`);
    for (const [p, shard] of group.paths.entries()) {
      checkShard(`${file}: weightsManifest[${g}].paths[${p}]`, shard);
      shards.push(await fs.readFile(path.join(path.dirname(file), shard)));
    }
    specs.push(...group.weights);
  }
  const weightData = new ArrayBuffer(shards.reduce((n, s) => n + s.length, 0));
  const bytes = new Uint8Array(weightData);
  let at = 0;
  for (const s of shards) {
    bytes.set(s, at);
    at += s.length;
  }
  const artifacts: TfjsArtifacts = {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    weightSpecs: specs,
    weightData,
  };
  if (json.userDefinedMetadata) artifacts.userDefinedMetadata = json.userDefinedMetadata;
  return artifacts;
}
