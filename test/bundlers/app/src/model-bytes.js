// A model through toBytes()/fromBytes() with the installed package, and save(), which needs Node's
// file system: in a browser bundle it must reject with its own message (a bundler that had bundled or
// stubbed node:fs would fail the build or give another error).
import { Dense, init, Sequential } from "regwasm";

export async function modelBytes() {
  await init();
  const model = new Sequential([new Dense(2, 16, { seed: 1 }), new Dense(16, 3, { seed: 2 })]);
  const bytes = model.toBytes();
  const copy = Sequential.fromBytes(bytes);
  const x = new Float32Array([0.5, -0.25]);
  const a = model.predict(x);
  const b = copy.predict(x);
  let saveError = "";
  await model.save("m.json").catch((e) => {
    saveError = e.message;
  });
  return { bytes: bytes.length, samePredictions: a.every((v, i) => Object.is(v, b[i])), saveError };
}
