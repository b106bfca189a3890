// Bit identity: every build (SIMD, scalar), on both ways in (plain typed arrays through copy windows,
// zero-copy buffers), reproduces the committed golden vectors byte for byte. Runs in Node (projects
// "node", "node-scalar") and in Chromium ("browser", "browser-scalar"). Never regenerates the file.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import vectors from "./vectors.json";
import { caseName, goldenCases, runCase, STORED_AS } from "./cases.js";
import { threadsPossible } from "../support/threads-possible.js";
import { compareOutput } from "./bytes.js";

type Spec = ReturnType<typeof goldenCases>[number];
type StoredCase = Spec & { expect: Record<string, string> };
const stored = vectors.cases as StoredCase[];
const table = stored.map((c) => [caseName(c), c] as const);

/** Every output against its stored bytes; returns one line per mismatch (empty when identical). */
async function mismatches(outputs: Record<string, Uint8Array>, expected: Record<string, string>): Promise<string[]> {
  const problems: string[] = [];
  for (const [key, bytes] of Object.entries(outputs)) {
    const storedKey = (STORED_AS as Record<string, string>)[key] ?? key;
    if (!(storedKey in expected)) {
      problems.push(`${key}: not in vectors.json`);
      continue;
    }
    const problem = await compareOutput(bytes, expected[storedKey]);
    if (problem) problems.push(`${key}: ${problem}`);
  }
  for (const key of Object.keys(expected)) if (!(key in outputs)) problems.push(`${key}: stored but not produced`);
  return problems;
}

it("vectors.json holds exactly the current case list (regenerate with scripts/golden.mjs after changing it)", () => {
  expect(stored.map(({ expect: _, ...spec }) => spec)).toEqual(goldenCases());
});

describe("golden vectors: the init() build on plain typed arrays", () => {
  beforeAll(() => api.init());
  it.each(table)("%s", async (_, spec) => {
    expect(await mismatches(runCase(api, spec), spec.expect)).toEqual([]);
  });
});

// Threads: the THREADED cases run in parts, the others on the calling thread. Where threads are not
// possible (a browser page's main thread) an instance has one whatever is asked.

describe.each([
  { build: "SIMD", simd: true, threads: 1 },
  { build: "SIMD", simd: true, threads: 2 },
  { build: "SIMD", simd: true, threads: 3 },
  { build: "scalar", simd: false, threads: 1 },
  { build: "scalar", simd: false, threads: 3 },
])("golden vectors: the $build build on zero-copy buffers, $threads thread(s)", ({ simd, threads }) => {
  let instance: api.Instance;
  beforeAll(async () => {
    instance = await api.instantiate({ simd, threads });
  });
  afterAll(() => instance.stopThreads());
  it.each(table)("%s", async (_, spec) => {
    expect(instance.simd).toBe(simd);
    expect(instance.threads).toBe(threadsPossible ? threads : 1);
    expect(await mismatches(runCase(api, spec, instance), spec.expect)).toEqual([]);
  });
});
