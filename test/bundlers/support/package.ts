// What users install is what we test: `npm pack` the built package and install the tarball, offline,
// into a fresh app directory (regwasm has no runtime dependencies, so no registry is needed).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/**
 * A temporary copy of test/bundlers/app with the packed package installed in node_modules/regwasm.
 * Packs with --ignore-scripts: `npm test` has just built dist/ (pretest), and the prepack rebuild
 * would race with test workers reading the build.
 */
export function appWithPackedPackage(): string {
  if (!existsSync(join(repoRoot, "dist/index.js")))
    throw new Error("dist/index.js is missing: run `npm run build` first");
  const dir = mkdtempSync(join(tmpdir(), "regwasm-app-"));
  execFileSync(npm, ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir], {
    cwd: repoRoot,
    stdio: "pipe",
  });
  const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${dir}`);
  cpSync(fileURLToPath(new URL("../app", import.meta.url)), dir, { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "regwasm-bundler-check", private: true, type: "module" }),
  );
  execFileSync(
    npm,
    ["install", join(dir, tarball), "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock"],
    { cwd: dir, stdio: "pipe" },
  );
  return dir;
}
