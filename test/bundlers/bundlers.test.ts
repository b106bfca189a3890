// The package as users install it (npm pack → npm install) in a tiny app built by Vite, esbuild and
// webpack 5 with no bundler configuration, served on 127.0.0.1 and run in headless Chromium, on the
// main thread and inside a module Web Worker; and in Node CommonJS through require().
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { appWithPackedPackage } from "./support/package.js";
import { bundleWithEsbuild, bundleWithVite, bundleWithWebpack } from "./support/bundle.js";
import { serveDirectory } from "./support/serve.js";
import { launchChromium } from "./support/chromium.js";

// The reference notes' total: data loss 5 + 0.1·(Σ|w| + Σw² + Σ|b| + Σb²) = 5 + 0.1·(18 + 64 + 6 + 14).
// The sums are small integers, exact in f32 and f64; only the λ products and four f64 additions round
// (≤ 2^-52 relative each, ~1e-14 absolute here), so 1e-12 is ample and still rejects any wrong term.
const NOTES_TOTAL = 15.2;
const TOLERANCE = 1e-12;

interface ModelResult {
  bytes?: number;
  samePredictions?: boolean;
  saveError?: string;
  error?: string;
}

interface Result {
  total?: number;
  simd?: boolean;
  threads?: number;
  sumOfSquares?: number;
  isolated?: boolean;
  cores?: number;
  inWorker?: boolean;
  workerType?: string;
  error?: string;
}

// A page that may start workers only from its own origin: regwasm's kernel workers start from blob:
// URLs (worker-source.ts), so the app's own worker gets none and must run on one thread.
const NO_BLOB_WORKERS = { "content-security-policy": "worker-src 'self'" };

let app: string;
let browser: Browser;

beforeAll(async () => {
  app = appWithPackedPackage();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (app) rmSync(app, { recursive: true, force: true });
});

/** Opens the built app and waits for all three results (or their errors). */
async function runInChromium(
  dir: string,
  isolated = false,
  headers: Record<string, string> = {},
): Promise<{ main: Result; worker: Result; model: ModelResult; pageErrors: string[] }> {
  const served = await serveDirectory(dir, { isolated, headers });
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(m.text());
  });
  page.on("response", (r) => {
    if (r.status() >= 400) pageErrors.push(`${r.status()} ${r.url()}`);
  });
  try {
    await page.goto(served.url);
    await page.waitForFunction(
      () => {
        const r = (window as { results?: Record<string, unknown> }).results;
        return r?.main !== undefined && r?.worker !== undefined && r?.model !== undefined;
      },
      null,
      { timeout: 30_000 },
    );
    const results = await page.evaluate(
      () => (window as unknown as { results: { main: Result; worker: Result; model: ModelResult } }).results,
    );
    return { ...results, pageErrors };
  } finally {
    await page.close();
    await served.close();
  }
}

