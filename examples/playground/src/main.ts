// The playground page: reads the form, starts one training worker per run (two in compare mode:
// as set, and the same without regularization), and routes each worker's messages to its panel.
import type { FromWorker, ToWorker, TrainConfig } from "./protocol.js";
import { checked, readConfig, setupValidation, unregularized } from "./controls.js";
import { describeRegularization, RunPanel } from "./panel.js";

const form = document.querySelector<HTMLFormElement>("#controls")!;
const button = document.querySelector<HTMLButtonElement>("#train")!;
const runs = document.querySelector<HTMLElement>("#runs")!;
const buildBadge = document.querySelector<HTMLElement>("#build")!;

interface Run {
  worker: Worker;
  panel: RunPanel;
  finished: boolean;
}
let active: Run[] = [];
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

const validateAll = setupValidation(form, (valid) => {
  formValid = valid;
  updateButton();
});

function startRun(title: string, config: TrainConfig): Run {
  const panel = new RunPanel(title, config);
  panel.showValidation = checked(form, "showValidation");
  runs.append(panel.root);
  const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  const run: Run = { worker, panel, finished: false };
  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    const message = event.data;
    if (message.type === "start")
      buildBadge.textContent = `${message.simd ? "WebAssembly SIMD" : "WebAssembly (scalar)"}, ${message.threads} thread${message.threads === 1 ? "" : "s"}`;
    panel.handle(message);
    if (message.type === "done" || message.type === "error") finish(run);
  };
  worker.onerror = (event) => {
    panel.handle({ type: "error", message: event.message || "the worker failed" });
    finish(run);
  };
  worker.postMessage({ type: "train", config } satisfies ToWorker);
  return run;
}

function finish(run: Run): void {
  run.finished = true;
  run.worker.terminate();
  if (active.every((r) => r.finished)) setState("done");
}

function start(): void {
  formValid = validateAll();
  updateButton();
  if (!formValid) return;
  const config = readConfig(form);
  runs.replaceChildren();
  const compare = checked(form, "compare");
  runs.classList.toggle("compare", compare);
  active = [startRun(compare ? `with ${describeRegularization(config)}` : describeRegularization(config), config)];
  if (compare) active.push(startRun("without regularization", unregularized(config)));
  const panels = active.map((r) => r.panel);
  for (const panel of panels) panel.peers = panels;
  setState("running");
}

function stop(): void {
  for (const run of active) if (!run.finished) run.worker.postMessage({ type: "stop" } satisfies ToWorker);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (document.body.dataset.state === "running") stop();
  else start();
});
(form.elements.namedItem("showValidation") as HTMLInputElement).addEventListener("change", () => {
  for (const run of active) {
    run.panel.showValidation = checked(form, "showValidation");
    run.panel.scheduleDraw();
  }
});
window.addEventListener("resize", () => active.forEach((r) => r.panel.scheduleDraw()));
setState("idle");
