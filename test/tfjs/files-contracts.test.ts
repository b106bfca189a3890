// saveTfjsFiles / loadTfjsFiles, field by field: what model.json holds (defaults and what is left
// out), where the directory goes, and each refusal of the reader (the path arguments, model.json's
// shape, the manifest and its shard paths) with its message.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TfjsArtifacts, TfjsWeightSpec } from "../../src/model/tfjs-format.js";
import { loadTfjsFiles, saveTfjsFiles } from "../../src/model/tfjs-files.js";
import { errorOf } from "../layers/support.js";

let root = "";
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "regwasm-tfjs-files-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

let count = 0;
/** A fresh directory name under the suite's root (not created). */
const fresh = (label: string): string => join(root, `${label}-${count++}`);

const TOPOLOGY = { class_name: "Sequential", config: { name: "sequential", layers: [] } };
const SPECS: TfjsWeightSpec[] = [{ name: "dense_0/kernel", shape: [2], dtype: "float32" }];

const readJson = async (file: string): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;

async function messageOf(run: () => unknown): Promise<string> {
  const error = await errorOf(run);
  expect(error).toBeInstanceOf(TypeError);
  return (error as Error).message;
}

/** A directory with model.json holding `json` (stringified unless a string) and weights.bin of 8 bytes. */
async function modelDir(json: unknown): Promise<string> {
  const dir = fresh("model");
  await mkdir(dir);
  await writeFile(join(dir, "model.json"), typeof json === "string" ? json : JSON.stringify(json));
  await writeFile(join(dir, "weights.bin"), Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
  return dir;
}

describe("saveTfjsFiles", () => {
  it("model.json's defaults: format layers-model, convertedBy null, an empty manifest list, no metadata key; weights.bin empty", async () => {
    const dir = fresh("defaults");
    await saveTfjsFiles(dir, { modelTopology: TOPOLOGY }, "model.saveTfjs");
    expect(await readJson(join(dir, "model.json"))).toStrictEqual({
      modelTopology: TOPOLOGY,
      format: "layers-model",
      convertedBy: null,
      weightsManifest: [{ paths: ["weights.bin"], weights: [] }],
    });
    expect((await readFile(join(dir, "weights.bin"))).length).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(["model.json", "weights.bin"]);
  });

  it("model.json keeps the given format, generatedBy, convertedBy, specs and metadata", async () => {
    const dir = fresh("given");
    const artifacts: TfjsArtifacts = {
      modelTopology: TOPOLOGY,
      format: "graph-model",
      generatedBy: "someone",
      convertedBy: "TensorFlow.js Converter v4",
      weightSpecs: SPECS,
      weightData: Float32Array.of(1.5, -2).buffer,
      userDefinedMetadata: { regwasm: { version: 1 } },
    };
    await saveTfjsFiles(dir, artifacts, "model.saveTfjs");
    expect(await readJson(join(dir, "model.json"))).toStrictEqual({
      modelTopology: TOPOLOGY,
      format: "graph-model",
      generatedBy: "someone",
      convertedBy: "TensorFlow.js Converter v4",
      weightsManifest: [{ paths: ["weights.bin"], weights: SPECS }],
      userDefinedMetadata: { regwasm: { version: 1 } },
    });
    const bytes = await readFile(join(dir, "weights.bin"));
    expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, 2))).toEqual([1.5, -2]);
  });

  it("a null userDefinedMetadata is left out, as an absent one", async () => {
    const dir = fresh("null-meta");
    const artifacts = { modelTopology: TOPOLOGY, userDefinedMetadata: null } as unknown as TfjsArtifacts;
    await saveTfjsFiles(dir, artifacts, "model.saveTfjs");
    expect("userDefinedMetadata" in (await readJson(join(dir, "model.json")))).toBe(false);
  });

  it("a nested directory that does not exist yet is created, parents included", async () => {
    const dir = join(fresh("nested"), "a", "b");
    await saveTfjsFiles(
      dir,
      { modelTopology: TOPOLOGY, weightData: Uint8Array.of(9, 8, 7, 6).buffer },
      "model.saveTfjs",
    );
    expect(Array.from(await readFile(join(dir, "weights.bin")))).toEqual([9, 8, 7, 6]);
    expect((await readJson(join(dir, "model.json"))).modelTopology).toEqual(TOPOLOGY);
  });

  it("an existing directory is written into", async () => {
    const dir = fresh("existing");
    await mkdir(dir);
    await saveTfjsFiles(dir, { modelTopology: TOPOLOGY }, "model.saveTfjs");
    expect(existsSync(join(dir, "model.json"))).toBe(true);
  });

  // a colon in a file name: POSIX only
  it.skipIf(process.platform === "win32")(
    "file:// is stripped at the start only: elsewhere it is part of the path",
    async () => {
      const base = fresh("scheme");
      await saveTfjsFiles(`file://${base}`, { modelTopology: TOPOLOGY }, "model.saveTfjs");
      expect(existsSync(join(base, "model.json"))).toBe(true);
      // "xfile://y" is the directory "xfile:" then "y" (POSIX collapses the double slash)
      const inner = `${fresh("inner")}/xfile://y`;
      await saveTfjsFiles(inner, { modelTopology: TOPOLOGY }, "model.saveTfjs");
      expect(existsSync(inner.replace("xfile://y", "xfile:/y/model.json"))).toBe(true);
      expect(existsSync(inner.replace("xfile://y", "xy"))).toBe(false);
    },
  );

  it.each([
    ["an empty string", "", "string "],
    ["a number", 5, "number 5"],
    ["undefined", undefined, "undefined"],
    ["the scheme alone", "file://", "string file://"],
  ])("dir as %s is a TypeError naming dir", async (_name, dir, described) => {
    const message = await messageOf(() => saveTfjsFiles(dir as string, { modelTopology: TOPOLOGY }, "model.saveTfjs"));
    expect(message).toBe(`dir must be a non-empty file path, got ${described}`);
  });
});

