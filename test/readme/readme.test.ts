// The README's examples are part of the test suite: every ```ts block is type-checked with --strict
// against the built declarations (dist/index.d.ts, imported as "regwasm" by package self-reference),
// run with node, and what it prints is compared with what the block says it prints.
//
// Output convention: a line that ends in `// prints: TEXT` states one line of output, exactly as
// printed. A block's expected stdout is its `// prints:` lines in order; every block states at least
// one, and has as many as it has console.log calls (a log in a loop or callback would break the order).
//
// Every `npm run x` / `npm start` / `npm test` it mentions (```sh blocks and prose) must be a package.json script.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
// Inside the package, so that `import ... from "regwasm"` resolves to ./dist by self-reference.
const outDir = join(root, "test", "artifacts", "readme");
const readme = readFileSync(join(root, "README.md"), "utf8");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

interface Block {
  lang: string;
  /** README.md line of the block's first code line (1-based). */
  line: number;
  heading: string;
  code: string;
}

function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split("\n");
  let heading = "(top)";
  for (let i = 0; i < lines.length; i++) {
    if (/^#+ /.test(lines[i])) heading = lines[i].trim();
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i + 1;
    do i++;
    while (i < lines.length && !/^```\s*$/.test(lines[i]));
    blocks.push({ lang: open[1], line: start + 1, heading, code: lines.slice(start, i).join("\n") });
  }
  return blocks;
}

const blocks = codeBlocks(readme);
const examples = blocks.filter((b) => b.lang === "ts");
const name = (b: Block) => `README.md:${b.line} (${b.heading})`;
const file = (b: Block) => join(outDir, `line-${b.line}.mts`);
const PRINTS = /\/\/ prints: (.*)$/;

/** tsc's diagnostics, keyed by the .mts file they are about, rewritten to README.md lines. */
const diagnostics = new Map<string, string[]>();
let otherTscOutput = "";

beforeAll(() => {
  if (!existsSync(join(root, "dist", "index.d.ts")))
    throw new Error('dist/index.d.ts is missing: run "npm run build" (npm test builds it first)');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const b of examples) writeFileSync(file(b), `${b.code}\n`);
  // Without file arguments tsc would compile the project's tsconfig.json instead.
  if (examples.length === 0) return;

  // One compiler run for all blocks (its start-up dominates); it emits .mjs beside each .mts even
  // when another block has errors, so the blocks still run and fail one by one.
  const tsc = spawnSync(
    process.execPath,
    [
      join(root, "node_modules", "typescript", "bin", "tsc"),
      ...["--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022"],
      ...["--skipLibCheck", "--types", "node", "--pretty", "false"],
      ...examples.map(file),
    ],
    { cwd: root, encoding: "utf8", timeout: 60_000 },
  );
  for (const line of `${tsc.stdout}${tsc.stderr}`.split("\n").filter((l) => l !== "")) {
    // e.g. test/artifacts/readme/line-42.mts(3,5): error TS2304: Cannot find name 'x'.
    const m = /^(.*\.mts)\((\d+),(\d+)\): (.*)$/.exec(line);
    const b = m && examples.find((e) => file(e) === resolve(root, m[1]));
    if (!m || !b) {
      otherTscOutput += `${line}\n`;
      continue;
    }
    const list = diagnostics.get(file(b)) ?? [];
    list.push(`README.md:${b.line + Number(m[2]) - 1}:${m[3]} ${m[4]}`);
    diagnostics.set(file(b), list);
  }
  if (tsc.error) throw tsc.error;
}, 60_000);

describe("README.md", () => {
  it("has ts examples, and no code block in a language this test does not check", () => {
    expect(examples.length).toBeGreaterThan(0);
    const unchecked = blocks.filter((b) => /^(js|javascript|mjs|cjs|typescript|tsx|jsx|mts)$/i.test(b.lang));
    expect(unchecked.map(name), "use ```ts for code examples").toEqual([]);
  });

  it("the compiler reports nothing outside the examples", () => {
    expect(otherTscOutput).toBe("");
  });

  for (const b of examples) {
    describe(name(b), () => {
      it("type-checks with --strict, runs, and prints what it states", () => {
        const stated = b.code
          .split("\n")
          .map((l) => PRINTS.exec(l)?.[1])
          .filter((s) => s !== undefined);
        const logs = b.code.match(/console\.log\(/g)?.length ?? 0;
        expect(stated.length, `${name(b)}: state the output with a trailing "// prints: ..."`).toBeGreaterThan(0);
        expect(stated.length, `${name(b)}: one "// prints:" per console.log`).toBe(logs);

        expect(diagnostics.get(file(b)) ?? [], `${name(b)} does not compile`).toEqual([]);

        const run = spawnSync(process.execPath, [file(b).replace(/\.mts$/, ".mjs")], {
          cwd: outDir,
          encoding: "utf8",
          timeout: 30_000,
        });
        expect(run.error, `${name(b)} could not run`).toBeUndefined();
        expect(run.status, `${name(b)} exited with ${run.status} ${run.signal ?? ""}:\n${run.stderr}`).toBe(0);
        expect(run.stdout, `${name(b)} printed something else than its "// prints:" comments`).toBe(
          stated.map((s) => `${s.trimEnd()}\n`).join(""),
        );
      });
    });
  }

  it("every npm script it mentions exists in package.json", () => {
    // The whole text: the ```sh blocks, and the prose too (`npm run bench:kernels -- --quick`).
    const mentioned = new Set<string>();
    for (const m of readme.matchAll(/\bnpm (?:run(?:-script)? ([\w:.-]+)|(start|test)\b)/g))
      mentioned.add(m[1] ?? m[2]);
    expect(mentioned.size).toBeGreaterThan(0);
    const missing = [...mentioned].filter((s) => !(s in pkg.scripts));
    expect(missing, "npm scripts named in README.md but not in package.json").toEqual([]);
    if (/npx regwasm/.test(readme))
      expect(pkg.bin?.regwasm, 'README runs "npx regwasm": package.json bin').toBeTruthy();
  });
});
