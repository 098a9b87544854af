/**
 * Credit accounts from raw state (spec §3.3): the credit manager's `debt_shares`, `coin_balance` and
 * `account_types` maps, and lends as Red Bank `colls` under `UserIdKey{credit manager, account id}`
 * (spec §3.2). An account is a debtor while it holds debt shares.
 */
import {
  CREDIT_MANAGER_MAPS,
  type mars,
  concatBytes,
  creditAccountShard,
  encodeCreditAccount,
  keyLength,
  mapKey,
  parsePairKey,
  parseSingleKey,
  parseUserIdKey,
  userIdKey,
  type ChainClient,
  type StateModel,
  type TxEvent,
} from "@mlb/shared";
import { contractAttributes, readPrefix, type AccountRead, type PositionSource, type ScanResult } from "./source.js";

/** Credit-manager event attributes that name an account whose position changed (spec §6.2). */
const ACCOUNT_ATTRIBUTES = new Set(["account_id", "liquidatee_account_id", "recipient_account_id", "benefactor_account_id"]);
/** Account ids are decimal `u64` counters: at most 20 digits (spec §6.1). */
const MAX_ID_DIGITS = 20;

interface Account {
  kind: mars.CreditAccountKind;
  deposits: mars.Amount[];
  lendsScaled: mars.Amount[];
  debtShares: mars.Amount[];
}

const decoder = new TextDecoder();
const text = (value: Uint8Array) => JSON.parse(decoder.decode(value)) as unknown;

export class CreditManagerSource implements PositionSource {
  readonly #client: ChainClient;
  readonly #redBank: string;
  readonly #creditManager: string;
  readonly #shards: number;
  readonly #pageLimit: number;

  constructor(opts: { client: ChainClient; redBank: string; creditManager: string; shards: number; pageLimit: number }) {
    this.#client = opts.client;
    this.#redBank = opts.redBank;
    this.#creditManager = opts.creditManager;
    this.#shards = opts.shards;
    this.#pageLimit = opts.pageLimit;
  }

  shardOf(account: string): number {
    return creditAccountShard(account, this.#shards);
  }

  touched(txs: readonly (readonly TxEvent[])[]): Set<string> {
    const out = new Set<string>();
    for (const a of contractAttributes(txs, this.#creditManager)) if (ACCOUNT_ATTRIBUTES.has(a.key) && /^\d+$/.test(a.value)) out.add(a.value);
    return out;
  }

  async read(account: string): Promise<AccountRead> {
    const cm = this.#creditManager;
    const [shares, coins, kind, lends] = await Promise.all([
      readPrefix(this.#client, cm, mapKey(CREDIT_MANAGER_MAPS.debtShares, account), { pageLimit: 100 }),
      readPrefix(this.#client, cm, mapKey(CREDIT_MANAGER_MAPS.coinBalances, account), { pageLimit: 100 }),
      readPrefix(this.#client, cm, mapKey(CREDIT_MANAGER_MAPS.accountKinds), { pageLimit: 1, start: concatBytes(mapKey(CREDIT_MANAGER_MAPS.accountKinds), account), firstPageOnly: true }),
      readPrefix(this.#client, this.#redBank, mapKey("colls", userIdKey(cm, account)), { pageLimit: 100 }),
    ]);
    const accounts = new Map<string, Account>();
    this.#collect(accounts, shares.models, coins.models, kind.models.filter((m) => parseSingleKey(CREDIT_MANAGER_MAPS.accountKinds, m.key) === account), lends.models);
    const a = accounts.get(account);
    return { height: Math.min(shares.height, coins.height, kind.height, lends.height), payload: a === undefined ? null : payloadOf(a) };
  }

  async scan(): Promise<ScanResult> {
    const cm = this.#creditManager;
    const pageLimit = this.#pageLimit;
    // Lends: one Red Bank range per id length, since the UserIdKey length prefix comes first.
    const lendRanges = Array.from({ length: MAX_ID_DIGITS }, (_, i) => {
      const head = userIdKey(cm, "0".repeat(i + 1));
      return concatBytes(mapKey("colls"), keyLength(head.length), head.slice(0, head.length - (i + 3)));
    });
    const [shares, coins, kinds, ...lends] = await Promise.all([
      readPrefix(this.#client, cm, mapKey(CREDIT_MANAGER_MAPS.debtShares), { pageLimit }),
      readPrefix(this.#client, cm, mapKey(CREDIT_MANAGER_MAPS.coinBalances), { pageLimit }),
      readPrefix(this.#client, cm, mapKey(CREDIT_MANAGER_MAPS.accountKinds), { pageLimit }),
      ...lendRanges.map((prefix) => readPrefix(this.#client, this.#redBank, prefix, { pageLimit })),
    ]);
    const accounts = new Map<string, Account>();
    this.#collect(accounts, shares!.models, coins!.models, kinds!.models, lends.flatMap((l) => l.models));
    const out = new Map<number, Map<string, string>>();
    for (let s = 0; s < this.#shards; s++) out.set(s, new Map());
    for (const [id, a] of accounts) {
      const payload = payloadOf(a);
      if (payload !== null) out.get(this.shardOf(id))!.set(id, payload);
    }
    return { height: Math.min(...[shares!, coins!, kinds!, ...lends].map((r) => r.height)), shards: out };
  }

  /** Groups raw entries by account; only accounts with debt shares are kept. */
  #collect(accounts: Map<string, Account>, shares: StateModel[], coins: StateModel[], kinds: StateModel[], lends: StateModel[]): void {
    for (const m of shares) {
      const k = parsePairKey(CREDIT_MANAGER_MAPS.debtShares, m.key);
      const v = text(m.value);
      if (k === null || typeof v !== "string") continue;
      let a = accounts.get(k[0]);
      if (a === undefined) accounts.set(k[0], (a = { kind: "default", deposits: [], lendsScaled: [], debtShares: [] }));
      a.debtShares.push({ denom: k[1], amount: BigInt(v) });
    }
    for (const m of coins) {
      const k = parsePairKey(CREDIT_MANAGER_MAPS.coinBalances, m.key);
      const v = text(m.value);
      if (k !== null && typeof v === "string") accounts.get(k[0])?.deposits.push({ denom: k[1], amount: BigInt(v) });
    }
    for (const m of kinds) {
      const id = parseSingleKey(CREDIT_MANAGER_MAPS.accountKinds, m.key);
      const a = id === null ? undefined : accounts.get(id);
      // fund-manager and usdc-margin accounts are weighed like default ones (spec §6.4)
      if (a !== undefined) a.kind = text(m.value) === "high_levered_strategy" ? "high_levered_strategy" : "default";
    }
    for (const m of lends) {
      const k = parsePairKey("colls", m.key);
      const user = k === null ? null : parseUserIdKey(k[0]);
      const v = text(m.value) as { amount_scaled?: unknown };
      if (k === null || user === null || user.addr !== this.#creditManager || typeof v.amount_scaled !== "string") continue;
      accounts.get(user.accountId)?.lendsScaled.push({ denom: k[1], amount: BigInt(v.amount_scaled) });
    }
  }
}

function payloadOf(a: Account): string | null {
  const debtShares = a.debtShares.filter((d) => d.amount > 0n);
  if (debtShares.length === 0) return null;
  return encodeCreditAccount({ kind: a.kind, deposits: a.deposits.filter((c) => c.amount > 0n), lendsScaled: a.lendsScaled.filter((c) => c.amount > 0n), debtShares });
}
