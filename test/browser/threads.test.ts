// The Chromium projects serve their pages cross-origin isolated (vitest.config.ts), so SharedArrayBuffer
// exists here; still, a page's main thread may not block on Atomics.wait, so init() and instantiate()
// run the kernels on it alone, whatever is asked (threads run inside Web Workers: the bundler apps
// check that in an isolated page).
import { expect, it } from "vitest";
import { init, instantiate, threads } from "../../src/index.js";

it("the page is cross-origin isolated, and its main thread runs the kernels on one thread", async () => {
  expect(crossOriginIsolated).toBe(true);
  expect(typeof SharedArrayBuffer).toBe("function");
  await init();
  expect(threads()).toBe(1);
  const asked = await instantiate({ threads: 3 });
  expect(asked.threads).toBe(1);
});
