/**
 * How the account space is cut into shards. One shard is at once a slice of the position cache (one
 * Redis hash), a partition the collector can scan on its own, and the unit a health checker holds
 * in memory. Red Bank shards are contiguous key ranges of the `debts` and `colls` maps (by the first
 * data character of the bech32 address, which is uniform), so scanning shard k reads exactly the
 * users of shard k; credit accounts are spread by a hash of their id.
 */
import { concatBytes, keyLength, mapKey, userIdKey } from "../mars/storage.js";
import { prefixEnd } from "../chain/keys.js";

/** The bech32 data alphabet in byte order. */
export const BECH32_DATA_CHARS = "023456789acdefghjklmnpqrstuvwxyz";
/** Most shards a pipeline may have: one per bech32 data character. */
export const MAX_SHARDS = BECH32_DATA_CHARS.length;

/** A key range [start, end) of one Map; `end` null means to the end of the contract state. */
export interface KeyRange {
  start: Uint8Array;
  end: Uint8Array | null;
}

function assertShardCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_SHARDS) throw new RangeError(`shard count must be an integer in 1..${MAX_SHARDS}, got ${count}`);
}

/** Red Bank users (bech32 addresses with the chain's prefix) over `count` shards. */
export class RedBankShards {
  readonly count: number;
  readonly #head: string;
  readonly #length: number;
  /** First character of shard j, for j = 1..count-1. */
  readonly #bounds: string[];

  constructor(hrp: string, count: number) {
    assertShardCount(count);
    this.count = count;
    this.#head = `${hrp}1`;
    this.#length = hrp.length + 39; // hrp, "1", 32 data characters of a 20-byte address, 6 of checksum
    this.#bounds = Array.from({ length: count - 1 }, (_, i) => BECH32_DATA_CHARS[Math.ceil(((i + 1) * MAX_SHARDS) / count)]!);
  }

  /** The shard of `address`, consistent with the key order of `debts` and `colls` (spec §3.1). */
  shardOf(address: string): number {
    if (address.length !== this.#length) return address.length < this.#length ? 0 : this.count - 1;
    const head = address.slice(0, this.#head.length);
    if (head !== this.#head) return head < this.#head ? 0 : this.count - 1;
    const c = address[this.#head.length]!;
    let shard = 0;
    while (shard < this.#bounds.length && this.#bounds[shard]! <= c) shard++;
    return shard;
  }

  /** The key range of `map` ("debts" keyed by address, "colls" keyed by `UserIdKey` JSON) that holds shard `shard`. */
  range(map: "debts" | "colls", shard: number): KeyRange {
    if (!Number.isSafeInteger(shard) || shard < 0 || shard >= this.count) throw new RangeError(`shard ${shard} is outside 0..${this.count - 1}`);
    const bound = (j: number): Uint8Array => {
      const first = `${this.#head}${this.#bounds[j - 1]}`;
      if (map === "debts") return concatBytes(mapKey("debts"), keyLength(this.#length), first);
      // A plain user's key is `{"addr":"<address>","acc_id":""}`; its length counts the address.
      // (Not a placeholder address: JSON.stringify escapes control characters, "\u0000" → `\u0000`.)
      const blank = userIdKey("");
      const open = blank.slice(0, blank.indexOf('"",') + 1); // `{"addr":"`
      return concatBytes(mapKey("colls"), keyLength(blank.length + this.#length), open, first);
    };
    return {
      start: shard === 0 ? mapKey(map) : bound(shard),
      end: shard === this.count - 1 ? prefixEnd(mapKey(map)) : bound(shard + 1),
    };
  }
}

/** Credit accounts over `count` shards by FNV-1a of the id (ids are sequential, the hash spreads them). */
export function creditAccountShard(accountId: string, count: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < accountId.length; i++) {
    h ^= accountId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % count;
}
