// The committed golden vectors agree bit for bit with an independent plain-JS reference of the
// documented semantics: dropout, masks, random words and gradients one f32 operation per element,
// penalties in the documented summation order (16 f32 lanes per 1024-block, the fixed f64 fold). This
// keeps the goldens honest; golden.test.ts then checks that every build and runtime reproduces them.
import { expect, it } from "vitest";
import vectors from "./vectors.json";
import { caseName } from "./cases.js";
import { referenceApproximations, referenceOutputs } from "./reference.js";
import { compareOutput, fromBase64 } from "./bytes.js";

type StoredCase = { kind: string; n: number; expect: Record<string, string> } & Record<string, unknown>;
const table = (vectors.cases as StoredCase[]).map((c) => [caseName(c), c] as const);

it.each(table)("%s matches the plain-JS reference bit for bit", async (_, spec) => {
  const ref = Object.entries(referenceOutputs(spec)) as [string, Uint8Array][];
  const approx = Object.entries(referenceApproximations(spec)) as [string, Float64Array][];
  expect([...ref, ...approx].map(([key]) => key).sort()).toEqual(Object.keys(spec.expect).sort());
  for (const [key, bytes] of ref) {
    expect(await compareOutput(bytes, spec.expect[key]), key).toBeNull();
  }
  // normal variates: JS's libm may round the last f64 bit differently, so within one f32 ulp; outputs
  // stored as a digest were checked the same way by scripts/golden.mjs before it wrote them
  for (const [key, want] of approx) {
    if (spec.expect[key].startsWith("sha256:")) continue;
    const bytes = fromBase64(spec.expect[key]);
    const got = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    got.forEach((v, i) => {
      const ulp = 2 ** (Math.floor(Math.log2(Math.max(Math.abs(want[i]), 2 ** -126))) - 23);
      expect(Math.abs(v - want[i]), `${key}[${i}]`).toBeLessThanOrEqual(ulp);
    });
  }
});
