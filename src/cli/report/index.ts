// The SVG training report (pure builders) and the text table of final figures.
export {
  buildHtmlReport,
  buildReport,
  type Comparison,
  type RunReport,
  type HistoryPoint,
  type ReportOptions,
  type TrainPoint,
} from "./report.js";
export { gapPoints, regularizationPairs } from "./comparison.js";
export { gridFor, type Grid, type DecisionBoundary, type Bounds } from "./boundary.js";
export { formatTable, type TableRow } from "./table.js";
