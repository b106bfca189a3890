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
//   name: a mutant in src/ cannot reach them (cli, consumers, readme, package, bundlers, and the
//   MNIST example's suite, which imports dist/).
// Two slow suites run only in the rooms whose code they are about (and in a run without rooms), since
// every mutant of a line they pass through reruns them: the threads suite (about 30 s: it starts
// thread pools again and again) in the `threads` room (the pool, its protocol, partition), and the
// 2 GiB addresses suite (about 12 s: it fills 2 GiB of WASM memory) in the `wasm` room (buffers, heap).
const room = process.env.MUTATE_ROOM;
const onlyIn = (rooms: string[], file: string) => (room === undefined || rooms.includes(room) ? [] : [file]);

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
  // needs a module graph that has never seen init(), which a shared graph cannot promise
  "test/kernels/before-init.test.ts",
  ...onlyIn(["threads"], "test/kernels/threads.test.ts"),
  ...onlyIn(["wasm"], "test/memory/high-addresses.test.ts"),
];

// Without isolation every test file of a run shares one module graph: the default instance is made
// once, not once per file (a WASM compile and a worker start each), which made a mutant covered by a
// hundred files cost seconds of set-up alone. The suites below need a fresh module graph and keep it:
// the first touch of the default instance's scratch memory (instance), TF.js's engine state (the
// peers), thread pools started again and again (threads), 2 GiB of memory (high-addresses).
const isolated = [
  "test/kernels/instance.test.ts",
  "test/kernels/threads.test.ts",
  "test/memory/high-addresses.test.ts",
  "test/tfjs/**/*.test.ts",
  "test/layers/initializers.test.ts",
  "test/layers/label-smoothing-peers.test.ts",
  "test/layers/noise-peers.test.ts",
  "test/layers/peer-losses.test.ts",
];

const shared = { testTimeout: 60_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: "node",
          include: ["test/**/*.test.ts"],
          exclude: [...excluded, ...isolated],
          isolate: false,
        },
      },
      { test: { ...shared, name: "node-isolated", include: isolated, exclude: excluded, isolate: true } },
    ],
  },
});
