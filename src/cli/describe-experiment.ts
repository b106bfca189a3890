// Experiments in words, for the SVG report and the usage text: derived from the configs so that
// neither can drift from what actually runs.
import type { ExperimentConfig } from "../experiments/course.js";

/** A number as the course writes it: 5e-4 rather than 0.0005. */
export const courseNumber = (v: number): string => (v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v));

/** The layers, e.g. ["Dense(2,512) L2 5e-4", "ReLU", "Dropout 0.1", "Dense(512,3)"]. */
export function experimentLayers(c: ExperimentConfig): string[] {
  const reg = [c.l1 ? `L1 ${courseNumber(c.l1)}` : "", c.l2 ? `L2 ${courseNumber(c.l2)}` : ""]
    .filter(Boolean)
    .join(" ");
  return [
    `Dense(2,${c.hidden})${reg ? ` ${reg}` : ""}`,
    "ReLU",
    ...(c.dropout ? [`Dropout ${c.dropout}`] : []),
    `Dense(${c.hidden},${c.classes})`,
  ];
}

/** The optimizer, e.g. "Adam lr 0.05 decay 5e-5". */
export const experimentOptimizer = (c: ExperimentConfig): string =>
  `Adam lr ${courseNumber(c.learningRate)} decay ${courseNumber(c.decay)}`;

/** The data, model and optimizer in one line. */
export function describeExperiment(c: ExperimentConfig): string {
  return `${c.samples}×${c.classes} spiral · ${experimentLayers(c).join(" · ")} · ${experimentOptimizer(c)} · ${c.epochs} epochs · seed ${c.seed}`;
}
