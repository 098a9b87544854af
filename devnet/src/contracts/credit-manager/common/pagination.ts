import type { KvStore } from "../../../state/kv-store.js";
import { prefixEnd } from "../../../state/kv-store.js";

/**
 * Entries under `prefix` whose raw key is strictly greater than the raw key `after`
 * (cw-storage-plus `Bound::exclusive` on a full, possibly composite key; undefined: from the
 * first entry), at most `limit`. Complements `mars-core/pagination.ts`, whose `rangeAfter` takes
 * a single last key component.
 */
export function rangeAfterKey(store: KvStore, prefix: string, after: string | undefined, limit: number): [string, string][] {
  return store.range(after === undefined ? prefix : after + "\x00", prefixEnd(prefix), limit);
}
