import { z } from "zod";
import { endpointFields, envBool, envInt, loggingFields, marsContractFields, metricsFields, metricsPortField, pipelineFields, positionFields, redisFields } from "@mlb/shared";

/** The collector's whole configuration; also the source of its README table and `--help`. */
export const collectorConfigSchema = z.object({
  ...loggingFields,
  ...pipelineFields,
  ...redisFields,
  ...endpointFields,
  ...marsContractFields,
  ...positionFields,
  ...metricsFields,
  METRICS_PORT: metricsPortField(9101),
  COLLECTOR_ONCE: envBool("1 scans every shard once from raw state, logs what it found and exits (for operators and tests); 0 serves the manager's per-block work.", false),
  SCAN_PAGE_LIMIT: envInt("Raw-state entries per AllContractState page of a scan.", 5000, { min: 1, max: 100_000 }),
  SCAN_CONCURRENCY: envInt("Shards scanned at the same time by COLLECTOR_ONCE.", 4, { min: 1, max: 32 }),
  COLLECT_CONCURRENCY: envInt("Accounts read at the same time when following a block.", 16, { min: 1, max: 256 }),
  COLLECT_WORKERS: envInt("Work items (blocks, shard scans) handled at the same time.", 2, { min: 1, max: 64 }),
});

export type CollectorConfig = z.output<typeof collectorConfigSchema>;
