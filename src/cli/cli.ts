#!/usr/bin/env node
// regwasm's command line: `regwasm train [flags]` (the default command). Without model flags it runs
// the course's experiments (each chapter with and without regularization); with any model flag it runs
// that one configuration, starting from the dropout chapter's settings. Prints a table (or one JSON
// object per run with --json) on stdout, progress on stderr, and writes an SVG report. Training runs
// in a worker thread (train-worker.ts) so that Ctrl-C is seen between epochs.
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { type Command, parseCommand, USAGE, UsageError } from "./command.js";
import { describeExperiment } from "./describe-experiment.js";
import type { ExperimentResult } from "./run-experiment.js";
import { onInterrupt } from "./interrupt.js";
import { writeFileAtomic } from "./output.js";
import { Progress } from "./progress.js";
import type { TrainJob, TrainMessage } from "./train-worker.js";
import { buildHtmlReport, buildReport } from "./report/report.js";
import { regularizationPairs } from "./report/comparison.js";
import { formatTable } from "./report/table.js";

/** The run's name, marked when Ctrl-C stopped it. */
const runName = (r: ExperimentResult): string =>
  r.stopped ? `${r.config.name} (stopped at epoch ${r.epochs} of ${r.config.epochs})` : r.config.name;

/** The --json line: exactly these fields, in this order. */
function jsonLine(r: ExperimentResult): string {
  return JSON.stringify({
    train_acc: r.train.acc,
    train_loss: r.train.loss,
    val_acc: r.validation.acc,
    val_loss: r.validation.loss,
    data_loss: r.train.dataLoss,
    reg_loss: r.train.regLoss,
    epochs: r.epochs,
    wall_s: r.wallS,
    ...(r.stopped ? { stopped: true } : {}),
  });
}

/** Trains the experiments in the worker thread, drawing progress; stops early once `stop[0]` is set. */
function train(command: Command, stop: Int32Array): Promise<{ results: ExperimentResult[]; failure: unknown }> {
  const job: TrainJob = { experiments: command.experiments, stop, threads: command.threads };
  const worker = new Worker(new URL("./train-worker.js", import.meta.url), { workerData: job });
  const results: ExperimentResult[] = [];
  const progress: Progress[] = [];
  const progressOf = (run: number) => {
    const c = command.experiments[run];
    progress[run] ??= new Progress({ label: c.name, total: c.epochs, dropout: c.dropout > 0 });
    return progress[run];
  };
  return new Promise((resolve) => {
    worker.on("message", (m: TrainMessage) => {
      if (m.type === "epoch") {
        progressOf(m.run).update(m.epoch, { loss: m.loss, acc: m.acc, valAcc: m.valAcc });
        return;
      }
      const r = m.result;
      progressOf(m.run).finish({
        trainAcc: r.train.acc,
        trainLoss: r.train.loss,
        valAcc: r.validation.acc,
        valLoss: r.validation.loss,
        epochs: r.epochs,
        wallS: r.wallS,
      });
      results.push(r);
      if (command.json) process.stdout.write(`${jsonLine(r)}\n`);
    });
    // a failing run still hands back the runs that finished, so their table and report are kept
    let failure: unknown = null;
    worker.on("error", (error) => {
      failure = error;
    });
    // messages posted before the worker ended are delivered before "exit"
    worker.on("exit", (code) => {
      if (failure === null && code !== 0) failure = new Error(`the training thread exited with code ${code}`);
      resolve({ results, failure });
    });
  });
}

async function run(command: Command): Promise<number> {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  let interrupted = false;
  const stopListening = onInterrupt(
    () => {
      interrupted = true;
      Atomics.store(stop, 0, 1);
      process.stderr.write(
        `${process.stderr.isTTY ? "\n" : ""}regwasm: stopping after this epoch (Ctrl-C again to quit at once)\n`,
      );
    },
    () => {
      process.stderr.write("\nregwasm: interrupted\n");
      process.exit(130);
    },
  );
  try {
    const { results, failure } = await train(command, stop);
    // nothing finished (an early Ctrl-C or a failing first run): no empty table, and the previous report stays
    if (!command.json && results.length > 0) {
      process.stdout.write(
        `${formatTable(
          results.map((r) => ({
            name: runName(r),
            trainAcc: r.train.acc,
            trainLoss: r.train.loss,
            valAcc: r.validation.acc,
            valLoss: r.validation.loss,
            dataLoss: r.train.dataLoss,
            regLoss: r.train.regLoss,
            wallS: r.wallS,
          })),
        )}\n`,
      );
    }
    if (command.report !== null && results.length > 0) {
      const runs = results.map((r) => ({
        name: runName(r),
        description: describeExperiment(r.config),
        history: r.history,
        trainCurve: r.trainCurve,
        boundary: r.boundary,
        final: {
          trainAcc: r.train.acc,
          trainLoss: r.train.dataLoss,
          valAcc: r.validation.acc,
          valLoss: r.validation.loss,
          wallS: r.wallS,
        },
      }));
      const comparisons = regularizationPairs(results.map((r) => r.config)).map(([regularized, unregularized]) => ({
        regularized,
        unregularized,
      }));
      const build = command.report.format === "html" ? buildHtmlReport : buildReport;
      writeFileAtomic(command.report.target, build(runs, { comparisons }));
      (command.json ? process.stderr : process.stdout).write(`report: ${command.report.path}\n`);
    }
    if (failure !== null) throw failure;
    return interrupted ? 130 : 0;
  } finally {
    stopListening();
  }
}

/** The version in package.json, two levels up from this file in src/cli/ and in dist/cli/. */
function packageVersion(): string {
  return JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;
}

async function main(argv: string[]): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`regwasm: ${error.message}\nRun "regwasm --help" for the flags.\n`);
    return 2;
  }
  if (command.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command.version) {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  return run(command);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    // one line for the user; the stack only when asked for
    const debug = process.env.REGWASM_DEBUG === "1";
    const message = error instanceof Error ? (debug ? (error.stack ?? error.message) : error.message) : String(error);
    process.stderr.write(`regwasm: ${message}\n`);
    process.exitCode = 1;
  },
);
