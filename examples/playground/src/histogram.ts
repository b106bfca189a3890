// The hidden layer's weight magnitudes as a histogram, one bar per run in each bin: the first bin
// holds the exact zeros only (what proximal L1 produces), the others split (0, largest |w|] on a log
// scale over three decades (smaller values in the lowest), so L2's shrinkage shows as mass moving
// left however far apart the runs' weights are, and L1's sparsity as a tall first bar.
import { prepare } from "./canvas.js";
import { drawAxes, recordTicks } from "./chart.js";

export interface WeightSet {
  color: string;
  weights: Float32Array;
}

/** Bins after the zero bin. */
export const BINS = 12;

/** The fraction of values that are exactly ±0. */
export function zeroFraction(values: Float32Array): number {
  let zeros = 0;
  for (const v of values) if (v === 0) zeros++;
  return values.length === 0 ? 0 : zeros / values.length;
}

/** Decades the log-scale bins span below the largest |w|. */
const DECADES = 3;

/** The fraction of weights in the zero bin, then in each of BINS log-scale bins over (0, top]. */
export function histogram(weights: Float32Array, top: number): number[] {
  const counts = new Array<number>(BINS + 1).fill(0);
  for (const w of weights) {
    const a = Math.abs(w);
    const bin = Math.floor(((Math.log10(a / top) + DECADES) / DECADES) * BINS);
    counts[a === 0 ? 0 : 1 + Math.min(BINS - 1, Math.max(0, bin))]++;
  }
  return counts.map((c) => (weights.length ? c / weights.length : 0));
}

export function drawHistogram(canvas: HTMLCanvasElement, sets: WeightSet[]): void {
  const { ctx, width, height } = prepare(canvas);
  let top = 0;
  for (const s of sets) for (const w of s.weights) top = Math.max(top, Math.abs(w));
  if (top === 0) top = 1;
  const fractions = sets.map((s) => histogram(s.weights, top));
  const yMax = Math.max(0.05, Math.ceil(Math.max(...fractions.flat()) * 10) / 10);
  const plot = { left: 44, top: 8, width: width - 64, height: height - 32 };
  // the zero bin is drawn apart from the others, a gap's width to their left
  const slot = plot.width / (BINS + 1.5);
  const slotLeft = (bin: number) => plot.left + (bin === 0 ? 0 : (bin + 0.5) * slot);
  const ticks = [
    { at: slotLeft(0) + slot / 2, label: "=0" },
    // no label at the lowest edge: it would touch the zero bin's
    ...[BINS / 3, (2 * BINS) / 3, BINS].map((k) => ({
      at: slotLeft(1) + k * slot,
      label: Number((top * 10 ** (DECADES * (k / BINS - 1))).toPrecision(1)).toString(),
    })),
  ];
  const boxes = drawAxes(ctx, plot, { min: 0, max: yMax, format: (v) => `${Math.round(v * 100)}%` }, { ticks });
  const barW = (slot * 0.8) / Math.max(1, sets.length);
  fractions.forEach((f, s) => {
    ctx.fillStyle = sets[s].color;
    f.forEach((v, bin) => {
      const h = (Math.min(v, yMax) / yMax) * plot.height;
      ctx.fillRect(slotLeft(bin) + slot * 0.1 + s * barW, plot.top + plot.height - h, barW, h);
    });
  });
  recordTicks(canvas, boxes);
}
