// Reads and checks the form: every number field's min / max in index.html are the single source of
// limits. A value outside them is shown as an error next to its field (aria-invalid and a message the
// field's aria-describedby names), never silently clamped. The preset menu fills the fields; editing a
// field turns the menu to "custom" unless the fields match a preset again.
import { PRESETS, presetMatching, type Preset } from "./presets.js";
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
  "inputNoise",
  "learningRate",
  "decay",
  "epochs",
] as const satisfies readonly (keyof TrainConfig)[];
const INTEGER = new Set<string>(["classes", "samples", "seed", "hidden", "epochs"]);

const inputOf = (form: HTMLFormElement, name: string) => form.elements.namedItem(name) as HTMLInputElement;
const selectOf = (form: HTMLFormElement, name: string) => form.elements.namedItem(name) as HTMLSelectElement;

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

export type FormFields = Record<(typeof FIELDS)[number], number>;

/** The form's numbers as an experiment config, validated on a fresh spiral of 100 samples per class. */
export function trainConfig(fields: FormFields, l1Method: TrainConfig["l1Method"]): TrainConfig {
  return { name: "playground", validationSamples: 100, ...fields, l1Method };
}

/** The config as typed; call only when every field is valid (see setupControls). */
export function readConfig(form: HTMLFormElement): TrainConfig {
  const fields = Object.fromEntries(FIELDS.map((name) => [name, inputOf(form, name).valueAsNumber])) as FormFields;
  return trainConfig(fields, selectOf(form, "l1Method").value as TrainConfig["l1Method"]);
}

export function checked(form: HTMLFormElement, name: string): boolean {
  return inputOf(form, name).checked;
}

/** The preset the fields hold, or null ("custom"). */
export function currentPreset(form: HTMLFormElement): Preset | null {
  return FIELDS.every((name) => fieldError(inputOf(form, name)) === null) ? presetMatching(readConfig(form)) : null;
}

/**
 * Adds a message element under each field, fills the preset menu, checks a field whenever it changes;
 * `onValidity` gets whether every field is valid (the page disables Train while one is not). Applies
 * `initial` and returns validateAll.
 */
export function setupControls(
  form: HTMLFormElement,
  initial: Preset,
  onValidity: (valid: boolean) => void,
): () => boolean {
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
  const menu = selectOf(form, "preset");
  menu.innerHTML = `${PRESETS.map((p) => `<option value="${p.id}">${p.label}</option>`).join("")}<option value="custom">custom settings</option>`;
  const lookFor = document.getElementById("look-for")!;
  const showPreset = () => {
    const preset = currentPreset(form);
    menu.value = preset?.id ?? "custom";
    lookFor.textContent = preset
      ? preset.lookFor
      : "Your own settings: Train compares them with the same run without regularization.";
  };
  const validateAll = () => FIELDS.map((name) => showFieldError(inputOf(form, name))).every(Boolean);
  const apply = (preset: Preset) => {
    for (const name of FIELDS) inputOf(form, name).value = String(preset.config[name]);
    selectOf(form, "l1Method").value = preset.config.l1Method;
    onValidity(validateAll());
    showPreset();
  };
  menu.addEventListener("change", () => {
    const preset = PRESETS.find((p) => p.id === menu.value);
    if (preset) apply(preset);
    else showPreset();
  });
  form.addEventListener("input", (event) => {
    const target = event.target as HTMLInputElement;
    if ((target as Element) === menu) return;
    if ((FIELDS as readonly string[]).includes(target.name)) showFieldError(target);
    onValidity(FIELDS.every((name) => fieldError(inputOf(form, name)) === null));
    showPreset();
  });
  apply(initial);
  return validateAll;
}
