// The argument keys of TF.js's Layer itself, and what its deserialization adds to a config
// (customObjects): the keys a plugin layer passes on to tfl.layers.Layer.
export const LAYER_ARGS = [
  "name",
  "trainable",
  "inputShape",
  "batchInputShape",
  "batchSize",
  "dtype",
  "inputDType",
  "customObjects",
];
