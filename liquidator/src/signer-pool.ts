/**
 * The signers this executor process signs with: HD accounts 1..MAX_LIQUIDATORS of one mnemonic,
 * of which it leases SIGNERS_PER_INSTANCE in Redis (no two processes ever sign with one account),
 * each with its own `TxSender` (sequences tracked locally). The master account (index 0) only tops
 * the signers' gas up. Each attempt takes a signer whose transaction still has room ({@link fillFirst}).
 */
import type { Logger } from "pino";
import {
  ChainClient,
  FeePolicy,
  FreshCache,
  SignerLeases,
  TxRejectedError,
  TxSender,
  queryAllBalances,
  topUpWorkers,
  keyedSigners,
  type Component,
  type IncludedTx,
  type InclusionWatcher,
  type RedisClient,
} from "@mlb/shared";
import type { EncodeObject } from "@cosmjs/proto-signing";
import type { LiquidatorConfig } from "./config.js";

/** An amount of one denom. */
export interface Amount {
  denom: string;
  amount: bigint;
}

export interface Signer {
  index: number;
  address: string;
  sender: TxSender;
  /** The signer's own credit account (credit-manager executor), found or created on first use. */
  creditAccountId?: string;
  /** What the signer can spend of `denom`: its balance (read once a second, ahead of need) minus what is reserved. */
  available(denom: string): Promise<bigint>;
  /** Marks funds a planned transaction will spend, until `release` (after its inclusion, or when it is not sent). */
  reserve(spends: readonly Amount[]): void;
  release(spends: readonly Amount[]): void;
  /** Attempts using this signer now. */
  busy: number;
  /** Broadcasts, waits for inclusion and throws `TxRejectedError` (stage `deliver`) when the transaction failed in its block. */
  execute(msgs: readonly EncodeObject[]): Promise<IncludedTx>;
}

/** How often the gas price and the balances in use are re-read ahead of need. */
const REFRESH_MS = 1_000;
/** A balance read less than this long ago is used as it is (reservations cover what was spent since). */
const BALANCE_FRESH_MS = 1_000;
/** A balance older than this (the node did not answer meanwhile) is read again before it is used. */
const BALANCE_MAX_STALE_MS = 10_000;
/** A signer's balances are kept fresh this long after an attempt last asked for one. */
const BALANCE_KEEP_MS = 3_600_000;

export interface SignerPoolOptions {
  config: LiquidatorConfig;
  client: ChainClient;
  inclusions: InclusionWatcher;
  redis: RedisClient;
  prefix: string;
  gasDenom: string;
  logger: Logger;
}

export class SignerPool implements Component {
  readonly name = "signers";
  readonly #o: SignerPoolOptions;
  readonly #all = new Map<number, Signer>();
  #leases: SignerLeases | undefined;
  #master: TxSender | undefined;
  #stopped = false;
  /** Re-reads the gas price and the balances in use that are no longer fresh, every second. */
  #refresh: NodeJS.Timeout | undefined;
  /** Every denom each signer holds, by address. */
  readonly #balances: FreshCache<string, Map<string, bigint>>;

  constructor(options: SignerPoolOptions) {
    this.#o = options;
    this.#balances = new FreshCache({ read: (address) => queryAllBalances(options.client, address), freshMs: BALANCE_FRESH_MS, maxStaleMs: BALANCE_MAX_STALE_MS, keepMs: BALANCE_KEEP_MS });
  }

  /** Signers held by this process. */
  get size(): number {
    return this.#all.size;
  }

