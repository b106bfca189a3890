// Worker entry: the same computation inside a Web Worker (no DOM, no window).
import { notesTotal } from "./notes-total.js";

const inWorker = typeof document === "undefined" && typeof WorkerGlobalScope !== "undefined";
// importScripts() with no URLs is a no-op in a classic worker and throws in a module worker
let workerType = "classic";
try {
  importScripts();
} catch {
  workerType = "module";
}
notesTotal().then(
  (r) => postMessage({ ...r, inWorker, workerType }),
  (e) => postMessage({ error: String(e) }),
);
