// Fuzzing the command line's parser: any argv either parses into runs whose every setting the library
// accepts (each model builds), or is a UsageError naming the problem; nothing else escapes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCommand, UsageError } from "../../src/cli/command.js";
import { buildExperiment, init } from "../../src/index.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.npm_lifecycle_event === "fuzz" ? 20000 : 150));

await init();

const flag = fc.constantFrom(
  "--hidden",
  "--l1",
  "--l2",
  "--dropout",
  "--lr",
  "--decay",
  "--epochs",
  "--samples",
  "--seed",
  "--json",
  "--no-report",
  "--out",
  "--help",
  "--version",
  "--bogus",
  "train",
  "extra",
);
const value = fc.oneof(
  fc.constantFrom(
    "0",
    "1",
    "-1",
    "1e-3",
    "2e38",
    "1e300",
    "NaN",
    "Infinity",
    "0x10",
    " 5",
    "1.5",
    "65536",
    "4294967296",
    "",
  ),
  fc.double().map(String),
  fc.integer().map(String),
);

describe("parseCommand", () => {
  it("gives runs the library accepts, or a UsageError", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(flag, value), { maxLength: 8 }), (argv) => {
        let command: ReturnType<typeof parseCommand>;
        try {
          command = parseCommand(argv);
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          return;
        }
        for (const config of command.experiments) {
          const { model } = buildExperiment(config); // throws if a flag rule lets through what the library refuses
          model.free();
        }
      }),
      { numRuns: RUNS, seed: 20261205 },
    );
  });
});
