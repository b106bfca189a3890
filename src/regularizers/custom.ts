// A regularizer written in JS: a penalty function, and its gradient or none (then central finite
// differences stand in). It runs on float64 copies of the tensor, so it may allocate anything and
// never sees WASM memory move under it. Its JSON is its registered type plus its config.
import { checkBoolean, checkObject, describe } from "../validate.js";
import type { F32Data } from "../wasm/buffer.js";
import type { Instance } from "../wasm/instance.js";
import { addInto, Regularizer, type RegularizerJSON, type Shape, valuesOf } from "./regularizer.js";

/** A custom regularizer's config: JSON values (numbers, strings, booleans) by name. */
export type CustomConfig = Record<string, number | string | boolean>;

export interface CustomRegularizerSpec {
  /** The penalty of w (a float64 copy of the tensor, of the given shape). */
  penalty(w: Float64Array, shape: Shape): number;
  /**
   * Writes ∂penalty/∂w into grad (given zeroed, w's length). Without it the gradient is taken by
   * central differences: (P(w + h·eᵢ) − P(w − h·eᵢ)) / 2h with h = ∛ε·max(1, |wᵢ|) ≈ 6e-6·max(1, |wᵢ|),
   * 2·n calls of penalty per gradient: for small tensors, or to check a gradient you wrote.
   */
  gradient?(w: Float64Array, grad: Float64Array, shape: Shape): void;
  /** True when the penalty of a batch is the sum of its rows' penalties: required of an activity regularizer. */
  sumsOverRows?: boolean;
}

/** ∛(2^-52): balances the truncation error (∝ h²) and the rounding error (∝ ε/h) of a central difference. */
const FD_STEP = Math.cbrt(2 ** -52);

export class CustomRegularizer extends Regularizer {
  readonly #spec: CustomRegularizerSpec;
  readonly #sumsOverRows: boolean;

  constructor(
    readonly type: string,
    readonly config: Readonly<CustomConfig>,
    spec: CustomRegularizerSpec,
  ) {
    super();
    checkObject("spec", spec, "{ penalty, gradient }");
    const { penalty, gradient, sumsOverRows = false } = spec;
    if (typeof penalty !== "function")
      throw new TypeError(`spec.penalty must be a function (w, shape) => number, got ${describe(penalty)}`);
    if (gradient !== undefined && typeof gradient !== "function")
      throw new TypeError(`spec.gradient must be a function (w, grad, shape) => void, got ${describe(gradient)}`);
    checkBoolean("spec.sumsOverRows", sumsOverRows);
    this.#spec = { penalty, gradient, sumsOverRows };
    this.#sumsOverRows = sumsOverRows;
    this.config = Object.freeze({ ...config });
  }

  get sumsOverRows(): boolean {
    return this.#sumsOverRows;
  }

  /** Whether the gradient comes from spec.gradient (else from finite differences). */
  get analytic(): boolean {
    return this.#spec.gradient !== undefined;
  }

  #penalty(w: Float64Array, shape: Shape): number {
    const value = this.#spec.penalty(w, shape);
    if (typeof value !== "number")
      throw new TypeError(`the penalty of regularizer '${this.type}' must return a number, got ${describe(value)}`);
    return value;
  }

  penaltyOf(_inst: Instance, x: F32Data, shape: Shape): number {
    return this.#penalty(Float64Array.from(valuesOf(x)), shape);
  }

  addGradientOf(_inst: Instance, grad: F32Data, x: F32Data, shape: Shape, scale: number): number {
    const w = Float64Array.from(valuesOf(x));
    const g = new Float64Array(w.length);
    const value = this.#penalty(w, shape);
    if (this.#spec.gradient) {
      this.#spec.gradient(w.slice(), g, shape);
    } else {
      for (let i = 0; i < w.length; i++) {
        const wi = w[i];
        const h = FD_STEP * Math.max(1, Math.abs(wi));
        const up = wi + h;
        const down = wi - h;
        w[i] = up;
        const pUp = this.#penalty(w, shape);
        w[i] = down;
        const pDown = this.#penalty(w, shape);
        w[i] = wi;
        g[i] = (pUp - pDown) / (up - down); // the step as represented, not h
      }
    }
    addInto(grad, g, scale); // x and grad are read again: the callbacks may have grown WASM memory
    return scale * value;
  }

  toJSON(): RegularizerJSON {
    return { type: this.type, ...this.config };
  }
}

/** A config must be JSON: numbers (finite), strings and booleans, and no key named `type`. */
export function checkCustomConfig(name: string, config: unknown): asserts config is CustomConfig {
  checkObject(name, config);
  for (const [key, value] of Object.entries(config)) {
    if (key === "type") throw new TypeError(`${name}.type is reserved for the registered type`);
    const ok =
      (typeof value === "number" && Number.isFinite(value)) || typeof value === "string" || typeof value === "boolean";
    if (!ok)
      throw new TypeError(
        `${name}.${key} must be a finite number, a string or a boolean (JSON), got ${describe(value)}`,
      );
  }
}
