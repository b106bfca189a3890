// Compiles limits.ts (AssemblyScript, --enable simd -O3) into a temporary directory and measures
// the machine's limits with it: clock, f32x4 mul + add rate, and a copy pass for bandwidth.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

const here = dirname(fileURLToPath(import.meta.url));

export async function loadLimits() {
  const dir = mkdtempSync(join(tmpdir(), "regwasm-limits-"));
  const outFile = join(dir, "limits.wasm");
  let wasm;
  try {
    const source = readFileSync(join(here, "limits.ts"), "utf8");
    const { error, stderr } = await asc.main(
      ["limits.ts", "--outFile", outFile, "--enable", "simd", "-O3", "--runtime", "stub", "--noAssert"],
      { stdout: process.stdout, stderr: process.stderr, readFile: (name) => (name === "limits.ts" ? source : null) },
    );
    if (error) throw new Error(`asc failed on bench/layers/limits.ts: ${stderr.toString()}`);
    wasm = readFileSync(outFile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const { instance } = await WebAssembly.instantiate(wasm, {});
  return instance.exports;
}

/** Shortest wall time of `tries` calls of fn (ms): other processes can only slow a call down. */
function fastest(fn, tries) {
  let best = Infinity;
  for (let t = 0; t < tries; t++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/**
 * The clock in GHz from the fastest of many ~1 ms runs of 32 dependent 1-cycle integer ops per
 * iteration (short runs, so some escape preemption on a loaded machine), and the best f32x4
 * mul + add rate in GFLOP/s from the same kind of runs.
 */
export function measureCompute(lim, { tries = 300 } = {}) {
  const chainIters = 100_000; // 3.2 M cycles
  const peakIters = 10_000; // 24 f32x4 mul + 24 add per iteration
  // warm: WASM starts in Liftoff
  for (let i = 0; i < 20; i++) {
    lim.clockChain(chainIters, 0x5bd1e995, 0x27d4eb2f);
    lim.peakMulAdd(peakIters, 0.5, 1);
  }
  const chainMs = fastest(() => lim.clockChain(chainIters, 0x5bd1e995, 0x27d4eb2f), tries);
  const peakMs = fastest(() => lim.peakMulAdd(peakIters, 0.5, 1), tries);
  const ghz = (chainIters * 32) / (chainMs * 1e6);
  const peakGflops = (peakIters * 24 * 8) / (peakMs * 1e6);
  return { ghz, peakGflops, flopPerCycle: peakGflops / ghz };
}

/** The nominal clock /proc/cpuinfo reports (the TSC rate in a VM), in GHz, or undefined. */
export function cpuinfoGhz() {
  try {
    const mhz = readFileSync("/proc/cpuinfo", "utf8").match(/^cpu MHz\s*:\s*([\d.]+)/m)?.[1];
    return mhz ? Number(mhz) / 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** A copy pass moving `bytes` in all (half read, half written) on the limits module's own memory. */
export function copyTask(lim, bytes) {
  const n = Math.max(16, Math.ceil(bytes / 8 / 16) * 16);
  const need = 2 * n * 4 + 64;
  const memory = lim.memory;
  const have = memory.buffer.byteLength;
  if (need > have) memory.grow(Math.ceil((need - have) / 65536));
  const x = 0,
    out = n * 4;
  new Float32Array(memory.buffer, x, n).fill(1.5);
  return { n, bytes: 8 * n, call: () => lim.copyPass(out, x, n) };
}
