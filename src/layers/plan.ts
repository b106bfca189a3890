// The execution plan of a stack of layers: which layer runs at each stage, and which activation it
// applies inside its own kernels because the activation layer after it was fused into it. The model
// runs the plan; no fusion flag is set on any layer, so a layer carries none from one model to the next.
import type { Activation, Layer } from "./layer.js";

export interface Stage {
  readonly layer: Layer;
  /** The activation applied inside `layer`'s kernels (the next layer, which the plan skips), or null. */
  readonly fused: Activation | null;
}

/** Fuses each activation layer into the layer before it where that layer can apply it. */
export function planStages(layers: readonly Layer[]): Stage[] {
  const stages: Stage[] = [];
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    const activation = layers[i + 1]?.activation ?? null;
    if (activation !== null && layer.canFuse(activation)) {
      stages.push({ layer, fused: activation });
      i++; // the activation layer runs inside this one
    } else {
      stages.push({ layer, fused: null });
    }
  }
  return stages;
}
