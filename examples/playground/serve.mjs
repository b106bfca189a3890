#!/usr/bin/env node
// Serves the playground on http://127.0.0.1:<port>/ (`npm run playground`; --port N, default 8080,
// 0 = any free port). On start, esbuild bundles the page and the training worker from src/ into
// memory, with `regwasm` resolved to this repository's src/ (so the page runs the current kernels).
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { extname, join } from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const here = fileURLToPath(new URL(".", import.meta.url));
const repo = join(here, "../..");
const STATIC = new Map([
  ["/", "index.html"],
  ["/index.html", "index.html"],
  ["/style.css", "style.css"],
]);
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json",
};

/** Bundles src/main.ts and src/worker.ts; returns the output files by URL path (/main.js, /worker.js, maps). */
export async function bundle() {
  if (!existsSync(join(repo, "src/wasm/embedded.ts")))
    throw new Error("src/wasm/embedded.ts is missing: run `npm run build` first");
  const result = await build({
    entryPoints: [join(here, "src/main.ts"), join(here, "src/worker.ts")],
    outdir: join(here, "out"),
    bundle: true,
    format: "esm",
    target: "es2022",
    sourcemap: "linked",
    minify: true,
    write: false,
    alias: { regwasm: join(repo, "src/index.ts") },
    logLevel: "warning",
  });
  return new Map(result.outputFiles.map((f) => [`/${f.path.slice(join(here, "out").length + 1)}`, f.contents]));
}

/** Starts the server; resolves with its URL and a close() function. */
export async function startPlayground({ port = 8080, host = "127.0.0.1" } = {}) {
  const bundled = await bundle();
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    try {
      const body = bundled.get(path) ?? (STATIC.has(path) ? await readFile(join(here, STATIC.get(path))) : null);
      if (!body) return void res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      const file = STATIC.get(path) ?? path;
      res
        .writeHead(200, {
          "content-type": TYPES[extname(file)] ?? "application/octet-stream",
          "cache-control": "no-store",
          // cross-origin isolation: the page gets SharedArrayBuffer, so training runs on every core
          "cross-origin-opener-policy": "same-origin",
          "cross-origin-embedder-policy": "require-corp",
        })
        .end(body);
    } catch (e) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(e));
    }
  });
  await new Promise((resolve, reject) => server.once("error", reject).listen(port, host, resolve));
  const url = `http://${host}:${server.address().port}/`;
  return { url, close: () => new Promise((resolve) => server.close(resolve)) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { port: { type: "string", default: process.env.PORT ?? "8080" } } });
  const { url } = await startPlayground({ port: Number(values.port) });
  console.log(`regwasm playground: ${url}  (Ctrl+C to stop)`);
}
