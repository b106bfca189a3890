// The plain-JS baseline of one case, in its own worker thread (its own V8 isolate: its type feedback
// and JIT code see only this case's call, so it runs monomorphic and warm). Messages from run.mjs:
//   { cmd: "check" }            one call on fresh arrays; replies with the outputs (and sums)
//   { cmd: "calibrate", opts }  warms up and sizes a batch (measure.mjs calibrate)
//   { cmd: "round", time }      one tinybench run of `time` ms; replies with { wallMs, cpuMs } per call
import { parentPort, workerData } from "node:worker_threads";
import { calibrate } from "../measure.mjs";
import { timedRound } from "./timing.mjs";
import { caseById, makeArrays } from "./cases.mjs";

const c = caseById(workerData.id);
const arrays = makeArrays(c);
const call = c.plain(arrays, c);
let task;

parentPort.on("message", async (msg) => {
  if (msg.cmd === "check") {
    const sums = call();
    const outputs = Object.fromEntries(c.outputs.map((name) => [name, arrays[name].slice()]));
    parentPort.postMessage({ outputs, sums: c.sums ? sums : undefined });
  } else if (msg.cmd === "calibrate") {
    task = await calibrate({ id: "plain", call }, msg.opts);
    parentPort.postMessage({ perCall: task.perCall, inner: task.inner });
  } else if (msg.cmd === "round") {
    parentPort.postMessage(await timedRound(task, msg.time));
  }
});
