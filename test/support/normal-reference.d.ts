/** The float64 normal variates z(offset), …, z(offset + n − 1) of stream (seed, stream). */
export function refNormals(n: number, seed: number, stream?: number, offset?: number): Float64Array;
