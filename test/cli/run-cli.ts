// Runs the built CLI (dist/cli/cli.js) as a child process; shared by the CLI suites.
import { type SpawnSyncOptions, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const CLI = join(import.meta.dirname, "..", "..", "dist", "cli", "cli.js");
/** Settings that train in well under a second. */
export const SMALL = ["--epochs", "50", "--samples", "100", "--hidden", "16"];

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" (npm test does it first)`);
}

/** Runs `node [nodeArgs] cli.js args` in cwd and waits for it. */
export function cli(
  cwd: string,
  args: string[],
  options: { nodeArgs?: string[]; env?: Record<string, string>; uid?: number; gid?: number; script?: string } = {},
): CliRun {
  const spawnOptions: SpawnSyncOptions = {
    encoding: "utf8",
    cwd,
    timeout: 60_000,
    env: { ...process.env, ...options.env },
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid }),
  };
  const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), options.script ?? CLI, ...args], spawnOptions);
  return { code: r.status, signal: r.signal, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Starts the CLI without waiting: `exited` resolves when it ends (SIGKILL after timeoutMs). */
export function startCli(cwd: string, args: string[], timeoutMs = 30_000) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  const run: CliRun = { code: null, signal: null, stdout: "", stderr: "" };
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    run.stdout += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    run.stderr += d;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const exited = new Promise<CliRun>((resolve) =>
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      Object.assign(run, { code, signal });
      resolve(run);
    }),
  );
  /** Resolves once stderr matches (or the process ends). */
  const stderrMatches = (pattern: RegExp) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (pattern.test(run.stderr)) resolve();
      };
      child.stderr.on("data", check);
      child.on("close", () => resolve());
      check();
    });
  return { child, run, exited, stderrMatches };
}
