/**
 * Child process of the sweep benchmark, run with `--expose-gc`: loads every shard of a position
 * cache into a `ShardStore` as a health checker does, and prints one JSON line with the live heap
 * before and after (each after full garbage collections), so the difference per position is what
 * holding a position costs. Arguments: <redis url> <namespace> <chain> <shards>.
 */
import v8 from "node:v8";
import { PositionCache, createLogger, createRedis, pipelineKeys } from "@mlb/shared";
import { ShardStore } from "@mlb/health-checker";

const [redisUrl, namespace, chain, shardsArg] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;
if (!redisUrl || namespace === undefined || !chain || !shardsArg) throw new Error("usage: store-memory-child.js <redis url> <namespace> <chain> <shards>");
if (gc === undefined) throw new Error("store-memory-child.js must run with node --expose-gc");

function liveHeap(): number {
  for (let i = 0; i < 3; i++) gc!();
  return v8.getHeapStatistics().used_heap_size;
}

const logger = createLogger({ service: "bench-store-memory", level: "silent" });
const redis = createRedis({ REDIS_ENDPOINT: redisUrl, REDIS_CLUSTER: false }, logger, "bench-store-memory");
const shards = Number(shardsArg);
const cache = new PositionCache({ redis, keys: pipelineKeys({ chain, product: "redbank" }, namespace), shards });
// The store is never started: no change stream is followed, only the shards are loaded.
const store = new ShardStore({ cache, product: "redbank", streamRedis: redis, logger });
await redis.ping();
const before = liveHeap();
const started = performance.now();
for (let s = 0; s < shards; s++) await store.load(s);
const loadMs = performance.now() - started;
const after = liveHeap();
const positions = store.size;
process.stdout.write(`${JSON.stringify({ positions, heapBefore: before, heapAfter: after, loadMs, rss: process.memoryUsage().rss })}\n`);
redis.disconnect();
