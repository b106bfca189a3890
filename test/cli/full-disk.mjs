// Preloaded with `node --import` by output.test.ts: any write of an SVG document stops half-way with
// ENOSPC, as on a full disk. Both fs.writeFileSync and fs.writeSync are covered, so the test does not
// depend on which one the CLI uses.
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

const { writeFileSync, writeSync } = fs;
const isReport = (data) =>
  typeof data === "string"
    ? data.startsWith("<svg")
    : ArrayBuffer.isView(data) && Buffer.from(data).toString("utf8", 0, 4) === "<svg";
const enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });

fs.writeFileSync = (file, data, ...rest) => {
  if (!isReport(data)) return writeFileSync(file, data, ...rest);
  writeFileSync(file, data.slice(0, data.length >> 1), ...rest);
  throw enospc();
};
fs.writeSync = (fd, data, ...rest) => {
  if (!isReport(data)) return writeSync(fd, data, ...rest);
  writeSync(fd, typeof data === "string" ? data.slice(0, data.length >> 1) : data.subarray(0, data.length >> 1));
  throw enospc();
};
syncBuiltinESMExports();
