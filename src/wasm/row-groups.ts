// The fixed row groups of a training batch. Every sum over a batch's rows (weight and bias gradients,
// the loss) runs row by row within a group of GROUP_ROWS consecutive rows, and the groups' sums are
// then added in group order. Threads take whole groups (tape.ts), so the bits depend on the batch,
// never on how many threads ran it; a batch of at most GROUP_ROWS rows is one group, summed in row
// order as before groups existed.

/**
 * Rows per group: large enough that a group's gradient copy is rare for typical mini-batches (≤ 512
 * rows: none), small enough that a full batch of thousands of rows (the course's 3000) splits into
 * enough groups for every thread.
 */
export const GROUP_ROWS = 512;

/** The group of row `row` of a batch. */
export function groupOf(row: number): number {
  return Math.floor(row / GROUP_ROWS);
}

/** Groups in a batch of `rows` rows. */
export function groupCount(rows: number): number {
  return Math.max(1, Math.ceil(rows / GROUP_ROWS));
}

/** Groups [first, end) of `groups` that lane `lane` of `lanes` takes: consecutive, as even as can be. */
export function laneGroups(lane: number, lanes: number, groups: number): [first: number, end: number] {
  return [Math.floor((lane * groups) / lanes), Math.floor(((lane + 1) * groups) / lanes)];
}
