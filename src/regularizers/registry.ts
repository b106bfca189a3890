// The regularizer types a layer's JSON can name. A new one: its file, plus one line here (or
// regularizers.register for one written in JS).
import { Registry } from "../registry.js";
import { L1, L1L2, L2 } from "./l1l2.js";
import { OrthogonalRegularizer } from "./orthogonal.js";
import type { Regularizer, RegularizerJSON } from "./regularizer.js";

export const regularizerRegistry = new Registry<Regularizer, RegularizerJSON>("regularizer")
  .register("l1", L1.fromJSON)
  .register("l2", L2.fromJSON)
  .register("l1l2", L1L2.fromJSON)
  .register("orthogonal", OrthogonalRegularizer.fromJSON);
