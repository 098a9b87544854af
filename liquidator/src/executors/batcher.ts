/**
 * Simulation and broadcast of liquidations, grouped per signer (group commit): while a signer's
 * transaction is being simulated, the liquidations planned for it meanwhile wait, then leave
 * together in its next transaction, up to MAX_LIQUIDATIONS_PER_TX; that one is simulated while the
 * first is signed and sent (the sender keeps sequence order), not after the node answered it. A
 * transaction with room also waits, up to `fillWaitMs`, for liquidations the executor is still
 * planning ({@link Batcher.expect}); one planned when nothing else is leaves at once, so a quiet
 * chain pays no latency for this. A burst pays one simulation, one signature and one CheckTx per
 * transaction instead of per liquidation.
 *
 * Each liquidation keeps its own profit check: the batch's simulation is split by `msg_index`
 * (cosmos-sdk tags every message's events with it) and each part is judged with its share of the
 * fee. A part that is not worth it leaves the batch, a part the simulation fails on is returned
 * with the chain's error, and the rest is simulated again before anything is signed.
 */
import type { EncodeObject } from "@cosmjs/proto-signing";
import type { StdFee } from "@cosmjs/stargate";
import type { IncludedTx, InclusionWatcher, TxEvent, TxSender } from "@mlb/shared";

/** What one liquidation of a transaction gets from its simulation. */
export interface SimulatedPart {
  /** The events of its own messages. */
  events: TxEvent[];
  /** Its share of the transaction's fee, in the gas denom. */
  fee: bigint;
  /** Liquidations in the transaction. */
  size: number;
}

/** A liquidation the node accepted, in a transaction of `size` liquidations. */
export interface SentPart {
  hash: string;
  broadcastAtMs: number;
  /** Its share of the fee, in the gas denom (the shares add up to the fee). */
  fee: bigint;
  size: number;
  /** Its messages in the transaction: indexes [from, to). */
  from: number;
  to: number;
  /** The transaction's result once it is in a block. */
  included: Promise<IncludedTx>;
}

export interface BatcherOptions {
  /** Most liquidations per transaction; 1 sends each alone. */
  maxPerTx: number;
  inclusions: InclusionWatcher;
  /** The gas-denom amount of a fee. */
  feeAmount: (fee: StdFee) => bigint;
  /** The only event types the parts are judged on (all when absent): the others are not decoded. */
  eventTypes?: ReadonlySet<string>;
  /**
   * While liquidations are still being planned ({@link Batcher.expect}), a transaction with room
   * left waits for them up to this long after its first liquidation arrived; 0 never waits.
   */
  fillWaitMs?: number;
}

interface Entry {
  msgs: readonly EncodeObject[];
  /** performance.now() when it was submitted. */
  at: number;
  sinceHeight: number;
  /** After a simulation: true keeps it in the transaction, false takes it out (its submit resolves null). */
  accept: (part: SimulatedPart) => boolean;
  resolve: (sent: SentPart | null) => void;
  reject: (err: unknown) => void;
}

/** The message index a failed transaction names (`failed to execute message; message index: 3: ...`). */
export function failedMessageIndex(error: string): number | undefined {
  const m = /message index: (\d+)/.exec(error);
  return m === null ? undefined : Number(m[1]);
}

/** A transaction's events by message (`msg_index` attribute), indexed once per events array. */
const byMessage = new WeakMap<readonly TxEvent[], Map<number, TxEvent[]>>();

/** Events of messages [from, to) of a transaction (`msg_index` attribute), in emission order. */
export function eventsOfMessages(events: readonly TxEvent[], from: number, to: number): TxEvent[] {
  let index = byMessage.get(events);
  if (index === undefined) {
    index = new Map();
    for (const e of events) {
      const msg = e.attributes.find((a) => a.key === "msg_index")?.value;
      if (msg === undefined) continue;
      let list = index.get(Number(msg));
      if (list === undefined) index.set(Number(msg), (list = []));
      list.push(e);
    }
    byMessage.set(events, index);
  }
  const out: TxEvent[] = [];
  for (let i = from; i < to; i++) out.push(...(index.get(i) ?? []));
  return out;
}

export class Batcher {
  readonly #o: BatcherOptions;
  readonly #pending = new Map<TxSender, Entry[]>();
  readonly #draining = new Set<TxSender>();
  /** Senders whose next transaction is being simulated: what is submitted now waits for the one after. */
  readonly #sealed = new Set<TxSender>();
  /** Liquidations being planned, which will probably be submitted soon. */
  #coming = 0;
  /** Drains waiting for one of them (or another submission). */
  #waiting: (() => void)[] = [];

  constructor(options: BatcherOptions) {
    this.#o = options;
  }

