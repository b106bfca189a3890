// Reads and checks the form: every field is a number input whose min / max / value in index.html are
// the single source of limits and defaults. A value outside them is shown as an error next to its
// field (aria-invalid and a message the field's aria-describedby names), never silently clamped.
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

const inputOf = (form: HTMLFormElement, name: string) => form.elements.namedItem(name) as HTMLInputElement;

/** Why the field's value cannot be used, or null when it can. */
export function fieldError(input: HTMLInputElement): string | null {
  const v = input.valueAsNumber;
  if (input.validity.badInput || input.value.trim() === "" || !Number.isFinite(v)) return "enter a number";
  if (INTEGER.has(input.name) && !Number.isInteger(v)) return "must be a whole number";
  if ((input.min !== "" && v < Number(input.min)) || (input.max !== "" && v > Number(input.max)))
    return `must be between ${input.min} and ${input.max}`;
  return null;
}

/** Shows or clears the field's error; returns whether the field is valid. */
function showFieldError(input: HTMLInputElement): boolean {
  const error = fieldError(input);
  const message = document.getElementById(`error-${input.name}`)!;
  message.textContent = error ?? "";
  message.hidden = error === null;
  if (error === null) input.removeAttribute("aria-invalid");
  else input.setAttribute("aria-invalid", "true");
  return error === null;
}

/**
 * Adds a message element under each field and checks a field whenever it changes; `onValidity` gets
 * whether every field is valid (the page disables Train while one is not).
 */
export function setupValidation(form: HTMLFormElement, onValidity: (valid: boolean) => void): () => boolean {
  for (const name of FIELDS) {
    const input = inputOf(form, name);
    const message = document.createElement("p");
    message.className = "field-error";
    message.id = `error-${name}`;
    message.hidden = true;
    message.setAttribute("aria-live", "polite");
    input.closest("label")!.after(message);
    input.setAttribute("aria-describedby", message.id);
  }
  const validateAll = () => FIELDS.map((name) => showFieldError(inputOf(form, name))).every(Boolean);
  form.addEventListener("input", (event) => {
    const target = event.target as HTMLInputElement;
    if ((FIELDS as readonly string[]).includes(target.name)) showFieldError(target);
    onValidity(FIELDS.every((name) => fieldError(inputOf(form, name)) === null));
  });
  return validateAll;
}

export type FormFields = Record<(typeof FIELDS)[number], number>;

/** The form's numbers as an experiment config; the validation spiral is as large as the training one. */
export function trainConfig(fields: FormFields): TrainConfig {
  return { name: "playground", ...fields, validationSamples: fields.samples };
}

/** The config as typed; call only when every field is valid (see setupValidation). */
export function readConfig(form: HTMLFormElement): TrainConfig {
  return trainConfig(Object.fromEntries(FIELDS.map((name) => [name, inputOf(form, name).valueAsNumber])) as FormFields);
}

export function checked(form: HTMLFormElement, name: string): boolean {
  return inputOf(form, name).checked;
}

/** The same run with every regularizer off: the "compare" twin. */
export function unregularized(c: TrainConfig): TrainConfig {
  return { ...c, l1: 0, l2: 0, dropout: 0 };
}
