// The playground page: reads the form, starts one training worker per run (the config as set and,
// when comparing, the same config without regularization) and routes each worker's messages to the
// comparison view.
import { checked, currentPreset, readConfig, setupControls } from "./controls.js";
import { DEFAULT_PRESET, unregularized } from "./presets.js";
import type { FromWorker, ToWorker, TrainConfig } from "./protocol.js";
import { Comparison, hasRegularization } from "./view.js";

const form = document.querySelector<HTMLFormElement>("#controls")!;
const button = document.querySelector<HTMLButtonElement>("#train")!;
const results = document.querySelector<HTMLElement>("#results")!;
const buildBadge = document.querySelector<HTMLElement>("#build")!;

let workers: Worker[] = [];
let view: Comparison | null = null;
let formValid = true;

function setState(state: "idle" | "running" | "done"): void {
  document.body.dataset.state = state;
  button.textContent = state === "running" ? "Stop" : "Train";
  button.classList.toggle("stop", state === "running");
  updateButton();
}

/** Train is disabled while a field is invalid; Stop never is. */
function updateButton(): void {
  button.disabled = document.body.dataset.state !== "running" && !formValid;
}

const validateAll = setupControls(form, DEFAULT_PRESET, (valid) => {
  formValid = valid;
  updateButton();
});

function startWorker(run: number, config: TrainConfig, comparison: Comparison): Worker {
  const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  const end = () => {
    worker.terminate();
    if (comparison.finished) setState("done");
  };
  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    const message = event.data;
    if (message.type === "start")
      buildBadge.textContent = `${message.simd ? "WebAssembly SIMD" : "WebAssembly (scalar)"}, ${message.threads} thread${message.threads === 1 ? "" : "s"} per run`;
    comparison.handle(run, message);
    if (message.type === "done" || message.type === "error") end();
  };
  worker.onerror = (event) => {
    comparison.handle(run, { type: "error", message: event.message || "the worker failed" });
    end();
  };
  worker.postMessage({ type: "train", config } satisfies ToWorker);
  return worker;
}

function start(): void {
  formValid = validateAll();
  updateButton();
  if (!formValid) return;
  const config = readConfig(form);
  const configs = checked(form, "compare") && hasRegularization(config) ? [config, unregularized(config)] : [config];
  for (const w of workers) w.terminate();
  const comparison = new Comparison(configs, currentPreset(form));
  comparison.showValidation = checked(form, "showValidation");
  view = comparison;
  results.replaceChildren(comparison.root);
  setState("running");
  workers = configs.map((c, run) => startWorker(run, c, comparison));
}

function stop(): void {
  for (const w of workers) w.postMessage({ type: "stop" } satisfies ToWorker);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (document.body.dataset.state === "running") stop();
  else start();
});
(form.elements.namedItem("showValidation") as HTMLInputElement).addEventListener("change", () => {
  if (!view) return;
  view.showValidation = checked(form, "showValidation");
  view.scheduleDraw();
});
window.addEventListener("resize", () => view?.scheduleDraw());
setState("idle");
