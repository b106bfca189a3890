// A loss's running f64 sums per row group (wasm/row-groups.ts): the kernels add each group's rows to
// its own pair of sums, and read() adds the later groups into the first in group order, so the sums
// have the same bits however many threads ran the groups. A batch of one group sums into the first
// pair alone, row by row, across batches.
import { Accumulator } from "../wasm/accumulator.js";
import type { Heap } from "../wasm/heap.js";

export class GroupSums {
  readonly #groups: Accumulator[];

  constructor(private readonly heap: Heap) {
    this.#groups = [new Accumulator(heap)];
  }

  /** Byte address of group `group`'s two sums, for a kernel to add to. */
  ptr(group: number): number {
    while (this.#groups.length <= group) this.#groups.push(new Accumulator(this.heap));
    return this.#groups[group].ptr;
  }

  clear(): void {
    for (const acc of this.#groups) acc.clear();
  }

  /** The two sums of every row so far: the later groups added into the first, in group order. */
  read(): [number, number] {
    const [first, ...later] = this.#groups;
    for (const acc of later) first.absorb(acc);
    return first.read();
  }

  free(): void {
    for (const acc of this.#groups.splice(0)) acc.free();
  }
}
