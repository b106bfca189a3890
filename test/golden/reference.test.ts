// The committed golden vectors agree bit for bit with an independent plain-JS reference of the
// documented semantics: dropout, masks, random words and gradients one f32 operation per element,
// penalties in the documented summation order (16 f32 lanes per 1024-block, the fixed f64 fold). This
// keeps the goldens honest; golden.test.ts then checks that every build and runtime reproduces them.
import { expect, it } from "vitest";
import vectors from "./vectors.json";
import { caseName } from "./cases.js";
import { referenceOutputs } from "./reference.js";
import { compareOutput } from "./bytes.js";

type StoredCase = { kind: string; n: number; expect: Record<string, string> } & Record<string, unknown>;
const table = (vectors.cases as StoredCase[]).map((c) => [caseName(c), c] as const);

it.each(table)("%s matches the plain-JS reference bit for bit", async (_, spec) => {
  const ref = Object.entries(referenceOutputs(spec)) as [string, Uint8Array][];
  expect(ref.map(([key]) => key).sort()).toEqual(Object.keys(spec.expect).sort());
  for (const [key, bytes] of ref) {
    expect(await compareOutput(bytes, spec.expect[key]), key).toBeNull();
  }
});
