// The `constraints` namespace: TF.js-style factories and `get` for every way a constraint can be named.
import { checkObject, describe } from "../validate.js";
import { Constraint, type ConstraintJSON } from "./constraint.js";
import { MaxNorm, type MaxNormOptions } from "./max-norm.js";
import { MinMaxNorm, type MinMaxNormOptions } from "./min-max-norm.js";
import { NonNeg } from "./non-neg.js";
import { constraintRegistry } from "./registry.js";
import { UnitNorm, type UnitNormOptions } from "./unit-norm.js";

/** Each slice's norm at most maxValue (default 2, axis 0). */
export const maxNorm = (options: MaxNormOptions = {}): MaxNorm => new MaxNorm(options);
/** Each slice's norm moved into [minValue, maxValue] (defaults 0, 1; rate 1; axis 0). */
export const minMaxNorm = (options: MinMaxNormOptions = {}): MinMaxNorm => new MinMaxNorm(options);
/** Negative values set to 0. */
export const nonNeg = (): NonNeg => new NonNeg();
/** Each slice scaled to norm 1 (axis 0). */
export const unitNorm = (options: UnitNormOptions = {}): UnitNorm => new UnitNorm(options);

/** The names `get` takes, as TF.js and Keras spell them. */
const NAMED: Record<string, () => Constraint> = {
  maxNorm: () => new MaxNorm(),
  MaxNorm: () => new MaxNorm(),
  max_norm: () => new MaxNorm(),
  minMaxNorm: () => new MinMaxNorm(),
  MinMaxNorm: () => new MinMaxNorm(),
  min_max_norm: () => new MinMaxNorm(),
  nonNeg: () => new NonNeg(),
  NonNeg: () => new NonNeg(),
  non_neg: () => new NonNeg(),
  unitNorm: () => new UnitNorm(),
  UnitNorm: () => new UnitNorm(),
  unit_norm: () => new UnitNorm(),
};

/** How a constraint can be named: an instance, a name, its JSON, a TF.js `{ className, config }`, or null. */
export type ConstraintIdentifier =
  | Constraint
  | ConstraintJSON
  | { className: string; config?: Record<string, unknown> }
  | "maxNorm"
  | "minMaxNorm"
  | "nonNeg"
  | "unitNorm"
  | (string & {})
  | null;

/**
 * The constraint an identifier names, or null for null/undefined: an instance as it is; a name
 * ('maxNorm', 'MaxNorm', 'max_norm', …) with the defaults; `{ type, … }` through the registry;
 * TF.js's `{ className, config }` and Keras's `{ class_name, config }` (its snake-case keys such as
 * max_value read as maxValue). An unknown name is a RangeError.
 */
export function get(identifier: unknown, name = "identifier"): Constraint | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Constraint) return identifier;
  if (typeof identifier === "string") {
    const named = Object.hasOwn(NAMED, identifier) ? NAMED[identifier] : undefined;
    if (named) return named();
    if (constraintRegistry.has(identifier)) return constraintRegistry.fromJSON({ type: identifier }, name);
    throw new RangeError(
      `${name} must name a constraint (${Object.keys(NAMED)
        .map((k) => `'${k}'`)
        .join(", ")}), got '${identifier}'`,
    );
  }
  if (typeof identifier === "object" && !("type" in identifier)) {
    const { className, class_name, config = {} } = identifier as Record<string, unknown>;
    const cls = className ?? class_name;
    if (typeof cls === "string") {
      checkObject(`${name}.config`, config);
      const type = cls.charAt(0).toLowerCase() + cls.slice(1);
      // Keras's configs spell their keys in snake case (max_value, min_value): the same options
      const camel = Object.fromEntries(
        Object.entries(config).map(([key, value]) => [
          key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
          value,
        ]),
      );
      return constraintRegistry.fromJSON({ ...camel, type }, name);
    }
  }
  if (typeof identifier === "object") return constraintRegistry.fromJSON(identifier, name);
  throw new TypeError(
    `${name} must be a constraint, a name ('maxNorm', 'minMaxNorm', 'nonNeg', 'unitNorm'), a { type, … } JSON or null, got ${describe(identifier)}`,
  );
}

export { constraintRegistry as registry };
