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
  const fast = lowerBech32(address);
  if (fast !== undefined) return fast;
  const { prefix, data } = fromBech32(address, 256);
  return { prefix, dataLength: data.length };
});

const CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

/**
 * The common case of {@link decodeBech32} without @scure/base (a tenth of its time, which showed in
 * a burst of liquidations of new accounts): a lower-case bech32 string whose checksum and 8-bit
 * padding are valid. Undefined for anything else, which cosmjs then decodes or rejects with its error.
 */
function lowerBech32(address: string): { prefix: string; dataLength: number } | undefined {
  const sep = address.lastIndexOf("1");
  if (address.length > 256 || sep < 1 || address.length - sep - 1 < 6) return undefined;
  let chk = 1;
  const step = (v: number) => {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATOR[i]!;
  };
  for (let i = 0; i < sep; i++) {
    const c = address.charCodeAt(i);
    if (c < 33 || c > 126 || (c >= 65 && c <= 90)) return undefined;
    step(c >>> 5);
  }
  step(0);
  for (let i = 0; i < sep; i++) step(address.charCodeAt(i) & 31);
  let last = 0;
  for (let i = sep + 1; i < address.length; i++) {
    const v = CHARSET.indexOf(address[i]!);
    if (v < 0) return undefined;
    step(v);
    if (i === address.length - 7) last = v;
  }
  if (chk !== 1) return undefined;
  const bits = (address.length - sep - 7) * 5;
  const pad = bits % 8;
  if (pad >= 5 || (last & ((1 << pad) - 1)) !== 0) return undefined;
  return { prefix: address.slice(0, sep), dataLength: (bits - pad) / 8 };
}
