// Keras's OrthogonalRegularizer: pushes the rows (or the columns) of a matrix towards being
// orthogonal. With û the L2-normalized vectors and s their count, the penalty is
//   factor · ½ · Σ_{i≠j} |ûi·ûj| / (s(s − 1)/2),
// the mean |cosine| over the pairs times factor. Computed in float64 in JS (no kernel fits): it
// costs s²·length multiply-adds, fine for the layer sizes it is used on.
import { checkLambda, checkOneOf, checkOptions } from "../validate.js";
import type { F32Data } from "../wasm/buffer.js";
import type { Instance } from "../wasm/instance.js";
import { addInto, Regularizer, type RegularizerJSON, type Shape, valuesOf } from "./regularizer.js";

export type OrthogonalMode = "rows" | "columns";

export interface OrthogonalOptions {
  /** Default 0.01. */
  factor?: number;
  /** 'rows' (default): the rows of the matrix; 'columns': its columns. For a Dense kernel nIn × nOut, 'columns' are the units' weight vectors. */
  mode?: OrthogonalMode;
}

const MODES = ["rows", "columns"] as const;

export class OrthogonalRegularizer extends Regularizer {
  readonly type = "orthogonal";
  readonly factor: number;
  readonly mode: OrthogonalMode;

  constructor(options: OrthogonalOptions = {}) {
    super();
    checkOptions("options", options, ["factor", "mode"], "{ factor, mode }");
    const { factor = 0.01, mode = "rows" } = options;
    checkLambda("options.factor", factor);
    checkOneOf("options.mode", mode, MODES);
    this.factor = factor;
    this.mode = mode;
  }

  /** Rank 2 with at least two vectors (one vector has no pairs). */
  checkShape(name: string, shape: Shape): void {
    if (shape.length !== 2)
      throw new RangeError(
        `${name}: OrthogonalRegularizer takes a matrix [rows, cols], got a tensor of shape [${shape.join(", ")}]`,
      );
    const count = this.mode === "rows" ? shape[0] : shape[1];
    if (count < 2)
      throw new RangeError(
        `${name}: OrthogonalRegularizer needs at least 2 ${this.mode} (pairs to compare), got ${count}`,
      );
  }

  penaltyOf(_inst: Instance, x: F32Data, shape: Shape): number {
    return this.#compute(x, shape, null, 1);
  }

  addGradientOf(_inst: Instance, grad: F32Data, x: F32Data, shape: Shape, scale: number): number {
    return this.#compute(x, shape, grad, scale);
  }

  /** The penalty, and with grad: grad += scale·∂penalty/∂x (sign(0) = 0 in |·|; a zero vector gets 0). */
  #compute(x: F32Data, [rows, cols]: Shape, grad: F32Data | null, scale: number): number {
    const byRows = this.mode === "rows";
    const count = byRows ? rows : cols;
    const length = byRows ? cols : rows;
    const at = byRows ? (k: number, t: number) => k * cols + t : (k: number, t: number) => t * cols + k;
    const values = valuesOf(x);
    // the normalized vectors and their norms, in float64
    const unit = new Float64Array(count * length);
    const norms = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      let sq = 0;
      for (let t = 0; t < length; t++) sq += values[at(k, t)] ** 2;
      const norm = Math.sqrt(sq);
      norms[k] = norm;
      if (norm > 0) for (let t = 0; t < length; t++) unit[k * length + t] = values[at(k, t)] / norm;
    }
    const c = this.factor / (count * (count - 1));
    const dots = new Float64Array(count * count);
    let sum = 0;
    for (let i = 0; i < count; i++)
      for (let j = i + 1; j < count; j++) {
        let d = 0;
        for (let t = 0; t < length; t++) d += unit[i * length + t] * unit[j * length + t];
        dots[i * count + j] = d;
        dots[j * count + i] = d;
        sum += 2 * Math.abs(d);
      }
    if (grad) {
      const g = new Float64Array(values.length);
      const gi = new Float64Array(length);
      for (let i = 0; i < count; i++) {
        if (norms[i] === 0) continue;
        gi.fill(0);
        for (let j = 0; j < count; j++) {
          const s = j === i ? 0 : Math.sign(dots[i * count + j]);
          if (s !== 0) for (let t = 0; t < length; t++) gi[t] += 2 * c * s * unit[j * length + t];
        }
        // through the normalization: (I − ûûᵀ)·gi / ‖u‖
        let along = 0;
        for (let t = 0; t < length; t++) along += gi[t] * unit[i * length + t];
        for (let t = 0; t < length; t++) g[at(i, t)] = (gi[t] - along * unit[i * length + t]) / norms[i];
      }
      addInto(grad, g, scale);
    }
    return scale * c * sum;
  }

  toJSON(): RegularizerJSON {
    return { type: this.type, factor: this.factor, mode: this.mode };
  }

  static fromJSON(json: RegularizerJSON): OrthogonalRegularizer {
    checkOptions("json", json, ["type", "factor", "mode"]);
    const { factor, mode } = json as { factor?: number; mode?: OrthogonalMode };
    return new OrthogonalRegularizer({ factor, mode });
  }
}
