// save/load's contracts at their edges: the Node-only guard and what it tells a browser user, the
// weights file's name, the config's shape (null, primitives), an empty weights file, a weights file
// that changes between its size check and its read.
import { execFileSync } from "node:child_process";
import { constants } from "node:fs";
import { mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Dense, init, Sequential } from "../../src/index.js";
import {
  type FilesCaller,
  loadModelFiles,
  nodeModules,
  saveModelFiles,
  weightsFileName,
} from "../../src/model/files.js";
import { errorOf } from "../layers/support.js";

await init();

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "regwasm-files-contracts-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Calls `run` with globalThis.process replaced by `value`, restored before the returned promise settles. */
function withProcess<T>(value: unknown, run: () => Promise<T>): Promise<T> {
  const saved = Object.getOwnPropertyDescriptor(globalThis, "process")!;
  Object.defineProperty(globalThis, "process", { value, configurable: true, writable: true });
  try {
    return run();
  } finally {
    Object.defineProperty(globalThis, "process", saved);
  }
}

describe("outside Node", () => {
  const instead: Record<FilesCaller, string> = {
    "model.save": "use model.toBytes() and store the bytes yourself (a download, IndexedDB, a fetch upload)",
    "Sequential.load": "fetch or read the bytes of a toBytes() file and use Sequential.fromBytes(bytes)",
    "model.saveTfjs": "pass model.toTfjs() to a TF.js save handler (tf.io.browserDownloads, indexeddb://)",
    "Sequential.loadTfjs":
      "load the artifacts with a TF.js handler (tf.io.http(url).load()) and use Sequential.fromTfjs",
  };
  const message = (caller: FilesCaller) =>
    `${caller}(path) needs Node's file system, which this runtime lacks: ${instead[caller]}`;
  // no process at all (a browser), a process without versions, one without versions.node (a shim)
  const runtimes: [string, unknown][] = [
    ["no process", undefined],
    ["a process without versions", {}],
    ["a process without versions.node", { versions: {} }],
    ["versions.node not a string", { versions: { node: 20 } }],
  ];

  it.each(runtimes)("%s: nodeModules names the caller and what to use instead", async (_, process) => {
    for (const caller of Object.keys(instead) as FilesCaller[]) {
      const error = await errorOf(() => withProcess(process, () => nodeModules(caller)));
      expect(error).toEqual(new Error(message(caller)));
      expect((error as Error).constructor).toBe(Error);
    }
  });

  it.each(runtimes)("%s: save and load reject before touching the file system", async (_, process) => {
    const path = join(dir, "never.json");
    expect(await errorOf(() => withProcess(process, () => saveModelFiles(path, { a: 1 }, "model.save")))).toEqual(
      new Error(message("model.save")),
    );
    expect(await errorOf(() => withProcess(process, () => Sequential.load(path)))).toEqual(
      new Error(message("Sequential.load")),
    );
    // the model's own methods name themselves
    const model = new Sequential([new Dense(2, 3, { seed: 1 })]);
    expect(await errorOf(() => withProcess(process, () => model.save(path)))).toEqual(new Error(message("model.save")));
    expect(await errorOf(() => withProcess(process, () => model.saveTfjs(dir)))).toEqual(
      new Error(message("model.saveTfjs")),
    );
    expect(await errorOf(() => withProcess(process, () => Sequential.loadTfjs(dir)))).toEqual(
      new Error(message("Sequential.loadTfjs")),
    );
    model.free();
    expect(await errorOf(() => readFile(path))).toMatchObject({ code: "ENOENT" });
  });

  it("in Node: the fs and path modules", async () => {
    const { fs, path } = await nodeModules("model.save");
    expect(typeof fs.readFile).toBe("function");
    expect(path.join("a", "b.json")).toBe(join("a", "b.json"));
  });
});

describe("the weights file's name", () => {
  it.each([
    ["x.jsonl", "x.jsonl.weights.bin"],
    ["a.json.x.json", "a.json.x.weights.bin"],
    ["a.jsonx.json", "a.jsonx.weights.bin"],
    ["model.Json", "model.weights.bin"],
    ["m.JSON.json", "m.JSON.weights.bin"],
    [".json", ".weights.bin"],
    ["json", "json.weights.bin"],
    ["m.json ", "m.json .weights.bin"],
  ])("%s → %s", (config, weights) => {
    expect(weightsFileName(config)).toBe(weights);
  });

  it("save writes it beside the config, load finds it", async () => {
    const path = join(dir, "w.jsonl");
    const tree = { a: Array.from({ length: 16 }, (_, i) => i) };
    await saveModelFiles(path, tree, "model.save");
    expect((await readFile(join(dir, "w.jsonl.weights.bin"))).length).toBe(64);
    expect(JSON.parse(await readFile(path, "utf8")).weights.file).toBe("w.jsonl.weights.bin");
    expect(await loadModelFiles(path, "Sequential.load")).toEqual(tree);
  });
});

