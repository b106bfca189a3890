// Node CommonJS consumer: require() of the ESM package (Node >= 20.19 loads ESM without top-level
// await synchronously). Prints one JSON line for the test.
const { init, penalty, simd } = require("regwasm");

init().then(() => {
  const lambdas = { l1: 0.1, l2: 0.1 };
  const total =
    5 + penalty(new Float32Array([2, 3, 4, 3, 1, 5]), lambdas) + penalty(new Float32Array([1, 3, 2]), lambdas);
  console.log(JSON.stringify({ total, simd: simd(), moduleType: typeof module }));
});
