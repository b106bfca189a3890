import { defineConfig } from "vitest/config";
import { playwright } from "@vitest/browser-playwright";

// Projects: the kernel and layer suites run in Node on the build the runtime picks (SIMD here) and
// again forced onto the scalar build; the kernel suites and the golden vectors run the same two ways
// in headless Chromium. test/kernels/** therefore must stay runtime-neutral (no node:* imports).
//
// Chromium is Debian's (/usr/bin/chromium): nothing is downloaded. Playwright's launch() gives every
// run a fresh temporary --user-data-dir (playwright_chromiumdev_profile-*) and deletes it on close.
const chromium = playwright({
  launchOptions: {
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  },
});
/** A fresh object per project: vitest writes into `instances`. */
const inChromium = () => ({
  enabled: true,
  provider: chromium,
  headless: true,
  screenshotFailures: false,
  instances: [{ browser: "chromium" as const }],
});

// In Chromium: the kernel suites and the golden vectors. Left out there: the statistical random-stream
// checks (seconds of pure integer work whose words golden.test.ts already pins bit for bit). Left out
// of the scalar project: the SIMD-vs-scalar suite (it instantiates both builds itself, so one run
// suffices) and the before-init suite (build-independent; a browser cannot reset the module graph
// that setup-scalar.ts has already initialized, so it runs in the "browser" project only).
const browserSuites = ["test/kernels/**/*.test.ts", "test/golden/golden.test.ts"];
const notInBrowser = ["test/kernels/random-quality.test.ts"];

// Cross-origin isolation for the Chromium projects: an isolated page gets SharedArrayBuffer, so the
// suites check what the library does there (its main thread still runs the kernels on one thread).
const crossOriginIsolated = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

// The threads suite makes its own instances of both builds on 1–4 threads: the projects that only
// change the default instance's build or thread count would run it again unchanged.
const ownInstancesOnly = ["test/kernels/threads.test.ts"];

// The projects that run the suites again on another build or thread count share one module graph
// per worker (isolate: false): importing src/ once per file was most of their time. The files that
// need a fresh module state (init()'s first call, mocked modules, an instance's first allocation)
// keep their own graph in an "-isolated" twin of the project.
const freshGraph = [
  "test/kernels/before-init.test.ts",
  "test/kernels/init-once.test.ts",
  "test/kernels/instance.test.ts",
  "test/kernels/instance-contracts.test.ts",
  "test/kernels/pool-contracts.test.ts",
  "test/kernels/pool-fallback.test.ts",
  "test/kernels/threads-available.test.ts",
  "test/layers/lane-balance.test.ts",
  "test/layers/loading.test.ts",
];
type Suites = { name: string; include: string[]; exclude: string[]; setupFiles: string[] };
const sharedGraph = ({ name, include, exclude, setupFiles }: Suites) => [
  { extends: true, test: { name, include, exclude: [...exclude, ...freshGraph], setupFiles, isolate: false } },
  {
    extends: true,
    test: {
      name: `${name}-isolated`,
      // those of the project's files (its globs end in "**/*.test.ts" or name a file)
      include: freshGraph.filter((file) => include.some((glob) => file.startsWith(glob.replace(/\*\*.*$/, "")))),
      exclude,
      setupFiles,
      isolate: true,
    },
  },
];

export default defineConfig({
  server: { headers: crossOriginIsolated },
  test: {
    // worker threads start faster than forked processes: the Node projects took 0.8× the time
    pool: "threads",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          include: ["test/**/*.test.ts"],
          exclude: ["test/browser/**", "test/e2e/**", "node_modules/**"],
        },
      },
      ...sharedGraph({
        name: "node-scalar",
        include: ["test/kernels/**/*.test.ts", "test/golden/golden.test.ts"],
        exclude: ownInstancesOnly,
        setupFiles: ["test/setup-scalar.ts"],
      }),
      // the suites that run kernels on threads, again on one thread (the "node" project has one per core)
      ...sharedGraph({
        name: "node-1thread",
        include: ["test/kernels/**/*.test.ts", "test/golden/golden.test.ts", "test/layers/**/*.test.ts"],
        exclude: ["test/kernels/random-quality.test.ts", "test/kernels/before-init.test.ts", ...ownInstancesOnly],
        setupFiles: ["test/setup-1thread.ts"],
      }),
      {
        extends: true,
        // the opt-in relaxed-SIMD build, which Node 20 validates only behind this flag (a V8 flag: a
        // process of its own, not a worker thread)
        test: {
          name: "node-relaxed",
          pool: "forks",
          include: ["test/kernels/relaxed-simd.test.ts"],
          execArgv: ["--experimental-wasm-relaxed-simd"],
        },
      },
      {
        extends: true,
        // the playground driven in Chromium through playwright-core (examples/playground)
        test: { name: "e2e", include: ["test/e2e/**/*.test.ts"] },
      },
      {
        extends: true,
        test: {
          name: "browser",
          include: [...browserSuites, "test/browser/**/*.test.ts"],
          exclude: notInBrowser,
          browser: inChromium(),
        },
      },
      {
        extends: true,
        test: {
          name: "browser-scalar",
          include: browserSuites,
          exclude: [
            ...notInBrowser,
            "test/kernels/simd-scalar.test.ts",
            "test/kernels/before-init.test.ts",
            ...ownInstancesOnly,
          ],
          setupFiles: ["test/setup-scalar.ts"],
          browser: inChromium(),
        },
      },
    ],
  },
});
