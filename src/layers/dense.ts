// Fully connected layer: output = input·W + b, W nIn × nOut (the course's layout), with optional
// penalties on weights, biases and outputs (L1/L2 through the fused kernel, or any regularizer) and
// constraints on weights and biases (applied by the optimizer after each update).
import { reluBackward } from "../kernels/activation.js";
import { addInto } from "../kernels/add-into.js";
import { addPenaltyGradUnchecked } from "../kernels/gradient.js";
import {
  affineForward,
  denseGrads,
  gradScratchSize,
  inputGrad,
  preferDots,
  transpose,
  transposedScratch,
} from "../kernels/matmul.js";
import { penaltyUnchecked } from "../kernels/penalty.js";
import {
  checkGradientL2,
  checkLambda,
  checkOneOf,
  checkOptions,
  checkPositiveInt,
  checkSeed,
  describe,
  F32_MAX,
} from "../validate.js";
import { type ConstraintIdentifier, get as getConstraint } from "../constraints/constraints.js";
import type { Constraint } from "../constraints/constraint.js";
import { L1L2, LambdaPenalty } from "../regularizers/l1l2.js";
import type { Regularizer } from "../regularizers/regularizer.js";
import { get as getRegularizer, type RegularizerIdentifier } from "../regularizers/regularizers.js";
import { allocF32, type F32Buffer } from "../wasm/buffer.js";
import { defaultInstance, Instance } from "../wasm/instance.js";
import { allocMatrix, type Matrix } from "../wasm/matrix.js";
import { RowCache } from "../wasm/row-cache.js";
import { groupOf, SUM_SLOTS, slotCount, slotOf } from "../wasm/row-groups.js";
import { defaultSeed } from "./default-seed.js";
import type { Fans, Initializer } from "./initializers/initializer.js";
import { type InitializerName, initializerRegistry } from "./initializers/registry.js";
import { WORD_BLOCK } from "./initializers/word-reader.js";
import { type Activation, Layer, type LayerJSON, type Param } from "./layer.js";

/** How λ2 enters the loss: 'keras' λ·Σw² (gradient 2λw), 'torch' λ/2·Σw² (gradient λw, as weight_decay in SGD). */
export type L2Convention = "keras" | "torch";

export interface DenseOptions {
  /** λ of the L1 penalty on the weights, λ·Σ|w|. Default 0. */
  weightL1?: number;
  /** λ of the L2 penalty on the weights (see convention). Default 0. */
  weightL2?: number;
  /** λ of the L1 penalty on the biases. Default 0. */
  biasL1?: number;
  /** λ of the L2 penalty on the biases. Default 0. */
  biasL2?: number;
  /** Default 'keras' (λ·Σw², the course's formula). */
  convention?: L2Convention;
  /**
   * A regularizer of the weights (an instance, a name such as 'l2', or its JSON): L1, L2 and L1L2
   * run the same fused kernel as weightL1/weightL2. Not together with weightL1/weightL2.
   */
  weightRegularizer?: RegularizerIdentifier;
  /** Keras's spelling of weightRegularizer (give one of the two). */
  kernelRegularizer?: RegularizerIdentifier;
  /** A regularizer of the biases. Not together with biasL1/biasL2. */
  biasRegularizer?: RegularizerIdentifier;
  /**
   * A penalty on the layer's outputs (L1, L2, L1L2 or a custom one that sums over rows), divided by
   * the batch's rows as in Keras. The layer then applies no activation inside its own kernels.
   */
  activityRegularizer?: RegularizerIdentifier;
  /** λ1 of λ1·Σ|output| / rows (shorthand for activityRegularizer: new L1L2({ l1 })). Default 0. */
  activityL1?: number;
  /** λ2 of λ2·Σoutput² / rows. Default 0. */
  activityL2?: number;
  /** A constraint on the weights, applied after every update (maxNorm, minMaxNorm, nonNeg, unitNorm, …). */
  weightConstraint?: ConstraintIdentifier;
  /** Keras's spelling of weightConstraint (give one of the two). */
  kernelConstraint?: ConstraintIdentifier;
  /** A constraint on the biases. */
  biasConstraint?: ConstraintIdentifier;
  /**
   * How the L1 terms (weightL1, biasL1, or the l1 of an L1/L1L2 regularizer) act: 'subgradient'
   * (default) adds λ1·sign(w) to the gradient; 'proximal' soft-thresholds after each optimizer update,
   * w ← sign(w)·max(|w| − lr·λ1, 0), so weights reach exact zeros (see sparsity()).
   */
  l1Method?: L1Method;
  /**
   * How the weights start (a name in initializerRegistry). Default 'glorotUniform', as Keras and
   * TF.js: U(−limit, limit), limit = √(6 / (nIn + nOut)). 'course' is the course's 0.01·N(0, 1) (the
   * default before initializers were configurable).
   */
  weightInit?: InitializerName | (string & {});
  /** How the biases start (their fans are nOut and nOut, as Keras's for a vector). Default 'zeros'. */
  biasInit?: InitializerName | (string & {});
  /** Seed of the initial weights and biases; default: 0, 1, 2, … in construction order. */
  seed?: number;
  /** The instance whose memory holds the layer (default: the one init() loaded). */
  instance?: Instance;
}

