/**
 * Red Bank debtors from raw state (spec §3.2): `debts` keyed by (address, denom) and `colls` keyed by
 * (UserIdKey JSON, denom). A shard is one key range of each map (shared/src/positions/shards.ts).
 */
import { encodeRedBankPosition, readRedBankPosition, redBankCollateralEntry, redBankDebtEntry, RedBankShards, type ChainClient, type mars, type TxEvent } from "@mlb/shared";
import { contractAttributes, type AccountRead, type PositionSource, type ScanResult } from "./source.js";

interface Entries {
  collaterals: mars.ScaledCollateral[];
  debts: mars.ScaledDebt[];
}

export class RedBankSource implements PositionSource {
  readonly #client: ChainClient;
  readonly #redBank: string;
  readonly #creditManager: string;
  readonly #shards: RedBankShards;
  readonly #pageLimit: number;
  readonly #address: RegExp;

  constructor(opts: { client: ChainClient; redBank: string; creditManager: string; hrp: string; shards: number; pageLimit: number }) {
    this.#client = opts.client;
    this.#redBank = opts.redBank;
    this.#creditManager = opts.creditManager;
    this.#shards = new RedBankShards(opts.hrp, opts.shards);
    this.#pageLimit = opts.pageLimit;
    this.#address = new RegExp(`^${opts.hrp}1[02-9ac-hj-np-z]{38,90}$`);
  }

  shardOf(account: string): number {
    return this.#shards.shardOf(account);
  }

  /** Every address in the Red Bank's events (users, recipients, liquidators); the credit manager is not a Red Bank debtor. */
  touched(txs: readonly (readonly TxEvent[])[]): Set<string> {
    const out = new Set<string>();
    for (const a of contractAttributes(txs, this.#redBank)) {
      if (a.key !== "_contract_address" && this.#address.test(a.value) && a.value !== this.#creditManager) out.add(a.value);
    }
    return out;
  }

  async read(account: string): Promise<AccountRead> {
    const { position, height } = await readRedBankPosition(this.#client, this.#redBank, account);
    return { height: height ?? (await this.#client.status()).height, payload: payloadOf(position) };
  }

  async scan(shard: number): Promise<ScanResult> {
    const users = new Map<string, Entries>();
    const entriesOf = (addr: string) => {
      let e = users.get(addr);
      if (e === undefined) users.set(addr, (e = { collaterals: [], debts: [] }));
      return e;
    };
    const scanMap = async (map: "debts" | "colls"): Promise<number> => {
      const { start, end } = this.#shards.range(map, shard);
      let height = Number.MAX_SAFE_INTEGER;
      for await (const page of this.#client.scanRange(this.#redBank, start, end, { pageLimit: this.#pageLimit })) {
        height = Math.min(height, page.height);
        for (const m of page.models) {
          if (map === "debts") {
            const e = redBankDebtEntry(m);
            if (e !== null) entriesOf(e.user).debts.push(e.debt);
          } else {
            const e = redBankCollateralEntry(m);
            // Entries with an account id are credit-manager lends.
            if (e !== null && e.user.accountId === "") entriesOf(e.user.addr).collaterals.push(e.collateral);
          }
        }
      }
      return height;
    };
    const heights = await Promise.all([scanMap("debts"), scanMap("colls")]);
    const found = new Map<string, string>();
    for (const [addr, e] of users) {
      const payload = payloadOf(e);
      if (payload !== null) found.set(addr, payload);
    }
    const height = Math.min(...heights);
    return { height: height === Number.MAX_SAFE_INTEGER ? 0 : height, shards: new Map([[shard, found]]) };
  }
}

/** A user is a debtor when it owes a collateralized, non-zero debt; its payload keeps only those debts. */
function payloadOf(e: mars.RedBankPosition): string | null {
  const debts = e.debts.filter((d) => !d.uncollateralized && d.amountScaled > 0n);
  if (debts.length === 0) return null;
  return encodeRedBankPosition({ collaterals: e.collaterals.filter((c) => c.amountScaled > 0n), debts });
}

