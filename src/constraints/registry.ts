// The constraint types a layer's JSON can name. A new one: its file, plus one line here.
import { Registry } from "../registry.js";
import type { Constraint, ConstraintJSON } from "./constraint.js";
import { MaxNorm } from "./max-norm.js";
import { MinMaxNorm } from "./min-max-norm.js";
import { NonNeg } from "./non-neg.js";
import { UnitNorm } from "./unit-norm.js";

export const constraintRegistry = new Registry<Constraint, ConstraintJSON>("constraint")
  .register("maxNorm", MaxNorm.fromJSON)
  .register("minMaxNorm", MinMaxNorm.fromJSON)
  .register("nonNeg", NonNeg.fromJSON)
  .register("unitNorm", UnitNorm.fromJSON);
