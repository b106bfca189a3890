// The λ-penalties λ1·Σ|x| + λ2·Σx² (Keras's L1, L2 and L1L2): the fused WASM kernels compute them,
// so a Dense given `weightRegularizer: new L1L2({ l1, l2 })` trains bit for bit as one given
// `weightL1` and `weightL2`.
import { addPenaltyGradUnchecked } from "../kernels/gradient.js";
import { penaltyUnchecked, readLambdas } from "../kernels/penalty.js";
import { checkGradientL2, checkLambda, checkOptions } from "../validate.js";
import type { F32Data } from "../wasm/buffer.js";
import type { Instance } from "../wasm/instance.js";
import { Regularizer, type RegularizerJSON, type Shape } from "./regularizer.js";

/** What L1, L2 and L1L2 share: λ1 and λ2 (either may be 0), checked as the kernels need them. */
export abstract class LambdaPenalty extends Regularizer {
  readonly l1: number;
  readonly l2: number;

  protected constructor(l1: number, l2: number, names: { l1: string; l2: string }) {
    super();
    checkLambda(names.l1, l1);
    checkLambda(names.l2, l2);
    checkGradientL2(names.l2, l2);
    this.l1 = l1;
    this.l2 = l2;
  }

  /** A sum over elements, hence over rows. */
  get sumsOverRows(): boolean {
    return true;
  }

  penaltyOf(inst: Instance, x: F32Data, _shape: Shape): number {
    return penaltyUnchecked(inst, x, this.l1, this.l2);
  }

  /** grad += scale·(λ1·sign(x) + 2λ2·x), sign(0) = +1 as the layers' weightL1 (see the README). */
  addGradientOf(inst: Instance, grad: F32Data, x: F32Data, _shape: Shape, scale: number): number {
    return addPenaltyGradUnchecked(inst, grad, x, this.l1 * scale, this.l2 * scale, 1);
  }
}

/** λ1·Σ|x| (Keras `L1`, default λ1 = 0.01). */
export class L1 extends LambdaPenalty {
  readonly type = "l1";

  constructor(l1 = 0.01) {
    super(l1, 0, { l1: "l1", l2: "l2" });
  }

  toJSON(): RegularizerJSON {
    return { type: this.type, l1: this.l1 };
  }

  static fromJSON(json: RegularizerJSON): L1 {
    checkOptions("json", json, ["type", "l1"]);
    return new L1(json.l1 as number);
  }
}

/** λ2·Σx², gradient 2λ2·x (Keras `L2`, default λ2 = 0.01). */
export class L2 extends LambdaPenalty {
  readonly type = "l2";

  constructor(l2 = 0.01) {
    super(0, l2, { l1: "l1", l2: "l2" });
  }

  toJSON(): RegularizerJSON {
    return { type: this.type, l2: this.l2 };
  }

  static fromJSON(json: RegularizerJSON): L2 {
    checkOptions("json", json, ["type", "l2"]);
    return new L2(json.l2 as number);
  }
}

export interface L1L2Options {
  /** Default 0 (Keras's class; the function `l1l2()` defaults both to 0.01). */
  l1?: number;
  /** Default 0. */
  l2?: number;
}

/** λ1·Σ|x| + λ2·Σx² (Keras `L1L2`: an omitted λ is 0). */
export class L1L2 extends LambdaPenalty {
  readonly type = "l1l2";

  constructor(options: L1L2Options = {}) {
    const { l1, l2 } = readLambdas(options); // each read once; an omitted one is 0
    super(l1, l2, { l1: "options.l1", l2: "options.l2" });
  }

  toJSON(): RegularizerJSON {
    return { type: this.type, l1: this.l1, l2: this.l2 };
  }

  static fromJSON(json: RegularizerJSON): L1L2 {
    const { l1, l2 } = readLambdas(json, ["type"], "json");
    return new L1L2({ l1, l2 });
  }
}
