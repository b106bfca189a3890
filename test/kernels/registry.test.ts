// Registry (src/registry.ts) on its own: what register() refuses, by message, and how fromJSON()
// reports a JSON that is not an object and a builder's error. Runtime-neutral (no node:* imports).
import { describe, expect, it } from "vitest";
import { Registry } from "../../src/registry.js";

function outcome(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    if (!(error instanceof Error)) return `thrown: ${String(error)}`;
    return `${error.constructor.name}: ${error.message}`;
  }
  return "ok";
}

describe("Registry", () => {
  it("register() refuses a type that is not a non-empty string, or a builder that is not a function", () => {
    const r = new Registry<number>("widget");
    expect(outcome(() => r.register("", () => 1))).toBe("TypeError: type must be a non-empty string, got string ");
    expect(outcome(() => r.register(5 as never, () => 1))).toBe(
      "TypeError: type must be a non-empty string, got number 5",
    );
    expect(outcome(() => r.register("a", 1 as never))).toBe("TypeError: fromJSON must be a function, got number 1");
    expect(r.types).toEqual([]);
  });

  it("fromJSON() of a non-object names the path and the expected shape", () => {
    const r = new Registry<number>("widget").register("a", () => 1);
    expect(outcome(() => r.fromJSON(null, "json.parts[1]"))).toBe(
      "TypeError: json.parts[1] must be an object like { type, … }, got null",
    );
    expect(r.fromJSON({ type: "a" }, "json")).toBe(1);
  });

  it("a builder's Error gets the path in front of its message; anything else it throws passes unchanged", () => {
    const r = new Registry<number>("widget")
      .register("bad", () => {
        throw new RangeError("size must be 3");
      })
      .register("odd", () => {
        throw "not an Error";
      });
    expect(outcome(() => r.fromJSON({ type: "bad" }, "json.w"))).toBe("RangeError: json.w: size must be 3");
    expect(outcome(() => r.fromJSON({ type: "odd" }, "json.w"))).toBe("thrown: not an Error");
  });
});
