// The report's comparisons: which runs to overlay (a regularized run and the run of the same config
// without any regularization, as `npm start` trains each chapter) and the curves they are compared on.
import type { ExperimentConfig } from "../../experiments/course.js";
import type { Point } from "./line-chart.js";
import type { HistoryPoint, RunReport } from "./report.js";

/** The config with every regularizer off and without its name: equal keys mean the same run otherwise. */
function unregularizedKey(c: ExperimentConfig): string {
  const { name: _, ...rest } = { ...c, l1: 0, l2: 0, dropout: 0 };
  return JSON.stringify(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const regularized = (c: ExperimentConfig): boolean => c.l1 > 0 || c.l2 > 0 || c.dropout > 0;

/** [regularized, unregularized] index pairs, in the order of the regularized runs; each run in one pair at most. */
export function regularizationPairs(configs: readonly ExperimentConfig[]): [number, number][] {
  const pairs: [number, number][] = [];
  const used = new Set<number>();
  configs.forEach((c, i) => {
    if (!regularized(c)) return;
    const key = unregularizedKey(c);
    const twin = configs.findIndex((d, j) => !used.has(j) && !regularized(d) && unregularizedKey(d) === key);
    if (twin === -1) return;
    used.add(twin);
    pairs.push([i, twin]);
  });
  return pairs;
}

/** A history field as points, where it is a finite number. */
export function series(history: readonly HistoryPoint[], pick: (h: HistoryPoint) => number | undefined): Point[] {
  const points: Point[] = [];
  for (const h of history) {
    const v = pick(h);
    if (v !== undefined && Number.isFinite(v)) points.push({ x: h.epoch, y: v });
  }
  return points;
}

/** A run's training curve for the comparisons: inference mode when measured, else the logged one. */
export function trainingPoints(run: RunReport, pick: "loss" | "acc"): Point[] {
  if (run.trainCurve) return run.trainCurve.map((p) => ({ x: p.epoch, y: p[pick] }));
  return series(run.history, (h) => (pick === "loss" ? h.dataLoss : h.acc));
}

/** Validation − training loss on the epochs where both were measured. */
export function gapPoints(run: RunReport): Point[] {
  const train = new Map(trainingPoints(run, "loss").map((p) => [p.x, p.y]));
  const points: Point[] = [];
  for (const h of run.history) {
    const t = train.get(h.epoch);
    if (h.valLoss !== undefined && t !== undefined && Number.isFinite(h.valLoss - t))
      points.push({ x: h.epoch, y: h.valLoss - t });
  }
  return points;
}
