// What training reports: one log per epoch, running figures per batch, and the History that fit()
// resolves to (per-metric arrays as Keras and TF.js return them, beside the logs themselves).

export interface EpochLog {
  /** 0-based epoch index within this fit() call (the course prints epoch 0 … epochs − 1). */
  epoch: number;
  /** dataLoss + regLoss. */
  loss: number;
  /** Mean data loss of the training forward passes of this epoch (dropout on). */
  dataLoss: number;
  /** Regularization loss at the parameters before each update (mean over the epoch's steps). */
  regLoss: number;
  /** Training accuracy of the epoch's forward passes. */
  acc: number;
  /** Validation data loss (the data loss only, as the course prints it), on logged epochs. */
  valLoss?: number;
  valAcc?: number;
  /** Learning rate of the epoch's (last) update. */
  lr: number;
}

/** After each update: the epoch so far, as Keras's progress bar shows it. */
export interface BatchLog {
  /** 0-based epoch index within this fit() call. */
  epoch: number;
  /** 0-based batch index within the epoch. */
  batch: number;
  /** Rows of this batch. */
  size: number;
  /** Mean data loss over the epoch's rows so far. */
  dataLoss: number;
  /** Accuracy over the epoch's rows so far. */
  acc: number;
  /** Learning rate of this update. */
  lr: number;
}

export interface History {
  /** The epoch index of every log. */
  epoch: number[];
  /**
   * Each figure per epoch. valLoss and valAcc exist when validation ran; on epochs that logEvery
   * skipped they hold NaN.
   */
  history: {
    loss: number[];
    dataLoss: number[];
    regLoss: number[];
    acc: number[];
    lr: number[];
    valLoss?: number[];
    valAcc?: number[];
  };
  /** The epoch logs themselves. */
  logs: EpochLog[];
}

/** The History of a run's epoch logs. */
export function historyOf(logs: EpochLog[]): History {
  const column = (pick: (log: EpochLog) => number | undefined): number[] => logs.map((l) => pick(l) ?? Number.NaN);
  const history: History["history"] = {
    loss: column((l) => l.loss),
    dataLoss: column((l) => l.dataLoss),
    regLoss: column((l) => l.regLoss),
    acc: column((l) => l.acc),
    lr: column((l) => l.lr),
  };
  if (logs.some((l) => l.valLoss !== undefined)) {
    history.valLoss = column((l) => l.valLoss);
    history.valAcc = column((l) => l.valAcc);
  }
  return { epoch: logs.map((l) => l.epoch), history, logs };
}
