// Bit identity: every build (SIMD, scalar), on both ways in (plain typed arrays through copy windows,
// zero-copy buffers), reproduces the committed golden vectors byte for byte. Runs in Node (projects
// "node", "node-scalar") and in Chromium ("browser", "browser-scalar"). Never regenerates the file.
import { beforeAll, describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import vectors from "./vectors.json";
import { caseName, goldenCases, runCase, STORED_AS } from "./cases.js";
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

describe.each([
  ["SIMD", true],
  ["scalar", false],
] as const)("golden vectors: the %s build on zero-copy buffers", (_, simd) => {
  let instance: api.Instance;
  beforeAll(async () => {
    instance = await api.instantiate({ simd });
  });
  it.each(table)("%s", async (_, spec) => {
    expect(instance.simd).toBe(simd);
    expect(await mismatches(runCase(api, spec, instance), spec.expect)).toEqual([]);
  });
});
