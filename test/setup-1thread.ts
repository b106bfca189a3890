// Runs this project on one thread: later `await init()` calls keep it (init is idempotent).
import { beforeAll } from "vitest";
import { init, threads } from "../src/index.js";

beforeAll(async () => {
  await init({ threads: 1 });
  if (threads() !== 1) throw new Error("setup-1thread: expected one thread");
});
