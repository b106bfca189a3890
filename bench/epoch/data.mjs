// The experiment's spiral data sets, from regwasm's own generator (experimentData: the seeds the CLI
// uses), so that every implementation trains on the same numbers as `npm start`.
import { experimentData, init } from "../../dist/index.js";

export async function loadData(config) {
  await init();
  return experimentData(config);
}