// The app starts its worker with `new Worker(new URL("./worker.js", import.meta.url), { type: "module" })`.
// Vite and esbuild keep it a module worker; webpack 5 without configuration emits a classic worker
// script (module output needs `experiments.outputModule`): the kernel runs in both kinds.
describe.each([
  ["Vite", bundleWithVite, "module"],
  ["esbuild", bundleWithEsbuild, "module"],
  ["webpack 5", bundleWithWebpack, "classic"],
] as const)("%s bundle in Chromium", (_, bundle, workerType) => {
  let run: Awaited<ReturnType<typeof runInChromium>>;
  let isolatedRun: Awaited<ReturnType<typeof runInChromium>>;
  let noBlobWorkersRun: Awaited<ReturnType<typeof runInChromium>>;
  let scripts = "";
  beforeAll(async () => {
    const dir = await bundle(app);
    scripts = readdirSync(dir, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".js"))
      .map((f) => readFileSync(join(dir, f), "utf8"))
      .join("\n");
    run = await runInChromium(dir);
    isolatedRun = await runInChromium(dir, true);
    noBlobWorkersRun = await runInChromium(dir, true, NO_BLOB_WORKERS);
  });

  it("runs on one thread in a page that is not cross-origin isolated (no SharedArrayBuffer)", () => {
    for (const result of [run.main, run.worker]) {
      expect(result.isolated).toBe(false);
      expect(result.threads).toBe(1);
      expect(result.sumOfSquares).toBe(4587520);
    }
  });

  it("runs on every core in a Web Worker of a cross-origin isolated page; on one on its main thread", () => {
    expect(isolatedRun.pageErrors).toEqual([]);
    for (const result of [isolatedRun.main, isolatedRun.worker]) {
      expect(result.error).toBeUndefined();
      expect(result.isolated).toBe(true);
      expect(result.sumOfSquares).toBe(4587520);
      expect(Math.abs(result.total! - NOTES_TOTAL)).toBeLessThanOrEqual(TOLERANCE);
    }
    expect(isolatedRun.worker.threads).toBe(isolatedRun.worker.cores);
    expect(isolatedRun.worker.cores).toBeGreaterThan(1);
    expect(isolatedRun.main.threads).toBe(1); // a page's main thread may not block on Atomics.wait
    expect(isolatedRun.model.samePredictions).toBe(true);
  });

  it("falls back to one thread, with the same results, where a Content-Security-Policy forbids blob: workers", () => {
    const { main, worker, pageErrors } = noBlobWorkersRun;
    expect(worker.error).toBeUndefined();
    expect(worker.isolated).toBe(true);
    expect(worker.cores).toBeGreaterThan(1); // threads were possible but for the policy
    expect(worker.threads).toBe(1);
    for (const result of [main, worker]) {
      expect(result.sumOfSquares).toBe(4587520);
      expect(Math.abs(result.total! - NOTES_TOTAL)).toBeLessThanOrEqual(TOLERANCE);
    }
    // no uncaught error; the browser may log its own report of each refused worker
    for (const message of pageErrors) expect(message).toMatch(/blob:.*Content Security Policy/);
  });

  it("computes the reference notes' total 15.2 on the main thread, on the SIMD build", () => {
    expect(run.main.error).toBeUndefined();
    expect(Math.abs(run.main.total! - NOTES_TOTAL)).toBeLessThanOrEqual(TOLERANCE);
    expect(run.main.simd).toBe(true);
    expect(run.pageErrors).toEqual([]);
  });

  it(`computes the same total inside a Web Worker (${workerType} worker)`, () => {
    expect(run.worker.error).toBeUndefined();
    expect(run.worker.inWorker).toBe(true);
    expect(run.worker.workerType).toBe(workerType);
    expect(Math.abs(run.worker.total! - NOTES_TOTAL)).toBeLessThanOrEqual(TOLERANCE);
    expect(run.worker.simd).toBe(true);
  });

  it("round-trips a model through toBytes()/fromBytes(), and save() rejects with its own message", () => {
    expect(run.model.error).toBeUndefined();
    // more than the header and the 2·16 + 16 + 16·3 packed values (the 3 biases stay in the JSON)
    expect(run.model.bytes! - 24 - 4 * 96).toBeGreaterThan(0);
    expect(run.model.samePredictions).toBe(true);
    expect(run.model.saveError).toMatch(/^model\.save\(path\) needs Node's file system, .*model\.toBytes\(\)/);
    // node:fs stays out of the bundle: no stub in its place either (what Vite substitutes for Node's modules)
    const stubbed = /browser-external|externalized for browser compatibility/.test(scripts);
    expect(stubbed, "the bundle holds a stub for a Node module").toBe(false);
  });
});

describe("Node CommonJS", () => {
  it("require('regwasm') loads the ESM package (Node >= 20.19 require(esm)) and computes 15.2", () => {
    const stdout = execFileSync(process.execPath, ["require-check.cjs"], { cwd: app, encoding: "utf8" });
    const result = JSON.parse(stdout.trim()) as Result & { moduleType: string };
    expect(result.moduleType).toBe("object"); // really a CommonJS module scope
    expect(Math.abs(result.total! - NOTES_TOTAL)).toBeLessThanOrEqual(TOLERANCE);
    expect(result.simd).toBe(true);
  });
});