/** See DenseOptions.l1Method. */
export type L1Method = "subgradient" | "proximal";

const CONVENTIONS = ["keras", "torch"] as const;
const L1_METHODS = ["subgradient", "proximal"] as const;
/** Options saved in the JSON only when given, so a JSON without them reads as before they existed. */
const OPTIONAL_JSON = [
  "weightRegularizer",
  "biasRegularizer",
  "activityRegularizer",
  "activityL1",
  "activityL2",
  "weightConstraint",
  "biasConstraint",
  "l1Method",
] as const;
const DENSE_OPTIONS = [
  "weightL1",
  "weightL2",
  "biasL1",
  "biasL2",
  "convention",
  ...OPTIONAL_JSON,
  "kernelRegularizer",
  "kernelConstraint",
  "weightInit",
  "biasInit",
  "seed",
  "instance",
] as const;
const DENSE_JSON = [
  "type",
  "nIn",
  "nOut",
  ...DENSE_OPTIONS.filter((k) => k !== "instance" && !k.startsWith("kernel")),
  "weights",
  "biases",
];

/** Streams of the counter-based generator for the initial weights ('W') and biases ('B'). */
const WEIGHT_STREAM = 0x57;
const BIAS_STREAM = 0x42;
/** What a JSON written before weightInit and biasInit existed was initialized with. */
const LEGACY_WEIGHT_INIT = "course";
const LEGACY_BIAS_INIT = "zeros";

/** A sum slot's own gradient sums (slots after the first; the first sums into dW and db). */
interface SlotGrads {
  /** dW, or dWᵀ where the layer sums into dWᵀ (narrow outputs). */
  weights: F32Buffer;
  biases: F32Buffer;
}

interface DenseWork {
  output: Matrix;
  /** Allocated on first need (the first layer of a model never needs it). */
  dInput: Matrix | null;
  /** The transposed operand of the weight-gradient product (xᵀ, or dZᵀ for narrow outputs); on first backward. */
  gradScratch: F32Buffer | null;
}

