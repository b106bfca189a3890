// The committed golden vectors agree with an independent plain-JS reference of the documented
// semantics (exact where the result is integer-valued or one f32 operation per element; within the
// stated summation tolerance for penalties). This keeps the goldens honest; golden.test.ts then
// checks that every build and runtime reproduces them bit for bit.
import { expect, it } from "vitest";
import vectors from "./vectors.json";
import { caseName } from "./cases.js";
import { referenceOutputs, SUM_RTOL } from "./reference.js";
import { compareOutput, fromBase64 } from "./bytes.js";

type StoredCase = { kind: string; n: number; expect: Record<string, string> } & Record<string, unknown>;
const table = (vectors.cases as StoredCase[]).map((c) => [caseName(c), c] as const);

it.each(table)("%s matches the plain-JS reference", async (_, spec) => {
  const ref = referenceOutputs(spec);
  for (const [key, bytes] of Object.entries(ref.exact) as [string, Uint8Array][]) {
    expect(await compareOutput(bytes, spec.expect[key]), key).toBeNull();
  }
  for (const [key, value] of Object.entries(ref.approx) as [string, number][]) {
    const got = new Float64Array(fromBase64(spec.expect[key]).buffer)[0];
    expect(Math.abs(got - value), `${key} = ${got}, reference ${value}`).toBeLessThanOrEqual(
      SUM_RTOL * Math.abs(value),
    );
  }
});
