// output.ts against a node:fs whose answers the test chooses, for what a real file system does not show
// to every user: a directory without write access (root passes access(2) everywhere, so out-file.test.ts
// checks the real mode only as another user), and the file descriptor being closed after the write.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { checkOutPath, writeFileAtomic } from "../../src/cli/output.js";

const fake = vi.hoisted(() => ({ refuseWrite: "", opened: [] as number[], closed: [] as number[] }));
vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs")>();
  return {
    ...actual,
    accessSync: (path: string, mode?: number) => {
      if (path === fake.refuseWrite && mode === actual.constants.W_OK)
        throw Object.assign(new Error(`EACCES: permission denied, access '${path}'`), { code: "EACCES" });
      return actual.accessSync(path, mode);
    },
    openSync: (...args: Parameters<typeof actual.openSync>) => {
      const fd = actual.openSync(...args);
      fake.opened.push(fd);
      return fd;
    },
    closeSync: (fd: number) => {
      fake.closed.push(fd);
      actual.closeSync(fd);
    },
  };
});

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "regwasm-outcontract-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  fake.refuseWrite = "";
  fake.opened.length = 0;
  fake.closed.length = 0;
});

describe("checkOutPath: write access to the directory", () => {
  it("refuses a directory where access(W_OK) fails, naming it", () => {
    fake.refuseWrite = dir;
    expect(checkOutPath(join(dir, "r.svg"))).toEqual({ error: `directory ${dir} is not writable` });
  });

  it("accepts the same directory when access(W_OK) passes", () => {
    expect(checkOutPath(join(dir, "r.svg"))).toEqual({ path: join(dir, "r.svg"), target: join(dir, "r.svg") });
  });
});

describe("writeFileAtomic: the temporary file's descriptor", () => {
  it("is closed once the text is written", () => {
    writeFileAtomic(join(dir, "r.svg"), "report");
    expect(readFileSync(join(dir, "r.svg"), "utf8")).toBe("report");
    expect(fake.opened).toHaveLength(1);
    expect(fake.closed).toEqual(fake.opened);
  });
});
