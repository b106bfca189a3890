// The initializers a layer can name (Dense's weightInit and biasInit). A new one: an Initializer
// plus one `register` line; the name is what the layer's JSON stores.
import { checkOneOf, describe } from "../../validate.js";
import { ones, zeros } from "./constant.js";
import { course } from "./course.js";
import type { Initializer } from "./initializer.js";
import { glorotNormal, glorotUniform, heNormal, heUniform, lecunNormal, lecunUniform } from "./variance-scaling.js";

export class InitializerRegistry {
  readonly #initializers = new Map<string, Initializer>();

  /** Adds a name; registering a taken name again throws (unregister it first to replace it). */
  register(name: string, initializer: Initializer): this {
    if (typeof name !== "string" || name === "")
      throw new TypeError(`name must be a non-empty string, got ${describe(name)}`);
    if (typeof initializer !== "function")
      throw new TypeError(`initializer must be a function (out, fans, random) => void, got ${describe(initializer)}`);
    if (this.#initializers.has(name)) throw new RangeError(`an initializer named '${name}' is already registered`);
    this.#initializers.set(name, initializer);
    return this;
  }

  /** Removes a name; returns whether it was registered. */
  unregister(name: string): boolean {
    return this.#initializers.delete(name);
  }

  has(name: string): boolean {
    return this.#initializers.has(name);
  }

  /** The registered names, in registration order. */
  get names(): string[] {
    return [...this.#initializers.keys()];
  }

  /**
   * The initializer registered as `value`; `argument` names it in errors ("options.weightInit"): a
   * TypeError for a non-string, a RangeError listing the registered names for an unknown one.
   */
  get(argument: string, value: unknown): Initializer {
    checkOneOf(argument, value, this.names);
    return this.#initializers.get(value)!;
  }
}

/** The built-in names, as TF.js spells them (Keras: glorot_uniform, …); 'course' is 0.01·N(0, 1). */
export type InitializerName =
  | "glorotUniform"
  | "glorotNormal"
  | "heNormal"
  | "heUniform"
  | "lecunNormal"
  | "lecunUniform"
  | "zeros"
  | "ones"
  | "course";

export const initializerRegistry = new InitializerRegistry()
  .register("glorotUniform", glorotUniform)
  .register("glorotNormal", glorotNormal)
  .register("heNormal", heNormal)
  .register("heUniform", heUniform)
  .register("lecunNormal", lecunNormal)
  .register("lecunUniform", lecunUniform)
  .register("zeros", zeros)
  .register("ones", ones)
  .register("course", course);
