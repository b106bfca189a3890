// Mutation testing of src/, room by room: `npm run mutate` runs every room of stryker.config.mjs's
// ROOMS one after another, `npm run mutate -- layers model` only those (add `--force` to retest every
// mutant instead of only those whose code or tests changed). Each room writes its own report
// (reports/mutation/<room>/index.html and mutation.json) and incremental file, so a long run can be
// stopped and resumed per room. At the end, every room's mutation.json found under reports/ is
// merged into reports/mutation/mutation.json and summed up per room on stdout.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { ROOMS } = await import(join(root, "stryker.config.mjs"));
const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith("-"));
const asked = args.filter((a) => !a.startsWith("-"));
for (const r of asked)
  if (!(r in ROOMS)) throw new Error(`unknown room "${r}"; rooms: ${Object.keys(ROOMS).join(", ")}`);
const rooms = asked.length ? asked : Object.keys(ROOMS);

// A folder of src/ that no room names would never be mutated by a room-by-room run.
const prefixes = Object.values(ROOMS).flat();
const unroomed = readdirSync(join(root, "src"), { recursive: true })
  .map((f) => `src/${f.replaceAll("\\", "/")}`)
  .filter((f) => f.endsWith(".ts") && !prefixes.some((p) => f.startsWith(p)));
if (unroomed.length) throw new Error(`stryker.config.mjs: ROOMS do not cover ${unroomed.join(", ")}`);

// The sandbox copies src/wasm/embedded.ts, which the build generates.
execFileSync(process.execPath, [join(root, "scripts/build.mjs"), "--if-stale"], { stdio: "inherit" });
const stryker = join(root, "node_modules/@stryker-mutator/core/bin/stryker.js");
const seconds = {};
for (const room of rooms) {
  const start = Date.now();
  console.log(`\n== ${room} ==`);
  const run = spawnSync(process.execPath, [stryker, "run", ...flags], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, MUTATE_ROOM: room },
  });
  seconds[room] = Math.round((Date.now() - start) / 1000);
  if (run.status !== 0) process.exit(run.status ?? 1);
}

// Merge whatever room reports exist (this run's and earlier ones).
const KILLED = ["Killed", "Timeout"];
const rows = [];
let merged;
for (const room of Object.keys(ROOMS)) {
  const file = join(root, "reports/mutation", room, "mutation.json");
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, "utf8"));
  merged ??= { ...report, files: {} };
  Object.assign(merged.files, report.files);
  const count = {};
  for (const f of Object.values(report.files)) for (const m of f.mutants) count[m.status] = (count[m.status] ?? 0) + 1;
  rows.push({ room, count, seconds: seconds[room] });
}
if (!merged) process.exit(0);
mkdirSync(join(root, "reports/mutation"), { recursive: true });
writeFileSync(join(root, "reports/mutation/mutation.json"), JSON.stringify(merged));

const statuses = ["Killed", "Timeout", "Survived", "NoCoverage", "Ignored", "RuntimeError", "CompileError"];
const total = {};
const line = (name, count, secs) => {
  const valid = statuses.slice(0, 4).reduce((s, k) => s + (count[k] ?? 0), 0);
  const detected = KILLED.reduce((s, k) => s + (count[k] ?? 0), 0);
  const score = valid ? ((100 * detected) / valid).toFixed(2) : "-";
  return [name.padEnd(11), ...statuses.map((k) => String(count[k] ?? 0).padStart(8)), score.padStart(7), secs ?? ""]
    .join(" ")
    .trimEnd();
};
console.log(
  `\n${["room".padEnd(11), ...statuses.map((k) => k.slice(0, 8).padStart(8)), "score %".padStart(7), "s"].join(" ")}`,
);
for (const { room, count, seconds: s } of rows) {
  console.log(line(room, count, s));
  for (const [k, v] of Object.entries(count)) total[k] = (total[k] ?? 0) + v;
}
console.log(line("all", total));
console.log("score = (killed + timeout) / (killed + timeout + survived + no coverage); static mutants are ignored");
