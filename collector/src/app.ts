import { ServiceShell, type ServiceDeps } from "@mlb/shared";
import type { CollectorConfig } from "./config.js";

/**
 * Builds the collector: discovers every debtor and keeps the position cache current.
 * The discovery stages arrive with the collector issue; today the shell serves health and metrics
 * and holds the Redis connection.
 */
export function buildCollector(config: CollectorConfig, deps: ServiceDeps): ServiceShell {
  return new ServiceShell({ ...deps, metricsHost: config.METRICS_HOST, metricsPort: config.METRICS_PORT, components: [] });
}
