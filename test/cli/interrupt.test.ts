// Ctrl-C: the first SIGINT stops the run after its current epoch and still prints the table and
// writes the report (exit 130); a second one exits at once.
import { EventEmitter } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onInterrupt } from "../../src/cli/interrupt.js";
import { assertBuilt, startCli } from "./run-cli.js";
import { assertWellFormed, elements } from "./svg-check.js";

let dir: string;
beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), "regwasm-sigint-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SIGINT during training", () => {
  it("stops after the current epoch, prints the table with the stopped run, writes the report, exits 130", async () => {
    // About a minute of training at these sizes; the signal comes once the first epochs are logged.
    const cli = startCli(dir, ["--epochs", "2000000", "--samples", "50", "--hidden", "8", "--out", "s.svg"]);
    await cli.stderrMatches(/custom: .*epoch \d+\/2000000/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sent = performance.now();
    cli.child.kill("SIGINT");
    const run = await cli.exited;
    expect(performance.now() - sent).toBeLessThan(10_000);
    expect(run.signal, run.stderr).toBeNull();
    expect(run.code, run.stderr).toBe(130);
    const lines = run.stdout.trimEnd().split("\n");
    const stopped = Number(/^custom \(stopped at epoch (\d+) of 2000000\)/.exec(lines[2])?.[1]);
    expect(stopped, run.stdout).toBeGreaterThan(0);
    expect(stopped).toBeLessThan(2_000_000);
    expect(lines[3]).toBe(`report: ${join(dir, "s.svg")}`);
    const svg = readFileSync(join(dir, "s.svg"), "utf8");
    assertWellFormed(svg);
    expect(svg).toContain(`stopped at epoch ${stopped} of 2000000`);
    expect(elements(svg, "path").filter((p) => p.class === "curve")).toHaveLength(4);
  });
});

describe("onInterrupt", () => {
  it("calls the first handler on the first SIGINT and the second on any later one", () => {
    const target = new EventEmitter();
    const calls: string[] = [];
    const dispose = onInterrupt(
      () => calls.push("first"),
      () => calls.push("second"),
      target,
    );
    target.emit("SIGINT");
    expect(calls).toEqual(["first"]);
    target.emit("SIGINT");
    target.emit("SIGINT");
    expect(calls).toEqual(["first", "second", "second"]);
    dispose();
    expect(target.listenerCount("SIGINT")).toBe(0);
  });
});
