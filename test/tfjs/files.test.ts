// model.saveTfjs(dir) / Sequential.loadTfjs(path) in Node: the layout of TF.js's `file://` handler
// (dir/model.json with a weightsManifest naming weights.bin), read back by TF.js through its own
// io utilities, and sharded manifests as the converter writes them.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Adam, Dense, Dropout, init, ReLU, Sequential, spiralData } from "../../src/index.js";
import { saveTfjsFiles } from "../../src/model/tfjs-files.js";
import { errorOf } from "../layers/support.js";
import { configsOf, maxAbsDifference, tf, tfjsPredict, tfjsReady, tfl } from "./support.js";

await init();
beforeAll(() => tfjsReady());
const root = mkdtempSync(join(tmpdir(), "regwasm-tfjs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const data = spiralData(30, 3, { seed: 5 });
const bitsOf = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);

async function trained(): Promise<Sequential> {
  const model = new Sequential([
    new Dense(2, 12, { weightL2: 1e-3, seed: 1 }),
    new ReLU(),
    new Dropout(0.2, { seed: 2 }),
    new Dense(12, 3, { seed: 3 }),
  ]);
  await model.fit(data.x, data.y, { epochs: 3, batchSize: 30, optimizer: new Adam({ learningRate: 0.03 }) });
  return model;
}

/** TF.js's IOHandler for a model.json and the files it lists, built from tf.io's own helpers. */
function tfjsFileHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = manifest.flatMap((group) => group.paths.map((p) => readFileSync(join(dir, p))));
        const bytes = Buffer.concat(buffers);
        return [specs, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)];
      });
    },
  };
}

describe("saveTfjs", () => {
  it("writes model.json (topology, a manifest naming weights.bin, metadata) and weights.bin, which TF.js loads", async () => {
    const model = await trained();
    const dir = join(root, "saved");
    await model.saveTfjs(dir);
    const artifacts = model.toTfjs();
    const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
    expect(json.format).toBe("layers-model");
    expect(json.modelTopology).toEqual(artifacts.modelTopology);
    expect(json.weightsManifest).toEqual([{ paths: ["weights.bin"], weights: artifacts.weightSpecs }]);
    expect(json.userDefinedMetadata).toEqual(artifacts.userDefinedMetadata);
    const weights = readFileSync(join(dir, "weights.bin"));
    expect(Buffer.compare(weights, Buffer.from(artifacts.weightData as ArrayBuffer))).toBe(0);
    const tfModel = await tfl.loadLayersModel(tfjsFileHandler(dir));
    expect(maxAbsDifference(tfjsPredict(tfModel, data.x, 2), model.predict(data.x))).toBeLessThan(1e-6);
    model.free();
    tfModel.dispose();
  });

  it("writes weight data given as a list of buffers (TF.js 4's form) one after another", async () => {
    const model = await trained();
    const artifacts = model.toTfjs();
    const data = artifacts.weightData as ArrayBuffer;
    const dir = join(root, "parts");
    await saveTfjsFiles(dir, { ...artifacts, weightData: [data.slice(0, 20), data.slice(20)] }, "model.saveTfjs");
    expect(Buffer.compare(readFileSync(join(dir, "weights.bin")), Buffer.from(data))).toBe(0);
    model.free();
  });

  it("a model TF.js cannot run is refused before any file is written", async () => {
    const model = new Sequential([new Dense(2, 3, { activityL1: 0.1, seed: 1 })]);
    const dir = join(root, "refused");
    const error = await errorOf(() => model.saveTfjs(dir));
    expect((error as Error).message).toMatch(/layers\[0\] \(Dense\) has an activity penalty/);
    expect(existsSync(dir)).toBe(false);
    model.free();
  });
});

describe("loadTfjs", () => {
  it.each([
    ["the directory", (dir: string) => dir],
    ["model.json", (dir: string) => join(dir, "model.json")],
    ["a file:// URL", (dir: string) => `file://${join(dir, "model.json")}`],
  ])("from %s: the same model, bit for bit", async (_name, pathOf) => {
    const model = await trained();
    const dir = join(root, `load-${_name.replace(/\W/g, "")}`);
    await model.saveTfjs(dir);
    const copy = await Sequential.loadTfjs(pathOf(dir));
    expect(configsOf(copy)).toEqual(configsOf(model));
    copy.getWeights().forEach((w, i) => expect(bitsOf(w)).toEqual(bitsOf(model.getWeights()[i])));
    expect(bitsOf(copy.predict(data.x))).toEqual(bitsOf(model.predict(data.x)));
    model.free();
    copy.free();
  });

  it("reads every shard a manifest lists, in order (the converter's group1-shard1of2.bin, …)", async () => {
    const model = await trained();
    const dir = join(root, "sharded");
    await model.saveTfjs(dir);
    const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
    const weights = readFileSync(join(dir, "weights.bin"));
    mkdirSync(join(dir, "shards"));
    writeFileSync(join(dir, "shards", "group1-shard1of2.bin"), weights.subarray(0, 52));
    writeFileSync(join(dir, "shards", "group1-shard2of2.bin"), weights.subarray(52));
    rmSync(join(dir, "weights.bin"));
    json.weightsManifest[0].paths = ["shards/group1-shard1of2.bin", "./shards/group1-shard2of2.bin"];
    writeFileSync(join(dir, "model.json"), JSON.stringify(json));
    const copy = await Sequential.loadTfjs(dir);
    copy.getWeights().forEach((w, i) => expect(bitsOf(w)).toEqual(bitsOf(model.getWeights()[i])));
    model.free();
    copy.free();
  });

  it.each(["../weights.bin", "/etc/passwd", "a/../../b.bin"])(
    "a shard path outside model.json's directory (%s) is a TypeError",
    async (shard) => {
      const dir = join(root, `escape-${shard.replace(/\W/g, "")}`);
      mkdirSync(dir);
      writeFileSync(
        join(dir, "model.json"),
        JSON.stringify({
          modelTopology: { class_name: "Sequential" },
          weightsManifest: [{ paths: [shard], weights: [] }],
        }),
      );
      const error = await errorOf(() => Sequential.loadTfjs(dir));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(
        /paths\[0\] must be a path relative to model\.json and inside its directory/,
      );
    },
  );
});
