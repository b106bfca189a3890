// The `regularizers` namespace: TF.js-style factories (l1, l2, l1l2, orthogonal), `get` for every
// way a regularizer can be named, and `register` for one written in JS.
import { checkObject, describe } from "../validate.js";
import { checkCustomConfig, type CustomConfig, CustomRegularizer, type CustomRegularizerSpec } from "./custom.js";
import { L1, L1L2, type L1L2Options, L2 } from "./l1l2.js";
import { type OrthogonalOptions, OrthogonalRegularizer } from "./orthogonal.js";
import { Regularizer, type RegularizerJSON } from "./regularizer.js";
import { regularizerRegistry } from "./registry.js";

/** λ1·Σ|x|; λ1 a number or TF.js's `{ l1 }`, default 0.01. */
export function l1(l1: number | { l1?: number } = 0.01): L1 {
  return new L1(typeof l1 === "object" && l1 !== null ? strength(l1, "l1") : l1);
}

/** λ2·Σx²; λ2 a number or TF.js's `{ l2 }`, default 0.01. */
export function l2(l2: number | { l2?: number } = 0.01): L2 {
  return new L2(typeof l2 === "object" && l2 !== null ? strength(l2, "l2") : l2);
}

/** λ1·Σ|x| + λ2·Σx², both 0.01 when omitted (TF.js's `l1l2`, Keras's `'l1_l2'` by name). */
export function l1l2(options: L1L2Options = {}): L1L2 {
  checkObject("options", options, "{ l1, l2 }");
  const { l1 = 0.01, l2 = 0.01, ...rest } = options;
  return new L1L2({ l1, l2, ...rest });
}

/** Keras's OrthogonalRegularizer({ factor = 0.01, mode = 'rows' }). */
export function orthogonal(options: OrthogonalOptions = {}): OrthogonalRegularizer {
  return new OrthogonalRegularizer(options);
}

function strength(options: object, key: "l1" | "l2"): number {
  const keys = Object.keys(options);
  const extra = keys.find((k) => k !== key);
  if (extra !== undefined) throw new TypeError(`options.${extra} is not a known option; the options are ${key}`);
  return (options as Record<string, number | undefined>)[key] ?? 0.01;
}

/** The names `get` takes, as Keras and TF.js spell them, and what each gives. */
const NAMED: Record<string, () => Regularizer> = {
  l1: () => new L1(),
  L1: () => new L1(),
  l2: () => new L2(),
  L2: () => new L2(),
  l1l2: () => l1l2(),
  L1L2: () => l1l2(),
  l1_l2: () => l1l2(),
  orthogonal: () => new OrthogonalRegularizer(),
  orthogonal_regularizer: () => new OrthogonalRegularizer(),
  OrthogonalRegularizer: () => new OrthogonalRegularizer(),
};

/** Keras and TF.js class names → the registered types. */
const CLASS_TYPES: Record<string, string> = { L1: "l1", L2: "l2", L1L2: "l1l2", OrthogonalRegularizer: "orthogonal" };

/** How a regularizer can be named: an instance, a name, its JSON, a Keras/TF.js config, or null (none). */
export type RegularizerIdentifier =
  | Regularizer
  | RegularizerJSON
  | { className: string; config?: Record<string, unknown> }
  | (string & {})
  | "l1"
  | "l2"
  | "l1l2"
  | "orthogonal"
  | null;

/**
 * The regularizer an identifier names, or null for null/undefined: an instance is returned as it is;
 * a name ('l1', 'l2', 'l1l2', 'L1L2', 'l1_l2', 'orthogonal', or a registered type) gives the
 * defaults (0.01); `{ type, … }` is rebuilt through the registry; `{ className, config }` (TF.js,
 * Keras's `class_name`) as well. An unknown name is a RangeError listing the known ones.
 * @example regularizers.get("l2") // new L2(0.01)
 */
export function get(identifier: unknown, name = "identifier"): Regularizer | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Regularizer) return identifier;
  if (typeof identifier === "string") {
    const named = Object.hasOwn(NAMED, identifier) ? NAMED[identifier] : undefined;
    if (named) return named();
    if (regularizerRegistry.has(identifier)) return regularizerRegistry.fromJSON({ type: identifier }, name);
    const known = [...Object.keys(NAMED), ...regularizerRegistry.types.filter((t) => !(t in NAMED))];
    throw new RangeError(
      `${name} must name a regularizer (${known.map((k) => `'${k}'`).join(", ")}), got '${identifier}'`,
    );
  }
  if (identifier !== null && typeof identifier === "object" && !("type" in identifier)) {
    const { className, class_name, config = {} } = identifier as Record<string, unknown>;
    const cls = className ?? class_name;
    if (typeof cls === "string") {
      checkObject(`${name}.config`, config);
      const type = Object.hasOwn(CLASS_TYPES, cls) ? CLASS_TYPES[cls] : cls;
      return regularizerRegistry.fromJSON({ ...config, type }, name);
    }
  }
  if (identifier !== null && typeof identifier === "object") return regularizerRegistry.fromJSON(identifier, name);
  throw new TypeError(
    `${name} must be a regularizer, a name ('l1', 'l2', 'l1l2', 'orthogonal'), a { type, … } JSON or null, got ${describe(identifier)}`,
  );
}

/**
 * Registers a regularizer written in JS under `type` and returns its factory: `make(config)` gives
 * the penalty (and gradient) for a config, and the factory's regularizers save as
 * `{ type, ...config }`, which `get` and model JSON rebuild through the same `make`.
 * @example
 * const sumSquared = regularizers.register("sumSquared", ({ k }) => ({
 *   penalty: (w) => (k as number) * w.reduce((a, b) => a + b, 0) ** 2,
 * }));
 * new Dense(4, 2, { weightRegularizer: sumSquared({ k: 0.1 }) });
 */
export function register<C extends CustomConfig>(
  type: string,
  make: (config: C) => CustomRegularizerSpec,
): (config?: C) => CustomRegularizer {
  if (typeof make !== "function")
    throw new TypeError(`make must be a function (config) => spec, got ${describe(make)}`);
  const build = (config: C, name: string): CustomRegularizer => {
    checkCustomConfig(name, config);
    return new CustomRegularizer(type, config, make(config));
  };
  regularizerRegistry.register(type, (json) => {
    const { type: _type, ...config } = json;
    return build(config as C, "json");
  });
  return (config = {} as C) => build(config, "config");
}

/** Removes a type registered by `register` (or any registered type); returns whether it was there. */
export function unregister(type: string): boolean {
  return regularizerRegistry.unregister(type);
}

export { regularizerRegistry as registry };
