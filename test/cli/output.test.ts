// Where the CLI writes: --out is checked before any training, the report replaces the previous one
// atomically (a failed write leaves it whole), --no-report writes none, and an unexpected error is one
// line on stderr with exit code 1.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, cli, SMALL } from "./run-cli.js";

let dir: string;
const stackLine = /^\s+at /m;

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), "regwasm-out-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A usage error: exit 2, one message line naming --out (plus the --help hint), no training, no stack. */
function expectOutRefused(run: ReturnType<typeof cli>, reason: RegExp): void {
  expect(run.code, run.stderr).toBe(2);
  const [first] = run.stderr.split("\n");
  expect(first).toMatch(/^regwasm: --out\b/);
  expect(first).toMatch(reason);
  expect(run.stderr).not.toContain("epoch");
  expect(run.stderr).not.toMatch(stackLine);
  expect(run.stdout).toBe("");
}

describe("--out is checked before training", () => {
  it("refuses an existing directory", () => {
    mkdirSync(join(dir, "reports"));
    expectOutRefused(cli(dir, [...SMALL, "--out", "reports"]), /is a directory/);
  });

  it("refuses something that is not a regular file", () => {
    expectOutRefused(cli(dir, [...SMALL, "--out", "/dev/null"]), /not a regular file/);
  });

  it("refuses a directory it may not write to", () => {
    // root may write anywhere, so as root the CLI runs as nobody (65534) for this test
    const asRoot = process.getuid?.() === 0;
    const locked = join(dir, "locked");
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    chmodSync(dir, 0o755);
    // nobody may not be able to read the checkout (a home directory, a 0700 temp dir): it runs a
    // world-readable copy of the built package instead
    const copy = join(dir, "package");
    cpSync(join(import.meta.dirname, "..", "..", "dist"), join(copy, "dist"), { recursive: true });
    cpSync(join(import.meta.dirname, "..", "..", "package.json"), join(copy, "package.json"));
    const script = join(copy, "dist", "cli", "cli.js");
    const run = cli(dir, [...SMALL, "--out", "locked/r.svg"], asRoot ? { uid: 65534, gid: 65534, script } : { script });
    expectOutRefused(run, /not writable/);
  });
});

describe("writing the report", () => {
  it("replaces the previous report only when the new one is complete (full disk: old report kept)", () => {
    const sub = join(dir, "full");
    mkdirSync(sub);
    writeFileSync(join(sub, "r.svg"), "previous report");
    const run = cli(sub, [...SMALL, "--json", "--out", "r.svg"], {
      nodeArgs: ["--import", join(import.meta.dirname, "full-disk.mjs")],
    });
    expect(run.code, run.stderr).toBe(1);
    expect(readFileSync(join(sub, "r.svg"), "utf8")).toBe("previous report");
    expect(readdirSync(sub)).toEqual(["r.svg"]); // no temporary file left behind
    // one line, no stack trace
    const errors = run.stderr.split("\n").filter((l) => l.startsWith("regwasm: "));
    expect(errors).toEqual(["regwasm: ENOSPC: no space left on device, write"]);
    expect(run.stderr).not.toMatch(stackLine);
  });

  it("REGWASM_DEBUG=1 adds the stack trace to an unexpected error", () => {
    const sub = join(dir, "full-debug");
    mkdirSync(sub);
    const run = cli(sub, [...SMALL, "--json", "--out", "r.svg"], {
      nodeArgs: ["--import", join(import.meta.dirname, "full-disk.mjs")],
      env: { REGWASM_DEBUG: "1" },
    });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(stackLine);
  });

  it("--no-report writes no report (with --json or without)", () => {
    const sub = join(dir, "none");
    mkdirSync(sub);
    for (const extra of [["--json"], []]) {
      const run = cli(sub, [...SMALL, "--no-report", ...extra]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout + run.stderr).not.toContain("report:");
    }
    expect(readdirSync(sub)).toEqual([]);
  });

  it("--no-report with --out is a usage error", () => {
    const run = cli(dir, [...SMALL, "--no-report", "--out", "x.svg"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^regwasm: --no-report/);
  });
});
