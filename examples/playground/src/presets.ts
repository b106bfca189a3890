// The playground's scenarios: each a regularized config (compared with the same config without
// regularization), one sentence on what to look for, and the claims checked after a run. Every claim
// states on how many seeds it held; test/examples/playground-presets.test.ts trains those seeds with
// the page's own training code and fails when a claim holds on fewer.
import type { FinalMetrics, TrainConfig } from "./protocol.js";

export interface Claim {
  /** What the claim compares (the page marks its row of the summary). */
  metric: "gap" | "valDataLoss" | "valAcc" | "zeros";
  /** The claim as a sentence, without the seed count. */
  text: string;
  /** Whether it holds for one pair of runs: the regularized one and its unregularized twin. */
  holds(regularized: FinalMetrics, unregularized: FinalMetrics): boolean;
  /** Seeds 0 … seeds − 1 were trained; it held on `held` of them. */
  seeds: number;
  held: number;
}

export interface Preset {
  id: string;
  label: string;
  /** What to look for, in one sentence. */
  lookFor: string;
  config: TrainConfig;
  claims: Claim[];
}

const BASE = {
  classes: 3,
  validationSamples: 100,
  noise: 0.2,
  l1: 0,
  l2: 0,
  dropout: 0,
  inputNoise: 0,
  l1Method: "proximal",
  decay: 0,
  seed: 0,
} as const;

const gapClaim = (what: string, held: number): Claim => ({
  metric: "gap",
  text: `with ${what} the generalization gap (validation − training loss) ends smaller`,
  holds: (r, u) => r.gap < u.gap,
  seeds: 10,
  held,
});
const valLossClaim = (what: string, held: number): Claim => ({
  metric: "valDataLoss",
  text: `with ${what} the validation loss ends lower`,
  holds: (r, u) => r.valDataLoss < u.valDataLoss,
  seeds: 10,
  held,
});

export const PRESETS: readonly Preset[] = [
  {
    id: "tiny-data",
    label: "Tiny data, big network",
    lookFor:
      "Without L2 the dashed validation loss climbs while training loss keeps falling; with L2 validation loss stays flat and the gap ends less than half as large.",
    config: {
      ...BASE,
      name: "tiny data, big network",
      samples: 20,
      noise: 0.15,
      hidden: 256,
      l2: 0.01,
      learningRate: 0.02,
      epochs: 2000,
    },
    claims: [
      {
        metric: "gap",
        text: "with L2 the generalization gap (validation − training loss) ends less than half as large",
        holds: (r, u) => r.gap < 0.5 * u.gap,
        seeds: 10,
        held: 10,
      },
      valLossClaim("L2", 10),
    ],
  },
  {
    id: "input-noise",
    label: "Tiny data, input noise",
    lookFor:
      "The same tiny data and big network, with Gaussian noise (σ 0.05) added to the training points anew every epoch instead of L2: they can no longer be memorized, the boundary smooths, the gap ends less than half as large and validation accuracy rises.",
    config: {
      ...BASE,
      name: "tiny data, input noise",
      samples: 20,
      noise: 0.15,
      hidden: 256,
      inputNoise: 0.05,
      learningRate: 0.02,
      epochs: 2000,
    },
    claims: [
      {
        metric: "gap",
        text: "with input noise the generalization gap (validation − training loss) ends less than half as large",
        holds: (r, u) => r.gap < 0.5 * u.gap,
        seeds: 10,
        held: 10,
      },
      valLossClaim("input noise", 10),
      {
        metric: "valAcc",
        text: "with input noise the validation accuracy ends higher",
        holds: (r, u) => r.valAcc > u.valAcc,
        seeds: 10,
        held: 10,
      },
    ],
  },
  {
    id: "l2-chapter",
    label: "Course: L2 chapter",
    lookFor:
      "The L2 chapter's model (64 hidden units, L2 5e-4) for 3000 of its 10001 epochs: L2 keeps the validation loss lower and the gap smaller.",
    config: {
      ...BASE,
      name: "L2 chapter",
      samples: 100,
      hidden: 64,
      l2: 5e-4,
      learningRate: 0.02,
      decay: 5e-7,
      epochs: 3000,
    },
    claims: [valLossClaim("L2", 10), gapClaim("L2", 10)],
  },
  {
    id: "dropout-chapter",
    label: "Course: dropout chapter",
    lookFor:
      "The dropout chapter's model (512 units, L2 5e-4, dropout 0.1) on 100 samples per class: the gap shrinks, by about half, but validation accuracy drops too: on this little data, closing the gap costs fit.",
    config: {
      ...BASE,
      name: "dropout chapter",
      samples: 100,
      hidden: 512,
      l2: 5e-4,
      dropout: 0.1,
      learningRate: 0.05,
      decay: 5e-5,
      epochs: 500,
    },
    claims: [
      gapClaim("L2 + dropout", 10),
      {
        metric: "valAcc",
        text: "with L2 + dropout the validation accuracy ends lower, a cost of the smaller gap",
        holds: (r, u) => r.valAcc < u.valAcc,
        seeds: 10,
        held: 10,
      },
    ],
  },
  {
    id: "l1-sparsity",
    label: "L1 sparsity",
    lookFor:
      "Proximal L1 sets a large share of the hidden layer's weights to exactly 0 (the first bar of the weight histogram); validation accuracy moves little either way.",
    config: {
      ...BASE,
      name: "L1 sparsity",
      samples: 100,
      hidden: 64,
      l1: 0.01,
      learningRate: 0.02,
      epochs: 2000,
    },
    claims: [
      {
        metric: "zeros",
        text: "with proximal L1 at least 15% of the hidden layer's weights end exactly 0, and none without",
        holds: (r, u) => r.zeros >= 0.15 && u.zeros === 0,
        seeds: 10,
        held: 10,
      },
    ],
  },
];

/** The preset the page opens on: a case that overfits without regularization. */
export const DEFAULT_PRESET = PRESETS[0];

/** "… (held on 10 of 10 seeds)". */
export const claimSentence = (c: Claim): string =>
  `${c.text[0].toUpperCase()}${c.text.slice(1)} (held on ${c.held} of ${c.seeds} seeds).`;

/** The same run with every regularizer off: the twin every preset is compared with. */
export function unregularized(c: TrainConfig): TrainConfig {
  return { ...c, l1: 0, l2: 0, dropout: 0, inputNoise: 0 };
}

/** The preset whose config the form holds (seed aside: a claim covers its seeds), or null. */
export function presetMatching(c: TrainConfig): Preset | null {
  const keys = Object.keys(DEFAULT_PRESET.config).filter((k) => k !== "name" && k !== "seed") as (keyof TrainConfig)[];
  return PRESETS.find((p) => keys.every((k) => p.config[k] === c[k])) ?? null;
}
