/**
 * Raw contract-state keys (spec/mars-contracts.md §3.1): the chain keeps them sorted bytewise, so
 * a map's entries form one contiguous range from its prefix to {@link prefixEnd}.
 */

/** Orders two keys bytewise, as the chain's store does: negative, zero or positive. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

/**
 * The smallest key greater than every key that starts with `prefix` (the exclusive end of a
 * prefix scan), or null when there is none (the prefix is empty or all 0xff bytes).
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array | null {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i]! < 0xff) {
      const end = new Uint8Array(prefix.subarray(0, i + 1)); // a copy, also when `prefix` is a Buffer
      end[i] = prefix[i]! + 1;
      return end;
    }
  }
  return null;
}
