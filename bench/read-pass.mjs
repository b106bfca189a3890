// Compiles bench/read-pass.ts (the read-only and the read+write pass) with the AssemblyScript compiler API into a temporary file and
// instantiates it on a given WebAssembly.Memory (regwasm's), so it reads the very buffers the kernels read.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The compiled module's bytes (SIMD, -O3, imported memory, no runtime, no data segments); `shared`
 * imports a shared memory, as regwasm's is when it runs threads.
 */
export async function compileReadPass({ shared = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "regwasm-bench-"));
  const outFile = join(dir, "read-pass.wasm");
  try {
    // readFile serves only the source, so no asconfig.json from the working directory joins in
    const source = readFileSync(join(here, "read-pass.ts"), "utf8");
    const { error, stderr } = await asc.main(
      [
        "read-pass.ts",
        "--outFile",
        outFile,
        "--textFile",
        join(dir, "read-pass.wat"),
        "--enable",
        "simd",
        "-O3",
        "--runtime",
        "stub",
        "--importMemory",
        "--noExportMemory",
        "--initialMemory",
        "1",
        "--noAssert",
        ...(shared ? ["--enable", "threads", "--sharedMemory", "--maximumMemory", "65536"] : []),
      ],
      { stdout: process.stdout, stderr: process.stderr, readFile: (name) => (name === "read-pass.ts" ? source : null) },
    );
    if (error) throw new Error(`asc failed on bench/read-pass.ts: ${stderr.toString()}`);
    return { wasm: readFileSync(outFile), wat: readFileSync(join(dir, "read-pass.wat"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * { readPass(ptr, n), readWritePass(outPtr, xPtr, n, c) } running on `memory`; refuses a build with
 * data segments (they would overwrite regwasm's).
 */
export async function instantiateReadPass({ wasm, wat }, memory) {
  if (wat.includes("(data "))
    throw new Error("bench/read-pass.ts must not have static data: it shares regwasm's memory");
  const { instance } = await WebAssembly.instantiate(wasm, { env: { memory } });
  const { readPass, readWritePass } = instance.exports;
  return { readPass, readWritePass };
}
