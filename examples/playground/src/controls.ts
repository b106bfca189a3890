// Reads the form into a TrainConfig: every field is a number input whose min / max / step / value
// in index.html are the single source of limits and defaults.
import type { TrainConfig } from "./protocol.js";

/** The form's number inputs, named as the config's fields. */
const FIELDS = [
  "classes",
  "samples",
  "noise",
  "seed",
  "hidden",
  "l1",
  "l2",
  "dropout",
  "learningRate",
  "decay",
  "epochs",
] as const satisfies readonly (keyof TrainConfig)[];
const INTEGER = new Set<string>(["classes", "samples", "seed", "hidden", "epochs"]);

function readNumber(form: HTMLFormElement, name: string): number {
  const input = form.elements.namedItem(name) as HTMLInputElement;
  let v = input.valueAsNumber;
  if (!Number.isFinite(v)) v = Number(input.defaultValue);
  if (input.min !== "") v = Math.max(v, Number(input.min));
  if (input.max !== "") v = Math.min(v, Number(input.max));
  if (INTEGER.has(name)) v = Math.round(v);
  input.value = String(v); // show what will be used
  return v;
}

export type FormFields = Record<(typeof FIELDS)[number], number>;

/** The form's numbers as an experiment config; the validation spiral is as large as the training one. */
export function trainConfig(fields: FormFields): TrainConfig {
  return { name: "playground", ...fields, validationSamples: fields.samples };
}

export function readConfig(form: HTMLFormElement): TrainConfig {
  return trainConfig(Object.fromEntries(FIELDS.map((name) => [name, readNumber(form, name)])) as FormFields);
}

export function checked(form: HTMLFormElement, name: string): boolean {
  return (form.elements.namedItem(name) as HTMLInputElement).checked;
}

/** The same run with every regularizer off: the "compare" twin. */
export function unregularized(c: TrainConfig): TrainConfig {
  return { ...c, l1: 0, l2: 0, dropout: 0 };
}
