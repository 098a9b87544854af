import { fromBech32 } from "@cosmjs/encoding";

/**
 * `compute` with its results kept by key, for pure work the devnet repeats on every transaction of
 * a burst (address decoding, key parsing, stored JSON): all forgotten past `limit` entries, so
 * memory stays bounded. A call that throws is not kept.
 */
export function memoize<K, V>(compute: (key: K) => V, limit = 100_000): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    if (cache.has(key)) return cache.get(key)!;
    const value = compute(key);
    if (cache.size >= limit) cache.clear();
    cache.set(key, value);
    return value;
  };
}

/**
 * A bech32 address's prefix and data length, the checksum checked once per address; throws cosmjs'
 * error for an invalid one. (cosmjs' default length limit, `Infinity`, is rejected by the bundled
 * @scure/base: 256 characters at most.)
 */
export const decodeBech32 = memoize((address: string) => {
  const { prefix, data } = fromBech32(address, 256);
  return { prefix, dataLength: data.length };
});
