// End to end: the playground served as by `npm run playground`, driven in headless Chromium like a
// user: pick a preset, press Train, wait for both runs (with and without regularization) to finish,
// read what the page shows. The layout checks run at phone, laptop and desktop widths and compare
// the boxes of every piece of text on the page (including the charts' tick labels) for overlaps.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { startPlayground } from "../../examples/playground/serve.mjs";
import { PRESETS } from "../../examples/playground/src/presets.js";
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
  settings: Record<string, string | boolean> = {},
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
    else if (name === "preset" || name === "l1Method") await page.selectOption(`select[name="${name}"]`, value);
    else await page.fill(`input[name="${name}"]`, value);
  }
  return page;
}

async function closeWithoutErrors(page: Page): Promise<void> {
  await page.close();
  expect(pageErrors.get(page)).toEqual([]);
}

const finished = (page: Page) =>
  page.waitForFunction(() => document.body.dataset.state === "done", null, { timeout: 120_000 });
/** A final figure of run 0 (regularized) or 1 (without), as the page computed it. */
const figure = async (page: Page, run: number, key: string) =>
  Number(await page.locator(`td[data-run="${run}"][data-metric="${key}"]`).getAttribute("data-value"));
const claims = (page: Page) =>
  page.$$eval(".claims li", (items) => items.map((li) => ({ metric: li.dataset.metric, holds: li.dataset.holds })));

describe("playground", () => {
  it("opens on a case that overfits; one Train press shows the regularized run's smaller gap", async () => {
    const page = await openPlayground();
    const opening = PRESETS[0];
    expect(await page.inputValue('select[name="preset"]')).toBe(opening.id);
    expect(await page.textContent("#look-for")).toBe(opening.lookFor);
    expect(await page.inputValue('input[name="hidden"]')).toBe(String(opening.config.hidden));
    await page.click("#train");
    expect(await page.textContent("#train")).toBe("Stop");
    await finished(page);
    expect(await page.textContent(".summary h2")).toBe("with L2 0.01 vs without regularization");
    expect(await page.textContent(".summary .status")).toBe(`finished after ${opening.config.epochs} epochs`);
    // the run the Node test verified for seed 0: the same bits in Chromium
    expect(await figure(page, 0, "gap")).toBeLessThan(await figure(page, 1, "gap"));
    expect(await figure(page, 0, "valDataLoss")).toBeLessThan(await figure(page, 1, "valDataLoss"));
    expect(await figure(page, 0, "regLoss")).toBeGreaterThan(0);
    expect(await figure(page, 1, "regLoss")).toBe(0);
    expect(await claims(page)).toEqual(opening.claims.map((c) => ({ metric: c.metric, holds: "true" })));
    // every chart drew both runs: the loss chart's legend names four curves, the gap chart's two
    expect(await page.locator('[data-chart="loss"] .legend li').count()).toBe(4);
    expect(await page.locator('[data-chart="gap"] .legend li').count()).toBe(2);
    expect(await page.locator("canvas.boundary").count()).toBe(2);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.textContent("#build")).toBe(`WebAssembly SIMD, ${cores} thread${cores === 1 ? "" : "s"} per run`);
    await closeWithoutErrors(page);
  });

  it("without the comparison, trains one run and states no claim", async () => {
    const page = await openPlayground({ preset: "l2-chapter", epochs: "300", compare: false });
    await page.click("#train");
    await finished(page);
    expect(await page.locator("canvas.boundary").count()).toBe(1);
    expect(await page.textContent(".summary h2")).toBe("L2 0.0005");
    expect(await claims(page)).toEqual([]);
    await closeWithoutErrors(page);
  });

  it("Stop ends a long run early, and the page reports where it stopped", async () => {
    const page = await openPlayground({ epochs: "20000" });
    await page.click("#train");
    await page.waitForFunction(() => /epoch [1-9]/.test(document.querySelector(".summary .status")?.textContent ?? ""));
    await page.click("#train");
    await finished(page);
    const status = (await page.locator(".summary .status").textContent()) ?? "";
    const epochs = /^stopped after (\d+) and (\d+) epochs$/.exec(status)?.slice(1).map(Number) ?? [];
    expect(epochs).toHaveLength(2);
    for (const e of epochs) {
      expect(e).toBeGreaterThan(0);
      expect(e).toBeLessThan(20000);
    }
    expect(await claims(page)).toEqual([]);
    expect(await page.textContent("#train")).toBe("Train");
    await closeWithoutErrors(page);
  });
});

