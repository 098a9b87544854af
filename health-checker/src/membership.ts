/**
 * Which shards this instance owns. Live instances heartbeat into one sorted set; each sees the same
 * sorted list of live ids and takes the shards `s` with `s mod n = its rank`. Adding or removing an
 * instance moves shards within one heartbeat; a brief overlap only means a shard is evaluated twice
 * (the candidate push and the liquidator's account lock absorb that).
 */
import type { Logger } from "pino";
import type { RedisClient } from "@mlb/shared";

export interface MembershipOptions {
  redis: RedisClient;
  /** The ZSET of members (`keys.healthMembers`). */
  key: string;
  id: string;
  shards: number;
  /** A member silent for longer is dead. */
  ttlMs: number;
  logger: Logger;
  /** Called with the new set whenever ownership changes; calls may overlap, so it must serialise itself. */
  onChange: (owned: ReadonlySet<number>) => Promise<void>;
}

export class Membership {
  readonly #o: MembershipOptions;
  #owned: ReadonlySet<number> = new Set();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();
  /** The latest ownership change being applied (loading a shard can take longer than a heartbeat). */
  #applying: Promise<void> = Promise.resolve();

  constructor(options: MembershipOptions) {
    this.#o = options;
  }

  get owned(): ReadonlySet<number> {
    return this.#owned;
  }

  /** Joins and takes its shards before resolving. */
  async start(): Promise<void> {
    await this.beat();
    await this.#applying;
    this.#timer = setInterval(() => {
      this.#running = this.#running.then(() => this.beat()).catch((err: unknown) => this.#o.logger.warn({ err }, "membership heartbeat failed"));
    }, Math.max(100, Math.floor(this.#o.ttlMs / 3)));
  }

  /** Leaves at once, so the others take its shards at their next beat. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
    await this.#applying.catch(() => undefined);
    await this.#o.redis.zrem(this.#o.key, this.#o.id).catch(() => undefined);
  }

  /** Heartbeats, reads the live members and applies any change of ownership. */
  async beat(): Promise<void> {
    const { redis, key, id, shards, ttlMs } = this.#o;
    const now = Date.now();
    const [, , live] = ((await redis.multi().zadd(key, now, id).zremrangebyscore(key, "-inf", now - ttlMs).zrange(key, 0, -1).exec()) ?? []).map(([, v]) => v) as [unknown, unknown, string[]];
    const members = [...live].sort();
    const rank = members.indexOf(id);
    const owned = new Set<number>();
    for (let s = 0; s < shards; s++) if (s % members.length === rank) owned.add(s);
    if (owned.size === this.#owned.size && [...owned].every((s) => this.#owned.has(s))) return;
    this.#o.logger.info({ members: members.length, rank, shards: [...owned] }, "shard ownership changed");
    this.#owned = owned;
    // Not awaited: heartbeats must go on while shards load.
    this.#applying = this.#o.onChange(owned).catch((err: unknown) => {
      this.#o.logger.error({ err }, "applying a shard ownership change failed; retrying at the next heartbeat");
      this.#owned = new Set();
    });
  }
}
