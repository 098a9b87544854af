import { ServiceShell, type ServiceDeps } from "@mlb/shared";
import type { LiquidatorConfig } from "./config.js";
import { Signers } from "./signers.js";

/**
 * Builds the liquidator: executors for Red Bank and Rover that turn candidates into liquidations.
 * The executors arrive with the liquidator issue; today it derives its signers and serves health
 * and metrics.
 */
export function buildLiquidator(config: LiquidatorConfig, deps: ServiceDeps): ServiceShell {
  const signers = new Signers(config, deps.logger);
  return new ServiceShell({ ...deps, metricsHost: config.METRICS_HOST, metricsPort: config.METRICS_PORT, components: [signers] });
}
