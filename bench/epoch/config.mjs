// The dropout-chapter experiment every implementation in the epoch benchmark trains (issue 3).
export const DROPOUT_CHAPTER = {
  samples: 1000, // per class: full batch 3000 × 2
  classes: 3,
  features: 2,
  hidden: 512,
  rate: 0.1,
  l2: 5e-4, // on the first layer's weights and biases, keras convention (λ·Σw²)
  learningRate: 0.05,
  decay: 5e-5,
  epochs: 10001,
  validationSamples: 100,
  seed: 1,
  validationSeed: 2,
};
