// A Float32Array that views the instance's own memory is used in place, not copied through the
// scratch window: here the first windowed call of a fresh module graph would have to grow memory for
// its scratch region, which would detach the caller's view mid-call. Runtime-neutral.
import { expect, it } from "vitest";
import { allocF32, init, l1Penalty } from "../../src/index.js";

it("a view of WASM memory passed as a plain array is read in place", async () => {
  await init();
  const buf = allocF32(1000);
  buf.view().fill(2);
  const view = buf.view();
  expect(l1Penalty(view)).toBe(2000);
  expect(view.length).toBe(1000); // not detached
  buf.free();
});
