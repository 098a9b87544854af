import type { Logger } from "pino";
import { AccountLock } from "../../lock/account-lock.js";
import type { RedisClient } from "../../redis/connection.js";
import { chainKeys, type ChainKeys } from "../../redis/keys.js";

/** Options of {@link SignerLeases}. */
export interface SignerLeasesOptions {
  redis: RedisClient;
  /** The chain whose wallet the signers belong to: Red Bank and Rover executors of it share the leases. */
  chain: string;
  /** REDIS_NAMESPACE. */
  namespace?: string;
  /** How many signers the wallet provides: HD indexes 1..signers (0 is the master). */
  signers: number;
  /** Lease lifetime in milliseconds (default 30000); renewed every third of it. */
  ttlMs?: number;
  /** Called, once, when a lease is lost: stop signing with that index at once. */
  onLost?: (index: number) => void;
  logger?: Logger;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

/** One lease this instance holds. */
interface Lease {
  token: string;
  /** Until when the lease is surely ours: start of the last successful SET or extend + TTL. */
  validUntil: number;
  /** A renewal is in flight. */
  renewing: boolean;
}

/**
 * Distinct signer accounts per executor process, so no two processes ever sign with one account
 * (DESIGN.md Execution). Each HD index has a lease key `{chain}:signer:<index>` holding a random
 * token with a PX expiry (an {@link AccountLock}); the holder renews every `ttlMs / 3` with a
 * compare-and-extend. A lease whose renewal finds another token (or none), or that could not be
 * renewed before it would have expired, is lost: it is dropped, `onLost` runs and `isHeld` turns
 * false. A crashed holder's leases expire after `ttlMs`.
 */
export class SignerLeases {
  readonly #o: SignerLeasesOptions;
  readonly #lock: AccountLock;
  readonly #keys: ChainKeys;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #held = new Map<number, Lease>();
  #timer: NodeJS.Timeout | undefined;
  #stopping: Promise<void> | undefined;

  constructor(options: SignerLeasesOptions) {
    if (!Number.isSafeInteger(options.signers) || options.signers < 1) throw new RangeError(`signers must be an integer >= 1, got ${options.signers}`);
    this.#o = options;
    this.#lock = new AccountLock(options.redis);
    this.#keys = chainKeys(options.chain, options.namespace);
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Leases free indexes until this instance holds `want` (or every index is taken), and returns
   * the indexes held, ascending. Starts the renewal loop.
   */
  async acquire(want: number): Promise<number[]> {
    if (this.#stopping) throw new Error("SignerLeases.acquire after stop");
    try {
      for (let index = 1; index <= this.#o.signers && this.#held.size < want; index++) {
        if (this.#held.has(index)) continue;
        const started = this.#now();
        const token = await this.#lock.acquire(this.#keys.signerLease(index), this.#ttlMs);
        if (token !== null) this.#held.set(index, { token, validUntil: started + this.#ttlMs, renewing: false });
      }
    } finally {
      this.#schedule(); // leases taken before a failure are renewed too
    }
    this.#o.logger?.info({ chain: this.#o.chain, want, held: this.held() }, "signer leases acquired");
    return this.held();
  }

  /** The indexes this instance holds now, ascending. */
  held(): number[] {
    return [...this.#held.keys()].filter((i) => this.isHeld(i)).sort((a, b) => a - b);
  }

  /** Whether this instance may sign with `index` now; check it right before every signature. */
  isHeld(index: number): boolean {
    const lease = this.#held.get(index);
    return lease !== undefined && this.#now() < lease.validUntil;
  }

  /** Gives `index` back (deletes its key if still ours); returns whether it was held. */
  async release(index: number): Promise<boolean> {
    const lease = this.#held.get(index);
    if (!lease) return false;
    this.#held.delete(index);
    return this.#lock.release(this.#keys.signerLease(index), lease.token);
  }

  /** Stops renewing and releases every lease; idempotent. Release failures are logged (the keys then expire). */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      clearInterval(this.#timer);
      for (const index of [...this.#held.keys()]) {
        try {
          await this.release(index);
        } catch (err) {
          this.#o.logger?.warn({ err, chain: this.#o.chain, index }, "signer lease release failed; it expires on its own");
        }
      }
    })();
    return this.#stopping;
  }

  /** Starts the renewal tick (every third of the TTL) if it is not running. */
  #schedule(): void {
    if (this.#timer || this.#stopping) return;
    this.#timer = setInterval(() => this.#tick(), Math.max(1, Math.floor(this.#ttlMs / 3)));
  }

  /**
   * One renewal pass: drops leases whose validity ran out (a renewal that hangs on a dead Redis
   * cannot keep one alive) and extends the others, each at most once at a time.
   */
  #tick(): void {
    for (const [index, lease] of this.#held) {
      if (this.#now() >= lease.validUntil) {
        this.#lose(index, lease, "it could not be renewed before it expired");
        continue;
      }
      if (lease.renewing) continue;
      lease.renewing = true;
      const started = this.#now();
      this.#lock
        .extend(this.#keys.signerLease(index), lease.token, this.#ttlMs)
        .then(
          (extended) => {
            if (extended) lease.validUntil = started + this.#ttlMs;
            else this.#lose(index, lease, "its key is gone or holds another token");
          },
          (err: unknown) => this.#o.logger?.warn({ err, chain: this.#o.chain, index }, "signer lease renewal failed, retrying"),
        )
        .finally(() => (lease.renewing = false));
    }
  }

  #lose(index: number, lease: Lease, reason: string): void {
    if (this.#stopping || this.#held.get(index) !== lease) return;
    this.#held.delete(index);
    this.#o.logger?.warn({ chain: this.#o.chain, index, reason }, "signer lease lost, no longer signing with it");
    try {
      this.#o.onLost?.(index);
    } catch (err) {
      this.#o.logger?.error({ err, chain: this.#o.chain, index }, "signer lease onLost callback threw");
    }
  }
}
