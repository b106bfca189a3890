// What users install is what we test: build, `npm pack`, install the tarball into a fresh project
// outside the repository (offline: the package has no runtime dependencies) and run a kernel from it.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "regwasm-pack-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The environment without the npm_* variables of an enclosing `npm test`, so nested npm runs start clean. */
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith("npm_")));
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

// The script a user would write: the reference notes' worked example (total loss 15.2).
const CHECK = `
import { init, simd, penalty, l1Penalty, dropout } from "regwasm";
await init();
const weights = new Float32Array([2, 3, 4, 3, 1, 5]);
const biases = new Float32Array([1, 3, 2]);
const lambda = { l1: 0.1, l2: 0.1 };
const total = 5 + penalty(weights, lambda) + penalty(biases, lambda);
const { output } = dropout(new Float32Array(64).fill(1), { rate: 0, seed: 1 });
console.log(JSON.stringify({ simd: simd(), total, l1w: l1Penalty(weights), identity: output.every((v) => v === 1) }));
`;

it("the packed tarball installs offline into a fresh project and computes the worked example", () => {
  // Build only if sources are newer than dist/ (`npm test` has just built): rewriting the generated
  // module while other test files import it would race. Then pack without the prepack rebuild.
  run("npm", ["run", "build", "--", "--if-stale"], root);
  const packDir = join(work, "tarball");
  mkdirSync(packDir);
  run("npm", ["pack", "--ignore-scripts", "--pack-destination", packDir], root);
  const tarballs = readdirSync(packDir).filter((f) => f.endsWith(".tgz"));
  expect(tarballs).toHaveLength(1);

  const project = join(work, "project");
  mkdirSync(project);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "regwasm-pack-check", private: true, type: "module" }),
  );
  run("npm", ["install", join(packDir, tarballs[0]), "--offline", "--no-audit", "--no-fund"], project);
  writeFileSync(join(project, "check.mjs"), CHECK);
  const result = JSON.parse(run(process.execPath, ["check.mjs"], project).trim());

  expect(result.l1w).toBe(18); // Σ|w| of integer weights: exact
  // numpy prints 15.200000000000001; the λ products round in f64, so allow a few ulp
  expect(Math.abs(result.total - 15.2)).toBeLessThan(1e-12);
  expect(typeof result.simd).toBe("boolean");
  expect(result.identity).toBe(true);
}, 300_000);
