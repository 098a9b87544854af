import { EXIT_CRASH, EXIT_OK, createServiceDeps, loadConfigOrExit, runService } from "@mlb/shared";
import { buildCollector } from "./app.js";
import { collectorConfigSchema } from "./config.js";

const config = loadConfigOrExit("collector", collectorConfigSchema);
const deps = createServiceDeps("collector", config);
const app = buildCollector(config, deps);
if (config.COLLECTOR_ONCE) {
  // One-shot: scan every shard, log the totals, exit.
  try {
    const summaries = await app.scanAll();
    const total = (k: "positions" | "changed" | "drift") => summaries.reduce((n, s) => n + s[k], 0);
    deps.logger.info({ shards: summaries.length, positions: total("positions"), changed: total("changed"), drift: total("drift") }, "scan complete");
    process.exitCode = EXIT_OK;
  } catch (err) {
    deps.logger.fatal({ err }, "scan failed");
    process.exitCode = EXIT_CRASH;
  } finally {
    await deps.redis.quit().catch(() => deps.redis.disconnect());
  }
} else {
  await runService(app.shell, deps.logger);
}
