import { defineConfig } from "vitest/config";

// Projects: the kernel and layer suites run in Node on the build the runtime picks (SIMD here) and
// again forced onto the scalar build; browser suites are added by test/browser (see README).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "node", include: ["test/**/*.test.ts"], exclude: ["test/browser/**", "test/e2e/**", "node_modules/**"] },
      },
      {
        extends: true,
        test: {
          name: "node-scalar",
          include: ["test/kernels/**/*.test.ts"],
          setupFiles: ["test/setup-scalar.ts"],
        },
      },
    ],
  },
});
