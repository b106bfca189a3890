// One plain-JS or TF.js baseline of one kernel at one size, alone in its own worker thread (its own
// V8 isolate): its call sites see only this kernel's arguments (monomorphic, as in a program that
// does just this), and its heap and JIT state owe nothing to the other rows. Started by isolated.mjs;
// answers "round" (median time per call over `time` ms of batches) and "batch" (one batch's time per
// call) after warming up like every other row.
import { parentPort, workerData } from "node:worker_threads";
import { KERNELS } from "./kernels.mjs";
import { SizeData, Operands } from "./fixture.mjs";
import { calibrate, sampleRound, timeBatch } from "./measure.mjs";

const { kernel, impl, n, calibration } = workerData;
const spec = KERNELS.find((k) => k.id === kernel);
let tf;
if (impl !== "plain") {
  const tfModule = await import("./tf.mjs");
  await tfModule.useBackend(impl === "tfwasm" ? "wasm" : "cpu");
  tf = tfModule.tf;
}
const operands = new Operands(new SizeData(n), impl === "plain" ? "plain" : "tensor", null, undefined, tf);
const sets = operands.with(impl === "plain" ? (spec.plainOperands ?? spec.operands) : spec.operands);
const call = impl === "plain" ? (k) => spec.plain(sets[k % sets.length]) : (k) => spec.tf(tf, sets[k % sets.length], k);
const task = await calibrate({ id: impl, call }, calibration);
const { skipped, inner, perCall, maxRounds } = task;
parentPort.postMessage({ type: "ready", skipped, inner, perCall, maxRounds });

parentPort.on("message", (message) => {
  if (message.type === "round") parentPort.postMessage({ type: "round", ...sampleRound(task, message.time) });
  else if (message.type === "batch") parentPort.postMessage({ type: "batch", ms: timeBatch(task) });
  else if (message.type === "close") {
    operands.dispose();
    const leaked = tf?.memory().numTensors ?? 0;
    if (leaked) console.warn(`warning: ${impl} ${kernel} at n=${n} left ${leaked} TF.js tensors undisposed`);
    parentPort.close();
  }
});