  /**
   * A liquidation is being planned (position read, sizing): transactions with room left wait for
   * it. Call the returned function when it is submitted or dropped (more calls do nothing).
   */
  expect(): () => void {
    this.#coming++;
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this.#coming--;
      this.#wake();
    };
  }

  /** Whether a liquidation submitted for `sender` now could join a transaction not yet simulated. */
  open(sender: TxSender): boolean {
    return !this.#sealed.has(sender);
  }

  /**
   * Simulates `msgs` (with whatever else `sender` sends in the same transaction), asks `accept`
   * and broadcasts. Resolves with the sent part, or null when `accept` declined; rejects with the
   * simulation's error when its own messages fail, or the broadcast's. `alone` keeps it out of
   * any batch (a retry after a batch-mate failed).
   */
  submit(sender: TxSender, msgs: readonly EncodeObject[], o: { sinceHeight: number; alone?: boolean; accept: (part: SimulatedPart) => boolean }): Promise<SentPart | null> {
    return new Promise((resolve, reject) => {
      const entry: Entry = { msgs, at: performance.now(), sinceHeight: o.sinceHeight, accept: o.accept, resolve, reject };
      // Alone: simulated at once, in parallel with the signer's other transactions (the sender orders the broadcasts).
      if (o.alone === true || this.#o.maxPerTx === 1) return void this.#send(sender, [entry]).catch(reject);
      let queue = this.#pending.get(sender);
      if (queue === undefined) this.#pending.set(sender, (queue = []));
      queue.push(entry);
      this.#wake();
      if (!this.#draining.has(sender)) {
        this.#draining.add(sender);
        // The same tick's submissions join the first transaction.
        setImmediate(() => void this.#drain(sender));
      }
    });
  }

  async #drain(sender: TxSender): Promise<void> {
    const queue = this.#pending.get(sender)!;
    while (queue.length > 0) {
      await this.#fill(queue);
      const group = queue.splice(0, this.#o.maxPerTx);
      this.#sealed.add(sender);
      try {
        // A simulation failure nobody in the group can be blamed for: each goes again, alone.
        for (const e of await this.#send(sender, group)) void this.#send(sender, [e]).catch(e.reject);
      } catch (err) {
        for (const e of group) e.reject(err);
      } finally {
        this.#sealed.delete(sender);
      }
    }
    this.#draining.delete(sender);
  }

  /**
   * Waits while the transaction has room, liquidations are still being planned and its first one
   * arrived less than `fillWaitMs` ago: in a burst, fuller transactions cost the node fewer
   * simulations, signature checks and requests for the same liquidations.
   */
  async #fill(queue: readonly Entry[]): Promise<void> {
    const wait = this.#o.fillWaitMs ?? 0;
    while (queue.length < this.#o.maxPerTx && this.#coming > 0) {
      const left = queue[0]!.at + wait - performance.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Something arrived or was dropped: the waiting drains look again. */
  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const wake of waiting) wake();
  }

  /** Simulates until every part is accepted, then hands the transaction to the sender; returns the entries to send again alone. */
  async #send(sender: TxSender, group: Entry[]): Promise<Entry[]> {
    let live = group;
    while (live.length > 0) {
      const ranges = rangesOf(live);
      const msgs = live.flatMap((e) => e.msgs);
      let sim;
      try {
        sim = await sender.simulateTx(msgs, "", this.#o.eventTypes);
      } catch (err) {
        const index = failedMessageIndex(err instanceof Error ? err.message : String(err));
        const culprit = live.length === 1 ? 0 : index === undefined ? -1 : ranges.findIndex((r) => index >= r.from && index < r.to);
        if (culprit < 0) return live;
        live[culprit]!.reject(err);
        live = live.filter((_, k) => k !== culprit);
        continue;
      }
      const gasLimit = sender.fees.gasLimit(sim.gasUsed);
      const fee = await sender.fees.fee(gasLimit);
      const shares = feeShares(this.#o.feeAmount(fee), live.length);
      const out = live.filter((e, k) => {
        try {
          if (e.accept({ events: live.length === 1 ? sim.events : eventsOfMessages(sim.events, ranges[k]!.from, ranges[k]!.to), fee: shares[k]!, size: live.length })) return false;
          e.resolve(null);
        } catch (err) {
          e.reject(err);
        }
        return true;
      });
      if (out.length > 0) {
        live = live.filter((e) => !out.includes(e));
        continue;
      }
      // Sent in the background: the signer's next transaction is simulated meanwhile (the sender
      // signs and sends in sequence order).
      void this.#broadcast(sender, msgs, gasLimit, live, shares, ranges);
      return [];
    }
    return [];
  }

  /** Signs and sends (in the sender's order) an accepted transaction, and settles its parts. */
  async #broadcast(sender: TxSender, msgs: readonly EncodeObject[], gasLimit: number, live: readonly Entry[], shares: readonly bigint[], ranges: readonly { from: number; to: number }[]): Promise<void> {
    try {
      const sent = await sender.broadcast(msgs, { gasLimit });
      const included = this.#o.inclusions.wait(sent.hash, Math.min(...live.map((e) => e.sinceHeight)));
      included.catch(() => undefined); // each part awaits it; none may be left unhandled
      live.forEach((e, k) => e.resolve({ hash: sent.hash, broadcastAtMs: sent.broadcastAtMs, fee: shares[k]!, size: live.length, ...ranges[k]!, included }));
    } catch (err) {
      for (const e of live) e.reject(err);
    }
  }
}

function rangesOf(entries: readonly Entry[]): { from: number; to: number }[] {
  let at = 0;
  return entries.map((e) => ({ from: at, to: (at += e.msgs.length) }));
}

/** `fee` split into `n` shares that add up to it, the remainder spread over the first ones. */
export function feeShares(fee: bigint, n: number): bigint[] {
  const base = fee / BigInt(n);
  const rest = Number(fee % BigInt(n));
  return Array.from({ length: n }, (_, k) => base + (k < rest ? 1n : 0n));
}
