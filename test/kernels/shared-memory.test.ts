// importSharedMemory rewrites a module's memory import to a shared one with a maximum, leaving every
// other byte as it was. Checked on modules written here byte by byte: every kind of import before the
// memory (function, table, global, tag), limits with and without a maximum, LEB128 values of one and
// two bytes (128 imports: a first byte of exactly 0x80; a section size that grows a byte), sections
// before and after; and the errors for a module without a memory import and for a truncated one.
// Runtime-neutral.
import { describe, expect, it } from "vitest";
import { importSharedMemory, SHARED_MAXIMUM_PAGES } from "../../src/wasm/shared-memory.js";

const leb = (value: number): number[] => {
  const out: number[] = [];
  do {
    const low = value % 128;
    value = Math.floor(value / 128);
    out.push(value > 0 ? low | 0x80 : low);
  } while (value > 0);
  return out;
};
const name = (text: string) => [...leb(text.length), ...new TextEncoder().encode(text)];
const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];
const wasm = (...sections: number[][]) => new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...sections.flat()]);

const TYPES = section(1, [1, 0x60, 0, 0]); // one function type, () → ()
const CUSTOM = section(0, [...name("after"), 1, 2, 3]);
const IMPORT = {
  function: (field = "f") => [...name("env"), ...name(field), 0, 0],
  table: [...name("env"), ...name("t"), 1, 0x70, 0x00, 1],
  global: [...name("env"), ...name("g"), 3, 0x7f, 0],
  tag: [...name("env"), ...name("e"), 4, 0, 0],
  memory: (initial: number, maximum?: number) => [
    ...name("env"),
    ...name("memory"),
    2,
    maximum === undefined ? 0 : 1,
    ...leb(initial),
    ...(maximum === undefined ? [] : leb(maximum)),
  ],
};
const imports = (...entries: number[][]) => section(2, [...leb(entries.length), ...entries.flat()]);

/** The import objects a module of these tests needs, with `memory` as its memory. */
function importObject(memory: WebAssembly.Memory): WebAssembly.Imports {
  const env: Record<string, WebAssembly.ImportValue> = {
    memory,
    t: new WebAssembly.Table({ initial: 1, element: "anyfunc" }),
    g: new WebAssembly.Global({ value: "i32", mutable: false }, 7),
  };
  for (let i = 0; i < 128; i++) env[i === 0 ? "f" : `f${i}`] = () => {};
  if ("Tag" in WebAssembly)
    env.e = new (WebAssembly as unknown as { Tag: new (t: object) => object }).Tag({
      parameters: [],
    }) as WebAssembly.ImportValue;
  return { env };
}

/** The module's sections as [id, bytes] pairs, the import section's content dropped. */
function sectionsBesideImports(module: Uint8Array): [number, number[]][] {
  const out: [number, number[]][] = [];
  let at = 8;
  while (at < module.length) {
    const id = module[at];
    let size = 0;
    let shift = 0;
    let p = at + 1;
    for (;;) {
      const byte = module[p++];
      size += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) break;
    }
    out.push([id, id === 2 ? [] : Array.from(module.subarray(p, p + size))]);
    at = p + size;
  }
  return out;
}

const sharedMemory = typeof SharedArrayBuffer === "function";
const tags = "Tag" in WebAssembly;

