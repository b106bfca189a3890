// The regularization gradient, fused with the penalty of the same tensor (one pass over x).
import type { F32Data } from "../wasm/buffer.js";
import { readLambdas, weighPenalty, type PenaltyOptions } from "./penalty.js";
import {
  asF32,
  checkF32,
  checkF32Input,
  checkGradientL2,
  checkNoOverlap,
  checkOneOf,
  checkSameLength,
  type F32Input,
  ownerOf,
} from "../validate.js";
import type { Instance } from "../wasm/instance.js";
import { runWindowed } from "../wasm/window.js";
import { addPenaltyGradInParts, sumParts } from "./block-sums.js";

export interface PenaltyGradOptions extends PenaltyOptions {
  /**
   * sign(0) in the L1 term: +1 (default, as in the NNFS notes: `dL1[w < 0] = -1` else 1),
   * 0 (PyTorch `torch.sign`, TF.js `tf.sign`), or −1.
   */
  signAtZero?: 1 | 0 | -1;
}

/**
 * grad[i] += λ1·sign(x[i]) + 2·λ2·x[i] in place, and returns the penalty λ1·Σ|x| + λ2·Σx² computed
 * in the same pass. grad may be the same array as x.
 * @example
 * const dW = layerGradient; // from backprop
 * const regLoss = addPenaltyGrad(dW, W, { l1: 5e-4, l2: 5e-4 });
 */
export function addPenaltyGrad(grad: F32Data, input: F32Input, options: PenaltyGradOptions): number {
  checkF32("grad", grad);
  checkF32Input("x", input);
  checkSameLength("x", input, "grad", grad);
  const { l1, l2, signAtZero = 1 } = readLambdas(options, ["signAtZero"]);
  checkGradientL2("options.l2", l2);
  checkOneOf("options.signAtZero", signAtZero, SIGNS_AT_ZERO);
  const x = asF32(input);
  const inst = ownerOf({ grad, x });
  checkNoOverlap({ x, grad });
  return addPenaltyGradUnchecked(inst, grad, x, l1, l2, signAtZero);
}

const SIGNS_AT_ZERO = [1, 0, -1] as const;

/** addPenaltyGrad() after validation; the layers' path. */
export function addPenaltyGradUnchecked(
  inst: Instance,
  grad: F32Data,
  x: F32Data,
  l1: number,
  l2: number,
  signAtZero: number,
): number {
  if (l1 === 0 && l2 === 0) return 0; // nothing to add: grad is left exactly as it was
  inst.clearAcc();
  const operands = [
    { data: grad, read: true, write: true },
    { data: x, read: true, write: false },
  ];
  runWindowed(inst, x.length, operands, ([gradPtr, xPtr], count) => {
    const parts = sumParts(inst, count);
    if (parts > 1) addPenaltyGradInParts(inst, gradPtr, xPtr, count, l1, l2, signAtZero, parts);
    else inst.kernels.addPenaltyGrad(gradPtr, inst.accPtr, xPtr, count, l1, l2, signAtZero);
  });
  return weighPenalty(l1, l2, inst.readAcc());
}
