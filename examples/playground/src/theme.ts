// Colors shared by the charts and the boundary plot (the CLI report's palette: Tableau 10).
export const CLASS_COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7"];
export const classColor = (c: number): string => CLASS_COLORS[c % CLASS_COLORS.length];

/** One color per run: the regularized run, then its unregularized twin (line style tells train from validation). */
export const RUN_COLORS = ["#1f5fbf", "#e8590c"];
export const AXIS_COLOR = "#5b6270";
export const GRID_COLOR = "#e6e8ec";
export const FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";
/** Dash pattern of validation curves (training curves are solid). */
export const DASH = [6, 4];

/** "#rrggbb" → [r, g, b]. */
export function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
