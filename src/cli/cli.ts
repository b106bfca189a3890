#!/usr/bin/env node
// regwasm's command line: `regwasm train [flags]` (the default command). Without model flags it runs
// the course's experiments (each chapter with and without regularization); with any model flag it runs
// that one configuration, starting from the dropout chapter's settings. Prints a table (or one JSON
// object per run with --json) on stdout, progress on stderr, and writes an SVG report. Training runs
// in a worker thread (train-worker.ts) so that Ctrl-C is seen between epochs.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { COURSE_EXPERIMENTS, DROPOUT_CHAPTER, L2_CHAPTER, type ExperimentConfig } from "../experiments/course.js";
import {
  courseNumber as num,
  describeExperiment,
  experimentLayers,
  experimentOptimizer,
} from "./describe-experiment.js";
import type { ExperimentResult } from "./run-experiment.js";
import { onInterrupt } from "./interrupt.js";
import { checkOutPath, writeFileAtomic } from "./output.js";
import { Progress } from "./progress.js";
import type { TrainJob, TrainMessage } from "./train-worker.js";
import { buildReport } from "./report/report.js";
import { formatTable } from "./report/table.js";

/** One usage line per chapter, aligned: "  dropout chapter  1000×3 samples, Dense(2,512) L2 5e-4, …". */
const chapterLine = (label: string, c: ExperimentConfig): string =>
  `  ${label.padEnd(17)}${`${c.samples}×${c.classes}`.padStart(6)} samples, ${[...experimentLayers(c), experimentOptimizer(c)].join(", ")}`;

const D = DROPOUT_CHAPTER;
const USAGE = `Usage: regwasm [train] [flags]

Trains a small network on 2-D spiral data with WebAssembly SIMD kernels.
Without model flags: the course's experiments, each with and without regularization:
${chapterLine("dropout chapter", DROPOUT_CHAPTER)}
${chapterLine("L2 chapter", L2_CHAPTER)}
  (${D.epochs} epochs each; validation on a fresh ${D.validationSamples}×${D.classes} spiral)
With any model flag: one run, the dropout chapter's settings overridden by the flags.

Model flags:
  --hidden N     hidden units, in [1, 65536] (default ${D.hidden})
  --l1 λ         L1 strength on the first layer's weights and biases, in [0, 1e6] (default ${num(D.l1)})
  --l2 λ         L2 strength on the first layer's weights and biases, λ·Σw², in [0, 1e6] (default ${num(D.l2)})
  --dropout R    dropout rate in [0, 1) after the hidden layer; 0 = none (default ${D.dropout});
                 with dropout, samples × ${D.classes} × hidden must be at most 2^32 (32-bit dropout counters)
  --lr X         Adam learning rate, in [1e-12, 1e6] (default ${num(D.learningRate)})
  --decay X      learning-rate decay: lr / (1 + decay·iteration), in [0, 1e6] (default ${num(D.decay)})
  --epochs N     training epochs, full batch, in [1, 10000000] (default ${D.epochs})
  --samples N    training samples per class, in [1, 1000000] (default ${D.samples})
  --seed N       seed for data, weights and dropout, in [0, 2^31] (default ${D.seed})
The table and --json report the trained model on its training data with dropout off (train acc,
train loss = data loss + reg loss) and on the validation data (val acc, val loss = cross-entropy).

Output flags:
  --json         one JSON object per run on stdout, instead of the table: train_acc, train_loss,
                 val_acc, val_loss, data_loss, reg_loss (train_loss = data_loss + reg_loss),
                 epochs (trained), wall_s; a run stopped by Ctrl-C also has "stopped": true
  --out FILE     write the SVG report to FILE (default ./regwasm-report.svg); checked before
                 training, and the previous file is replaced only by a complete new report
  --no-report    write no SVG report
  --version      print the version
  --help         this text

What goes where:
  stdout         the table and then "report: PATH"; with --json only the JSON lines
  stderr         progress, usage errors and errors (with --json also "report: PATH"). Each progress
                 line shows fit()'s loss and accuracy on the training data during that epoch
                 ("train (dropout on, before update)": training mode, measured before the epoch's
                 update) and the latest validation accuracy; the line that ends a run shows the
                 trained model's figures with dropout off, the same as the table's
  report         an SVG file: loss and accuracy curves and the decision boundary for each run

Ctrl-C stops after the current epoch, prints what finished (the interrupted run marked as stopped),
writes the report and exits 130; a second Ctrl-C quits at once.
Exit codes: 0 done, 1 error (one line on stderr; REGWASM_DEBUG=1 adds the stack trace),
2 bad command line, 130 interrupted.
`;

