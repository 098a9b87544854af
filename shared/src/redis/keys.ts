/**
 * Every Redis key of the bot is built here. Keys of one pipeline (chain × product) share the hash
 * tag `{chain:product}`, so multi-key commands and Lua scripts work on Redis Cluster as on a single
 * node. `namespace` (REDIS_NAMESPACE) goes in front of the tag so several deployments, or tests,
 * share one Redis without touching each other's keys.
 */
export interface Pipeline {
  chain: string;
  product: string;
}

export type PipelineKeys = ReturnType<typeof pipelineKeys>;

export function pipelineKeys(pipeline: Pipeline, namespace = "") {
  const tag = `${namespace}{${pipeline.chain}:${pipeline.product}}`;
  return {
    /** The hash tag itself; every key below starts with it. */
    tag,
    /** A queue's keys: the list, processing lists, dead letters, consumers and heartbeats. */
    queue: (name: string) => queueKeys(tag, name),
    /** Lock on one account (Red Bank address or credit account id) while it is being liquidated. */
    accountLock: (account: string) => `${tag}:lock:account:${account}`,
    /** Per-block counters (a hash: discovered, checked, unhealthy, liquidated, missed, ...). */
    blockStats: (height: number) => `${tag}:stats:block:${height}`,
    /** HASH account → `<height>|<payload>`: the cached positions of one shard (see positions/codec.ts). */
    positions: (shard: number) => `${tag}:pos:${shard}`,
    /** STREAM of cache changes: one entry per write with changed accounts, fields `s` shard, `h` height, `a` accounts. */
    positionChanges: `${tag}:pos:changes`,
    /** LIST of cache entries that could not be decoded, each with its reason. */
    positionsDead: `${tag}:pos:dead`,
    /** HASH of the cache's shape (shard count); services that disagree refuse to start. */
    positionsMeta: `${tag}:pos:meta`,
    /** LIST of the manager's per-block reports (JSON), the last 1,000. */
    reports: `${tag}:reports`,
    /** STREAM of liquidation attempt records (field `record`: JSON), written by the liquidator. */
    liquidations: `${tag}:liquidations`,
    /** HASH of the liquidator's 24-hour loss and fee totals per hour bucket (kill switch). */
    spend: `${tag}:spend`,
    /** HASH account → height it was last queued for liquidation (repeat guard of the candidate push). */
    flagged: `${tag}:flagged`,
    /** ZSET health-checker instance id → last heartbeat (ms); shards are divided among live members. */
    healthMembers: `${tag}:hc:members`,
    /** Liveness and throughput of one service instance (string with TTL). */
    instance: (service: string, instanceId: string) => `${tag}:instance:${service}:${instanceId}`,
    /** Lease on signer HD index `index`; chain-wide (see {@link chainKeys}), not per product. */
    signerLease: chainKeys(pipeline.chain, namespace).signerLease,
  };
}

export type ChainKeys = ReturnType<typeof chainKeys>;

/**
 * Keys shared by every pipeline of one chain, under the tag `{chain}`: the Red Bank and Rover
 * executors of a chain sign with the same wallet, so their signer leases must collide.
 */
export function chainKeys(chain: string, namespace = "") {
  const tag = `${namespace}{${chain}}`;
  return {
    /** The chain's hash tag; every key below starts with it. */
    tag,
    /** STRING holding the leasing instance's token, with a PX expiry: signer HD index `index` is taken. */
    signerLease: (index: number) => `${tag}:signer:${index}`,
  };
}

export type QueueKeys = ReturnType<typeof queueKeys>;

/** Keys of one reliable queue; all share the pipeline's hash tag. */
export function queueKeys(tag: string, name: string) {
  const base = `${tag}:q:${name}`;
  return {
    name,
    /** LIST of pending items; producers RPUSH, consumers move from the left. */
    pending: base,
    /** LIST of items one consumer has claimed and not yet acknowledged. */
    processing: (consumerId: string) => `${base}:processing:${consumerId}`,
    /** LIST of items that failed for good, each wrapped with its reason. */
    dead: `${base}:dead`,
    /** SET of consumer ids that may hold items (for the reaper). */
    consumers: `${base}:consumers`,
    /** STRING with a TTL: present while the consumer is alive. */
    heartbeat: (consumerId: string) => `${base}:hb:${consumerId}`,
    /** STRING with a TTL: only one reaper pass per interval across all consumers. */
    reaperGuard: `${base}:reaper`,
  };
}