describe("importSharedMemory", () => {
  const before: [string, number[][]][] = [
    ["nothing", []],
    ["a function", [IMPORT.function()]],
    ["a table", [IMPORT.table]],
    ["a global", [IMPORT.global]],
    ...(tags ? ([["a tag", [IMPORT.tag]]] as [string, number[][]][]) : []),
    ["a function, a table, a global", [IMPORT.function(), IMPORT.table, IMPORT.global]],
  ];
  const limits: [number, number | undefined, number][] = [
    [1, undefined, SHARED_MAXIMUM_PAGES],
    [300, 1000, 40000],
    [17, 17, 17],
  ];
  for (const [what, entries] of before)
    for (const [initial, maximum, pages] of limits)
      it(`after ${what}: initial ${initial}, maximum ${maximum ?? "none"} → shared, maximum ${pages}`, () => {
        const module = wasm(TYPES, imports(...entries, IMPORT.memory(initial, maximum)), CUSTOM);
        const out = importSharedMemory(module, pages);
        expect(WebAssembly.validate(out)).toBe(true);
        const compiled = new WebAssembly.Module(out);
        expect(WebAssembly.Module.imports(compiled)).toEqual(
          WebAssembly.Module.imports(new WebAssembly.Module(module)),
        );
        expect(sectionsBesideImports(out)).toEqual(sectionsBesideImports(module));
        // the import section ends with the memory's new limits: shared with a maximum, the same initial
        const tail = [3, ...leb(initial), ...leb(pages)];
        const importEnd = out.length - CUSTOM.length;
        expect(Array.from(out.subarray(importEnd - tail.length, importEnd))).toEqual(tail);
        if (sharedMemory) {
          const shared = new WebAssembly.Memory({ initial, maximum: pages, shared: true });
          expect(() => new WebAssembly.Instance(compiled, importObject(shared))).not.toThrow();
          const plain = new WebAssembly.Memory({ initial, maximum: pages });
          expect(() => new WebAssembly.Instance(compiled, importObject(plain))).toThrow(WebAssembly.LinkError);
        }
      });

  it("127 and 128 functions before the memory: import counts of two LEB128 bytes (0x80 0x01, 0x81 0x01)", () => {
    for (const functions of [127, 128]) {
      const entries = Array.from({ length: functions }, (_, i) => IMPORT.function(i === 0 ? "f" : `f${i}`));
      const module = wasm(TYPES, imports(...entries, IMPORT.memory(2, 4)));
      const out = importSharedMemory(module, 8);
      expect(WebAssembly.Module.imports(new WebAssembly.Module(out))).toEqual(
        WebAssembly.Module.imports(new WebAssembly.Module(module)),
      );
      expect(Array.from(out.subarray(out.length - 3))).toEqual([3, 2, 8]);
    }
  });

  it("an import section of 126 bytes grows past 127: its size field takes a second byte", () => {
    const field = `f${"x".repeat(103)}`; // 7 + 104 bytes of function import, 14 of memory, 1 of count
    const module = wasm(TYPES, imports(IMPORT.function(field), IMPORT.memory(1)), CUSTOM);
    expect(module[TYPES.length + 9]).toBe(126); // the import section's size, one byte
    const out = importSharedMemory(module);
    expect(out.length).toBe(module.length + 4); // the maximum's 3 bytes, and the size's second byte
    expect(Array.from(out.subarray(TYPES.length + 9, TYPES.length + 11))).toEqual(leb(129));
    expect(WebAssembly.Module.imports(new WebAssembly.Module(out))).toEqual(
      WebAssembly.Module.imports(new WebAssembly.Module(module)),
    );
    expect(sectionsBesideImports(out)).toEqual(sectionsBesideImports(module));
  });

  it("the default maximum is all of wasm32: 65536 pages", () => {
    const out = importSharedMemory(wasm(imports(IMPORT.memory(1))));
    expect(Array.from(out.subarray(out.length - 5))).toEqual([3, 1, ...leb(65536)]);
    expect(SHARED_MAXIMUM_PAGES).toBe(65536);
  });

  it.each([
    ["no import section", wasm(TYPES, CUSTOM)],
    ["imports but no memory", wasm(TYPES, imports(IMPORT.function(), IMPORT.global), CUSTOM)],
    ["no sections at all", wasm()],
  ])("a module with %s is refused", (_what, module) => {
    expect(() => importSharedMemory(module)).toThrow(new Error("regwasm: the module imports no memory"));
  });

  it("a module cut short inside its import section is refused as truncated", () => {
    const whole = wasm(TYPES, imports(IMPORT.function(), IMPORT.memory(1)));
    // cut inside the memory import's names: the name length read points past the end
    for (const cut of [whole.length - 9, whole.length - 3, whole.length - 1])
      expect(() => importSharedMemory(whole.subarray(0, cut)), `cut at ${cut}`).toThrow(
        new Error("regwasm: truncated WebAssembly module"),
      );
  });
});
