// The built CLI (dist/cli/cli.js) as a child process, with small settings: the --json contract, the SVG
// report, the text table and usage errors. Built by `npm test`'s pretest step (scripts/build.mjs).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, cli as cliIn, SMALL } from "./run-cli.js";
import { assertWellFormed, elements } from "./svg-check.js";

const FIELDS = ["train_acc", "train_loss", "val_acc", "val_loss", "data_loss", "reg_loss", "epochs", "wall_s"];
let dir: string;

const cli = (...args: string[]) => cliIn(dir, args);

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), "regwasm-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("regwasm train --json", () => {
  let run: ReturnType<typeof cli>;
  beforeAll(() => {
    run = cli("train", ...SMALL, "--json", "--out", "r.svg");
  });

  it("exits 0 and prints exactly one JSON line with exactly the documented fields", () => {
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split("\n").filter((l) => l !== "");
    expect(lines).toHaveLength(1);
    expect(run.stdout.endsWith("\n")).toBe(true);
    expect(Object.keys(JSON.parse(lines[0])).sort()).toEqual([...FIELDS].sort());
  });

  it("reports sane values: accuracies are fractions of the 300 samples, loss = data loss + reg loss", () => {
    const r = JSON.parse(run.stdout);
    for (const k of FIELDS) expect(Number.isFinite(r[k]), k).toBe(true);
    for (const k of ["train_acc", "val_acc"]) {
      expect(r[k]).toBeGreaterThanOrEqual(0);
      expect(r[k]).toBeLessThanOrEqual(1);
      // 100 × 3 training and validation samples: accuracy is a count / 300 (1e-9: printing round-off).
      expect(Math.abs(r[k] * 300 - Math.round(r[k] * 300))).toBeLessThan(1e-9);
    }
    // The documented identity; 1e-6 covers f32 partial sums added in f64.
    expect(Math.abs(r.train_loss - (r.data_loss + r.reg_loss))).toBeLessThan(1e-6);
    expect(r.data_loss).toBeGreaterThan(0);
    expect(r.val_loss).toBeGreaterThan(0);
    // Default L2 5e-4 on a trained layer: a positive penalty.
    expect(r.reg_loss).toBeGreaterThan(0);
    expect(r.epochs).toBe(50);
    expect(r.wall_s).toBeGreaterThan(0);
  });

  it("writes the SVG report (one curve path per series: 2 × loss, 2 × accuracy) and names it on stderr", () => {
    const path = join(dir, "r.svg");
    expect(run.stderr).toContain(`report: ${path}`);
    const svg = readFileSync(path, "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    assertWellFormed(svg);
    expect(elements(svg, "path").filter((p) => p.class === "curve")).toHaveLength(4);
  });
});

