// What users install is what we test: build, `npm pack`, install the tarball into a fresh project
// outside the repository (offline: the package has no runtime dependencies) and run a kernel from it;
// then, with TF.js added to that project, the regwasm/tfjs entry and a model exported to TF.js.
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
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

const TFJS_PACKAGES = ["@tensorflow/tfjs-core", "@tensorflow/tfjs-layers", "@tensorflow/tfjs-backend-cpu"];

// A TF.js user's script: a regwasm model exported to TF.js, the plugin's dropout and optimizer.
const CHECK_TFJS = `
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import { init, Sequential, Dense, ReLU } from "regwasm";
import { seededDropout, adamw } from "regwasm/tfjs";
await init();
await tf.setBackend("cpu");
const model = new Sequential([new Dense(2, 4, { seed: 1 }), new ReLU(), new Dense(4, 3, { seed: 2 })]);
const tfModel = await tfl.loadLayersModel(tf.io.fromMemory(model.toTfjs()));
const x = [0.5, -1, 2, 0.25];
const ours = model.predict(x);
const theirs = tfModel.predict(tf.tensor2d(x, [2, 2])).dataSync();
const predictionDifference = Math.max(...ours.map((v, i) => Math.abs(v - theirs[i])));
const dropout = seededDropout({ rate: 0.5, seed: 42 });
const [a, b] = [0, 1].map(() => dropout.apply(tf.ones([4, 16]), { training: true }).dataSync().join());
console.log(JSON.stringify({ predictionDifference, masksDiffer: a !== b, steps: dropout.step, weightDecay: adamw().weightDecay }));
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

  // TF.js is an optional peer dependency: npm installs none of it, and the package declares no dependency
  const installed = JSON.parse(readFileSync(join(project, "node_modules", "regwasm", "package.json"), "utf8"));
  expect(installed.dependencies).toBeUndefined();
  expect(Object.keys(installed.peerDependencies).sort()).toEqual(TFJS_PACKAGES.slice(0, 2));
  expect(Object.values(installed.peerDependenciesMeta).every((m) => (m as { optional?: boolean }).optional)).toBe(true);
  expect(existsSync(join(project, "node_modules", "@tensorflow"))).toBe(false);

  // the project installs TF.js (here: links to the repository's copies, offline) and uses regwasm/tfjs
  mkdirSync(join(project, "node_modules", "@tensorflow"));
  for (const name of TFJS_PACKAGES)
    symlinkSync(join(root, "node_modules", name), join(project, "node_modules", name), "dir");
  writeFileSync(join(project, "check-tfjs.mjs"), CHECK_TFJS);
  const tfjs = JSON.parse(run(process.execPath, ["check-tfjs.mjs"], project).trim().split("\n").at(-1)!);
  expect(tfjs.predictionDifference).toBeLessThan(1e-6);
  expect(tfjs.masksDiffer).toBe(true);
  expect(tfjs.steps).toBe(2);
  expect(tfjs.weightDecay).toBe(0.01);
}, 300_000);
