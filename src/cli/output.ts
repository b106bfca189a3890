// The report file: its path is checked before training (a typo must not cost a finished run), and it
// is replaced atomically (a failed write, e.g. a full disk, leaves the previous report whole).
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/**
 * Resolves `out` to the file to write, or returns why it cannot be written: an existing directory or
 * non-regular file (a device such as /dev/null would be replaced by the rename), or a missing or
 * unwritable parent directory. `path` is `out` made absolute (for messages); `target` is the file to
 * replace: a symbolic link is followed, so that the report replaces the file it points to.
 */
export function checkOutPath(out: string): { path: string; target: string } | { error: string } {
  if (out.trim() === "") return { error: "must be a file path" };
  const path = resolve(out);
  let target = path;
  if (existsSync(path)) {
    const stat = statSync(path);
    if (stat.isDirectory())
      return { error: `${path} is a directory (give a file path, e.g. ${join(out, "report.svg")})` };
    if (!stat.isFile()) return { error: `${path} is not a regular file` };
    target = realpathSync(path);
  }
  const dir = dirname(target);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { error: `directory ${dir} does not exist` };
  try {
    // the temporary file and the rename both need write access to the directory
    accessSync(dir, constants.W_OK);
  } catch {
    return { error: `directory ${dir} is not writable` };
  }
  return { path, target };
}

/** Writes `text` to a temporary file beside `path`, flushes it, then renames it over `path`. */
export function writeFileAtomic(path: string, text: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    const fd = openSync(temporary, "w");
    try {
      const bytes = Buffer.from(text, "utf8");
      // write(2) may write less than asked
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // keep the permissions of the report being replaced
    if (existsSync(path)) chmodSync(temporary, statSync(path).mode & 0o7777);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
