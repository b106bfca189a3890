// How the random layers (dropout family, Gaussian noise) draw their streams: one stream of the
// counter-based generator per batch (stream = the layer's step counter), under a seed mixed with
// the layer's position and phase, so equal seeds at two positions still differ.

const SEED_SPACE = 2n ** 53n;

/** Mixes the layer position and the phase (0 training, 1 Monte-Carlo inference) into the seed. */
export function streamSeed(seed: number, index: number, phase: number): number {
  return Number((BigInt(seed) + BigInt(index) * 0x9e3779b97f4a7n + BigInt(phase) * 0x7f4a7c15n) % SEED_SPACE);
}

/** Throws when a batch needs more than one stream's 2^32 counters, or the 32-bit step would run out. */
export function checkTraining(
  label: string,
  index: number,
  step: number,
  batchRows: number,
  inputColumns: number,
  updates: number,
): void {
  if (batchRows * inputColumns > 2 ** 32)
    throw new RangeError(
      `a batch of ${batchRows} rows × ${inputColumns} columns at ${label} layer ${index} exceeds the 2^32 counters of one random stream: use a smaller batchSize`,
    );
  if (step + updates > 2 ** 32 - 1)
    throw new RangeError(`${updates} more updates would take ${label} layer ${index}'s step (${step}) past 2^32 − 1`);
}
