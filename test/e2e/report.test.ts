// The CLI's report as a reader sees it, in headless Chromium at a phone's and a desktop's width: the
// SVG scales to the window instead of being cut, the HTML page reflows its charts so that text stays
// readable on a phone, and no two pieces of text overlap (titles, legends, tick labels, figures).
// The runs are synthetic but shaped and named like `npm start`'s course runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { buildHtmlReport, buildReport, gridFor, type RunReport } from "../../src/cli/report/index.js";
import { launchChromium } from "../bundlers/support/chromium.js";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const EPOCHS = 10001;

/** A run whose training loss falls to `floor` and validation loss settles at `floor + gap`. */
function courseRun(name: string, floor: number, gap: number): RunReport {
  const history = Array.from({ length: EPOCHS }, (_, e) => {
    const decay = Math.exp(-e / 800);
    const loss = floor + (1.1 - floor) * decay;
    return {
      epoch: e,
      dataLoss: loss + 0.02 * Math.sin(e),
      acc: 0.9 - 0.55 * decay,
      ...(e % 20 === 0 ? { valLoss: loss + gap * (1 - decay), valAcc: 0.85 - 0.5 * decay } : {}),
    };
  });
  const trainCurve = history
    .filter((h) => h.valLoss !== undefined)
    .map((h) => ({ epoch: h.epoch, loss: h.dataLoss, acc: h.acc }));
  const points = Float32Array.from({ length: 600 }, (_, i) => Math.sin(i * 1.7) * (1 - i / 600));
  const labels = Uint32Array.from({ length: 300 }, (_, i) => i % 3);
  const grid = gridFor(points, 40, 40);
  const cellClasses = Uint8Array.from({ length: 1600 }, (_, i) => (i * 7) % 3);
  return {
    name,
    description:
      "1000×3 spiral · Dense(2,512) L2 5e-4 · ReLU · Dropout 0.1 · Dense(512,3) · Adam lr 0.05 decay 5e-5 · 10001 epochs · seed 0",
    history,
    trainCurve,
    boundary: { ...grid, cellClasses, points, labels, classes: 3 },
    final: { trainAcc: 0.88, valAcc: 0.867, valLoss: floor + gap, wallS: 161.4, trainLoss: floor },
  };
}

const runs = [
  courseRun("dropout chapter: L2 + dropout", 0.32, 0.03),
  courseRun("dropout chapter: unregularized", 0.17, 0.15),
  courseRun("L2 chapter: L2", 0.23, 0.27),
  courseRun("L2 chapter: unregularized", 0.35, 0.46),
];
const options = {
  comparisons: [
    { regularized: 0, unregularized: 1 },
    { regularized: 2, unregularized: 3 },
  ],
};

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  text: string;
}

/** Every <text> of the page with its box, and whether it lies inside its <svg>. */
const textBoxes = (page: Page) =>
  page.$$eval("text", (texts) =>
    texts
      .filter((t) => (t.textContent ?? "").trim() !== "")
      .map((t) => {
        const r = t.getBoundingClientRect();
        const frame = t.ownerSVGElement!.getBoundingClientRect();
        const inside =
          r.left >= frame.left - 0.5 &&
          r.right <= frame.right + 0.5 &&
          r.top >= frame.top - 0.5 &&
          r.bottom <= frame.bottom + 0.5;
        return { x: r.left, y: r.top, w: r.width, h: r.height, text: t.textContent ?? "", inside };
      }),
  );

/** Pairs of texts overlapping by more than a pixel each way. */
function clashes(boxes: Box[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      if (
        Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > 1 &&
        Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > 1
      )
        found.push(`"${a.text}" / "${b.text}"`);
    }
  return found;
}

async function open(content: string, width: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.setContent(content);
  return page;
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe.each([390, 1280])("the report at %i px", (width) => {
  it("SVG: as wide as the window, nothing cut, no text over text", async () => {
    const page = await open(`<!doctype html><body style="margin:0">${buildReport(runs, options)}</body>`, width);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    const svgWidth = await page.$eval("svg", (s) => s.getBoundingClientRect().width);
    expect(svgWidth).toBeCloseTo(Math.min(width, 1280), 0);
    const boxes = await textBoxes(page);
    expect(boxes.length).toBeGreaterThan(150);
    expect(boxes.filter((b) => !b.inside).map((b) => b.text)).toEqual([]);
    expect(clashes(boxes)).toEqual([]);
    await page.close();
  });

  it("HTML: charts reflow, tick labels stay at least 10 px tall, no text over text", async () => {
    const page = await open(buildHtmlReport(runs, options), width);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    const boxes = await textBoxes(page);
    expect(boxes.filter((b) => !b.inside).map((b) => b.text)).toEqual([]);
    expect(clashes(boxes)).toEqual([]);
    // 12 px labels drawn at 0.85 of their size or more: readable on a phone (the SVG there: 0.3)
    const tick = boxes.find((b) => b.text === "2000")!;
    expect(tick.h).toBeGreaterThanOrEqual(10);
    await page.close();
  });
});
