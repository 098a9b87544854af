/**
 * One executor (Red Bank or credit manager, by its strategy): for each candidate, lock the account,
 * re-read the position at the latest height and recompute exactly, pick the most profitable
 * liquidation after swap costs and fees, simulate, sign, broadcast, confirm, settle, and record the
 * outcome. Nothing here trusts the health checker's figures: they only decide the order.
 */
import type { Logger } from "pino";
import {
  AccountLock,
  mars,
  type BlockCounters,
  readMarketState,
  type Candidate,
  type ChainClient,
  type MarketState,
  type MarsAddresses,
  type PipelineKeys,
  type QueueItem,
  type IncludedTx,
  type TxEvent,
  type Semaphore,
  TxSimulationError,
} from "@mlb/shared";
import type { KillSwitch } from "../kill-switch.js";
import type { AttemptRecord, AttemptRecorder, Outcome } from "../records.js";
import type { Amount, Signer, SignerPool } from "../signer-pool.js";
import { addBalanceChanges, changesJson, valueOf } from "./balances.js";
import { eventsOfMessages, failedMessageIndex, type Batcher, type SentPart, type SimulatedPart } from "./batcher.js";
import type { Plan, Strategy } from "./strategy.js";

export interface ExecutorOptions {
  strategy: Strategy;
  signers: SignerPool;
  client: ChainClient;
  addresses: () => Promise<MarsAddresses>;
  lock: AccountLock;
  keys: PipelineKeys;
  recorder: AttemptRecorder;
  killSwitch: KillSwitch;
  /** Per-block counters: `liquidated` at the candidate's height. */
  counters: BlockCounters;
  logger: Logger;
  /** uusd */
  minProfit: bigint;
  /** Candidates flagged more blocks ago than this are skipped unread. */
  maxCandidateAgeBlocks: number;
  /** Attempts re-reading their position at once (the rest wait in claim order). */
  sending: Semaphore;
  /** Simulates and broadcasts, several liquidations of one signer per transaction in a burst. */
  batcher: Batcher;
  /** uusd of debt repaid per liquidation at most */
  maxNotional: bigint;
  dryRun: boolean;
  gasDenom: string;
}

/** A liquidation the node accepted, waiting for its block. */
interface Sent {
  part: SentPart;
  spends: readonly Amount[];
  plan: Plan;
  signer: Signer;
  market: MarketState;
}

/** How long a "not liquidatable any more" verdict waits for the next block to tell lost from healthy. */
const NEXT_BLOCK_WAIT_MS = 10_000;

/** Lifetime of an account lock; renewed every third of it while the attempt runs. */
const LOCK_TTL_MS = 15_000;

/** Chain errors that mean the position was not liquidatable any more when the tx ran. */
const NOT_LIQUIDATABLE = [
  /health factor is not less than 1/i,
  /is not a liquidatable credit account/i,
  /no outstanding debt/i,
  /No debt to repay/i,
  // the position shrank under us (another liquidation landed first) until nothing is seizable
  /Invalid collateral_amount_to_liquidate/i,
  /no balance in specified collateral/i,
];

export class Executor {
  readonly #o: ExecutorOptions;
  readonly #markets = new Map<number, Promise<MarketState>>();
  #status: { at: number; value: Promise<{ height: number; timeSec: number }> } | undefined;
  /** The highest height a head read or a candidate showed. */
  #knownHeight = 0;

  constructor(options: ExecutorOptions) {
    this.#o = options;
  }

