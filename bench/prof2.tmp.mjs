import { readFileSync } from "node:fs";
import { ChainClient, PositionCache, createLogger, createRedis, pipelineKeys, readMarketState, resolveMarsAddresses, pushCandidates, encodeItem, QUEUES, runScript, loadScript } from "@mlb/shared";
import { ShardStore, evaluateShard } from "@mlb/health-checker";
const setup = JSON.parse(readFileSync("/tmp/proto/setup.json", "utf8"));
const logger = createLogger({ service: "p", level: "silent" });
const redis = createRedis({ REDIS_ENDPOINT: setup.redis, REDIS_CLUSTER: false }, logger, "p");
const keys = pipelineKeys({ chain: "osmosis", product: "redbank" }, "prof2-" + Date.now());
const srcKeys = pipelineKeys({ chain: "osmosis", product: "redbank" }, "bench-sweep");
const cache = new PositionCache({ redis, keys: srcKeys, shards: 16 });
const store = new ShardStore({ cache, product: "redbank", streamRedis: redis, logger });
const shards = [0, 2, 4, 6, 8, 10, 12, 14];
for (const s of shards) await store.load(s);
const client = new ChainClient({ rpc: [setup.chain.rpc] });
const addresses = await resolveMarsAddresses(client, { ADDRESS_PROVIDER_ADDRESS: setup.chain.addressProvider });
const script = loadScript("pushCandidates-2.lua");
for (let b = 0; b < 5; b++) {
  const { height } = await (await fetch(`${setup.admin}/blocks`, { method: "POST", body: JSON.stringify({ count: 1 }) })).json();
  const market = await readMarketState(client, addresses, await client.block(height), { creditManager: false });
  let sortMs = 0, encMs = 0, redisMs = 0, n = 0, pushed = 0;
  for (const s of shards) {
    const v = evaluateShard(store.shards.get(s), market, { threshold: 10n ** 18n, minDebtValue: 100000n, now: Date.now() });
    let t = performance.now();
    const ranked = [...v.flagged].sort((a, b) => { const d = BigInt(b.expectedProfit) - BigInt(a.expectedProfit); return d > 0n ? 1 : d < 0n ? -1 : 0; });
    let t2 = performance.now(); sortMs += t2 - t;
    const args = [height, 3];
    for (const c of ranked) args.push(c.account, encodeItem({ id: `${c.account}@${height}`, height, data: c }));
    let t3 = performance.now(); encMs += t3 - t2;
    pushed += await runScript(redis, script, [keys.queue(QUEUES.liquidate).pending, keys.flagged], args);
    redisMs += performance.now() - t3; n += ranked.length;
  }
  console.log(`h ${height} candidates ${n} pushed ${pushed} sort ${sortMs.toFixed(0)} encode ${encMs.toFixed(0)} redis ${redisMs.toFixed(0)}`);
}
process.exit(0);
