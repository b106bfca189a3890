// The SVG training report (pure builders) and the text table of final figures.
export { buildReport, type RunReport, type HistoryPoint, type ReportOptions } from "./report.js";
export { gridFor, type Grid, type DecisionBoundary, type Bounds } from "./boundary.js";
export { formatTable, type TableRow } from "./table.js";
