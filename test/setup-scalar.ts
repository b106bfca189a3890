// Forces the scalar build for this project: later `await init()` calls keep it (init is idempotent).
import { beforeAll } from "vitest";
import { init, simd } from "../src/index.js";

beforeAll(async () => {
  await init({ simd: false });
  if (simd()) throw new Error("setup-scalar: expected the scalar build");
});
