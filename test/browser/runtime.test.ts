// The browser projects really run in Chromium, on the build they claim: without this, a silently
// mis-configured project (Node environment, or the scalar fallback) would still pass every suite.
import { expect, it } from "vitest";
import { init, instantiate, simd, simdSupported } from "../../src/index.js";

it("runs in Chromium, not in Node", () => {
  expect(navigator.userAgent).toMatch(/Chrome\/\d+/);
  expect(typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node).toBe(
    "undefined",
  );
});

it("Chromium validates the SIMD build, and init() picks it", async () => {
  expect(simdSupported()).toBe(true);
  await init();
  expect(simd()).toBe(true);
  expect((await instantiate({ simd: false })).simd).toBe(false);
});
