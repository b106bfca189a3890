// The command line's parser in-process (src/cli/command.ts): each flag's rule as the usage text states
// it, at its bounds, with the exact message; the runs a command line makes; the precedence of --help
// and --version. (cli.test.ts runs the built CLI end to end; this pins the parser rule by rule.)
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommand, USAGE, UsageError } from "../../src/cli/command.js";
import { COURSE_EXPERIMENTS, DROPOUT_CHAPTER } from "../../src/experiments/course.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "regwasm-command-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The UsageError message of parsing argv, or "ok". */
function refusal(argv: string[]): string {
  try {
    parseCommand(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  return "ok";
}

/** The one run that argv (with --no-report) makes. */
function customRun(...argv: string[]) {
  const { experiments } = parseCommand([...argv, "--no-report"]);
  expect(experiments).toHaveLength(1);
  return experiments[0];
}

describe("what a command line runs", () => {
  it("without model flags: the course's four experiments, the table, the default report", () => {
    const command = parseCommand(["--out", join(dir, "r.svg")]);
    expect(command).toEqual({
      help: false,
      version: false,
      json: false,
      report: { path: join(dir, "r.svg"), target: join(dir, "r.svg"), format: "svg" },
      experiments: [...COURSE_EXPERIMENTS],
    });
    // an .html path: the HTML page
    expect(parseCommand(["--out", join(dir, "r.HTML")]).report).toMatchObject({ format: "html" });
    expect(parseCommand(["--out", join(dir, "r.htm")]).report).toMatchObject({ format: "html" });
    expect(parseCommand(["--out", join(dir, "r.html.svg")]).report).toMatchObject({ format: "svg" });
    expect(parseCommand(["train", "--no-report"]).experiments).toEqual([...COURSE_EXPERIMENTS]);
    // the default report is ./regwasm-report.svg
    expect(parseCommand([]).report?.path).toBe(join(process.cwd(), "regwasm-report.svg"));
  });

  it("--threads: the kernels' thread count, an integer in [1, 256]; the course's runs unchanged", () => {
    expect(parseCommand(["--threads", "1", "--no-report"])).toMatchObject({
      threads: 1,
      experiments: [...COURSE_EXPERIMENTS],
    });
    expect(parseCommand(["--threads", "256", "--no-report"]).threads).toBe(256);
    expect(parseCommand(["--no-report"]).threads).toBeUndefined();
    for (const bad of ["0", "257", "1.5", "-1", "two", ""])
      expect(refusal(["--threads", bad, "--no-report"])).toBe(`--threads must be an integer in [1, 256], got "${bad}"`);
  });

  it("--json writes no report unless --out asks for one; --no-report writes none", () => {
    expect(parseCommand(["--json", "--no-report"])).toMatchObject({ json: true, report: null });
    expect(parseCommand(["--json"])).toMatchObject({ json: true, report: null });
    expect(parseCommand(["--json", "--out", join(dir, "r.svg")])).toMatchObject({
      json: true,
      report: { path: join(dir, "r.svg"), format: "svg" },
    });
    expect(parseCommand([])).toMatchObject({ json: false, report: { format: "svg" } });
  });

  it("with any model flag: one run named custom, the dropout chapter with the flags' values", () => {
    expect(customRun("--epochs", "3")).toEqual({ ...DROPOUT_CHAPTER, name: "custom", epochs: 3 });
    const all = customRun(
      ...["--hidden", "8", "--l1", "0.001", "--l2", "0.002", "--dropout", "0.5", "--lr", "0.01"],
      ...["--decay", "0.1", "--epochs", "3", "--samples", "10", "--seed", "7"],
    );
    expect(all).toEqual({
      ...DROPOUT_CHAPTER,
      name: "custom",
      hidden: 8,
      l1: 0.001,
      l2: 0.002,
      dropout: 0.5,
      learningRate: 0.01,
      decay: 0.1,
      epochs: 3,
      samples: 10,
      seed: 7,
    });
    expect(customRun("--l1=0.5").l1).toBe(0.5);
  });

  it("--help, then --version, win over every other flag, even invalid ones", () => {
    const help = { help: true, version: false, json: false, report: null, experiments: [] };
    expect(parseCommand(["--help", "--epochs", "0", "fly"])).toEqual(help);
    expect(parseCommand(["-h"])).toEqual(help);
    expect(parseCommand(["--version", "--lr", "x"])).toEqual({ ...help, help: false, version: true });
    expect(parseCommand(["--version", "--help"])).toMatchObject({ help: true, version: true });
  });
});

describe("model flags: the ranges of the usage text", () => {
  // [flag, accepted at the bounds, refused just outside, the rule's words]
  it.each<[string, string[], string[], string]>([
    ["hidden", ["1", "65536"], ["0", "65537"], "an integer in [1, 65536]"],
    ["l1", ["0", "1e6"], ["-1e-9", "1000000.5"], "a number in [0, 1e6]"],
    ["l2", ["0", "1000000"], ["-1", "1.1e6"], "a number in [0, 1e6]"],
    ["dropout", ["0", "0.999"], ["-0.1", "1"], "a rate in [0, 1) (1 would drop every unit)"],
    ["lr", ["1e-12", "1e6"], ["9e-13", "1e30"], "a number in [1e-12, 1e6]"],
    ["decay", ["0", "1e6"], ["-0.5", "2e6"], "a number in [0, 1e6]"],
    ["epochs", ["1", "10000000"], ["0", "10000001"], "an integer in [1, 10000000]"],
    ["samples", ["1", "1000000"], ["0", "1000001"], "an integer in [1, 1000000]"],
    ["seed", ["0", "2147483648"], ["-1", "2147483649"], "an integer in [0, 2^31]"],
  ])("--%s", (flag, accepted, refused, what) => {
    const field = flag === "lr" ? "learningRate" : flag;
    for (const raw of accepted) expect(customRun(`--${flag}=${raw}`)).toMatchObject({ [field]: Number(raw) });
    for (const raw of refused) {
      expect(refusal([`--${flag}=${raw}`, "--no-report"])).toBe(`--${flag} must be ${what}, got "${raw}"`);
    }
    // the usage text gives the same range on the flag's line
    const range = /\[[^\]),]*, [^\]),]*[\])]/.exec(what)![0];
    expect(USAGE.split("\n").find((line) => line.startsWith(`  --${flag} `))).toContain(range);
  });

  it("integer flags take plain decimal integers only", () => {
    for (const raw of ["2.5", "1e3", "0x10", " 5", "5 ", "", "+5"]) {
      expect(refusal(["--epochs", raw, "--no-report"])).toBe(
        `--epochs must be an integer in [1, 10000000], got "${raw}"`,
      );
    }
    expect(customRun("--epochs", "007").epochs).toBe(7);
  });

  it("number flags take plain decimals with an optional exponent, nothing else", () => {
    expect(customRun("--lr", "5e-3").learningRate).toBe(0.005);
    expect(customRun("--lr", "2E-2").learningRate).toBe(0.02);
    expect(customRun("--lr", ".5").learningRate).toBe(0.5);
    expect(customRun("--lr", "5.").learningRate).toBe(5);
    expect(customRun("--lr", "1e+2").learningRate).toBe(100);
    for (const raw of ["Infinity", "NaN", "0x10", "abc", "1e", "1.2.3", " 1", "."]) {
      expect(refusal(["--lr", raw, "--no-report"])).toBe(`--lr must be a number in [1e-12, 1e6], got "${raw}"`);
    }
  });

  it("a negative value after a model flag is read as its value, so the range check names the problem", () => {
    expect(refusal(["--l2", "-1"])).toBe('--l2 must be a number in [0, 1e6], got "-1"');
    expect(refusal(["--decay", "-.5"])).toBe('--decay must be a number in [0, 1e6], got "-.5"');
    expect(refusal(["--seed", "-3", "--epochs", "2"])).toBe('--seed must be an integer in [0, 2^31], got "-3"');
  });

  it("dropout needs samples × classes × hidden within the 2^32 counters of one stream", () => {
    expect(refusal(["--samples", "1000000", "--hidden", "1432", "--no-report"])).toBe(
      "--dropout needs --samples × 3 × --hidden at most 2^32 (32-bit dropout counters), got 1000000 × 3 × 1432 = 4296000000; use fewer samples or hidden units, or --dropout 0",
    );
    // 3 × 1000000 × 1431 = 4293000000 fits
    expect(customRun("--samples", "1000000", "--hidden", "1431").dropout).toBe(DROPOUT_CHAPTER.dropout);
    expect(customRun("--samples", "1000000", "--hidden", "1432", "--dropout", "0").dropout).toBe(0);
  });
});

