#!/usr/bin/env node
// regwasm's command line: `regwasm train [flags]` (the default command). Without model flags it runs
// the course's experiments (each chapter with and without regularization); with any model flag it runs
// that one configuration, starting from the dropout chapter's settings. Prints a table (or one JSON
// object per run with --json) on stdout, progress on stderr, and writes an SVG report.
import { existsSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { init } from "../index.js";
import { COURSE_EXPERIMENTS, DROPOUT_CHAPTER, L2_CHAPTER, type ExperimentConfig } from "../experiments/course.js";
import {
  courseNumber as num,
  describeExperiment,
  experimentLayers,
  experimentOptimizer,
} from "./describe-experiment.js";
import { runExperiment, type ExperimentResult } from "./run-experiment.js";
import { Progress } from "./progress.js";
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
  --hidden N     hidden units (default ${D.hidden})
  --l1 λ         L1 strength on the first layer's weights and biases (default ${num(D.l1)})
  --l2 λ         L2 strength on the first layer's weights and biases, λ·Σw² (default ${num(D.l2)})
  --dropout R    dropout rate in [0, 1) after the hidden layer; 0 = none (default ${D.dropout})
  --lr X         Adam learning rate (default ${num(D.learningRate)})
  --decay X      learning-rate decay: lr / (1 + decay·iteration) (default ${num(D.decay)})
  --epochs N     training epochs, full batch (default ${D.epochs})
  --samples N    training samples per class (default ${D.samples})
  --seed N       seed for data, weights and dropout (default ${D.seed})
The table and --json report the trained model on its training data with dropout off (train acc,
train loss = data loss + reg loss) and on the validation data (val acc, val loss = cross-entropy).

Output flags:
  --json         one JSON object per run on stdout: train_acc, train_loss, val_acc, val_loss,
                 data_loss, reg_loss (train_loss = data_loss + reg_loss), epochs, wall_s
  --out FILE     SVG report path (default ./regwasm-report.svg)
  --help         this text
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

const RULES: Record<ModelFlag, Rule> = {
  hidden: { integer: true, min: 1, max: 65536, what: "an integer in [1, 65536]" },
  l1: { min: 0, max: Infinity, what: "a number >= 0" },
  l2: { min: 0, max: Infinity, what: "a number >= 0" },
  dropout: { min: 0, max: 1, maxOpen: true, what: "a rate in [0, 1) (1 would drop every unit)" },
  lr: { min: 0, max: Infinity, minOpen: true, what: "a number > 0" },
  decay: { min: 0, max: Infinity, what: "a number >= 0" },
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
  json: boolean;
  out: string;
  experiments: ExperimentConfig[];
}

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
  if (help) return { help, json: false, out: "", experiments: [] }; // --help wins over any other flag
  const [command = "train", ...extra] = positionals;
  if (command !== "train") throw new UsageError(`unknown command "${command}" (the only command is "train")`);
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const out = (values.out as string | undefined) ?? "regwasm-report.svg";
  // Checked before training, so a typo does not cost a finished run its report.
  if (out.trim() === "") throw new UsageError(`--out must be a file path`);
  const outDir = dirname(resolve(out));
  if (!existsSync(outDir) || !statSync(outDir).isDirectory())
    throw new UsageError(`--out: directory ${outDir} does not exist`);

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
  return { help, json: values.json === true, out, experiments };
}

/** The --json line: exactly these fields, in this order. */
function jsonLine(r: ExperimentResult): string {
  return JSON.stringify({
    train_acc: r.train.acc,
    train_loss: r.train.loss,
    val_acc: r.validation.acc,
    val_loss: r.validation.loss,
    data_loss: r.train.dataLoss,
    reg_loss: r.train.regLoss,
    epochs: r.config.epochs,
    wall_s: r.wallS,
  });
}

async function run(command: Command): Promise<void> {
  await init();
  const results: ExperimentResult[] = [];
  for (const config of command.experiments) {
    const progress = new Progress({ label: config.name, total: config.epochs });
    const result = runExperiment(config, {
      onEpoch: (done, log) => progress.update(done, { loss: log.loss, acc: log.acc, valAcc: log.valAcc }),
    });
    progress.finish();
    results.push(result);
    if (command.json) process.stdout.write(`${jsonLine(result)}\n`);
  }

  if (!command.json) {
    process.stdout.write(
      `${formatTable(
        results.map((r) => ({
          name: r.config.name,
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

  const path = resolve(command.out);
  writeFileSync(
    path,
    buildReport(
      results.map((r) => ({
        name: r.config.name,
        description: describeExperiment(r.config),
        history: r.history,
        boundary: r.boundary,
        final: { trainAcc: r.train.acc, valAcc: r.validation.acc, valLoss: r.validation.loss, wallS: r.wallS },
      })),
    ),
  );
  (command.json ? process.stderr : process.stdout).write(`report: ${path}\n`);
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
  await run(command);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`regwasm: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
