import { readFileSync } from "node:fs";
import { ChainClient, PositionCache, createLogger, createRedis, pipelineKeys, readMarketState, resolveMarsAddresses, mars } from "@mlb/shared";
import { ShardStore } from "@mlb/health-checker";
const setup = JSON.parse(readFileSync("/tmp/proto/setup.json", "utf8"));
const logger = createLogger({ service: "p", level: "silent" });
const redis = createRedis({ REDIS_ENDPOINT: setup.redis, REDIS_CLUSTER: false }, logger, "p");
const cache = new PositionCache({ redis, keys: pipelineKeys({ chain: "osmosis", product: "redbank" }, "bench-sweep"), shards: 16 });
const store = new ShardStore({ cache, product: "redbank", streamRedis: redis, logger });
const shards = [0, 2, 4, 6, 8, 10, 12, 14];
for (const s of shards) await store.load(s);
const client = new ChainClient({ rpc: [setup.chain.rpc] });
const addresses = await resolveMarsAddresses(client, { ADDRESS_PROVIDER_ADDRESS: setup.chain.addressProvider });
const st = await (await fetch(`${setup.admin}/status`)).json();
const market = await readMarketState(client, addresses, await client.block(st.height), { creditManager: false });
const out = mars.createHealthValues();
const variants = {
  forOfEntries: (shard) => { let n = 0; for (const [a, p] of shard) { mars.redBankHealth(p, market.snapshot, out); if (out.liquidationHealthFactor !== null && out.liquidationHealthFactor < 10n ** 18n) n++; } return n; },
  forEach: (shard) => { let n = 0; shard.forEach((p) => { mars.redBankHealth(p, market.snapshot, out); if (out.liquidationHealthFactor !== null && out.liquidationHealthFactor < 10n ** 18n) n++; }); return n; },
  values: (shard) => { let n = 0; for (const p of shard.values()) { mars.redBankHealth(p, market.snapshot, out); if (out.liquidationHealthFactor !== null && out.liquidationHealthFactor < 10n ** 18n) n++; } return n; },
};
for (let r = 0; r < 3; r++) for (const [name, f] of Object.entries(variants)) {
  const t = performance.now(); let n = 0;
  for (const s of shards) n += f(store.shards.get(s));
  console.log(name, (performance.now() - t).toFixed(0), n);
}
process.exit(0);