describe("loadTfjsFiles", () => {
  it("reads the fields back; metadata only when model.json has it", async () => {
    const dir = await modelDir({
      modelTopology: TOPOLOGY,
      format: "layers-model",
      generatedBy: "g",
      convertedBy: null,
      weightsManifest: [{ paths: ["weights.bin"], weights: SPECS }],
    });
    const artifacts = await loadTfjsFiles(dir, "Sequential.loadTfjs");
    expect("userDefinedMetadata" in artifacts).toBe(false);
    expect(artifacts).toStrictEqual({
      modelTopology: TOPOLOGY,
      format: "layers-model",
      generatedBy: "g",
      convertedBy: null,
      weightSpecs: SPECS,
      weightData: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8).buffer,
    });
  });

  it("userDefinedMetadata is read back", async () => {
    const meta = { regwasm: { version: 1, layers: { dense_0: { seed: 3 } } } };
    const dir = await modelDir({ modelTopology: TOPOLOGY, weightsManifest: [], userDefinedMetadata: meta });
    const artifacts = await loadTfjsFiles(join(dir, "model.json"), "Sequential.loadTfjs");
    expect(artifacts.userDefinedMetadata).toEqual(meta);
  });

  it("a null userDefinedMetadata is left out", async () => {
    const dir = await modelDir({ modelTopology: TOPOLOGY, userDefinedMetadata: null });
    expect("userDefinedMetadata" in (await loadTfjsFiles(dir, "Sequential.loadTfjs"))).toBe(false);
  });

  it("a model.json without weightsManifest: no specs, no weight data", async () => {
    const dir = await modelDir({ modelTopology: TOPOLOGY });
    const artifacts = await loadTfjsFiles(dir, "Sequential.loadTfjs");
    expect(artifacts.weightSpecs).toEqual([]);
    expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(0);
  });

  it.each([
    ["an empty string", "", "string "],
    ["a number", 7, "number 7"],
    ["null", null, "null"],
    ["the scheme alone", "file://", "string file://"],
  ])("path as %s is a TypeError naming path", async (_name, path, described) => {
    const message = await messageOf(() => loadTfjsFiles(path as string, "Sequential.loadTfjs"));
    expect(message).toBe(`path must be a non-empty file path, got ${described}`);
  });

  it.each([
    ["null", "null"],
    ["a number", "5"],
    ["a string", '"model"'],
    ["an object without modelTopology", { format: "layers-model" }],
    ["a modelTopology that is a string", { modelTopology: "Sequential" }],
  ])("model.json holding %s is a TypeError", async (_name, json) => {
    const dir = await modelDir(json);
    const file = join(dir, "model.json");
    expect(await messageOf(() => loadTfjsFiles(dir, "Sequential.loadTfjs"))).toBe(
      `${file} must be a TF.js model.json with a modelTopology`,
    );
  });

  it.each([
    ["an object", { paths: ["weights.bin"], weights: [] }],
    ["a string", "weights.bin"],
  ])("a weightsManifest that is %s is a TypeError", async (_name, weightsManifest) => {
    const dir = await modelDir({ modelTopology: TOPOLOGY, weightsManifest });
    expect(await messageOf(() => loadTfjsFiles(dir, "Sequential.loadTfjs"))).toBe(
      `${join(dir, "model.json")}: weightsManifest must be an array of weight groups`,
    );
  });

  it.each([
    ["null", null],
    ["without paths", { weights: [] }],
    ["without weights", { paths: ["weights.bin"] }],
    ["with paths not an array", { paths: "weights.bin", weights: [] }],
    ["with weights not an array", { paths: ["weights.bin"], weights: {} }],
  ])("a weight group %s is a TypeError naming the group", async (_name, group) => {
    const dir = await modelDir({
      modelTopology: TOPOLOGY,
      weightsManifest: [{ paths: ["weights.bin"], weights: SPECS }, group],
    });
    expect(await messageOf(() => loadTfjsFiles(dir, "Sequential.loadTfjs"))).toBe(
      `${join(dir, "model.json")}: weightsManifest[1] must have paths and weights arrays`,
    );
  });

  it.each([
    ["a number", 5, "number 5"],
    ["null", null, "null"],
    ["an empty string", "", "string "],
    ["an absolute path", "/weights.bin", "string /weights.bin"],
    ["a backslash-absolute path", "\\weights.bin", "string \\weights.bin"],
    ["a drive letter", "C:weights.bin", "string C:weights.bin"],
    ["a lower-case drive letter", "c:/weights.bin", "string c:/weights.bin"],
    ["a URL scheme", "file:weights.bin", "string file:weights.bin"],
    ["an https URL", "https://host/weights.bin", "string https://host/weights.bin"],
    [".. at the start", "../weights.bin", "string ../weights.bin"],
    [".. in the middle", "a/../../weights.bin", "string a/../../weights.bin"],
    [".. at the end", "shards/..", "string shards/.."],
    [".. alone", "..", "string .."],
    [".. after a backslash", "shards\\..", "string shards\\.."],
  ])("a shard path that is %s is a TypeError naming it", async (_name, shard, described) => {
    const dir = await modelDir({
      modelTopology: TOPOLOGY,
      weightsManifest: [{ paths: ["weights.bin", shard], weights: [] }],
    });
    expect(await messageOf(() => loadTfjsFiles(dir, "Sequential.loadTfjs"))).toBe(
      `${join(dir, "model.json")}: weightsManifest[0].paths[1] must be a path relative to model.json and inside its directory, got ${described}`,
    );
  });

  it.skipIf(process.platform === "win32").each(["..weights.bin", "weights..bin", "a..b/weights.bin", "1:weights.bin"])(
    "a shard named %s (dots or a colon, not a .. segment or a scheme) is read",
    async (shard) => {
      const dir = await modelDir({ modelTopology: TOPOLOGY, weightsManifest: [{ paths: [shard], weights: SPECS }] });
      await mkdir(join(dir, shard, ".."), { recursive: true });
      await writeFile(join(dir, shard), Uint8Array.of(4, 3, 2, 1));
      const artifacts = await loadTfjsFiles(dir, "Sequential.loadTfjs");
      expect(Array.from(new Uint8Array(artifacts.weightData as ArrayBuffer))).toEqual([4, 3, 2, 1]);
    },
  );
});
