// The report file in-process (src/cli/output.ts): checkOutPath's answer for each kind of path, and
// writeFileAtomic's replacement (whole text, the old file's permissions, no temporary file left, the
// target untouched when the rename fails). output.test.ts runs the same through the built CLI.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkOutPath, writeFileAtomic } from "../../src/cli/output.js";
import { thrown } from "../support/thrown.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "regwasm-outfile-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("checkOutPath", () => {
  // root may write to any directory whatever its mode, so the check cannot refuse it there
  it.skipIf(process.getuid?.() === 0)("refuses a directory it may not write to (skipped as root)", () => {
    const locked = join(dir, "locked");
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    try {
      expect(checkOutPath(join(locked, "r.svg"))).toEqual({ error: `directory ${locked} is not writable` });
    } finally {
      chmodSync(locked, 0o700);
    }
  });

  it("a new file in an existing directory: its absolute path, which is also the file to write", () => {
    const path = join(dir, "new.svg");
    expect(checkOutPath(path)).toEqual({ path, target: path });
    // relative paths are made absolute
    expect(checkOutPath(relative(process.cwd(), path))).toEqual({ path, target: path });
  });

  it("an existing regular file is replaced; a symbolic link is followed to the file it names", () => {
    const real = join(dir, "real.svg");
    writeFileSync(real, "old");
    expect(checkOutPath(real)).toEqual({ path: real, target: real });
    const link = join(dir, "link.svg");
    symlinkSync(real, link);
    expect(checkOutPath(link)).toEqual({ path: link, target: real });
  });

  it("refuses an empty path, a directory, a non-regular file and a missing directory, saying which", () => {
    expect(checkOutPath("")).toEqual({ error: "must be a file path" });
    expect(checkOutPath("  ")).toEqual({ error: "must be a file path" });
    mkdirSync(join(dir, "reports"));
    expect(checkOutPath(join(dir, "reports"))).toEqual({
      error: `${join(dir, "reports")} is a directory (give a file path, e.g. ${join(dir, "reports", "report.svg")})`,
    });
    expect(checkOutPath("/dev/null")).toEqual({ error: "/dev/null is not a regular file" });
    expect(checkOutPath(join(dir, "missing", "r.svg"))).toEqual({
      error: `directory ${join(dir, "missing")} does not exist`,
    });
    // a file where the directory should be
    writeFileSync(join(dir, "plain"), "");
    expect(checkOutPath(join(dir, "plain", "r.svg"))).toEqual({
      error: `directory ${join(dir, "plain")} does not exist`,
    });
  });
});

describe("writeFileAtomic", () => {
  it("writes the whole text as UTF-8, and a new file is created", () => {
    const path = join(dir, "utf8.svg");
    const text = `<svg>${"λ·Σw² ".repeat(50_000)}</svg>`; // multi-byte characters, ~0.5 MB
    writeFileAtomic(path, text);
    expect(readFileSync(path, "utf8")).toBe(text);
  });

  it("writes the UTF-8 bytes of non-ASCII text exactly", () => {
    const path = join(dir, "bytes.svg");
    writeFileAtomic(path, "λ — é");
    expect(readFileSync(path).toString("hex")).toBe("cebb20e2809420c3a9");
  });

  it("when the temporary file cannot even be created, throws that error (open), not one from the clean-up", () => {
    const path = join(dir, "no-such-dir", "r.svg");
    const error = thrown(() => writeFileAtomic(path, "new")) as NodeJS.ErrnoException;
    expect([error.code, error.syscall]).toEqual(["ENOENT", "open"]);
    expect(error.path).toBe(join(dir, "no-such-dir", `.r.svg.${process.pid}.tmp`));
  });

  it("replaces an existing file, keeping its permissions, and leaves no temporary file", () => {
    const sub = join(dir, "replace");
    mkdirSync(sub);
    const path = join(sub, "r.svg");
    writeFileSync(path, "previous report, longer than the new one");
    chmodSync(path, 0o640);
    writeFileAtomic(path, "new");
    expect(readFileSync(path, "utf8")).toBe("new");
    expect(statSync(path).mode & 0o7777).toBe(0o640);
    expect(readdirSync(sub)).toEqual(["r.svg"]);
  });

  it("when the rename fails, throws and removes its temporary file; what was there stays", () => {
    const sub = join(dir, "fails");
    const path = join(sub, "r.svg");
    mkdirSync(path, { recursive: true }); // a non-empty directory cannot be renamed over
    writeFileSync(join(path, "inside"), "kept");
    expect(() => writeFileAtomic(path, "new")).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(sub)).toEqual(["r.svg"]);
    expect(readFileSync(join(path, "inside"), "utf8")).toBe("kept");
  });
});
