// parseCommand's fallback when node:util's parseArgs words an unknown flag differently from today's
// "Unknown option '--x'": the flag is then named by node's whole message, still as a UsageError (not a
// TypeError from reading the quoted name). parseArgs is replaced only inside `withParser`.
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseCommand, UsageError } from "../../src/cli/command.js";
import { thrown } from "../support/thrown.js";

const replacement = vi.hoisted(() => ({ parseArgs: undefined as undefined | (() => never) }));
vi.mock("node:util", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:util")>();
  return {
    ...actual,
    parseArgs: (config: Parameters<typeof actual.parseArgs>[0]) =>
      replacement.parseArgs ? replacement.parseArgs() : actual.parseArgs(config),
  };
});
afterEach(() => {
  replacement.parseArgs = undefined;
});

/** Makes parseArgs throw a node-style error with this code and message. */
function parserThrows(code: string, message: string): void {
  replacement.parseArgs = () => {
    throw Object.assign(new TypeError(message), { code });
  };
}

describe("parseCommand: node's parse errors", () => {
  it("the real parser still runs outside the replacement", () => {
    expect(thrown(() => parseCommand(["--bogus"])).message).toBe("unknown flag --bogus");
  });

  it("an unknown flag whose message quotes no name: the whole message follows 'unknown flag'", () => {
    parserThrows("ERR_PARSE_ARGS_UNKNOWN_OPTION", "Unknown option --zap");
    const error = thrown(() => parseCommand(["--zap"]));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe("unknown flag Unknown option --zap");
  });

  it("an unknown flag with a quoted name: only the name", () => {
    parserThrows("ERR_PARSE_ARGS_UNKNOWN_OPTION", "Unknown option '--zap'. More words");
    expect(thrown(() => parseCommand(["--zap"])).message).toBe("unknown flag --zap");
  });

  it("any other parse error: node's message as it is", () => {
    parserThrows("ERR_PARSE_ARGS_INVALID_OPTION_VALUE", "Option '--lr <value>' argument missing");
    const error = thrown(() => parseCommand(["--lr"]));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe("Option '--lr <value>' argument missing");
  });
});
