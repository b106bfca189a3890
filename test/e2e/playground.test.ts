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

async function openPlayground(
  settings: Record<string, string | boolean>,
  viewport = { width: 1440, height: 900 },
): Promise<Page> {
  const page = await browser.newPage({ viewport });
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
    // served cross-origin isolated: the training worker runs the kernels on every core
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.textContent("#build")).toBe(`WebAssembly SIMD, ${cores} thread${cores === 1 ? "" : "s"}`);
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

describe("playground form validation", () => {
  /** The field's state as a user (or a screen reader) finds it. */
  const field = (page: Page, name: string) =>
    page.evaluate((name) => {
      const input = document.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
      const ids = (input.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean);
      const message = ids.map((id) => document.getElementById(id)).find((e) => e?.classList.contains("field-error"));
      return {
        invalid: input.getAttribute("aria-invalid") === "true",
        message: message && !message.hidden ? (message.textContent ?? "") : "",
        // the message sits right under its field
        gap:
          message && !message.hidden
            ? message.getBoundingClientRect().top - input.getBoundingClientRect().bottom
            : null,
      };
    }, name);
  const trainDisabled = (page: Page) => page.locator("#train").isDisabled();

  it("flags an out-of-range value next to its field and disables Train until it is fixed", async () => {
    const page = await openPlayground({});
    expect(await trainDisabled(page)).toBe(false);
    for (const [name, bad, message, good] of [
      ["dropout", "1.5", "between 0 and 0.9", "0.1"],
      ["l2", "-1", "between 0 and 1", "0.001"],
      ["classes", "2.5", "whole number", "4"],
      ["epochs", "", "enter a number", "500"],
    ]) {
      await page.fill(`input[name="${name}"]`, bad);
      const shown = await field(page, name);
      expect(shown.invalid, name).toBe(true);
      expect(shown.message, name).toContain(message);
      expect(shown.gap, name).toBeGreaterThanOrEqual(0);
      expect(shown.gap, name).toBeLessThan(24);
      expect(await trainDisabled(page), name).toBe(true);
      // the value is left as typed, not clamped
      expect(await page.inputValue(`input[name="${name}"]`)).toBe(bad);
      await page.fill(`input[name="${name}"]`, good);
      expect(await field(page, name)).toMatchObject({ invalid: false, message: "" });
      expect(await trainDisabled(page), name).toBe(false);
    }
    // two bad fields: Train stays disabled until both are fixed
    await page.fill('input[name="dropout"]', "2");
    await page.fill('input[name="hidden"]', "0");
    await page.fill('input[name="dropout"]', "0");
    expect(await trainDisabled(page)).toBe(true);
    await page.fill('input[name="hidden"]', "8");
    expect(await trainDisabled(page)).toBe(false);
    await closeWithoutErrors(page);
  });
});

describe("playground layout", () => {
  interface Box {
    x: number;
    y: number;
    w: number;
    h: number;
  }
  const intersects = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

  /** Trains a short run, then checks the page's width and every chart's title against its legend. */
  async function checkLayout(viewport: { width: number; height: number }, compare: boolean) {
    const page = await openPlayground({ epochs: "100", samples: "50", compare }, viewport);
    await page.click("#train");
    await finished(page);
    await page.waitForTimeout(100); // the last frame's redraw
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    expect(scrollWidth, "horizontal overflow").toBeLessThanOrEqual(innerWidth);
    const charts = await page.$$eval("canvas.chart", (canvases) =>
      canvases.map((c) => ({ name: c.dataset.chart, width: c.clientWidth, layout: c.dataset.layout })),
    );
    expect(charts).toHaveLength(compare ? 6 : 3);
    for (const chart of charts) {
      expect(chart.layout, `${chart.name}: layout numbers`).toBeDefined();
      const { title, legend } = JSON.parse(chart.layout!) as { title: Box; legend: Box };
      expect(
        intersects(title, legend),
        `${chart.name}: title ${JSON.stringify(title)} legend ${JSON.stringify(legend)}`,
      ).toBe(false);
      // both inside the canvas
      for (const box of [title, legend]) {
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.w).toBeLessThanOrEqual(chart.width);
      }
    }
    // panels and the form fit the window
    const right = await page.$$eval(".panel, #controls", (els) =>
      Math.max(...els.map((e) => e.getBoundingClientRect().right)),
    );
    expect(right).toBeLessThanOrEqual(innerWidth);
    await page.screenshot({
      path: `${artifacts}playground-${viewport.width}${compare ? "-compare" : ""}.png`,
      fullPage: true,
    });
    await closeWithoutErrors(page);
  }

  it("fits a 400 px wide window: controls stack above the run, nothing overflows", async () => {
    await checkLayout({ width: 400, height: 800 }, false);
  });

  it("fits a 1200 px window in compare mode: chart titles clear of their legends", async () => {
    await checkLayout({ width: 1200, height: 900 }, true);
  });
});
