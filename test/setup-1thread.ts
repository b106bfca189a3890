// Runs this project on one thread. Top-level, not in beforeAll: some suites call `await init()` as
// they load, and the first init() decides (later calls keep it).
import { init, threads } from "../src/index.js";

await init({ threads: 1 });
if (threads() !== 1) throw new Error("setup-1thread: expected one thread");
