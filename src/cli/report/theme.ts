// Colors and type for the report: a colorblind-friendly categorical palette (Tableau 10) for classes
// and two clearly distinct series colors for train vs validation.

export const CLASS_COLORS = [
  "#4e79a7",
  "#f28e2b",
  "#59a14f",
  "#e15759",
  "#76b7b2",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
];

export const classColor = (c: number): string => CLASS_COLORS[c % CLASS_COLORS.length];

export const SERIES = {
  train: { color: "#1f4e99", dash: undefined as string | undefined, label: "train" },
  validation: { color: "#d9480f", dash: "6 3", label: "validation" },
};

/** The two runs of a comparison, on the same axes (line style tells training from validation). */
export const RUNS = {
  regularized: { color: "#1f5fbf", label: "with" },
  unregularized: { color: "#e8590c", label: "without" },
};

export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";
export const AXIS_COLOR = "#444";
export const GRID_COLOR = "#e3e3e3";
export const MUTED_TEXT = "#555";
