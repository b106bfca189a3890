// The regularization loss of a layer or a whole model: Σ over trainable layers of
// λ1·Σ|w| + λ2·Σw² (+ the bias terms), at the current parameters.
import { Layer } from "../layers/layer.js";
import { describe } from "../validate.js";

/** Anything holding layers (a Sequential model). */
export interface HasLayers {
  readonly layers: readonly Layer[];
}

/**
 * The regularization loss of one layer or of all layers of a model.
 * @example regularizationLoss(model) // what fit() reports as regLoss before the update
 */
export function regularizationLoss(layerOrModel: Layer | HasLayers): number {
  if (layerOrModel instanceof Layer) return layerOrModel.regularizationLoss();
  if (layerOrModel && typeof layerOrModel === "object" && Array.isArray((layerOrModel as HasLayers).layers)) {
    let total = 0;
    for (const layer of layerOrModel.layers) total += layer.regularizationLoss();
    return total;
  }
  throw new TypeError(`layerOrModel must be a layer or a model, got ${describe(layerOrModel)}`);
}
