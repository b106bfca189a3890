// CRC-32 (IEEE 802.3, the checksum of zip, gzip and PNG) over bytes: model files carry one so that a
// flipped bit in the weights is an error on load instead of a silently different model.

/** The reflected polynomial 0x04C11DB7. */
const POLYNOMIAL = 0xedb88320;

let table: Uint32Array | null = null;

/** Remainders of every byte value, built on first use. */
function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? POLYNOMIAL ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** The CRC-32 of `bytes`, an unsigned 32-bit integer (crc32("123456789") = 0xCBF43926). */
export function crc32(bytes: Uint8Array): number {
  const t = crcTable();
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
