// Page entry: runs the kernel on the main thread and in a module worker, and a model file round trip on
// the main thread, and publishes the results on window.results for the test (errors are published
// too, so a failure shows its message).
import { modelBytes } from "./model-bytes.js";
import { notesTotal } from "./notes-total.js";

window.results = {};
const publish = (key, value) => {
  window.results[key] = value;
  document.getElementById(key).textContent = JSON.stringify(value);
};

notesTotal().then(
  (r) => publish("main", r),
  (e) => publish("main", { error: String(e) }),
);

modelBytes().then(
  (r) => publish("model", r),
  (e) => publish("model", { error: String(e) }),
);

const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
worker.onmessage = (event) => publish("worker", event.data);
worker.onerror = (event) => publish("worker", { error: event.message || "the worker failed to load" });
