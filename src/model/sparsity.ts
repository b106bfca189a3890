// How sparse the parameters are: the fraction of values exactly 0, which proximal L1
// (Dense's l1Method: 'proximal') produces and the subgradient form almost never does.
import { Layer } from "../layers/layer.js";
import { describe } from "../validate.js";
import type { HasLayers } from "./regularization.js";

/**
 * The fraction of parameter values (weights and biases) of a layer or a model that are exactly ±0;
 * `name` counts only parameters of that name ('weights' or 'biases'). 0 for none.
 * @example sparsity(model, "weights") // 0.62: 62% of the weights are exact zeros
 */
export function sparsity(layerOrModel: Layer | HasLayers, name?: string): number {
  let layers: readonly Layer[];
  if (layerOrModel instanceof Layer) layers = [layerOrModel];
  else if (layerOrModel && typeof layerOrModel === "object" && Array.isArray((layerOrModel as HasLayers).layers))
    layers = layerOrModel.layers;
  else throw new TypeError(`layerOrModel must be a layer or a model, got ${describe(layerOrModel)}`);
  if (name !== undefined && typeof name !== "string")
    throw new TypeError(`name must be a parameter name such as 'weights', got ${describe(name)}`);
  let zeros = 0;
  let total = 0;
  for (const layer of layers)
    for (const p of layer.params()) {
      if (name !== undefined && p.name !== name) continue;
      const values = p.value.view();
      for (let i = 0; i < values.length; i++) if (values[i] === 0) zeros++;
      total += values.length;
    }
  return total === 0 ? 0 : zeros / total;
}