describe("playground form", () => {
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
    const page = await openPlayground();
    expect(await trainDisabled(page)).toBe(false);
    for (const [name, bad, message, good] of [
      ["dropout", "1.5", "between 0 and 0.9", "0.1"],
      ["l2", "-1", "between 0 and 1", "0.001"],
      ["classes", "2.5", "whole number", "4"],
      ["epochs", "", "enter a number", "500"],
      ["inputNoise", "-0.1", "between 0 and 1", "0.05"],
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

  it("a preset fills the fields; editing one makes the settings custom, and the claims go with the preset", async () => {
    const page = await openPlayground({ preset: "l1-sparsity" });
    const preset = PRESETS.find((p) => p.id === "l1-sparsity")!;
    expect(await page.inputValue('input[name="l1"]')).toBe(String(preset.config.l1));
    expect(await page.inputValue('input[name="l2"]')).toBe("0");
    expect(await page.textContent("#look-for")).toBe(preset.lookFor);
    await page.fill('input[name="hidden"]', "65");
    expect(await page.inputValue('select[name="preset"]')).toBe("custom");
    expect(await page.textContent("#look-for")).toContain("Your own settings");
    await page.fill('input[name="hidden"]', "64");
    expect(await page.inputValue('select[name="preset"]')).toBe("l1-sparsity");
    // the input noise preset sets its own field and clears the others' regularizers
    await page.selectOption('select[name="preset"]', "input-noise");
    expect(await page.inputValue('input[name="inputNoise"]')).toBe("0.05");
    expect(await page.inputValue('input[name="l1"]')).toBe("0");
    expect(await page.textContent("#look-for")).toBe(PRESETS.find((p) => p.id === "input-noise")!.lookFor);
    await page.selectOption('select[name="preset"]', "tiny-data");
    expect(await page.inputValue('input[name="inputNoise"]')).toBe("0");
    await closeWithoutErrors(page);
  });

  it("works from the keyboard: a preset chosen with the arrow keys, Train pressed with Enter", async () => {
    const page = await openPlayground();
    await page.focus('select[name="preset"]');
    await page.keyboard.press("ArrowDown");
    expect(await page.inputValue('select[name="preset"]')).toBe(PRESETS[1].id);
    expect(await page.inputValue('input[name="hidden"]')).toBe(String(PRESETS[1].config.hidden));
    await page.fill('input[name="epochs"]', "100");
    // Tab order: from the epochs field through the two checkboxes to Train
    await page.focus('input[name="epochs"]');
    for (let i = 0; i < 3; i++) await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("train");
    await page.keyboard.press("Enter");
    await finished(page);
    expect(await page.textContent(".summary .status")).toBe("finished after 100 epochs");
    await closeWithoutErrors(page);
  });
});

describe("playground layout", () => {
  interface Box {
    x: number;
    y: number;
    w: number;
    h: number;
    text: string;
  }
  /** Overlapping by more than a pixel each way (glyph boxes of adjacent lines may touch). */
  const overlaps = (a: Box, b: Box) =>
    Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > 1 && Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > 1;

  /** Every rendered text run and form control on the page, and every chart's tick labels, in page pixels. */
  const textBoxes = (page: Page) =>
    page.evaluate(() => {
      const boxes: { x: number; y: number; w: number; h: number; text: string; group: number }[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      let group = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent?.trim() ?? "";
        const parent = node.parentElement!;
        if (!text || parent.closest("option, script, [hidden]")) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        group++;
        for (const r of range.getClientRects())
          if (r.width > 0 && r.height > 0) boxes.push({ x: r.left, y: r.top, w: r.width, h: r.height, text, group });
      }
      for (const control of document.querySelectorAll<HTMLElement>("input, select")) {
        const r = control.getBoundingClientRect();
        if (r.width > 0)
          boxes.push({
            x: r.left,
            y: r.top,
            w: r.width,
            h: r.height,
            text: `<${control.getAttribute("name")}>`,
            group: ++group,
          });
      }
      for (const canvas of document.querySelectorAll<HTMLCanvasElement>("canvas[data-ticks]")) {
        const r = canvas.getBoundingClientRect();
        const ticks = JSON.parse(canvas.dataset.ticks!) as number[][];
        for (const [x, y, w, h] of ticks)
          boxes.push({
            x: r.left + x,
            y: r.top + y,
            w,
            h,
            text: `tick of ${canvas.closest("figure")?.dataset.chart}`,
            group: ++group,
          });
        // tick labels stay inside their canvas
        for (const [x, y, w, h] of ticks)
          if (x < 0 || y < 0 || x + w > r.width + 0.5 || y + h > r.height + 0.5)
            boxes.push({ x: -1e6, y: -1e6, w: 1, h: 1, text: `tick outside its canvas: ${[x, y, w, h]}`, group: -1 });
      }
      return boxes;
    });

  /** Runs a preset at a window width: the stated outcome, the page's width and every text box. */
  async function checkLayout(width: number, presetId: string) {
    const preset = PRESETS.find((p) => p.id === presetId)!;
    const page = await openPlayground({ preset: presetId }, { width, height: 900 });
    await page.click("#train");
    await finished(page);
    await page.waitForTimeout(150); // the last frame's redraw
    expect(await claims(page), "the preset's stated outcome").toEqual(
      preset.claims.map((c) => ({ metric: c.metric, holds: "true" })),
    );
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    expect(scrollWidth, "horizontal overflow").toBeLessThanOrEqual(innerWidth);
    const boxes = await textBoxes(page);
    expect(boxes.filter((b) => b.group === -1).map((b) => b.text)).toEqual([]);
    expect(boxes.length).toBeGreaterThan(100);
    const clashes: string[] = [];
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++)
        if (boxes[i].group !== boxes[j].group && overlaps(boxes[i], boxes[j]))
          clashes.push(`"${boxes[i].text}" / "${boxes[j].text}"`);
    expect(clashes).toEqual([]);
    // everything inside the window, both boundaries side by side at the same size
    expect(Math.max(...boxes.map((b) => b.x + b.w))).toBeLessThanOrEqual(innerWidth);
    const boards = await page.$$eval("canvas.boundary", (c) => c.map((e) => e.getBoundingClientRect().toJSON()));
    expect(boards).toHaveLength(2);
    expect(boards[0].width).toBeCloseTo(boards[1].width, 0);
    expect(boards[0].top).toBeCloseTo(boards[1].top, 0);
    await page.screenshot({ path: `${artifacts}playground-${width}.png`, fullPage: true });
    await closeWithoutErrors(page);
  }

  it("360 px (the narrowest phone), the L2 chapter: no text overlaps", async () => {
    await checkLayout(360, "l2-chapter");
  });

  it("390 px (phone), L1 sparsity: controls above the results, no text overlaps", async () => {
    await checkLayout(390, "l1-sparsity");
  });

  it("1024 px, the dropout chapter: no text overlaps", async () => {
    await checkLayout(1024, "dropout-chapter");
  });

  it("1440 px, tiny data: no text overlaps", async () => {
    await checkLayout(1440, "tiny-data");
  });

  it("1920 px, input noise (three claims): no text overlaps", async () => {
    await checkLayout(1920, "input-noise");
  });
});