describe("the config", () => {
  const FORMAT_MESSAGE =
    '.format must be "regwasm.model-files" (a config written by save(); JSON from toJSON() loads with Sequential.fromJSON), got ';
  let n = 0;
  async function configOf(text: string) {
    const path = join(dir, `config-${n++}.json`);
    await writeFile(path, text);
    return path;
  }

  it.each([
    ["null", "undefined"],
    ["3", "undefined"],
    ['"regwasm.model-files"', "undefined"],
    ["true", "undefined"],
    ['{"format": null}', "null"],
    ['{"format": "regwasm.sequential"}', "string regwasm.sequential"],
  ])("%s: a TypeError that names the format", async (text, got) => {
    const path = await configOf(text);
    expect(await errorOf(() => loadModelFiles(path, "Sequential.load"))).toEqual(
      new TypeError(`${path}${FORMAT_MESSAGE}${got}`),
    );
  });

  it("may start with a UTF-8 byte order mark (as some editors save text)", async () => {
    const tree = { a: Array.from({ length: 20 }, (_, i) => Math.fround(i / 3)), b: "text" };
    const path = join(dir, "bom.json");
    await saveModelFiles(path, tree, "model.save");
    const text = await readFile(path);
    await writeFile(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]));
    expect(await loadModelFiles(path, "Sequential.load")).toEqual(tree);
  });

  it("a primitive is no config even where its prototype has the right format", async () => {
    // only a changed prototype gives a primitive a .format: the object check is what stops it then
    const path = await configOf('"x"');
    Object.defineProperty(String.prototype, "format", { value: "regwasm.model-files", configurable: true });
    let error: unknown;
    try {
      error = await errorOf(() => loadModelFiles(path, "Sequential.load"));
    } finally {
      delete (String.prototype as { format?: unknown }).format;
    }
    expect(error).toEqual(new TypeError(`${path}${FORMAT_MESSAGE}string regwasm.model-files`));
  });

  it("a weights file name of '.', '..' or with a directory part or NUL", async () => {
    for (const file of [".", "..", "a/b", "a\\b", "a\0b", ""]) {
      const weights = { file, byteLength: 0, crc32: 0 };
      const path = await configOf(JSON.stringify({ format: "regwasm.model-files", version: 1, weights, model: {} }));
      expect(await errorOf(() => loadModelFiles(path, "Sequential.load"))).toEqual(
        new TypeError(`${path}.weights.file must be a file name without a directory part, got string ${file}`),
      );
    }
  });

  it("names with dots that are plain file names are fine", async () => {
    for (const file of ["...", ".w", "w..bin"]) {
      await writeFile(join(dir, file), new Uint8Array(0));
      const weights = { file, byteLength: 0, crc32: 0 };
      const path = await configOf(JSON.stringify({ format: "regwasm.model-files", version: 1, weights, model: [7] }));
      expect(await loadModelFiles(path, "Sequential.load")).toEqual([7]);
    }
  });
});

describe("the weights file", () => {
  it("may be empty: a tree with no packed arrays has byteLength 0", async () => {
    const path = join(dir, "empty.json");
    const tree = { a: 1, short: [1, 2, 3], text: "x" };
    await saveModelFiles(path, tree, "model.save");
    expect((await readFile(join(dir, "empty.weights.bin"))).length).toBe(0);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({
      format: "regwasm.model-files",
      version: 1,
      weights: { file: "empty.weights.bin", byteLength: 0, crc32: 0 },
      model: tree,
    });
    expect(await loadModelFiles(path, "Sequential.load")).toEqual(tree);
  });

  it.skipIf(process.platform === "win32")(
    "that changes between its size check and its read: a named RangeError",
    async () => {
      // a named pipe: stat says 0 bytes (as the config declares), the read then gets 4
      const pipe = join(dir, "pipe.bin");
      execFileSync("mkfifo", [pipe]);
      const weights = { file: "pipe.bin", byteLength: 0, crc32: 0 };
      const path = join(dir, "pipe.json");
      await writeFile(path, JSON.stringify({ format: "regwasm.model-files", version: 1, weights, model: {} }));
      const writing = writeFile(pipe, Uint8Array.of(1, 2, 3, 4)); // blocks until a reader opens the pipe
      const error = await errorOf(() => loadModelFiles(path, "Sequential.load"));
      // if the load never opened the pipe, a reader of our own unblocks the writer
      const reader = await open(pipe, constants.O_RDONLY | constants.O_NONBLOCK);
      await reader.close();
      await writing.catch(() => undefined);
      expect(error).toEqual(new RangeError(`${pipe} changed while it was read`));
    },
  );
});