describe("--json without --out", () => {
  it("writes no report and names none: stdout holds only the JSON line", () => {
    const cwd = mkdtempSync(join(dir, "json-"));
    const run = cliIn(cwd, ["train", ...SMALL, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).not.toContain("report:");
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe("--out FILE.html", () => {
  it("writes the report as an HTML page whose charts are scalable SVGs", () => {
    const run = cli(...SMALL, "--epochs", "20", "--out", "r.html");
    expect(run.code, run.stderr).toBe(0);
    const html = readFileSync(join(dir, "r.html"), "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    const svgs = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(svgs).toHaveLength(3); // one run: loss, accuracy, boundary
    for (const svg of svgs) assertWellFormed(svg);
  });
});

describe("regwasm train (table)", () => {
  it("prints the table with one row and the report path on stdout", () => {
    const run = cli(...SMALL, "--l2", "0", "--dropout", "0", "--out", "t.svg");
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0].split(/\s{2,}/)).toEqual([
      "run",
      "train acc",
      "train loss",
      "val acc",
      "val loss",
      "data loss",
      "reg loss",
      "time (s)",
    ]);
    const row = lines[2].split(/\s{2,}/);
    expect(row[0]).toBe("custom");
    // No regularizer: the penalty is exactly zero.
    expect(row[6]).toBe("0.0000");
    expect(lines[3]).toBe(`report: ${join(dir, "t.svg")}`);
    expect(existsSync(join(dir, "t.svg"))).toBe(true);
  });
});

describe("usage errors exit 2 and name the flag", () => {
  it.each([
    [["--bogus", "1"], "--bogus"],
    [["--lr", "abc"], "--lr"],
    [["--dropout", "1.5"], "--dropout"],
    [["--dropout=-0.1"], "--dropout"],
    [["--l2=-1"], "--l2"],
    [["--l2", "-1"], "--l2"],
    [["--epochs", "2.5"], "--epochs"],
    [["--hidden", ""], "--hidden"],
    [["--seed"], "--seed"],
    [["--out", "no/such/dir/r.svg"], "--out"],
    [["--epochs", "0x10"], "--epochs"],
    [["--hidden", "1e3"], "--hidden"],
    [["--lr", "Infinity"], "--lr"],
  ])("%j", (args, flag) => {
    const run = cli(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(flag);
    expect(run.stdout).toBe("");
  });

  // Values the old rules let through and the library then refused (or trained into NaN): each is a
  // usage error naming the flag, before any training and without a stack trace.
  it.each([
    [["--l2", "2e38"], "--l2"],
    [["--l2", "1.1e6"], "--l2"],
    [["--l1", "1e300"], "--l1"],
    [["--decay", "1e300"], "--decay"],
    [["--decay", "2e6"], "--decay"],
    [["--lr", "1e30"], "--lr"],
    [["--lr", "1e-13"], "--lr"],
  ])("%j is a usage error within the library's limits", (args, flag) => {
    const run = cli(...args, ...SMALL, "--out", "bounds.svg");
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr.split("\n")[0]).toMatch(new RegExp(`^regwasm: ${flag} must be `));
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr).not.toContain("epoch");
    expect(run.stdout).toBe("");
  });

  it("refuses dropout over more than 2^32 activations per epoch (the library's dropout stream limit)", () => {
    // 1e6 × 3 samples × 1432 hidden units > 2^32; with --dropout 0 the same sizes are allowed.
    const run = cli("--samples", "1000000", "--hidden", "1432", "--epochs", "1");
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/^regwasm: --dropout .*--samples.*--hidden/);
  });

  it("--help wins over an invalid flag", () => {
    const run = cli("--help", "--epochs", "0");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--epochs");
  });

  it("rejects an unknown command", () => {
    const run = cli("fly");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("fly");
  });

  it("--help lists every flag and exits 0", () => {
    const run = cli("--help");
    expect(run.code).toBe(0);
    for (const f of [
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
      "--out",
      "--no-report",
      "--version",
    ]) {
      expect(run.stdout).toContain(f);
    }
    // where each output goes
    for (const s of ["stdout", "stderr", "regwasm-report.svg", "REGWASM_DEBUG"]) expect(run.stdout).toContain(s);
  });
});

describe("regwasm --version", () => {
  it("prints the package's version and exits 0", () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8"));
    const run = cli("--version");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${pkg.version}\n`);
  });
});

describe("progress on stderr", () => {
  it("labels what the epoch lines measure and ends each run with the table's figures", () => {
    const run = cli(...SMALL, "--out", "p.svg");
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stderr.trimEnd().split("\n");
    const epochLines = lines.filter((l) => / epoch \d+\/50 /.test(l));
    expect(epochLines.length).toBeGreaterThan(0);
    // the default model has dropout 0.1: fit() measures with it on, before the epoch's update
    for (const l of epochLines) expect(l).toContain("train (dropout on, before update) loss ");
    const row = run.stdout.split("\n")[2].split(/\s{2,}/);
    const last = lines.filter((l) => l.startsWith("custom:")).at(-1) ?? "";
    expect(last).toContain("done 50/50 epochs");
    expect(last).toContain(`train acc ${row[1]}`);
    expect(last).toContain(`train loss ${row[2]}`);
    expect(last).toContain(`val acc ${row[3]}`);
    expect(last).toContain(`val loss ${row[4]}`);
  });
});