  /** Leases signers, builds their senders and tops their gas up from the master. */
  async start(): Promise<void> {
    const { config, client, inclusions, redis, prefix, gasDenom, logger } = this.#o;
    const accounts = await keyedSigners(config.WALLET_MNEMONIC, prefix, config.MAX_LIQUIDATORS + 1);
    // The addresses (never the mnemonic), so operators can fund them.
    logger.info({ master: accounts[0]!.address, workers: accounts.slice(1).map((a) => a.address) }, "signers derived");
    const fees = new FeePolicy({
      client,
      chain: config.CHAIN_NAME,
      denom: gasDenom,
      minGasPrice: config.MIN_GAS_PRICE,
      maxGasPrice: config.MAX_GAS_PRICE,
      multiplier: config.GAS_PRICE_MULTIPLIER,
      gasAdjustment: config.GAS_ADJUSTMENT,
      logger,
    });
    // So a burst plans and prices without waiting on the node behind its own traffic.
    this.#refresh = setInterval(() => {
      void fees.gasPrice();
      this.#balances.refresh();
    }, REFRESH_MS).unref();
    const senderOf = (i: number) =>
      new TxSender({ client, signer: accounts[i]!.signer, address: accounts[i]!.address, fees, logger, holdsLease: i === 0 ? undefined : () => this.#leases?.isHeld(i) ?? false });
    this.#master = senderOf(0);
    this.#leases = new SignerLeases({
      redis,
      chain: config.CHAIN_NAME,
      namespace: config.REDIS_NAMESPACE,
      signers: config.MAX_LIQUIDATORS,
      ttlMs: config.SIGNER_LEASE_MS,
      logger,
      onLost: (index) => this.#drop(index),
    });
    const want = Math.min(config.SIGNERS_PER_INSTANCE, config.MAX_LIQUIDATORS);
    let indexes = await this.#leases.acquire(want);
    // Every signer leased: another executor holds them, or a crashed one's leases have not expired yet.
    while (indexes.length === 0 && !this.#stopped) {
      logger.warn({ signers: config.MAX_LIQUIDATORS, retryMs: config.SIGNER_LEASE_MS / 3 }, "every signer is leased by another executor; waiting for one to free up (raise MAX_LIQUIDATORS to run more executors)");
      await new Promise((r) => setTimeout(r, config.SIGNER_LEASE_MS / 3));
      indexes = await this.#leases.acquire(want);
    }
    for (const index of indexes) {
      const sender = senderOf(index);
      const reserved = new Map<string, bigint>();
      const add = (spends: readonly Amount[], sign: bigint) => {
        for (const { denom, amount } of spends) reserved.set(denom, (reserved.get(denom) ?? 0n) + sign * amount);
      };
      const signer: Signer = {
        index,
        address: sender.address,
        sender,
        available: async (denom) => ((await this.#balances.get(sender.address)).get(denom) ?? 0n) - (reserved.get(denom) ?? 0n),
        reserve: (spends) => add(spends, 1n),
        release: (spends) => add(spends, -1n),
        busy: 0,
        execute: async (msgs) => {
          const { height } = await client.status();
          const sent = await sender.broadcast(msgs);
          const included = await inclusions.wait(sent.hash, height);
          if (included.code !== 0) throw new TxRejectedError({ stage: "deliver", signer: sender.address, txHash: included.hash, abciCode: included.code, codespace: included.codespace, log: included.rawLog });
          return included;
        },
      };
      this.#all.set(index, signer);
    }
    logger.info({ master: this.#master.address, signers: [...this.#all.values()].map((s) => ({ index: s.index, address: s.address })) }, "signers leased");
    await this.topUp();
  }

  /** Sends gas to every held signer below WORKER_MIN_GAS_BALANCE (one transaction from the master). */
  async topUp(): Promise<void> {
    const { config, gasDenom, logger } = this.#o;
    if (this.#master === undefined || config.WORKER_TOP_UP_AMOUNT === 0) return;
    try {
      const r = await topUpWorkers(this.#master, [...this.#all.values()].map((s) => s.address), {
        denom: gasDenom,
        minBalance: BigInt(config.WORKER_MIN_GAS_BALANCE),
        amount: BigInt(config.WORKER_TOP_UP_AMOUNT),
      });
      if (r.sent.length > 0) logger.info({ sent: r.sent.map((s) => ({ address: s.address, amount: s.amount.toString() })), tx: r.tx?.hash }, "signers topped up");
    } catch (err) {
      logger.warn({ err }, "topping up the signers failed; they keep what they have");
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#refresh);
    await this.#leases?.stop();
  }

  ready(): boolean {
    return this.#all.size > 0;
  }

  /** Every signer held. */
  all(): Signer[] {
    return [...this.#all.values()];
  }

  /**
   * A signer for an attempt ({@link fillFirst} with MAX_LIQUIDATIONS_PER_TX; `open`: whether the
   * signer's next transaction can still take it). Signers are shared, not held: each `TxSender`
   * signs and broadcasts one transaction at a time with locally tracked sequences, so many attempts
   * can use one signer.
   */
  pick(open: (signer: Signer) => boolean = () => true): Signer {
    const best = fillFirst(this.#all.values(), this.#o.config.MAX_LIQUIDATIONS_PER_TX, open);
    if (best === undefined) throw new Error("no signer is held (every lease was lost)");
    best.busy++;
    return best;
  }

  /** An attempt is done with `signer`. */
  done(signer: Signer): void {
    signer.busy--;
  }

  /** Addresses and credit-account ids of our signers: a liquidation by one of them is ours. */
  identities(): Set<string> {
    const out = new Set<string>();
    for (const s of this.#all.values()) {
      out.add(s.address);
      if (s.creditAccountId !== undefined) out.add(s.creditAccountId);
    }
    return out;
  }

  /** A lost lease: the signer leaves the pool at once (its sender refuses to sign from now on). */
  #drop(index: number): void {
    this.#all.delete(index);
    this.#o.logger.error({ index }, "signer lease lost; no longer signing with it");
  }
}

/**
 * The busiest signer with fewer than `room` attempts whose next transaction is `open` (not being
 * simulated yet), else the least busy; the first of equals. In a burst one signer's transaction
 * fills and leaves while the next liquidations are still being planned, instead of every signer's
 * filling at once at the end; a liquidation never waits behind a simulation while a signer is idle.
 */
export function fillFirst<T extends { busy: number }>(signers: Iterable<T>, room: number, open: (signer: T) => boolean = () => true): T | undefined {
  let filling: T | undefined;
  let least: T | undefined;
  for (const s of signers) {
    if (s.busy < room && (filling === undefined || s.busy > filling.busy) && open(s)) filling = s;
    if (least === undefined || s.busy < least.busy) least = s;
  }
  return filling ?? least;
}
