// One measurement in a fresh process: `node worker.mjs '<json>'` with { impl, warmup, epochs, budgetS }
// (timing mode) or { impl, full: true } (one whole run of the config's epochs). Prints one JSON line on stdout.
// A fresh process per measurement keeps JIT state, heaps and TF.js backends from leaking between runs.
import { EXPERIMENT as C } from "./experiment.mjs";
import { loadData } from "./data.mjs";

const IMPLEMENTATIONS = {
  regwasm: async (config) => (await import("./regwasm-adapter.mjs")).create(config),
  "regwasm-1thread": async (config) => (await import("./regwasm-adapter.mjs")).create(config, { threads: 1 }),
  plain: async (config) => (await import("./plain-adapter.mjs")).create(config),
  "tfjs-wasm": async (config) => (await import("./tfjs-adapter.mjs")).create(config, "wasm"),
  "tfjs-cpu": async (config) => (await import("./tfjs-adapter.mjs")).create(config, "cpu"),
};

const task = JSON.parse(process.argv[2]);
const make = IMPLEMENTATIONS[task.impl];
if (!make) throw new Error(`unknown implementation ${task.impl}`);
// the data are made with regwasm too: its one init() must already have the thread count asked for
if (task.impl === "regwasm-1thread") await (await import("../../dist/index.js")).init({ threads: 1 });
const { train, validation } = await loadData(C);
const model = await make(C);

/** CPU time of this process in ms (user + system): less sensitive than wall time to other processes' load. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Trains up to `epochs` epochs within `budgetS` seconds; returns each epoch's wall and CPU durations in ms. */
async function timeEpochs(epochs, budgetS) {
  const wall = [],
    cpu = [];
  const start = performance.now();
  let lastWall = start,
    lastCpu = cpuMs();
  await model.trainEpochs(train.x, train.y, train.rows, epochs, (now) => {
    const c = cpuMs();
    wall.push(now - lastWall);
    cpu.push(c - lastCpu);
    lastWall = now;
    lastCpu = c;
    return now - start < budgetS * 1000;
  });
  return { wall, cpu };
}

let result;
if (task.full) {
  const start = performance.now(),
    startCpu = cpuMs();
  const final = await model.trainEpochs(train.x, train.y, train.rows, C.epochs);
  const totalS = (performance.now() - start) / 1000,
    cpuS = (cpuMs() - startCpu) / 1000;
  result = {
    impl: task.impl,
    totalS,
    cpuS,
    trainLoss: final.loss,
    trainAcc: final.acc,
    valAcc: (await model.evaluate(validation.x, validation.y, validation.rows)).acc,
  };
} else {
  const warmup = await timeEpochs(task.warmup, Infinity);
  const timed = await timeEpochs(task.epochs, task.budgetS);
  result = { impl: task.impl, warmupMs: warmup.wall, epochMs: timed.wall, epochCpuMs: timed.cpu };
}
process.stdout.write(`${JSON.stringify(result)}\n`);