/** A bad command line: reported with the usage hint and exit code 2. */
class UsageError extends Error {}

const MODEL_FLAGS = ["hidden", "l1", "l2", "dropout", "lr", "decay", "epochs", "samples", "seed"] as const;
type ModelFlag = (typeof MODEL_FLAGS)[number];

interface Rule {
  integer?: boolean;
  min: number;
  max: number;
  /** Whether min itself is excluded. */
  minOpen?: boolean;
  maxOpen?: boolean;
  what: string;
}

// Bounds within what the library accepts, kept to practical values. λ: the library takes up to
// 1.7e38 (2·λ2 must fit in f32), but a penalty weight far above 1 only zeroes the layer; 1e6 also keeps
// the losses printable. lr and decay: with at most 1e7 full-batch iterations, lr / (1 + decay·t) stays
// in [1e-25, 1e6], a positive normal f32 (min 1.2e-38), so the Adam kernel never sees 0 or ∞.
const RULES: Record<ModelFlag, Rule> = {
  hidden: { integer: true, min: 1, max: 65536, what: "an integer in [1, 65536]" },
  l1: { min: 0, max: 1e6, what: "a number in [0, 1e6]" },
  l2: { min: 0, max: 1e6, what: "a number in [0, 1e6]" },
  dropout: { min: 0, max: 1, maxOpen: true, what: "a rate in [0, 1) (1 would drop every unit)" },
  lr: { min: 1e-12, max: 1e6, what: "a number in [1e-12, 1e6]" },
  decay: { min: 0, max: 1e6, what: "a number in [0, 1e6]" },
  epochs: { integer: true, min: 1, max: 1e7, what: "an integer in [1, 10000000]" },
  samples: { integer: true, min: 1, max: 1e6, what: "an integer in [1, 1000000]" },
  seed: { integer: true, min: 0, max: 2 ** 31, what: "an integer in [0, 2^31]" },
};

function parseNumber(flag: ModelFlag, raw: string): number {
  const rule = RULES[flag];
  // plain decimal only: Number() would also take "0x10", "1e3" for integers, " 5 " and "Infinity"
  const pattern = rule.integer ? /^-?\d+$/ : /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
  const value = pattern.test(raw) ? Number(raw) : NaN;
  const ok =
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.minOpen ? value > rule.min : value >= rule.min) &&
    (rule.maxOpen ? value < rule.max : value <= rule.max);
  if (!ok) throw new UsageError(`--${flag} must be ${rule.what}, got "${raw}"`);
  return value;
}

interface Command {
  help: boolean;
  version: boolean;
  json: boolean;
  /** The report's path and the file to replace (see checkOutPath), or null with --no-report. */
  report: { path: string; target: string } | null;
  experiments: ExperimentConfig[];
}

/** Dropout's counters are 32-bit: one epoch's batch may hold at most 2^32 activations per layer. */
const MAX_DROPOUT_ELEMENTS = 2 ** 32;

/**
 * parseArgs reads "--l2 -1" as a flag without value followed by a flag "-1"; joining it into
 * "--l2=-1" lets the range check report the real problem (a negative strength).
 */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const isModelFlag = MODEL_FLAGS.some((f) => argv[i] === `--${f}`);
    if (isModelFlag && /^-\.?\d/.test(argv[i + 1] ?? "")) out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

