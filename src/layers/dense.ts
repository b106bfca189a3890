// Fully connected layer: output = input·W + b, W nIn × nOut (the course's layout), with optional
// L1/L2 penalties on weights and biases whose gradients go through the fused kernel.
import { reluBackward } from "../kernels/activation.js";
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
import { allocF32, type F32Buffer } from "../wasm/buffer.js";
import { defaultInstance, Instance } from "../wasm/instance.js";
import { allocMatrix, type Matrix } from "../wasm/matrix.js";
import { RowCache } from "../wasm/row-cache.js";
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

const CONVENTIONS = ["keras", "torch"] as const;
const DENSE_OPTIONS = [
  "weightL1",
  "weightL2",
  "biasL1",
  "biasL2",
  "convention",
  "weightInit",
  "biasInit",
  "seed",
  "instance",
] as const;
const DENSE_JSON = ["type", "nIn", "nOut", ...DENSE_OPTIONS.filter((k) => k !== "instance"), "weights", "biases"];

/** Streams of the counter-based generator for the initial weights ('W') and biases ('B'). */
const WEIGHT_STREAM = 0x57;
const BIAS_STREAM = 0x42;
/** What a JSON written before weightInit and biasInit existed was initialized with. */
const LEGACY_WEIGHT_INIT = "course";
const LEGACY_BIAS_INIT = "zeros";

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
  /** The next backward starts a new batch: gradients restart from 0. */
  #newBatch = true;
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

    this.#params = [
      { name: "weights", value: this.weights, grad: this.dWeights, l1: weightL1, l2: weightL2 * l2Scale },
      { name: "biases", value: this.biases, grad: this.dBiases, l1: biasL1, l2: biasL2 * l2Scale },
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

  /** ReLU runs inside the product kernels (forward max(z, 0), its mask in the backward products). */
  canFuse(activation: Activation): boolean {
    return activation === "relu";
  }

  outputSize(inputSize: number): number {
    if (inputSize !== this.nIn)
      throw new RangeError(`Dense(${this.nIn}, ${this.nOut}) needs ${this.nIn} input columns, got ${inputSize}`);
    return this.nOut;
  }

  /** Wᵀ, transposed from the current weights once per batch. */
  #transposed = (): F32Buffer => {
    const wt = this.#wt!;
    if (!this.#wtFresh) transpose(wt, this.weights, this.nIn, this.nOut);
    this.#wtFresh = true;
    return wt;
  };

  forward(input: Matrix, _training: boolean, rowOffset = 0, fused: Activation | null = null): Matrix {
    this.outputSize(input.cols);
    const { output } = this.#work.get(input.rows);
    if (rowOffset === 0) {
      this.#wtFresh = false; // a new batch: the weights may have changed since the last one
      this.#newBatch = true;
    }
    this.#relu = fused === "relu";
    affineForward(output, input, this.weights, this.biases, this.#transposed, this.#relu);
    this.#input = input;
    this.#output = output;
    return output;
  }

  backward(dOutput: Matrix, needInputGrad: boolean): Matrix | null {
    const input = this.#input;
    if (!input) throw new Error("Dense.backward() called before forward()");
    if (dOutput.rows !== input.rows || dOutput.cols !== this.nOut)
      throw new RangeError(`dOutput must be ${input.rows} × ${this.nOut}, got ${dOutput.rows} × ${dOutput.cols}`);
    if (this.#newBatch) {
      for (const buf of [this.dWeights, this.dBiases, this.#dwt]) buf?.view().fill(0);
      this.#newBatch = false;
    }
    let reluOut = this.#relu ? this.#output : null;
    if (reluOut && needInputGrad) {
      // dX needs dZ itself: apply the ReLU mask in place once
      reluBackward(dOutput, dOutput, reluOut);
      reluOut = null;
    }
    const work = this.#work.get(input.rows);
    work.gradScratch ??= allocF32(gradScratchSize(input.rows, this.nIn, this.nOut), this.#instance);
    denseGrads(this.dWeights, this.dBiases, input, dOutput, reluOut, this.#dwt, work.gradScratch);
    if (!needInputGrad) return null;
    work.dInput ??= allocMatrix(input.rows, this.nIn, this.#instance);
    const dInput = work.dInput;
    inputGrad(dInput, dOutput, this.weights, this.#transposed);
    return dInput;
  }

  /** dW from its transpose (narrow layers), then + the regularization gradient; returns the penalty. */
  finishGradients(): number {
    if (this.#dwt) transpose(this.dWeights, this.#dwt, this.nOut, this.nIn);
    let pen = 0;
    for (const p of this.#params) pen += addPenaltyGradUnchecked(this.#instance, p.grad, p.value, p.l1, p.l2, 1);
    return pen;
  }

  params(): Param[] {
    return this.#params;
  }

  /** λ1·Σ|w| + λ2·Σw² (+ the same for biases) at the current parameters ('torch': λ2/2). */
  regularizationLoss(): number {
    let total = 0;
    for (const p of this.#params) total += penaltyUnchecked(this.#instance, p.value, p.l1, p.l2);
    return total;
  }

  /** True when the narrow-output kernels (dot products over the inputs) are used. */
  get narrow(): boolean {
    return preferDots(this.nIn, this.nOut);
  }

  toJSON(): LayerJSON {
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
    } = json as unknown as Record<string, never>;
    initializerRegistry.get("json.weightInit", weightInit);
    initializerRegistry.get("json.biasInit", biasInit);
    checkPositiveInt("json.nIn", nIn);
    checkPositiveInt("json.nOut", nOut);
    checkSeed("json.seed", seed); // required: a missing one would be drawn from the process-wide counter
    checkValues("json.weights", weights, nIn * nOut);
    checkValues("json.biases", biases, nOut);
    const layer = new Dense(nIn, nOut, { weightL1, weightL2, biasL1, biasL2, convention, weightInit, biasInit, seed });
    layer.weights.view().set(weights);
    layer.biases.view().set(biases);
    return layer;
  }

  free(): void {
    this.#work.clear();
    for (const buf of [this.weights, this.biases, this.dWeights, this.dBiases, this.#wt, this.#dwt]) buf?.free();
    this.#input = null;
    this.#output = null;
  }
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