export class Dense extends Layer {
  readonly type = "dense";
  readonly weightL1: number;
  readonly weightL2: number;
  readonly biasL1: number;
  readonly biasL2: number;
  readonly convention: L2Convention;
  readonly weightRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  /** The penalty of the outputs (from activityRegularizer, or activityL1/activityL2), or null. */
  readonly activityRegularizer: Regularizer | null;
  readonly activityL1: number;
  readonly activityL2: number;
  readonly weightConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  readonly l1Method: L1Method;
  /** The options given for the JSON (the shorthands are saved as such, not as their regularizer). */
  readonly #given: { activity: boolean };
  /** Σ over the current batch's chunks of the activity penalty, and 1/(the batch's rows). */
  #activitySum = 0;
  #activityScale = 1;
  /** The initializers' names, as given (or their defaults). */
  readonly weightInit: string;
  readonly biasInit: string;
  readonly seed: number;
  /** nIn × nOut, row-major. */
  readonly weights: F32Buffer;
  readonly biases: F32Buffer;
  readonly dWeights: F32Buffer;
  readonly dBiases: F32Buffer;
  readonly #instance: Instance;
  /** The last forward applied ReLU inside the product kernels: its backward takes dLoss/d(max(z, 0)). */
  #relu = false;
  /** Wᵀ, for the kernels that need it (narrow forward, wide dX); allocated only for those shapes. */
  readonly #wt: F32Buffer | null;
  /** dWᵀ accumulated over a batch by narrow layers. */
  readonly #dwt: F32Buffer | null;
  #wtFresh = false;
  /** The row group (row-groups.ts) of the last forward's chunk, and whether its slot's sums restart in backward. */
  #group = 0;
  #groupFresh = true;
  /** Groups the current batch has reached: their slots' sums are what finishGradients adds in. */
  #groups = 1;
  readonly #partials: SlotGrads[] = [];
  #input: Matrix | null = null;
  #output: Matrix | null = null;
  readonly #work: RowCache<DenseWork>;
  readonly #params: Param[];

