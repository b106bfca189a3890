// model.save(path) / Sequential.load(path) in Node: the two files (config + weights beside it), what
// they hold (the same packed values as toBytes()), exact round trips, and named errors for a broken
// pair, before the weights are read.
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { init, Sequential } from "../../src/index.js";
import { weightsFileName } from "../../src/model/files.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { firstBitDifference } from "../layers/support.js";
import { adam, header, smallModel, train, weightsOf } from "./support.js";

await init();
const data = train();
const dir = mkdtempSync(join(tmpdir(), "regwasm-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("file names", () => {
  it.each([
    ["m.json", "m.weights.bin"],
    ["model.JSON", "model.weights.bin"],
    ["model", "model.weights.bin"],
    ["my.model.json", "my.model.weights.bin"],
    ["m.json.json", "m.json.weights.bin"],
  ])("%s → %s", (config, weights) => {
    expect(weightsFileName(config)).toBe(weights);
  });
});

describe("save", () => {
  it("writes the config and, beside it, the weights that toBytes() packs, with their size and CRC-32", async () => {
    const model = smallModel();
    await model.fit(data.x, data.y, { epochs: 2, optimizer: adam() });
    const path = join(dir, "saved.json");
    await model.save(path);
    const config = JSON.parse(readFileSync(path, "utf8"));
    const weights = readFileSync(join(dir, "saved.weights.bin"));
    expect(config.format).toBe("regwasm.model-files");
    expect(config.version).toBe(1);
    expect(config.weights).toEqual({ file: "saved.weights.bin", byteLength: weights.length, crc32: crc32(weights) });
    // the same references and values as the single file
    const bytes = model.toBytes();
    const { jsonBytes } = header(bytes);
    expect(config.model).toEqual(JSON.parse(Buffer.from(bytes.subarray(24, 24 + jsonBytes)).toString("utf8")));
    expect(Buffer.compare(weights, bytes.subarray(24 + jsonBytes))).toBe(0);
    model.free();
  });
});

describe("load", () => {
  it("training resumes bit for bit: k epochs, save, load, m more = k + m straight", async () => {
    const straight = smallModel();
    const { logs: straightLog } = await straight.fit(data.x, data.y, { epochs: 8, optimizer: adam(), batchSize: 45 });
    const first = smallModel();
    await first.fit(data.x, data.y, { epochs: 3, optimizer: adam(), batchSize: 45 });
    await first.save(join(dir, "resume"));
    expect(existsSync(join(dir, "resume.weights.bin"))).toBe(true);
    const loaded = await Sequential.load(join(dir, "resume"));
    const { logs: resumedLog } = await loaded.fit(data.x, data.y, { epochs: 5, batchSize: 45 });
    expect(resumedLog).toEqual(straightLog.slice(3).map((log, i) => ({ ...log, epoch: i })));
    const expected = weightsOf(straight);
    weightsOf(loaded).forEach((w, i) => expect(firstBitDifference(w, expected[i])).toBe(-1));
    expect(Buffer.compare(loaded.toBytes(), straight.toBytes())).toBe(0); // optimizer state too
    for (const m of [straight, first, loaded]) m.free();
  });

  it("finds the weights beside the config after the pair moved together", async () => {
    const model = smallModel();
    await model.save(join(dir, "moving.json"));
    mkdirSync(join(dir, "elsewhere"));
    renameSync(join(dir, "moving.json"), join(dir, "elsewhere", "moving.json"));
    renameSync(join(dir, "moving.weights.bin"), join(dir, "elsewhere", "moving.weights.bin"));
    const loaded = await Sequential.load(join(dir, "elsewhere", "moving.json"));
    weightsOf(loaded).forEach((w, i) => expect(firstBitDifference(w, weightsOf(model)[i])).toBe(-1));
    model.free();
    loaded.free();
  });
});

