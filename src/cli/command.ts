// The command line as data: the usage text, the flag rules and parseCommand (argv → Command, or a
// UsageError naming the offending flag). No side effects, so tests and fuzzers can call it directly.
import { parseArgs } from "node:util";
import { COURSE_EXPERIMENTS, DROPOUT_CHAPTER, L2_CHAPTER, type ExperimentConfig } from "../experiments/course.js";
import { courseNumber as num, experimentLayers, experimentOptimizer } from "./describe-experiment.js";
import { checkOutPath } from "./output.js";

/** One usage line per chapter, aligned: "  dropout chapter  1000×3 samples, Dense(2,512) L2 5e-4, …". */
const chapterLine = (label: string, c: ExperimentConfig): string =>
  `  ${label.padEnd(17)}${`${c.samples}×${c.classes}`.padStart(6)} samples, ${[...experimentLayers(c), experimentOptimizer(c)].join(", ")}`;

const D = DROPOUT_CHAPTER;
export const USAGE = `Usage: regwasm [train] [flags]

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

Run flags:
  --threads N    threads that run the kernels, in [1, 256] (default: one per core)

Output flags:
  --json         one JSON object per run on stdout, instead of the table: train_acc, train_loss,
                 val_acc, val_loss, data_loss, reg_loss (train_loss = data_loss + reg_loss),
                 epochs (trained), wall_s; a run stopped by Ctrl-C also has "stopped": true;
                 writes no report unless --out is given
  --out FILE     write the report to FILE (default ./regwasm-report.svg): an HTML page when FILE
                 ends in .html, else SVG; checked before training, and the previous file is
                 replaced only by a complete new report
  --no-report    write no report
  --version      print the version
  --help         this text

What goes where:
  stdout         the table and then "report: PATH"; with --json only the JSON lines
  stderr         progress, usage errors and errors (with --json also "report: PATH"). Each progress
                 line shows fit()'s loss and accuracy on the training data during that epoch
                 ("train (dropout on, before update)": training mode, measured before the epoch's
                 update) and the latest validation accuracy; the line that ends a run shows the
                 trained model's figures with dropout off, the same as the table's
  report         an SVG file (or HTML page) that scales to the window: each chapter's run with and
                 without regularization on the same axes (loss, accuracy, the gap between validation
                 and training loss), then loss and accuracy curves and the decision boundary per run

Ctrl-C stops after the current epoch, prints what finished (the interrupted run marked as stopped),
writes the report and exits 130; a second Ctrl-C quits at once.
Exit codes: 0 done, 1 error (one line on stderr; REGWASM_DEBUG=1 adds the stack trace),
2 bad command line, 130 interrupted.
`;

/** A bad command line: reported with the usage hint and exit code 2. */
export class UsageError extends Error {}

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

const THREADS_RULE: Rule = { integer: true, min: 1, max: 256, what: "an integer in [1, 256]" };

function parseNumber(flag: string, raw: string, rule: Rule = RULES[flag as ModelFlag]): number {
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

export interface Command {
  help: boolean;
  version: boolean;
  json: boolean;
  /** The report's path, the file to replace (see checkOutPath) and its format, or null: --no-report, or --json without --out. */
  report: { path: string; target: string; format: "svg" | "html" } | null;
  experiments: ExperimentConfig[];
  /** Threads for the kernels; undefined: one per core (init()'s default). */
  threads?: number;
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
    const takesNumber = [...MODEL_FLAGS, "threads"].some((f) => argv[i] === `--${f}`);
    if (takesNumber && /^-\.?\d/.test(argv[i + 1] ?? "")) out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

/** Parses argv (without node and script); throws UsageError naming the offending flag. */
export function parseCommand(argv: string[]): Command {
  const args = joinNegativeValues(argv);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        ...Object.fromEntries(MODEL_FLAGS.map((f) => [f, { type: "string" as const }])),
        threads: { type: "string" },
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
  // --json is for scripts: a report file only when asked for
  if (!noReport && (values.json !== true || values.out !== undefined)) {
    // Checked before training, so a typo does not cost a finished run its report.
    const checked = checkOutPath((values.out as string | undefined) ?? "regwasm-report.svg");
    if ("error" in checked) throw new UsageError(`--out: ${checked.error}`);
    report = { ...checked, format: /\.html?$/i.test(checked.path) ? "html" : "svg" };
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
  const threads =
    values.threads === undefined ? undefined : parseNumber("threads", values.threads as string, THREADS_RULE);
  return { help, version, json: values.json === true, report, experiments, ...(threads ? { threads } : {}) };
}
