/**
 * Mars contract storage layout (spec §3): cw-storage-plus key encoding and the namespaces the
 * collector scans. Keys are bytes; every Map key starts with `u16be(len(ns)) ‖ ns`, then each key
 * component but the last is length-prefixed the same way.
 */
const utf8 = new TextEncoder();
const utf8Decode = new TextDecoder("utf-8", { fatal: true });

/** Red Bank maps (spec §3.2). */
export const RED_BANK_MAPS = { debts: "debts", colls: "colls", markets: "markets" } as const;
/** Credit-manager maps (spec §3.3). */
export const CREDIT_MANAGER_MAPS = {
  accountKinds: "account_types",
  coinBalances: "coin_balance",
  debtShares: "debt_shares",
  totalDebtShares: "total_debt_shares",
} as const;

/** The two length bytes cw-storage-plus puts before a key component of `n` bytes. */
export function keyLength(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0 || n > 0xffff) throw new RangeError(`storage key component of ${n} bytes does not fit a u16 length`);
  return Uint8Array.of(n >> 8, n & 0xff);
}

function lengthPrefixed(part: Uint8Array): Uint8Array {
  return concatBytes(keyLength(part.length), part);
}

/**
 * The raw key prefix of a Map: `mapKey("debts")` prefixes every debt, `mapKey("debts", addr)` every
 * debt of `addr` (each component given is length-prefixed, as every component but an entry's last).
 */
export function mapKey(namespace: string, ...parts: string[]): Uint8Array {
  return concatBytes(lengthPrefixed(utf8.encode(namespace)), ...parts.map((p) => lengthPrefixed(utf8.encode(p))));
}

/** Concatenates byte strings and UTF-8 texts, e.g. a Map prefix and a raw component. */
export function concatBytes(...parts: (Uint8Array | string)[]): Uint8Array {
  const bytes = parts.map((p) => (typeof p === "string" ? utf8.encode(p) : p));
  const out = new Uint8Array(bytes.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of bytes) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Splits the key of a two-component Map entry `(k1, k2)` of `namespace` into UTF-8 strings; null when it is not one. */
export function parsePairKey(namespace: string, key: Uint8Array): [string, string] | null {
  const ns = utf8.encode(namespace);
  const head = 2 + ns.length;
  if (key.length < head + 2 || ((key[0]! << 8) | key[1]!) !== ns.length) return null;
  for (let i = 0; i < ns.length; i++) if (key[2 + i] !== ns[i]) return null;
  const len = (key[head]! << 8) | key[head + 1]!;
  if (key.length < head + 2 + len) return null;
  try {
    return [utf8Decode.decode(key.subarray(head + 2, head + 2 + len)), utf8Decode.decode(key.subarray(head + 2 + len))];
  } catch {
    return null;
  }
}

/** The single component of a one-component Map entry key of `namespace`; null when it is not one. */
export function parseSingleKey(namespace: string, key: Uint8Array): string | null {
  const ns = utf8.encode(namespace);
  if (key.length < 2 + ns.length || ((key[0]! << 8) | key[1]!) !== ns.length) return null;
  for (let i = 0; i < ns.length; i++) if (key[2 + i] !== ns[i]) return null;
  try {
    return utf8Decode.decode(key.subarray(2 + ns.length));
  } catch {
    return null;
  }
}

/**
 * Red Bank `UserIdKey` bytes (spec §3.2): the compact JSON `{"addr":"..","acc_id":".."}`; plain
 * Red Bank users have `acc_id` "", credit-manager lends the account id.
 */
export function userIdKey(addr: string, accountId = ""): string {
  return JSON.stringify({ addr, acc_id: accountId });
}

/** Parses a `UserIdKey`; null when the bytes are not one. */
export function parseUserIdKey(text: string): { addr: string; accountId: string } | null {
  try {
    const v = JSON.parse(text) as { addr?: unknown; acc_id?: unknown };
    return typeof v.addr === "string" && typeof v.acc_id === "string" ? { addr: v.addr, accountId: v.acc_id } : null;
  } catch {
    return null;
  }
}
