// End to end: the playground served as by `npm run playground`, driven in headless Chromium like a
// user: set regularization, press Train, wait for the run to finish, read what the page shows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { startPlayground } from "../../examples/playground/serve.mjs";
import { launchChromium } from "../bundlers/support/chromium.js";

const artifacts = fileURLToPath(new URL("../artifacts/", import.meta.url));

let server: { url: string; close(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  server = await startPlayground({ port: 0 });
  browser = await launchChromium();
  mkdirSync(artifacts, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Uncaught page and worker errors, per page, checked when the test closes the page. */
const pageErrors = new WeakMap<Page, string[]>();

async function openPlayground(settings: Record<string, string | boolean>): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(server.url);
  for (const [name, value] of Object.entries(settings)) {
    if (typeof value === "boolean") await page.setChecked(`input[name="${name}"]`, value);
    else await page.fill(`input[name="${name}"]`, value);
  }
  return page;
}

async function closeWithoutErrors(page: Page): Promise<void> {
  await page.close();
  expect(pageErrors.get(page)).toEqual([]);
}

const finished = (page: Page) =>
  page.waitForFunction(() => document.body.dataset.state === "done", null, { timeout: 90_000 });
const metric = async (panel: ReturnType<Page["locator"]>, key: string) =>
  Number(await panel.locator(`[data-metric="${key}"]`).textContent());

describe("playground", () => {
  it("trains with L2 and dropout in a worker and shows a validation accuracy above 0.7", async () => {
    // Hidden 128, Adam lr 0.05, 2000 epochs on the default 100 × 3 spiral: every seed is fixed, so the
    // run is deterministic; it reaches about 0.79. Chance is 1/3 and an untrained or broken model stays
    // near it; 0.7 leaves room for legitimate kernel changes (summation order) without hiding a failure.
    const page = await openPlayground({
      l2: "0.0005",
      dropout: "0.1",
      hidden: "128",
      learningRate: "0.05",
      epochs: "2000",
    });
    await page.click("#train");
    expect(await page.textContent("#train")).toBe("Stop");
    await finished(page);
    const panel = page.locator(".panel");
    await expect(panel.count()).resolves.toBe(1);
    expect(await panel.locator("h2").textContent()).toBe("L2 0.0005 · dropout 0.1");
    expect(await panel.locator(".status").textContent()).toBe("finished after 2000 epochs");
    const valAcc = await metric(panel, "valAcc");
    expect(Number.isFinite(valAcc)).toBe(true);
    expect(valAcc).toBeGreaterThan(0.7);
    expect(valAcc).toBeLessThanOrEqual(1);
    expect(await metric(panel, "regLoss")).toBeGreaterThan(0); // L2 is on
    expect(await page.textContent("#build")).toBe("WebAssembly SIMD");
    await page.screenshot({ path: `${artifacts}playground.png` });
    await closeWithoutErrors(page);
  });

  it("compare mode trains the same model without regularization side by side", async () => {
    const page = await openPlayground({ l2: "0.0005", epochs: "500", compare: true });
    await page.click("#train");
    await finished(page);
    const panels = page.locator(".panel");
    await expect(panels.count()).resolves.toBe(2);
    expect(await panels.nth(0).locator("h2").textContent()).toBe("with L2 0.0005");
    expect(await panels.nth(1).locator("h2").textContent()).toBe("without regularization");
    expect(await metric(panels.nth(0), "regLoss")).toBeGreaterThan(0);
    expect(await metric(panels.nth(1), "regLoss")).toBe(0);
    for (const i of [0, 1]) expect(await metric(panels.nth(i), "valAcc")).toBeGreaterThan(1 / 3);
    await page.screenshot({ path: `${artifacts}playground-compare.png` });
    await closeWithoutErrors(page);
  });

  it("Stop ends a long run early, and the page reports where it stopped", async () => {
    const page = await openPlayground({ epochs: "20000" });
    await page.click("#train");
    await page.waitForFunction(() => /epoch [1-9]/.test(document.querySelector(".panel .status")?.textContent ?? ""));
    await page.click("#train");
    await finished(page);
    const status = (await page.locator(".panel .status").textContent()) ?? "";
    const epochs = Number(/^stopped after (\d+) epochs$/.exec(status)?.[1]);
    expect(epochs).toBeGreaterThan(0);
    expect(epochs).toBeLessThan(20000);
    expect(await page.textContent("#train")).toBe("Train");
    await closeWithoutErrors(page);
  });
});
