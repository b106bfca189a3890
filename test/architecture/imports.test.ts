// The architecture as a test: imports in src/ flow down the floors (no room imports one above it),
// only the kernel API and the loader touch the raw WASM exports, and the model knows no concrete
// layer, loss or optimizer (it reaches them through base classes and registries).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "..", "..", "src");

/**
 * Floors from the bottom; a file may import files of its own room or of lower floors only. The CLI
 * is an entry point over the public surface (index.ts), so it stands above it.
 */
const FLOORS: Record<string, number> = {
  wasm: 0,
  validate: 1,
  registry: 2,
  kernels: 2,
  // regularizers and constraints stand on the kernels and under the layers that name them
  regularizers: 2.5,
  constraints: 2.5,
  layers: 3,
  losses: 3,
  data: 3,
  schedules: 3,
  optimizers: 4,
  model: 5,
  experiments: 6,
  callbacks: 6,
  index: 8,
  // the TF.js plugin (regwasm/tfjs), an entry of its own beside index
  tfjs: 8,
  cli: 9,
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** The room of a file: its top folder under src/, or its name for top-level files. */
const roomOf = (file: string): string => relative(SRC, file).split("/")[0].replace(/\.ts$/, "");

/** Relative import targets of a file, resolved to .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:import|export)[^"]*?from\s+"(\.[^"]+)"/g)].map((m) =>
    resolve(dirname(file), m[1].replace(/\.js$/, ".ts")),
  );
}

const files = sources(SRC);

describe("src/ architecture", () => {
  it("every room has a floor", () => {
    expect(files.map(roomOf).filter((room) => !(room in FLOORS))).toEqual([]);
  });

  it("imports go to the same room or down, never up", () => {
    const upward = files.flatMap((file) =>
      importsOf(file)
        .filter((target) => roomOf(target) !== roomOf(file) && FLOORS[roomOf(target)] >= FLOORS[roomOf(file)])
        .map((target) => `${relative(SRC, file)} -> ${relative(SRC, target)}`),
    );
    expect(upward).toEqual([]);
  });

  it("only src/kernels and src/wasm call the raw WASM exports", () => {
    const raw = files
      .filter((file) => !["kernels", "wasm"].includes(roomOf(file)))
      .filter((file) => /\.kernels\.[a-zA-Z]/.test(readFileSync(file, "utf8")))
      .map((file) => relative(SRC, file));
    expect(raw).toEqual([]);
  });

  it("the model imports only base classes, the plan and registries from the layers, losses and optimizers", () => {
    const concrete = files
      .filter((file) => roomOf(file) === "model")
      .flatMap((file) => importsOf(file).map((target) => relative(SRC, target)))
      .filter((target) => /^(layers|losses|optimizers)\//.test(target))
      .filter((target) => !/\/(layer|loss|optimizer|plan|registry)\.ts$/.test(target));
    expect(concrete).toEqual([]);
  });
});