  /**
   * Prepares every held signer: its account number, sequence and the chain id read now, not in the
   * first burst's critical path; then the strategy's own (the credit manager's executor creates the
   * signers' credit accounts).
   */
  async prepareSigners(): Promise<void> {
    const market = await this.#latestMarket(0);
    await Promise.all(this.#o.signers.all().map((s) => s.sender.load()));
    for (const signer of this.#o.signers.all()) await this.#o.strategy.prepare(signer, market);
  }

  /** Handles one candidate; resolves once its record is written (the queue then acks it). */
  async handle(item: QueueItem<Candidate>): Promise<AttemptRecord> {
    const { strategy, lock, keys, recorder, killSwitch } = this.#o;
    const c = item.data;
    const record = this.#blank(item);
    // The first candidate of a new block starts the block's market read now, beside the checks and the lock.
    if (item.height > this.#newestMarket()) this.#latestMarket(item.height).catch(() => undefined);
    // A candidate from long ago is not worth the chain reads: if still liquidatable it was flagged
    // again since (the health checker re-queues it every few blocks), and fresher work goes first.
    // The height last seen is enough to tell (no read waited for: it only grows).
    this.#knownHeight = Math.max(this.#knownHeight, item.height);
    if (this.#knownHeight - item.height > this.#o.maxCandidateAgeBlocks) return this.#finish(record, "skipped", `stale: flagged at ${item.height}, the chain is at ${this.#knownHeight}`);
    const lockKey = keys.accountLock(c.account);
    const [stop, token] = await Promise.all([killSwitch.tripped(), this.#lockAccount(lockKey)]);
    recorder.killSwitch(stop);
    if (stop !== null || token === null) {
      if (token !== null) await lock.release(lockKey, token).catch(() => undefined);
      return this.#finish(record, "skipped", stop ?? "another executor held the account for longer than a lock lifetime");
    }
    // Kept alive while the attempt runs; a crashed executor's lock lapses within LOCK_TTL_MS.
    const keepAlive = setInterval(() => void lock.extend(lockKey, token, LOCK_TTL_MS).catch(() => undefined), LOCK_TTL_MS / 3);
    let current = record;
    try {
      // A transaction that failed on another liquidation in it leaves this one to try again, alone.
      for (let alone = false; ; alone = true) {
        let again = false;
        try {
          again = await this.#attempt(item, current, alone);
        } catch (err) {
          current.outcome = "reverted";
          current.error = err instanceof Error ? err.message : String(err);
        }
        await this.#account(current);
        if (!again || alone) break;
        current = this.#blank(item);
      }
    } finally {
      clearInterval(keepAlive);
      await lock.release(lockKey, token).catch(() => undefined);
    }
    return current;
  }

  /** Writes the record, counts a liquidation in the block it landed in, and feeds the kill switch. */
  async #account(record: AttemptRecord): Promise<void> {
    await this.#o.recorder.record(record);
    // Counted in the block the liquidation landed in (the manager's report of that block).
    if (record.outcome === "liquidated" && record.inclusionHeight !== null) await this.#o.counters.incr(record.inclusionHeight, "liquidated").catch(() => undefined);
    await this.#o.killSwitch.add(record.realizedProfit !== null && BigInt(record.realizedProfit) < 0n ? -BigInt(record.realizedProfit) : 0n, BigInt(record.fee));
  }

  /** One attempt; true when its transaction failed on another liquidation in it (worth trying again). */
  async #attempt(item: QueueItem<Candidate>, record: AttemptRecord, alone: boolean): Promise<boolean> {
    const sent = await this.#verifyAndSend(item, record, alone);
    return sent !== null && (await this.#confirm(item, record, sent));
  }

  /** Re-reads and recomputes the position and, when a liquidation is worth it, sends it. */
  async #verifyAndSend(item: QueueItem<Candidate>, record: AttemptRecord, alone: boolean): Promise<Sent | null> {
    const { strategy, signers, maxNotional, batcher } = this.#o;
    // The block's market state and the position are read at once (one request batch for a burst).
    const marketRead = this.#latestMarket(item.height);
    marketRead.catch(() => undefined); // awaited below, after the semaphore
    const cap = (denom: string, m: MarketState) => {
      const price = m.snapshot.prices.get(denom);
      return price === undefined || price === 0n ? 0n : (maxNotional * mars.DECIMAL_ONE) / price;
    };
    // Until it is submitted or dropped, transactions with room wait for this liquidation (in a burst).
    const arriving = batcher.expect();
    try {
      const release = await this.#o.sending.acquire();
      let assessment: Awaited<ReturnType<Strategy["assess"]>>;
      try {
        assessment = await strategy.assess(item.data.account, marketRead, cap);
      } finally {
        release();
      }
      const market = await marketRead;
      const { health, options } = assessment;
      if (!health.liquidatable) {
        arriving();
        record.outcome = await this.#lostOrHealthy(item);
        record.error = `health factor ${mars.formatDecimal(health.liquidationHealthFactor ?? 0n)} at height ${market.height}`;
        return null;
      }
      // Signers are shared: building and simulating run in parallel, signing is ordered per signer.
      const signer = signers.pick((s) => batcher.open(s.sender));
      try {
        record.signer = signer.address;
        const sent = await this.#send(item, record, signer, market, options, alone, arriving);
        return sent === null ? null : { ...sent, signer, market };
      } finally {
        signers.done(signer);
      }
    } finally {
      arriving();
    }
  }

  /**
   * Waits for the transaction's block, then records what it did and sells what it seized; true when
   * the transaction failed on another liquidation in it.
   */
  async #confirm(item: QueueItem<Candidate>, record: AttemptRecord, sent: Sent): Promise<boolean> {
    const { strategy, gasDenom } = this.#o;
    const { signer, market, part } = sent;
    let result: IncludedTx;
    try {
      result = await part.included;
    } finally {
      signer.release(sent.spends);
    }
    // In a transaction of several liquidations: this one's messages, and its share of the fee.
    const changes = addBalanceChanges(new Map(), part.size === 1 ? result.events : eventsOfMessages(result.events, part.from, part.to), signer.address);
    if (part.size > 1) changes.set(gasDenom, (changes.get(gasDenom) ?? 0n) - part.fee);
    Object.assign(record, {
      inclusionHeight: result.height,
      gasUsed: result.gasUsed,
      gasWanted: result.gasWanted,
      balanceChanges: changesJson(changes),
      realizedProfit: valueOf(changes, market.snapshot.prices).toString(),
    });
    if (result.code !== 0) {
      const index = failedMessageIndex(result.rawLog);
      if (part.size > 1 && index !== undefined && (index < part.from || index >= part.to)) {
        record.outcome = "reverted";
        record.error = `its transaction failed on another liquidation in it (${result.rawLog.slice(0, 200)}); trying again alone`;
        return true;
      }
      await this.#failed(record, item, result.rawLog);
      return false;
    }
    record.outcome = "liquidated";
    const seized = liquidationAmounts(result.events, strategy, item.data.account);
    if (seized !== null) Object.assign(record, seized);
    try {
      // What is sold is what arrived (the planned amount was the contract math's at planning). The
      // sale must bring back at least what the liquidation cost (debt paid, fee), in uusd, less the
      // loss a negative MIN_PROFIT_VALUE accepts.
      const planned = sent.plan.sale;
      const arrived = planned === undefined ? 0n : (changes.get(planned.denom) ?? 0n);
      const sale = planned === undefined || arrived <= 0n ? undefined : { ...planned, amount: arrived };
      const costValue = sale === undefined ? 0n : valueOf(new Map([[sale.denom, sale.amount]]), market.snapshot.prices) - valueOf(changes, market.snapshot.prices);
      const acceptedLoss = this.#o.minProfit < 0n ? this.#o.minProfit : 0n;
      for (const events of await strategy.settle({ ...sent.plan, sale }, signer, market, costValue + acceptedLoss)) {
        addBalanceChanges(changes, events, signer.address);
        record.fee = (BigInt(record.fee) + feePaid(events, signer.address, this.#o.gasDenom)).toString();
      }
    } catch (err) {
      // The liquidation stands; the collateral stays in the wallet for the operator (or the next sale).
      this.#o.logger.warn({ err, account: item.data.account, signer: signer.address }, "selling the seized collateral failed; it stays in the signer's wallet");
      record.error = `sale failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    record.balanceChanges = changesJson(changes);
    record.realizedProfit = valueOf(changes, market.snapshot.prices).toString();
    return false;
  }

  /** Builds, simulates and broadcasts the most profitable liquidation; null when none is sent (the record says why). */
  async #send(
    item: QueueItem<Candidate>,
    record: AttemptRecord,
    signer: Signer,
    market: MarketState,
    options: readonly mars.LiquidationOption[],
    alone: boolean,
    arriving: () => void,
  ): Promise<Omit<Sent, "signer" | "market"> | null> {
    const { strategy, minProfit, dryRun, batcher } = this.#o;
    // The contract's own numbers rank the pairs; the simulation of the transaction, with its swaps
    // run against the pools as they are now, gives the exact profit (anchors §7.1 item 4). The next
    // pair is tried only when one fails or does not clear the floor: every simulation costs the node.
    let best: { plan: Plan; profit: bigint } | undefined;
    let lastError: string | undefined;
    const describe = (plan: Plan, profit: bigint) =>
      Object.assign(record, {
        debtDenom: plan.option.debtDenom,
        collateralDenom: plan.option.collateralDenom,
        debtRepaid: plan.option.amounts.repay.toString(),
        collateralReceived: plan.option.amounts.toLiquidator.toString(),
        expectedProfit: profit.toString(),
      });
    for (const option of options.slice(0, 3)) {
      let plan: Plan;
      try {
        plan = await strategy.plan(item.data.account, option, market, signer);
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
        continue;
      }
      let profit: bigint | undefined;
      let sent: SentPart | null;
      // One the quotes already put below the floor goes alone: when its simulation agrees, no
      // batch-mate waits for the batch to be simulated again without it. A fallback pair the
      // quotes put below the floor is not worth a simulation at all.
      const doubtful = plan.estimatedValue !== undefined && plan.estimatedValue < minProfit;
      if (doubtful && option !== options[0]) {
        signer.release(plan.spends);
        continue;
      }
      arriving();
      try {
        sent = await batcher.submit(signer.sender, plan.msgs, {
          sinceHeight: market.height,
          alone: alone || doubtful,
          accept: (part) => (profit = this.#profit(plan, part, market, signer.address)) >= minProfit && !dryRun,
        });
      } catch (err) {
        signer.release(plan.spends);
        if (!(err instanceof TxSimulationError)) throw err; // the broadcast failed: the attempt did
        lastError = err.message;
        continue;
      }
      if (sent !== null) {
        if (best !== undefined) signer.release(best.plan.spends);
        describe(plan, profit!);
        Object.assign(record, { txHash: sent.hash, sentAtMs: sent.broadcastAtMs, fee: sent.fee.toString(), txLiquidations: sent.size });
        return { part: sent, spends: plan.spends, plan };
      }
      // Declined: below the floor, or a dry run.
      if (best === undefined || profit! > best.profit) {
        if (best !== undefined) signer.release(best.plan.spends);
        best = { plan, profit: profit! };
      } else signer.release(plan.spends);
      if (profit! >= minProfit) break;
    }
    if (best === undefined) {
      if (options.length === 0) {
        record.outcome = "unprofitable";
        record.error = "no liquidation clears the contract's profitability guard (bad debt?)";
        return null;
      }
      await this.#failed(record, item, lastError ?? "no plan");
      return null;
    }
    signer.release(best.plan.spends);
    describe(best.plan, best.profit);
    if (best.profit < minProfit) {
      record.outcome = "unprofitable";
      record.error = `expected profit ${best.profit} uusd after swaps and fees is below MIN_PROFIT_VALUE ${minProfit}`;
    } else record.outcome = "dry_run";
    return null;
  }

  /**
   * Expected profit (uusd) of a liquidation from its part of a simulation: what the signer's wallet
   * gains, with collateral still to sell valued at what its sale should fetch, less its fee.
   */
  #profit(plan: Plan, part: SimulatedPart, market: MarketState, address: string): bigint {
    const prices = market.snapshot.prices;
    let profit = valueOf(addBalanceChanges(new Map(), part.events, address), prices) - this.#gasValue(market, part.fee);
    if (plan.sale !== undefined) profit += plan.sale.expectedValue - valueOf(new Map([[plan.sale.denom, plan.sale.amount]]), prices);
    return profit;
  }

  /**
   * Locks the account, waiting up to one lock lifetime when another attempt holds it (a duplicate
   * candidate, or the lock of an executor that crashed mid-liquidation): then it re-verifies
   * instead of dropping the candidate.
   */
  async #lockAccount(key: string): Promise<string | null> {
    const deadline = Date.now() + LOCK_TTL_MS + 1_000;
    for (;;) {
      const token = await this.#o.lock.acquire(key, LOCK_TTL_MS);
      if (token !== null || Date.now() > deadline) return token;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** A failure: lost to another liquidator, healthy by then, or reverted with the chain's error. */
  async #failed(record: AttemptRecord, item: QueueItem<Candidate>, error: string): Promise<void> {
    record.error = error;
    record.outcome = NOT_LIQUIDATABLE.some((re) => re.test(error)) ? await this.#lostOrHealthy(item) : "reverted";
  }

  /**
   * Not liquidatable any more: `lost` when another liquidator's liquidation of it landed since it was
   * flagged, else `healthy`. Simulations run on the node's pending state, so a competitor's
   * transaction still in the mempool can be why: when no block shows one yet, the next block is
   * looked at too.
   */
  async #lostOrHealthy(item: QueueItem<Candidate>): Promise<Outcome> {
    const { client } = this.#o;
    const head = (await client.status()).height;
    if (await this.#liquidatedByOther(item.data.account, item.height, head)) return "lost";
    let next = head;
    for (const deadline = Date.now() + NEXT_BLOCK_WAIT_MS; next === head && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 100));
      next = (await client.status()).height;
    }
    return next > head && (await this.#liquidatedByOther(item.data.account, head, next)) ? "lost" : "healthy";
  }

  /** Whether a liquidation of `account` by someone else landed in blocks (from, to]. */
  async #liquidatedByOther(account: string, from: number, to: number): Promise<boolean> {
    const { client, strategy, signers } = this.#o;
    const ours = signers.identities();
    for (let h = Math.max(from + 1, to - 10); h <= to; h++) {
      for (const events of await client.blockTxEvents(h)) {
        for (const e of events) {
          if (!e.type.startsWith("wasm")) continue;
          const attr = (k: string) => e.attributes.find((a) => a.key === k)?.value;
          if (attr("_contract_address") !== strategy.contract || attr(strategy.liquidatedAttribute) !== account) continue;
          if (!/liquidat/.test(attr("action") ?? "")) continue;
          const by = attr("liquidator") ?? attr("account_id");
          if (by === undefined || !ours.has(by)) return true;
        }
      }
    }
    return false;
  }

  #gasValue(market: MarketState, amount: bigint): bigint {
    const price = market.snapshot.prices.get(this.#o.gasDenom) ?? 0n;
    return (amount * price + mars.DECIMAL_ONE - 1n) / mars.DECIMAL_ONE;
  }

  /** The chain's latest height and time, read at most every 200 ms. */
  #head(): Promise<{ height: number; timeSec: number }> {
    const now = Date.now();
    if (this.#status === undefined || now - this.#status.at > 200) {
      const value = this.#o.client.status();
      value.then(
        (h) => (this.#knownHeight = Math.max(this.#knownHeight, h.height)),
        () => (this.#status = undefined),
      );
      this.#status = { at: now, value };
    }
    return this.#status.value;
  }

  /**
   * The market state at the chain's latest height, read once per height (never below `minHeight`,
   * the candidate's: a head read less than 200 ms ago can predate the block that flagged it). The
   * first candidate of a new block reads the head and the market in one round trip.
   */
  async #latestMarket(minHeight: number): Promise<MarketState> {
    // A head read from before the candidate's block is read again.
    const head = this.#head().then((h) => (h.height >= minHeight ? h : ((this.#status = undefined), this.#head())));
    if (minHeight > this.#newestMarket()) return this.#readMarket(minHeight, head);
    const at = await head;
    return this.#markets.get(at.height) ?? this.#readMarket(at.height, Promise.resolve(at));
  }

  /** The highest height a market state was read (or is being read) for; -1 before the first. */
  #newestMarket(): number {
    return Math.max(-1, ...this.#markets.keys());
  }

  /** Reads the market state of the head `at` (at least `height`), with the quotes its plans will need. */
  #readMarket(height: number, at: Promise<{ height: number; timeSec: number }>): Promise<MarketState> {
    // The quotes of this block's plans are read in the same tick, so in the same request batch.
    this.#o.strategy.prefetch(height);
    const m = this.#o.addresses().then((a) => readMarketState(this.#o.client, a, at, { creditManager: false, logger: this.#o.logger }));
    this.#markets.set(height, m);
    m.then(
      (state) => state.height !== height && !this.#markets.has(state.height) && this.#markets.set(state.height, m),
      () => this.#markets.get(height) === m && this.#markets.delete(height),
    );
    for (const h of this.#markets.keys()) if (h < height - 3) this.#markets.delete(h);
    return m;
  }

  #blank(item: QueueItem<Candidate>): AttemptRecord {
    return {
      product: this.#o.strategy.product,
      account: item.data.account,
      signer: null,
      candidateHeight: item.height,
      detectedAtMs: item.data.detectedAtMs,
      claimedAtMs: Date.now(),
      sentAtMs: null,
      inclusionHeight: null,
      txHash: null,
      outcome: "skipped",
      error: null,
      debtDenom: item.data.debtDenom,
      debtRepaid: "0",
      collateralDenom: item.data.collateralDenom,
      collateralReceived: "0",
      fee: "0",
      gasUsed: 0,
      gasWanted: 0,
      txLiquidations: 0,
      expectedProfit: item.data.expectedProfit,
      realizedProfit: null,
      balanceChanges: {},
    };
  }

  async #finish(record: AttemptRecord, outcome: Outcome, error: string): Promise<AttemptRecord> {
    record.outcome = outcome;
    record.error = error;
    await this.#o.recorder.record(record);
    return record;
  }
}

/** The fee a transaction paid: the signer's gas-denom amount in its `tx` event. */
function feePaid(events: readonly TxEvent[], address: string, gasDenom: string): bigint {
  const tx = events.find((e) => e.type === "tx" && e.attributes.some((a) => a.key === "fee_payer" && a.value === address));
  for (const c of (tx?.attributes.find((a) => a.key === "fee")?.value ?? "").split(",")) {
    if (c.endsWith(gasDenom) && /^\d+$/.test(c.slice(0, -gasDenom.length))) return BigInt(c.slice(0, -gasDenom.length));
  }
  return 0n;
}

/** Debt repaid and collateral received as the contract's liquidation event reports them. */
function liquidationAmounts(events: readonly TxEvent[], strategy: Strategy, account: string): { debtRepaid: string; collateralReceived: string } | null {
  for (const e of events) {
    const attr = (k: string) => e.attributes.find((a) => a.key === k)?.value;
    if (attr("_contract_address") !== strategy.contract || attr(strategy.liquidatedAttribute) !== account) continue;
    if (strategy.product === "redbank") {
      const debt = attr("debt_amount");
      const coll = attr("collateral_amount");
      if (debt !== undefined && coll !== undefined) return { debtRepaid: debt, collateralReceived: coll };
    } else {
      const repaid = attr("coin_debt_repaid");
      const got = attr("coin_liquidated");
      if (repaid !== undefined && got !== undefined) return { debtRepaid: /^\d+/.exec(repaid)?.[0] ?? "0", collateralReceived: /^\d+/.exec(got)?.[0] ?? "0" };
    }
  }
  return null;
}