  constructor(
    readonly nIn: number,
    readonly nOut: number,
    options: DenseOptions = {},
  ) {
    super();
    checkPositiveInt("nIn", nIn);
    checkPositiveInt("nOut", nOut);
    checkOptions("options", options, DENSE_OPTIONS);
    const {
      weightL1 = 0,
      weightL2 = 0,
      biasL1 = 0,
      biasL2 = 0,
      convention = "keras",
      weightInit = "glorotUniform",
      biasInit = "zeros",
      seed: givenSeed,
      instance: givenInstance,
      weightRegularizer: givenWeightReg,
      kernelRegularizer,
      biasRegularizer: givenBiasReg,
      activityRegularizer: givenActivityReg,
      activityL1 = 0,
      activityL2 = 0,
      weightConstraint: givenWeightConstraint,
      kernelConstraint,
      biasConstraint: givenBiasConstraint,
      l1Method = "subgradient",
    } = options;
    checkLambda("options.weightL1", weightL1);
    checkLambda("options.weightL2", weightL2);
    checkLambda("options.biasL1", biasL1);
    checkLambda("options.biasL2", biasL2);
    checkOneOf("options.convention", convention, CONVENTIONS);
    const initWeights = initializerRegistry.get("options.weightInit", weightInit);
    const initBiases = initializerRegistry.get("options.biasInit", biasInit);
    const l2Scale = convention === "torch" ? 0.5 : 1;
    checkGradientL2("options.weightL2", weightL2 * l2Scale);
    checkGradientL2("options.biasL2", biasL2 * l2Scale);
    checkLambda("options.activityL1", activityL1);
    checkLambda("options.activityL2", activityL2);
    checkGradientL2("options.activityL2", activityL2);
    checkOneOf("options.l1Method", l1Method, L1_METHODS);
    const weightReg = getRegularizer(
      oneOf("weightRegularizer", givenWeightReg, "kernelRegularizer", kernelRegularizer),
      "options.weightRegularizer",
    );
    const biasReg = getRegularizer(givenBiasReg, "options.biasRegularizer");
    const activityReg = getRegularizer(givenActivityReg, "options.activityRegularizer");
    if (weightReg && (weightL1 !== 0 || weightL2 !== 0))
      throw new TypeError("options.weightRegularizer cannot be combined with weightL1/weightL2: give one of them");
    if (biasReg && (biasL1 !== 0 || biasL2 !== 0))
      throw new TypeError("options.biasRegularizer cannot be combined with biasL1/biasL2: give one of them");
    if (activityReg && (activityL1 !== 0 || activityL2 !== 0))
      throw new TypeError(
        "options.activityRegularizer cannot be combined with activityL1/activityL2: give one of them",
      );
    weightReg?.checkShape("options.weightRegularizer", [nIn, nOut]);
    biasReg?.checkShape("options.biasRegularizer", [nOut]);
    if (activityReg && !activityReg.sumsOverRows)
      throw new RangeError(
        `options.activityRegularizer must be a penalty that sums over rows (L1, L2, L1L2, or a custom one with sumsOverRows), got '${activityReg.type}'`,
      );
    const weightCon = getConstraint(
      oneOf("weightConstraint", givenWeightConstraint, "kernelConstraint", kernelConstraint),
      "options.weightConstraint",
    );
    const biasCon = getConstraint(givenBiasConstraint, "options.biasConstraint");
    weightCon?.checkShape("options.weightConstraint", [nIn, nOut]);
    biasCon?.checkShape("options.biasConstraint", [nOut]);
    if (givenInstance !== undefined && !(givenInstance instanceof Instance))
      throw new TypeError(`options.instance must be an Instance from instantiate(), got ${describe(givenInstance)}`);
    const scratch = transposedScratch(nIn, nOut);
    const copies = 2 + (scratch.weights ? 1 : 0) + (scratch.gradients ? 1 : 0); // W, dW, Wᵀ, dWᵀ
    const inst = givenInstance ?? defaultInstance();
    // memory never shrinks, so a layer that cannot fit is refused before it grows any: the copies,
    // the biases and their gradient, the initializer's random words, and alignment
    const words = Math.max(2 * Math.ceil((nIn * nOut) / 2), WORD_BLOCK); // 'course' draws all at once, others a block
    const bytes = 4 * (copies * nIn * nOut + 2 * nOut + words) + 8 * 64;
    if (bytes > 2 ** 32 - inst.heap.used)
      throw new RangeError(
        `Dense(${nIn}, ${nOut}) needs ${(bytes / 2 ** 20).toFixed(0)} MiB of WASM memory: more than the ${((2 ** 32 - inst.heap.used) / 2 ** 20).toFixed(0)} MiB left of the 4 GiB of wasm32`,
      );
    const seed = givenSeed === undefined ? defaultSeed() : givenSeed;
    checkSeed("options.seed", seed);
    this.weightL1 = weightL1;
    this.weightL2 = weightL2;
    this.biasL1 = biasL1;
    this.biasL2 = biasL2;
    this.convention = convention;
    this.weightRegularizer = weightReg;
    this.biasRegularizer = biasReg;
    this.activityL1 = activityL1;
    this.activityL2 = activityL2;
    this.activityRegularizer =
      activityReg ?? (activityL1 !== 0 || activityL2 !== 0 ? new L1L2({ l1: activityL1, l2: activityL2 }) : null);
    this.#given = { activity: activityReg !== null };
    this.weightConstraint = weightCon;
    this.biasConstraint = biasCon;
    this.l1Method = l1Method;
    this.weightInit = weightInit;
    this.biasInit = biasInit;
    this.seed = seed;

    this.#instance = inst;
    // if memory runs out part-way, what was taken goes back before the error leaves
    const taken: F32Buffer[] = [];
    const take = (n: number): F32Buffer => {
      const buf = allocF32(n, inst);
      taken.push(buf);
      return buf;
    };
    try {
      this.weights = take(nIn * nOut);
      this.biases = take(nOut);
      this.dWeights = take(nIn * nOut);
      this.dBiases = take(nOut);
      this.#wt = scratch.weights ? take(nIn * nOut) : null;
      this.#dwt = scratch.gradients ? take(nIn * nOut) : null;
      initialize(this.weights, initWeights, { fanIn: nIn, fanOut: nOut }, seed, WEIGHT_STREAM, inst);
      initialize(this.biases, initBiases, { fanIn: nOut, fanOut: nOut }, seed, BIAS_STREAM, inst);
    } catch (error) {
      for (const buf of taken) buf.free();
      throw error;
    }

    const proximal = l1Method === "proximal";
    this.#params = [
      penalized(
        "weights",
        this.weights,
        this.dWeights,
        [nIn, nOut],
        weightReg,
        weightL1,
        weightL2 * l2Scale,
        proximal,
        weightCon,
      ),
      penalized("biases", this.biases, this.dBiases, [nOut], biasReg, biasL1, biasL2 * l2Scale, proximal, biasCon),
    ];
    this.#work = new RowCache<DenseWork>(
      (rows) => ({ output: allocMatrix(rows, nOut, inst), dInput: null, gradScratch: null }),
      (work) => {
        work.output.data.free();
        work.dInput?.data.free();
        work.gradScratch?.free();
      },
    );
  }

  get instance(): Instance {
    return this.#instance;
  }

  get inputSize(): number {
    return this.nIn;
  }

  /** Replayable unless an activity penalty is summed, which reads each chunk's result. */
  get replayable(): boolean {
    return !this.activityRegularizer;
  }

  /** ReLU runs inside the product kernels (forward max(z, 0), its mask in the backward products). */
  canFuse(activation: Activation): boolean {
    return activation === "relu" && !this.activityRegularizer; // the activity penalty is on the pre-activation output
  }

  outputSize(inputSize: number): number {
    if (inputSize !== this.nIn)
      throw new RangeError(`Dense(${this.nIn}, ${this.nOut}) needs ${this.nIn} input columns, got ${inputSize}`);
    return this.nOut;
  }

  /** Wᵀ, transposed from the current weights once per batch. */
  #transposed = (): F32Buffer => {
    const wt = this.#wt!;
    // once per batch, at once even while lanes are recorded: every lane reads it
    if (!this.#wtFresh) this.#instance.unrecorded(() => transpose(wt, this.weights, this.nIn, this.nOut));
    this.#wtFresh = true;
    return wt;
  };

  /** Where sum slot `slot`'s gradient sums go: the layer's own for the first, a partial for the others. */
  #slotGrads(slot: number): SlotGrads {
    if (slot === 0) return { weights: this.#dwt ?? this.dWeights, biases: this.dBiases };
    const size = this.nIn * this.nOut;
    while (this.#partials.length < slot)
      this.#partials.push({ weights: allocF32(size, this.#instance), biases: allocF32(this.nOut, this.#instance) });
    return this.#partials[slot - 1];
  }

  forward(
    input: Matrix,
    _training: boolean,
    rowOffset = 0,
    fused: Activation | null = null,
    batchRows = input.rows,
  ): Matrix {
    this.outputSize(input.cols);
    const { output } = this.#work.get(input.rows);
    if (rowOffset === 0) {
      this.#wtFresh = false; // a new batch: the weights may have changed since the last one
      this.#groups = 1;
    }
    const group = groupOf(rowOffset);
    if (rowOffset === 0 || group !== this.#group) {
      this.#group = group;
      this.#groupFresh = group < SUM_SLOTS; // a slot's later groups add to its sums
      this.#groups = Math.max(this.#groups, group + 1);
    }
    this.#relu = fused === "relu";
    affineForward(output, input, this.weights, this.biases, this.#transposed, this.#relu);
    this.#input = input;
    this.#output = output;
    const activity = this.activityRegularizer;
    if (activity) {
      if (rowOffset === 0) {
        this.#activitySum = 0;
        this.#activityScale = 1 / batchRows;
      }
      this.#activitySum += activity.penaltyOf(this.#instance, output.data, [output.rows, this.nOut]);
    }
    return output;
  }

  backward(dOutput: Matrix, needInputGrad: boolean): Matrix | null {
    const input = this.#input;
    if (!input) throw new Error("Dense.backward() called before forward()");
    if (dOutput.rows !== input.rows || dOutput.cols !== this.nOut)
      throw new RangeError(`dOutput must be ${input.rows} × ${this.nOut}, got ${dOutput.rows} × ${dOutput.cols}`);
    // a slot's first group: its db restarts from 0 here (only this lane touches the slot's sums), its
    // dW (or dWᵀ) in the product, which overwrites it
    const sums = this.#slotGrads(slotOf(this.#group));
    const accumulate = !this.#groupFresh;
    if (this.#groupFresh) {
      sums.biases.view().fill(0);
      this.#groupFresh = false;
    }
    const activity = this.activityRegularizer;
    if (activity) {
      const output = this.#output!;
      activity.addGradientOf(this.#instance, dOutput.data, output.data, [output.rows, this.nOut], this.#activityScale);
    }
    let reluOut = this.#relu ? this.#output : null;
    if (reluOut && needInputGrad) {
      // dX needs dZ itself: apply the ReLU mask in place once
      reluBackward(dOutput, dOutput, reluOut);
      reluOut = null;
    }
    const work = this.#work.get(input.rows);
    work.gradScratch ??= allocF32(gradScratchSize(input.rows, this.nIn, this.nOut), this.#instance);
    denseGrads(sums.weights, sums.biases, input, dOutput, reluOut, sums.weights, work.gradScratch, accumulate);
    if (!needInputGrad) return null;
    work.dInput ??= allocMatrix(input.rows, this.nIn, this.#instance);
    const dInput = work.dInput;
    inputGrad(dInput, dOutput, this.weights, this.#transposed);
    return dInput;
  }

  /** dW from its transpose (narrow layers), then + the regularization gradient; returns the penalty. */
  finishGradients(): number {
    // the slots' sums in slot order: the same bits however many threads took the slots
    const own = this.#slotGrads(0);
    for (let slot = 1; slot < slotCount(this.#groups); slot++) {
      addInto(own.weights, this.#partials[slot - 1].weights);
      addInto(own.biases, this.#partials[slot - 1].biases);
    }
    if (this.#dwt) transpose(this.dWeights, this.#dwt, this.nOut, this.nIn);
    let pen = 0;
    for (const p of this.#params) pen += addParamPenaltyGrad(this.#instance, p);
    if (this.activityRegularizer) pen += this.#activitySum * this.#activityScale;
    return pen;
  }

  params(): Param[] {
    return this.#params;
  }

  /**
   * λ1·Σ|w| + λ2·Σw² (+ the same for biases; or their regularizers' penalties) at the current
   * parameters ('torch': λ2/2), plus the activity penalty of the last forward batch.
   */
  regularizationLoss(): number {
    let total = 0;
    for (const p of this.#params)
      total += p.regularizer
        ? p.regularizer.penaltyOf(this.#instance, p.value, p.shape!)
        : penaltyUnchecked(this.#instance, p.value, p.l1, p.l2);
    if (this.activityRegularizer) total += this.#activitySum * this.#activityScale;
    return total;
  }

  /** True when the narrow-output kernels (dot products over the inputs) are used. */
  get narrow(): boolean {
    return preferDots(this.nIn, this.nOut);
  }

  toJSON(): LayerJSON {
    const optional: Record<string, unknown> = {};
    if (this.weightRegularizer) optional.weightRegularizer = this.weightRegularizer.toJSON();
    if (this.biasRegularizer) optional.biasRegularizer = this.biasRegularizer.toJSON();
    if (this.#given.activity) optional.activityRegularizer = this.activityRegularizer!.toJSON();
    if (this.activityL1 !== 0) optional.activityL1 = this.activityL1;
    if (this.activityL2 !== 0) optional.activityL2 = this.activityL2;
    if (this.weightConstraint) optional.weightConstraint = this.weightConstraint.toJSON();
    if (this.biasConstraint) optional.biasConstraint = this.biasConstraint.toJSON();
    if (this.l1Method !== "subgradient") optional.l1Method = this.l1Method;
    return {
      type: this.type,
      nIn: this.nIn,
      nOut: this.nOut,
      weightL1: this.weightL1,
      weightL2: this.weightL2,
      biasL1: this.biasL1,
      biasL2: this.biasL2,
      convention: this.convention,
      weightInit: this.weightInit,
      biasInit: this.biasInit,
      seed: this.seed,
      ...optional,
      weights: Array.from(this.weights.view()),
      biases: Array.from(this.biases.view()),
    };
  }

  /**
   * Checks every field (sizes, values) before it allocates anything. A JSON without weightInit or
   * biasInit (written before they existed) loads as 'course' and 'zeros', what made its weights.
   */
  static fromJSON(json: LayerJSON): Dense {
    checkOptions("json", json, DENSE_JSON);
    const {
      type: _type,
      nIn,
      nOut,
      weightL1,
      weightL2,
      biasL1,
      biasL2,
      convention,
      weightInit = LEGACY_WEIGHT_INIT,
      biasInit = LEGACY_BIAS_INIT,
      seed,
      weights,
      biases,
      ...optional
    } = json as unknown as Record<string, never>;
    initializerRegistry.get("json.weightInit", weightInit);
    initializerRegistry.get("json.biasInit", biasInit);
    checkPositiveInt("json.nIn", nIn);
    checkPositiveInt("json.nOut", nOut);
    checkSeed("json.seed", seed); // required: a missing one would be drawn from the process-wide counter
    checkValues("json.weights", weights, nIn * nOut);
    checkValues("json.biases", biases, nOut);
    const layer = new Dense(nIn, nOut, {
      weightL1,
      weightL2,
      biasL1,
      biasL2,
      convention,
      weightInit,
      biasInit,
      seed,
      ...(optional as Pick<DenseOptions, (typeof OPTIONAL_JSON)[number]>),
    });
    layer.weights.view().set(weights);
    layer.biases.view().set(biases);
    return layer;
  }

  free(): void {
    this.#work.clear();
    for (const buf of [this.weights, this.biases, this.dWeights, this.dBiases, this.#wt, this.#dwt]) buf?.free();
    for (const partial of this.#partials.splice(0)) {
      partial.weights.free();
      partial.biases.free();
    }
    this.#input = null;
    this.#output = null;
  }
}

/** One of two spellings of an option (Keras's kernel… and ours), or undefined; both is an error. */
function oneOf<T>(name: string, value: T | undefined, alias: string, aliased: T | undefined): T | undefined {
  if (value !== undefined && aliased !== undefined)
    throw new TypeError(`options.${name} and options.${alias} are the same option: give one of them`);
  return value ?? aliased;
}

/** A parameter with its penalty: λ1/λ2 (also from L1, L2, L1L2 objects: the fused kernel) or another regularizer. */
function penalized(
  name: string,
  value: F32Buffer,
  grad: F32Buffer,
  shape: readonly number[],
  regularizer: Regularizer | null,
  l1: number,
  l2: number,
  proximal: boolean,
  constraint: Constraint | null,
): Param {
  if (regularizer instanceof LambdaPenalty) {
    l1 = regularizer.l1;
    l2 = regularizer.l2;
    regularizer = null;
  }
  return { name, value, grad, l1, l2, shape, regularizer, constraint, proximal: proximal && l1 > 0 };
}

/** grad += the penalty's gradient (the L1 term left to the optimizer when proximal); returns the penalty. */
function addParamPenaltyGrad(inst: Instance, p: Param): number {
  if (p.regularizer) return p.regularizer.addGradientOf(inst, p.grad, p.value, p.shape!, 1);
  if (p.proximal)
    return penaltyUnchecked(inst, p.value, p.l1, 0) + addPenaltyGradUnchecked(inst, p.grad, p.value, 0, p.l2, 1);
  return addPenaltyGradUnchecked(inst, p.grad, p.value, p.l1, p.l2, 1);
}

/** Fills a parameter through a JS array: drawing may grow WASM memory, which detaches views of it. */
function initialize(
  param: F32Buffer,
  init: Initializer,
  fans: Fans,
  seed: number,
  stream: number,
  instance: Instance,
): void {
  const values = new Float32Array(param.length);
  init(values, fans, { seed, stream, instance });
  param.view().set(values);
}

function checkValues(name: string, values: unknown, length: number): asserts values is number[] {
  if (
    !Array.isArray(values) ||
    values.length !== length ||
    !values.every((v) => typeof v === "number" && Math.abs(v) <= F32_MAX)
  ) {
    throw new TypeError(`${name} must be an array of ${length} finite numbers in the f32 range`);
  }
}
