// How a batch's sum slots are split between the lanes of Instance.record: the calling thread runs the
// last lane, workers the others. Which lane runs a slot never changes the bits (each slot's sums are
// added in slot order), so the split may follow the threads' speeds: with an even split a vCPU that
// the host runs slower, or a worker woken late, holds up every batch by its share. The calling
// thread's share follows each side's time per slot, smoothed over batches.
import type { LaneTimes } from "./instance.js";
import { laneSlots } from "./row-groups.js";

/** Weight of the newest batch in the smoothed times per slot. */
const SMOOTHING = 0.25;

/** Smoothed ms per slot of the calling thread's lane (`own`) and of the slowest other lane. */
export interface SlotTimes {
  own: number;
  others: number;
}

/** Slots [first, end) of lane `lane`: the last (the calling thread's) takes the last `own`, the others share the rest. */
export function splitSlots(lane: number, lanes: number, slots: number, own: number): [first: number, end: number] {
  return lane === lanes - 1 ? [slots - own, slots] : laneSlots(lane, lanes - 1, slots - own);
}

/** Most slots any of the other lanes takes when the calling thread takes `own`. */
const othersMost = (lanes: number, slots: number, own: number) => Math.ceil((slots - own) / (lanes - 1));

/**
 * The calling thread's slots: an even share (laneSlots) until times are known, then the share that
 * ends the slowest lane soonest by those times (the even one on a tie), at least one slot per lane.
 */
export function ownSlots(lanes: number, slots: number, times: SlotTimes | null): number {
  const [first, end] = laneSlots(lanes - 1, lanes, slots);
  let best = end - first;
  if (!times) return best;
  const finish = (own: number) => Math.max(times.own * own, times.others * othersMost(lanes, slots, own));
  let soonest = finish(best);
  for (let own = 1; own <= slots - (lanes - 1); own++) {
    const ends = finish(own);
    if (ends < soonest) {
      best = own;
      soonest = ends;
    }
  }
  return best;
}

/** `previous` (or nothing) updated with one batch's lane times when the calling thread took `own` slots. */
export function smoothedSlotTimes(
  previous: SlotTimes | null,
  measured: LaneTimes,
  lanes: number,
  slots: number,
  own: number,
): SlotTimes {
  const now = { own: measured.own / own, others: measured.others / othersMost(lanes, slots, own) };
  if (!previous) return now;
  return {
    own: SMOOTHING * now.own + (1 - SMOOTHING) * previous.own,
    others: SMOOTHING * now.others + (1 - SMOOTHING) * previous.others,
  };
}
