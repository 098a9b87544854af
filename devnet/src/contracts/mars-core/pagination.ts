import type { KvStore } from "../../state/kv-store.js";
import { bytes } from "../../state/storage.js";
import { prefixEnd } from "../../state/kv-store.js";

/**
 * Pagination as the Mars list queries do it (spec §1): `limit` default 10, capped at 30,
 * `start_after` exclusive, and cw-paginate's `{"data":[..],"metadata":{"has_more":bool}}`.
 */
export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 30;

/** cw-paginate's response shape. */
export interface PaginationResponse<T> {
  data: T[];
  metadata: { has_more: boolean };
}

/** `limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT)`. */
export function pageLimit(limit: number | null): number {
  return Math.min(limit ?? DEFAULT_LIMIT, MAX_LIMIT);
}

/**
 * Raw entries under `prefix` whose remaining key (after the prefix) is strictly greater than
 * `startAfter` (a UTF-8 last key component), at most `limit` of them; `limit + 1` lets
 * cw-paginate compute `has_more`.
 */
export function rangeAfter(store: KvStore, prefix: string, startAfter: string | null, limit: number): [string, string][] {
  const start = startAfter === null ? prefix : prefix + bytes(startAfter) + "\u0000";
  return store.range(start, prefixEnd(prefix), limit);
}

/** Turns `limit + 1` fetched items into a cw-paginate page of at most `limit`. */
export function toPage<T>(items: T[], limit: number): PaginationResponse<T> {
  return { data: items.slice(0, limit), metadata: { has_more: items.length > limit } };
}

/**
 * Entries under `prefix` whose raw key is strictly greater than the raw key `after`
 * (cw-storage-plus `Bound::exclusive` on a full, possibly composite key; undefined: from the
 * first entry), at most `limit`. Unlike {@link rangeAfter}, `after` is the whole raw key.
 */
export function rangeAfterKey(store: KvStore, prefix: string, after: string | undefined, limit: number): [string, string][] {
  return store.range(after === undefined ? prefix : after + "\x00", prefixEnd(prefix), limit);
}
