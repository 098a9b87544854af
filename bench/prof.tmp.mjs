import { readFileSync } from "node:fs";
import { ChainClient, PositionCache, createLogger, createRedis, pipelineKeys, readMarketState, resolveMarsAddresses, pushCandidates, mars, BlockCounters } from "@mlb/shared";
import { ShardStore, evaluateShard } from "@mlb/health-checker";
const setup = JSON.parse(readFileSync("/tmp/proto/setup.json", "utf8"));
const logger = createLogger({ service: "p", level: "silent" });
const redis = createRedis({ REDIS_ENDPOINT: setup.redis, REDIS_CLUSTER: false }, logger, "p");
const keys = pipelineKeys({ chain: "osmosis", product: "redbank" }, "bench-sweep");
const cache = new PositionCache({ redis, keys, shards: 16 });
const store = new ShardStore({ cache, product: "redbank", streamRedis: redis, logger });
const shards = (process.env.SHARDS ?? "0,2,4,6,8,10,12,14").split(",").map(Number);
for (const s of shards) await store.load(s);
console.log("held", store.size);
const client = new ChainClient({ rpc: [setup.chain.rpc] });
const addresses = await resolveMarsAddresses(client, { ADDRESS_PROVIDER_ADDRESS: setup.chain.addressProvider });
const counters = new BlockCounters({ redis, keys });
for (let b = 0; b < Number(process.env.BLOCKS ?? 6); b++) {
  const { height } = await (await fetch(`${setup.admin}/blocks`, { method: "POST", body: JSON.stringify({ count: 1 }) })).json();
  const t0 = performance.now();
  const at = await client.block(height);
  const market = await readMarketState(client, addresses, at, { creditManager: false });
  const t1 = performance.now();
  let evalMs = 0, pushMs = 0, cntMs = 0, healthOnlyMs = 0, flagged = 0;
  const out = mars.createHealthValues();
  for (const s of shards) {
    const shard = store.shards.get(s);
    let a = performance.now();
    if (process.env.HEALTH_ONLY) { for (const [, p] of shard) mars.redBankHealth(p, market.snapshot, out); healthOnlyMs += performance.now() - a; a = performance.now(); }
    const v = evaluateShard(shard, market, { threshold: 10n ** 18n, minDebtValue: 100000n, now: Date.now() });
    let c = performance.now(); evalMs += c - a;
    if (!process.env.NO_PUSH) await pushCandidates(redis, keys, height, v.flagged, 3);
    let d = performance.now(); pushMs += d - c;
    await counters.incr(height, "checked", v.checked);
    cntMs += performance.now() - d;
    flagged += v.flagged.length;
  }
  console.log(`h ${height} market ${(t1 - t0).toFixed(0)} healthOnly ${healthOnlyMs.toFixed(0)} eval ${evalMs.toFixed(0)} push ${pushMs.toFixed(0)} counters ${cntMs.toFixed(0)} total ${(performance.now() - t0).toFixed(0)} flagged ${flagged}`);
}
process.exit(0);
