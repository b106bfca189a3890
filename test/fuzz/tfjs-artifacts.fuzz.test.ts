// Fuzzing Sequential.fromTfjs with fast-check: TF.js artifacts (regwasm's own export, with its
// metadata) with a field of the topology, a layer config, a weight spec or the metadata replaced,
// removed or added, and weight data cut or extended. Every call gives a model or a TypeError/RangeError
// with a message, and takes no WASM memory it does not keep.
// `npm test` runs 150 runs per property; `npm run fuzz` runs 20000 (or FUZZ_RUNS).
import fc from "fast-check";
import { expect, it } from "vitest";
import { Adam, Dense, Dropout, init, L1L2, ReLU, Sequential, spiralData, constraints } from "../../src/index.js";
import type { TfjsArtifacts } from "../../src/model/tfjs-format.js";
import { defaultInstance } from "../../src/wasm/instance.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.npm_lifecycle_event === "fuzz" ? 20000 : 150));
const PARAMS = { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261205) };

await init();

const junk = fc.oneof(
  fc.constantFrom(null, undefined, Number.NaN, -0, 0, 1, -1, 2 ** 32, 2 ** 53, 1e-45, 3.5e38, 1e9),
  fc.constantFrom(Number.POSITIVE_INFINITY, "1", "", "relu", "Dense", "float16", true, false, [], {}, [null, 2]),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 4 }),
);

/** Every path to a leaf (or an object) of a JSON value. */
function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== "object") return [prefix];
  const inner = Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, k]));
  return prefix.length > 0 ? [prefix, ...inner] : inner;
}

it("artifacts with a field replaced, removed or added: a model, or a named error and no leak", async () => {
  const data = spiralData(10, 3, { seed: 1 });
  const source = new Sequential([
    new Dense(2, 4, { weightRegularizer: new L1L2({ l1: 1e-3 }), biasL2: 1e-3, convention: "torch", seed: 1 }),
    new ReLU(),
    new Dropout(0.1, { seed: 2 }),
    new Dense(4, 3, { weightConstraint: constraints.maxNorm(), seed: 3 }),
  ]);
  await source.fit(data.x, data.y, { epochs: 2, optimizer: new Adam() });
  const artifacts = source.toTfjs();
  source.free();
  const { weightData, ...json } = artifacts;
  const paths = pathsOf(json);
  const heap = () => defaultInstance().heap;
  fc.assert(
    fc.property(
      fc.constantFrom(...paths),
      fc.oneof(junk, fc.array(junk, { maxLength: 3 })),
      fc.constantFrom("set", "delete", "add"),
      // weight data cut or extended now and then (it is checked before any layer)
      fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.integer({ min: -8, max: 8 }), weight: 1 }),
      (path, value, how, cut) => {
        const copy = JSON.parse(JSON.stringify(json)) as TfjsArtifacts;
        let target = copy as unknown as Record<string, unknown>;
        for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
        const last = path[path.length - 1];
        if (how === "set") target[last] = value;
        else if (how === "delete") delete target[last];
        else target[`${last}X`] = value;
        const bytes = weightData as ArrayBuffer;
        copy.weightData =
          cut <= 0
            ? bytes.slice(0, bytes.byteLength + cut)
            : new Uint8Array([...new Uint8Array(bytes), ...new Uint8Array(cut)]).buffer;
        const allocations = heap().allocations;
        let model: Sequential | null = null;
        try {
          model = Sequential.fromTfjs(copy);
        } catch (error) {
          if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
          expect((error as Error).message.length).toBeGreaterThan(10);
        }
        model?.free();
        expect(heap().allocations).toBe(allocations);
      },
    ),
    PARAMS,
  );
});
