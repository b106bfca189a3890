// Threads need one memory that every worker's instance imports. A module that imports a shared memory
// cannot take an ordinary one, and an ordinary memory is all a page without cross-origin isolation
// can make, so the builds are compiled for an ordinary memory and their import is rewritten to a
// shared one here, when threads are asked for: one binary per build instead of two.

/** Pages of the shared memory's maximum: all of wasm32 (shared memories need a maximum). */
export const SHARED_MAXIMUM_PAGES = 65536;

const IMPORT_SECTION = 2;
const MEMORY_KIND = 2;
const LIMITS_SHARED_WITH_MAX = 0x03;

function readLeb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) throw new Error("regwasm: truncated WebAssembly module");
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at];
    shift += 7;
  }
}

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    const low = value % 128;
    value = Math.floor(value / 128);
    out.push(value > 0 ? low | 0x80 : low);
  } while (value > 0);
  return out;
}

/** Skips one import's description (after its two names), returning where the next import starts. */
function skipDescription(bytes: Uint8Array, kind: number, at: number): number {
  if (kind === 0 || kind === 4) return readLeb(bytes, kind === 4 ? at + 1 : at)[1]; // function / tag
  if (kind === 3) return at + 2; // global: type, mutability
  if (kind === 1) at++; // table: element type, then limits
  const flags = bytes[at++];
  at = readLeb(bytes, at)[1];
  return flags & 1 ? readLeb(bytes, at)[1] : at;
}

/** A copy of `module` whose imported memory is shared with a maximum of `maximumPages`. */
export function importSharedMemory(module: Uint8Array, maximumPages = SHARED_MAXIMUM_PAGES): Uint8Array<ArrayBuffer> {
  let at = 8; // magic, version
  while (at < module.length) {
    const id = module[at];
    const [size, contentStart] = readLeb(module, at + 1);
    const end = contentStart + size;
    if (id === IMPORT_SECTION) {
      let [count, p] = readLeb(module, contentStart);
      while (count-- > 0) {
        for (let name = 0; name < 2; name++) {
          const [length, next] = readLeb(module, p);
          p = next + length;
        }
        const kind = module[p];
        if (kind === MEMORY_KIND) {
          const limitsStart = p + 1;
          const flags = module[limitsStart];
          const [initial, afterInitial] = readLeb(module, limitsStart + 1);
          const limitsEnd = flags & 1 ? readLeb(module, afterInitial)[1] : afterInitial;
          const limits = [LIMITS_SHARED_WITH_MAX, ...leb(initial), ...leb(maximumPages)];
          const content = [
            ...module.subarray(contentStart, limitsStart),
            ...limits,
            ...module.subarray(limitsEnd, end),
          ];
          const out = new Uint8Array(module.length + limits.length + 16);
          const head = [IMPORT_SECTION, ...leb(content.length), ...content];
          out.set(module.subarray(0, at));
          out.set(head, at);
          out.set(module.subarray(end), at + head.length);
          return out.slice(0, at + head.length + (module.length - end));
        }
        p = skipDescription(module, kind, p + 1);
      }
    }
    at = end;
  }
  throw new Error("regwasm: the module imports no memory");
}
