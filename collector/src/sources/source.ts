import type { ChainClient, StateModel, TxEvent } from "@mlb/shared";

/** An account's cached payload (null: not a debtor) and the height it was read at. */
export interface AccountRead {
  height: number;
  payload: string | null;
}

/** Payloads found by a scan, per shard, and the lowest height any of its pages was read at. */
export interface ScanResult {
  height: number;
  shards: Map<number, Map<string, string>>;
}

/**
 * Where one product's debtors come from: Red Bank addresses or credit-account ids. Both read raw
 * contract state (spec §3), so a scan costs pages, not one query per account.
 */
export interface PositionSource {
  /** The cache shard of `account`. */
  shardOf(account: string): number;
  /** The accounts whose positions the transactions of one block may have changed. */
  touched(txs: readonly (readonly TxEvent[])[]): Set<string>;
  /** The account's current position. */
  read(account: string): Promise<AccountRead>;
  /** Every debtor of `shard` (Red Bank), or of every shard (credit accounts are not key-partitioned). */
  scan(shard: number): Promise<ScanResult>;
}

/** Values of attributes of the `wasm` events `contract` emitted. */
export function* contractAttributes(txs: readonly (readonly TxEvent[])[], contract: string): Generator<{ key: string; value: string }> {
  for (const events of txs) {
    for (const e of events) {
      if (e.type !== "wasm" && !e.type.startsWith("wasm-")) continue;
      if (!e.attributes.some((a) => a.key === "_contract_address" && a.value === contract)) continue;
      yield* e.attributes;
    }
  }
}

/** `ChainClient.readPrefix`, with the chain's height standing in when there was nothing to read. */
export async function readPrefix(
  client: ChainClient,
  contract: string,
  prefix: Uint8Array,
  opts: { pageLimit: number; start?: Uint8Array; firstPageOnly?: boolean },
): Promise<{ models: StateModel[]; height: number }> {
  const { models, height } = await client.readPrefix(contract, prefix, opts);
  return { models, height: height ?? (await client.status()).height };
}
