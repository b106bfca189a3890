import { defineConfig } from "vitest/config";

// The test run for mutation testing (stryker.config.json): the Node suites that import src/ directly,
// on the build the runtime picks (SIMD here), in one project. Left out:
// - the browser, browser-scalar and e2e projects (Chromium: slow, and they run the same src/);
// - the node-scalar project: the TypeScript under test is the same for both builds (only the
//   embedded .wasm differs, and it is not mutated), and simd-scalar.test.ts instantiates both
//   builds itself, so a second pass would double the time and kill nothing new;
// - two slow statistical suites whose subject is the WASM generator and trainer, not the TypeScript:
//   random-quality (seconds of stream statistics; golden.test.ts and random.test.ts pin the same
//   calls word for word) and regularization-effect (8 seeded trainings of 3000 epochs; fit-loop.test.ts
//   pins the same fit() bit for bit against a hand-written loop) and playground-presets (80 seeded
//   trainings checking the playground's claims; experiments.test.ts pins buildExperiment bit for bit);
// - suites that run the built package (dist/) in a child process or through the package's own
//   name: a mutant in src/ cannot reach them (cli, consumers, readme, package, bundlers).
// The threads suite runs only for the rooms whose code it is about (wasm: the pool and partition;
// kernels: how each kernel cuts its parts) and in a run without rooms: it starts thread pools again
// and again (about 30 s), and elsewhere it would rerun for every mutant of a line that init() passes.
const room = process.env.MUTATE_ROOM;
const threadsSuite =
  room === undefined || room === "wasm" || room === "kernels" ? [] : ["test/kernels/threads.test.ts"];

export default defineConfig({
  test: {
    name: "node",
    include: ["test/**/*.test.ts"],
    exclude: [
      "node_modules/**",
      "test/browser/**",
      "test/e2e/**",
      "test/bundlers/**",
      "test/package/**",
      "test/readme/**",
      "test/cli/cli.test.ts",
      "test/experiments/consumers.test.ts",
      "test/kernels/random-quality.test.ts",
      "test/experiments/regularization-effect.test.ts",
      "test/examples/playground-presets.test.ts",
      ...threadsSuite,
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