describe("a broken pair: a named error, and no WASM memory taken", () => {
  const live = () => defaultInstance().heap.allocations;
  let n = 0;
  /** A fresh saved pair; returns the config path, the weights path and the parsed config. */
  async function pair() {
    const model = smallModel();
    await model.fit(data.x, data.y, { epochs: 1, optimizer: adam() });
    const path = join(dir, `broken-${n++}.json`);
    await model.save(path);
    model.free();
    const weights = path.replace(/\.json$/, ".weights.bin");
    return { path, weights, config: JSON.parse(readFileSync(path, "utf8")) };
  }
  async function rejects(path: string, error: typeof TypeError, message: RegExp) {
    const before = live();
    const loading = Sequential.load(path);
    await expect(loading).rejects.toThrow(error);
    await expect(loading).rejects.toThrow(message);
    expect(live()).toBe(before);
  }

  it("a truncated weights file, or one with extra bytes: checked by its size before it is read", async () => {
    const { path, weights } = await pair();
    const full = readFileSync(weights);
    writeFileSync(weights, full.subarray(0, full.length - 1));
    await rejects(path, RangeError, /has \d+ bytes, .* declares \d+: it is truncated or belongs to another save/);
    writeFileSync(weights, Buffer.concat([full, Buffer.from([0, 0, 0, 0])]));
    await rejects(path, RangeError, /it has extra bytes or belongs to another save/);
  });

  it("a changed byte in the weights: the checksum", async () => {
    const { path, weights } = await pair();
    const bytes = readFileSync(weights);
    bytes[7] ^= 1;
    writeFileSync(weights, bytes);
    await rejects(path, TypeError, /weights\.bin is corrupted or belongs to another save: its CRC-32 is \d+/);
  });

  it("the weights of another save of the same size", async () => {
    const a = await pair();
    const b = await pair();
    writeFileSync(a.weights, readFileSync(b.weights).reverse());
    await rejects(a.path, TypeError, /is corrupted or belongs to another save/);
  });

  it("a missing weights file", async () => {
    const { path, weights } = await pair();
    rmSync(weights);
    await expect(Sequential.load(path)).rejects.toThrow(/ENOENT/);
  });

  it("a config that is not JSON, not a model-files config, or of another version", async () => {
    const { path, config } = await pair();
    writeFileSync(path, "{ not json");
    await rejects(path, TypeError, /\.json is not valid JSON/);
    writeFileSync(path, "[1, 2]");
    await rejects(path, TypeError, /\.format must be "regwasm\.model-files" .*, got undefined$/);
    writeFileSync(path, JSON.stringify(config.model)); // what toJSON() alone gives
    await rejects(
      path,
      TypeError,
      /\.json\.format must be "regwasm\.model-files" \(a config written by save\(\); JSON from toJSON\(\) loads with Sequential\.fromJSON\), got string regwasm\.sequential$/,
    );
    writeFileSync(path, JSON.stringify({ ...config, extra: 1 }));
    await rejects(path, TypeError, /\.json\.extra is not a known option/);
    writeFileSync(path, JSON.stringify({ ...config, version: 2 }));
    await rejects(path, RangeError, /\.version number 2 is not supported \(expected 1\)/);
  });

  it("a weights entry that is wrong: unknown keys, a path instead of a name, sizes, checksum", async () => {
    const { path, config } = await pair();
    const withWeights = (weights: object) => writeFileSync(path, JSON.stringify({ ...config, weights }));
    withWeights({ ...config.weights, sha: 1 });
    await rejects(path, TypeError, /\.json\.weights\.sha is not a known option/);
    for (const file of ["../x.bin", "/etc/passwd", "a\\b", "..", "", 3]) {
      withWeights({ ...config.weights, file });
      await rejects(path, TypeError, /\.weights\.file must be a file name without a directory part/);
    }
    for (const byteLength of [-4, 6, 1.5, "8", 2 ** 53]) {
      withWeights({ ...config.weights, byteLength });
      await rejects(path, RangeError, /\.weights\.byteLength must be a multiple of 4 bytes/);
    }
    withWeights({ ...config.weights, crc32: 2 ** 32 });
    await rejects(path, RangeError, /\.weights\.crc32 must be an integer in \[0, 2\^32 - 1\]/);
  });

  it("a model that is wrong: the references and fromJSON's checks", async () => {
    const { path, config } = await pair();
    config.model.layers[0].weights = { $f32: [0, 49] };
    writeFileSync(path, JSON.stringify(config));
    await rejects(path, RangeError, /\.json\.model\.layers\[0\]\.biases overlaps another reference at value 48/);
    config.model.layers[0].weights = { $f32: [0, 48] };
    config.model.layers[0].nIn = 3;
    writeFileSync(path, JSON.stringify(config));
    await rejects(path, TypeError, /json\.weights must be an array of 72 finite numbers/);
  });

  it.each<[unknown, string]>([
    ["", "string "],
    [undefined, "undefined"],
    [3, "number 3"],
    [new URL("file:///tmp/x.json"), "a URL"],
  ])("a path that is not a non-empty string: %s", async (path, described) => {
    const model = smallModel();
    const message = `path must be a non-empty file path, got ${described}`;
    await expect(model.save(path as string)).rejects.toThrow(new TypeError(message));
    await expect(Sequential.load(path as string)).rejects.toThrow(new TypeError(message));
    model.free();
  });
});
