import { defineConfig } from "vitest/config";

// The test run for mutation testing (stryker.config.mjs): the Node suites that import src/ directly,
// on the build the runtime picks (SIMD here), in two projects (below: one graph per run, isolated). Left out:
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
//   name: a mutant in src/ cannot reach them (cli, consumers, readme, package, bundlers, and the
//   MNIST example's suite, which imports dist/).
// Two slow suites run only in the rooms whose code they are about (and in a run without rooms), since
// every mutant of a line they pass through reruns them: the threads suite (about 30 s: it starts
// thread pools again and again) in the `threads` room (the pool, its protocol, partition), and the
// 2 GiB addresses suite (about 12 s: it fills 2 GiB of WASM memory) in the `wasm` room (buffers, heap).
//
// Isolation: vitest's default gives every test file a fresh module graph, so a mutant run that reaches
// 100 files imports src/ 100 times (most of its time). Here the files share one graph per run instead;
// each run still gets a new worker, so no state passes from one mutant's run to the next. The files
// that mock modules or need a fresh module state (an instance's first allocation, TF.js's backend
// registry, a mocked node:fs) keep their own graph.
const room = process.env.MUTATE_ROOM;
const onlyIn = (rooms: string[], file: string) => (room === undefined || rooms.includes(room) ? [] : [file]);

const isolated = [
  "test/cli/command-contracts.test.ts",
  "test/cli/output-contracts.test.ts",
  "test/kernels/before-init.test.ts",
  "test/kernels/init-once.test.ts",
  "test/kernels/pool-fallback.test.ts",
  "test/kernels/instance.test.ts",
  "test/layers/loading.test.ts",
  "test/layers/initializers.test.ts",
  "test/layers/label-smoothing-peers.test.ts",
  "test/layers/noise-peers.test.ts",
  "test/layers/peer-losses.test.ts",
  // fills the default instance's memory past 2 GiB from a fresh heap (free blocks of earlier files would be reused)
  "test/memory/high-addresses.test.ts",
  "test/kernels/threads.test.ts",
];

const excluded = [
  "node_modules/**",
  "test/browser/**",
  "test/e2e/**",
  "test/bundlers/**",
  "test/package/**",
  "test/readme/**",
  "test/cli/cli.test.ts",
  "test/experiments/consumers.test.ts",
  "test/examples/mnist.test.ts",
  "test/kernels/random-quality.test.ts",
  "test/experiments/regularization-effect.test.ts",
  "test/examples/playground-presets.test.ts",
  // reads build/, which the sandbox does not copy
  "test/architecture/kernel-code.test.ts",
  ...onlyIn(["threads"], "test/kernels/threads.test.ts"),
  ...onlyIn(["wasm"], "test/memory/high-addresses.test.ts"),
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "node", include: ["test/**/*.test.ts"], exclude: [...excluded, ...isolated], isolate: false },
      },
      { extends: true, test: { name: "node-isolated", include: isolated, exclude: excluded, isolate: true } },
    ],
  },
});
