// Builds test/bundlers/app with each bundler, as a user would with no bundler configuration: only the
// entry (and, where the tool has no default, the output directory). Each returns a directory to serve.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** Vite: `vite build` in the app root (index.html is the entry; the worker is found via new URL()). */
export async function bundleWithVite(app: string): Promise<string> {
  const { build } = await import("vite");
  await build({ root: app, configFile: false, logLevel: "silent" });
  return join(app, "dist");
}

/** esbuild: bundle both entries as ESM (esbuild leaves `new URL("./worker.js", import.meta.url)` as is). */
export async function bundleWithEsbuild(app: string): Promise<string> {
  const { build } = await import("esbuild");
  const out = join(app, "out-esbuild");
  await build({
    absWorkingDir: app,
    entryPoints: ["src/main.js", "src/worker.js"],
    bundle: true,
    format: "esm",
    outdir: out,
    logLevel: "silent",
  });
  writeFileSync(join(out, "index.html"), page('<script type="module" src="./main.js"></script>'));
  return out;
}

/** webpack 5: production mode, entry ./src/main.js (it bundles the worker from new URL() itself). */
export async function bundleWithWebpack(app: string): Promise<string> {
  const { default: webpack } = await import("webpack");
  const out = join(app, "out-webpack");
  await new Promise<void>((resolve, reject) => {
    webpack({ mode: "production", context: app, entry: "./src/main.js", output: { path: out } }, (err, stats) => {
      if (err) return reject(err);
      if (stats?.hasErrors()) return reject(new Error(stats.toString("errors-only")));
      resolve();
    });
  });
  writeFileSync(join(out, "index.html"), page('<script src="./main.js"></script>'));
  return out;
}

/** The app's page (as app/index.html) with the bundler's script tag. */
function page(script: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>regwasm bundler check</title></head><body>
<p>main thread: <output id="main">…</output></p><p>worker: <output id="worker">…</output></p><p>model file: <output id="model">…</output></p>${script}</body></html>\n`;
}
