// Reading a TF.js result back so the work is certainly done, without importing TF.js itself (the
// caller passes its tf), so that plain-JS benchmark workers never load it.

/**
 * Reads a result back, then disposes it. Scalars are read whole; for an n-element output one element
 * is read (both backends compute eagerly, and a full read-back would add an n-element copy that
 * regwasm's zero-copy rows do not make).
 */
export function settle(tf, t) {
  if (t.size === 1) t.dataSync();
  else {
    const first = tf.slice(t, 0, 1);
    first.dataSync();
    first.dispose();
  }
  t.dispose();
}
