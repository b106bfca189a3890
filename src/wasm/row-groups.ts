// The fixed row groups of a training batch. A batch's rows are cut into groups of GROUP_ROWS
// consecutive rows, and group g is summed into sum slot g mod SUM_SLOTS: every sum over a batch's rows
// (weight and bias gradients, the loss) runs row by row through each slot's groups in order, then
// the slots' sums are added in slot order. Threads take whole slots (tape.ts), so the bits depend on
// the batch, never on how many threads ran it; a batch of at most GROUP_ROWS rows is one group,
// summed in row order as before groups existed. The slots bound the extra copies of the sums (one
// per slot after the first) whatever the batch size. (Activity penalties are summed in JavaScript,
// chunk by chunk in the order they run: models with them never run as lanes.)

/**
 * Rows per group: large enough that a group's gradient copy is rare for typical mini-batches (≤ 512
 * rows: none), small enough that a full batch of thousands of rows (the course's 3000) splits into
 * enough groups for every thread.
 */
export const GROUP_ROWS = 512;

/** Sum slots: the most threads a batch can keep busy, and the most copies of the sums (minus one). */
export const SUM_SLOTS = 8;

/** The group of row `row` of a batch. */
export function groupOf(row: number): number {
  return Math.floor(row / GROUP_ROWS);
}

/** Groups in a batch of `rows` rows. */
export function groupCount(rows: number): number {
  return Math.max(1, Math.ceil(rows / GROUP_ROWS));
}

/** The sum slot of group `group`. */
export function slotOf(group: number): number {
  return group % SUM_SLOTS;
}

/** Sum slots a batch of `groups` groups uses. */
export function slotCount(groups: number): number {
  return Math.min(groups, SUM_SLOTS);
}

/** Slots [first, end) of `slots` that lane `lane` of `lanes` takes: consecutive, as even as can be. */
export function laneSlots(lane: number, lanes: number, slots: number): [first: number, end: number] {
  return [Math.floor((lane * slots) / lanes), Math.floor(((lane + 1) * slots) / lanes)];
}
