// A loss's running f64 sums per sum slot (wasm/row-groups.ts): the kernels add each row group's rows
// to its slot's pair of sums, and read() adds the later slots into the first in slot order, so the sums
// have the same bits however many threads ran the slots. A batch of one group sums into the first
// pair alone, row by row, across batches.
import { Accumulator } from "../wasm/accumulator.js";
import type { Heap } from "../wasm/heap.js";
import { slotOf } from "../wasm/row-groups.js";

export class GroupSums {
  readonly #slots: Accumulator[];

  constructor(private readonly heap: Heap) {
    this.#slots = [new Accumulator(heap)];
  }

  /** Byte address of the two sums of row group `group`'s slot, for a kernel to add to. */
  ptr(group: number): number {
    const slot = slotOf(group);
    while (this.#slots.length <= slot) this.#slots.push(new Accumulator(this.heap));
    return this.#slots[slot].ptr;
  }

  clear(): void {
    for (const acc of this.#slots) acc.clear();
  }

  /** The two sums of every row so far: the later slots added into the first, in slot order. */
  read(): [number, number] {
    const [first, ...later] = this.#slots;
    for (const acc of later) first.absorb(acc);
    return first.read();
  }

  free(): void {
    for (const acc of this.#slots.splice(0)) acc.free();
  }
}