/** Parses argv (without node and script); throws UsageError naming the offending flag. */
function parseCommand(argv: string[]): Command {
  const args = joinNegativeValues(argv);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        ...Object.fromEntries(MODEL_FLAGS.map((f) => [f, { type: "string" as const }])),
        json: { type: "boolean" },
        out: { type: "string" },
        "no-report": { type: "boolean" },
        version: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    // node:util's messages name the flag ("Option '--lr <value>' argument missing"); shorten the long one.
    const { code, message } = error as { code?: string; message: string };
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION")
      throw new UsageError(`unknown flag ${/'([^']+)'/.exec(message)?.[1] ?? message}`);
    throw new UsageError(message);
  }
  const { positionals } = parsed;
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const help = values.help === true;
  const version = values.version === true;
  // --help, then --version, win over any other flag
  if (help || version) return { help, version, json: false, report: null, experiments: [] };
  const [command = "train", ...extra] = positionals;
  if (command !== "train") throw new UsageError(`unknown command "${command}" (the only command is "train")`);
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const noReport = values["no-report"] === true;
  if (noReport && values.out !== undefined) throw new UsageError("--no-report and --out contradict each other");
  let report: Command["report"] = null;
  if (!noReport) {
    // Checked before training, so a typo does not cost a finished run its report.
    const checked = checkOutPath((values.out as string | undefined) ?? "regwasm-report.svg");
    if ("error" in checked) throw new UsageError(`--out: ${checked.error}`);
    report = checked;
  }

  const given = MODEL_FLAGS.filter((f) => values[f] !== undefined);
  const n = Object.fromEntries(given.map((f) => [f, parseNumber(f, values[f] as string)])) as Partial<
    Record<ModelFlag, number>
  >;
  const experiments =
    given.length === 0
      ? [...COURSE_EXPERIMENTS]
      : [
          {
            ...DROPOUT_CHAPTER,
            name: "custom",
            hidden: n.hidden ?? DROPOUT_CHAPTER.hidden,
            l1: n.l1 ?? DROPOUT_CHAPTER.l1,
            l2: n.l2 ?? DROPOUT_CHAPTER.l2,
            dropout: n.dropout ?? DROPOUT_CHAPTER.dropout,
            learningRate: n.lr ?? DROPOUT_CHAPTER.learningRate,
            decay: n.decay ?? DROPOUT_CHAPTER.decay,
            epochs: n.epochs ?? DROPOUT_CHAPTER.epochs,
            samples: n.samples ?? DROPOUT_CHAPTER.samples,
            seed: n.seed ?? DROPOUT_CHAPTER.seed,
          },
        ];
  for (const c of experiments) {
    const activations = c.samples * c.classes * c.hidden;
    if (c.dropout > 0 && activations > MAX_DROPOUT_ELEMENTS)
      throw new UsageError(
        `--dropout needs --samples × ${c.classes} × --hidden at most 2^32 (32-bit dropout counters), got ${c.samples} × ${c.classes} × ${c.hidden} = ${activations}; use fewer samples or hidden units, or --dropout 0`,
      );
  }
  return { help, version, json: values.json === true, report, experiments };
}

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
function train(command: Command, stop: Int32Array): Promise<ExperimentResult[]> {
  const job: TrainJob = { experiments: command.experiments, stop };
  const worker = new Worker(new URL("./train-worker.js", import.meta.url), { workerData: job });
  const results: ExperimentResult[] = [];
  const progress: Progress[] = [];
  const progressOf = (run: number) => {
    const c = command.experiments[run];
    progress[run] ??= new Progress({ label: c.name, total: c.epochs, dropout: c.dropout > 0 });
    return progress[run];
  };
  return new Promise((resolve, reject) => {
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
    worker.on("error", reject);
    // messages posted before the worker ended are delivered before "exit"
    worker.on("exit", (code) =>
      code === 0 ? resolve(results) : reject(new Error(`the training thread exited with code ${code}`)),
    );
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
    const results = await train(command, stop);
    if (!command.json) {
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
    if (command.report !== null) {
      writeFileAtomic(
        command.report.target,
        buildReport(
          results.map((r) => ({
            name: runName(r),
            description: describeExperiment(r.config),
            history: r.history,
            boundary: r.boundary,
            final: { trainAcc: r.train.acc, valAcc: r.validation.acc, valLoss: r.validation.loss, wallS: r.wallS },
          })),
        ),
      );
      (command.json ? process.stderr : process.stdout).write(`report: ${command.report.path}\n`);
    }
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
