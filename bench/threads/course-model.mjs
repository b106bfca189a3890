// The course's dropout model as the thread benchmarks train it: full batch 3000 × 2 → 512 (ReLU,
// dropout 0.1, L2 5e-4 on layer 1) → 3, Adam lr 0.05 decay 5e-5, fixed seeds. `lib` is the package's
// module (a benchmark may load another build of it); `instance` defaults to init()'s.
export function courseModel(lib, instance) {
  const { Adam, Dense, Dropout, ReLU, Sequential, spiralData } = lib;
  const { x, y } = spiralData(1000, 3, { seed: 0 });
  const model = new Sequential([
    new Dense(2, 512, { seed: 1, weightL2: 5e-4, biasL2: 5e-4, instance }),
    new ReLU(),
    new Dropout(0.1, { seed: 2 }),
    new Dense(512, 3, { seed: 3, instance }),
  ]);
  const optimizer = new Adam({ learningRate: 0.05, decay: 5e-5 });
  return { x, y, model, optimizer };
}