describe("usage errors", () => {
  it.each<[string[], string]>([
    [["fly"], 'unknown command "fly" (the only command is "train")'],
    [["train", "extra"], 'unexpected argument "extra"'],
    [["--bogus"], "unknown flag --bogus"],
    [["--no-report", "--out", "x.svg"], "--no-report and --out contradict each other"],
  ])("%j", (argv, message) => {
    expect(refusal(argv)).toBe(message);
  });

  it("a flag without its value is named in node's own words", () => {
    expect(refusal(["--seed"])).toMatch(/^Option '--seed <value>' argument missing/);
  });

  it("--out is checked before training: its reason follows the flag", () => {
    mkdirSync(join(dir, "reports"), { recursive: true });
    expect(refusal(["--out", join(dir, "reports")])).toBe(
      `--out: ${join(dir, "reports")} is a directory (give a file path, e.g. ${join(dir, "reports", "report.svg")})`,
    );
    expect(refusal(["--out", join(dir, "none", "r.svg")])).toBe(`--out: directory ${join(dir, "none")} does not exist`);
  });
});

describe("number flags: the exact patterns and rules (contracts)", () => {
  it("a decimal takes several digits before the dot and several after it", () => {
    expect(customRun("--l2", "12.5").l2).toBe(12.5);
    expect(customRun("--decay", "10.25").decay).toBe(10.25);
    expect(customRun("--lr", ".25").learningRate).toBe(0.25);
    expect(customRun("--dropout", ".125").dropout).toBe(0.125);
    expect(customRun("--lr", "1.5E+2").learningRate).toBe(150);
    expect(customRun("--lr", "1e-3").learningRate).toBe(0.001);
    expect(customRun("--l1", "1.").l1).toBe(1);
  });

  it("a value beyond the doubles (1e999, read as Infinity) is refused, naming the flag", () => {
    expect(refusal(["--l2", "1e999", "--no-report"])).toBe('--l2 must be a number in [0, 1e6], got "1e999"');
    expect(refusal(["--lr", "-1e999", "--no-report"])).toBe('--lr must be a number in [1e-12, 1e6], got "-1e999"');
    expect(refusal(["--seed", "9".repeat(400), "--no-report"])).toBe(
      `--seed must be an integer in [0, 2^31], got "${"9".repeat(400)}"`,
    );
    expect(refusal(["--hidden", "2.5", "--no-report"])).toBe('--hidden must be an integer in [1, 65536], got "2.5"');
  });

  it("a negative value is joined only to a flag that takes a number, not to --json or --out", () => {
    // after a boolean flag, "-1" is a (short) flag of its own
    expect(refusal(["--json", "-1"])).toBe("unknown flag -1");
    // after --out, node refuses a value that starts with a dash unless written --out=-…
    expect(refusal(["--no-report", "--json", "--out", "-1.svg"])).toMatch(/^Option '--out' argument is ambiguous\./);
    // after a number flag it is that flag's value, accepted or refused by the flag's rule
    expect(refusal(["--seed", "-1", "--no-report"])).toBe('--seed must be an integer in [0, 2^31], got "-1"');
    expect(refusal(["--threads", "-2", "--no-report"])).toBe('--threads must be an integer in [1, 256], got "-2"');
  });

  it("only a value that starts with a minus is joined: a later minus leaves node's message", () => {
    // "--out=run-1.svg" is a flag of its own, not --seed's value
    expect(refusal(["--seed", "--out=run-1.svg"])).toMatch(/^Option '--seed' argument is ambiguous\./);
    // without a dash in front the value is the flag's anyway
    expect(refusal(["--lr", "1-2", "--no-report"])).toBe('--lr must be a number in [1e-12, 1e6], got "1-2"');
  });
});
