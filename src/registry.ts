// A registry of one family of serializable pieces (layers, optimizers, losses, …): `type` → the
// function that rebuilds a piece from its JSON. The model knows only the families' base classes and
// their registries, so a new piece is one file plus one `register` line, and its JSON round-trips.
import { checkObject, describe } from "./validate.js";

/** What every registered JSON form carries. */
export interface TypedJSON {
  type: string;
}

export class Registry<T, J extends TypedJSON = TypedJSON> {
  readonly #builders = new Map<string, (json: J) => T>();

  /** `family` names the pieces in error messages ("layer", "optimizer", …). */
  constructor(readonly family: string) {}

  /** Adds a type; registering a taken type again throws (unregister it first to replace it). */
  register(type: string, fromJSON: (json: J) => T): this {
    if (typeof type !== "string" || type === "")
      throw new TypeError(`type must be a non-empty string, got ${describe(type)}`);
    if (typeof fromJSON !== "function") throw new TypeError(`fromJSON must be a function, got ${describe(fromJSON)}`);
    if (this.#builders.has(type)) throw new RangeError(`a ${this.family} of type '${type}' is already registered`);
    this.#builders.set(type, fromJSON);
    return this;
  }

  /** Removes a type; returns whether it was registered. */
  unregister(type: string): boolean {
    return this.#builders.delete(type);
  }

  has(type: string): boolean {
    return this.#builders.has(type);
  }

  /** The registered types, in registration order. */
  get types(): string[] {
    return [...this.#builders.keys()];
  }

  /** Rebuilds a piece from its JSON; `name` is the JSON's path in error messages (e.g. "json.layers[2]"). */
  fromJSON(json: unknown, name: string): T {
    checkObject(name, json, "{ type, … }");
    const { type } = json as { type?: unknown };
    const build = typeof type === "string" ? this.#builders.get(type) : undefined;
    if (!build) {
      const known = this.types.map((t) => `'${t}'`).join(", ");
      throw new TypeError(`${name}.type must be a registered ${this.family} type (${known}), got ${describe(type)}`);
    }
    try {
      return build(json as J);
    } catch (error) {
      if (error instanceof Error) error.message = `${name}: ${error.message}`;
      throw error;
    }
  }
}
