import { z } from "zod";
import { endpointFields, envBool, envInt, envOptional, envSecret, loggingFields, metricsFields, metricsPortField, mnemonicProblem, pipelineFields, redisFields } from "@mlb/shared";

/** The liquidator's whole configuration; also the source of its README table and `--help`. */
export const liquidatorConfigSchema = z.object({
  ...loggingFields,
  ...pipelineFields,
  ...redisFields,
  ...endpointFields,
  ...metricsFields,
  METRICS_PORT: metricsPortField(9103),
  WALLET_MNEMONIC: envSecret("BIP-39 mnemonic of the liquidator wallet: HD index 0 is the master account, 1..MAX_LIQUIDATORS sign liquidations.", mnemonicProblem),
  MAX_LIQUIDATORS: envInt("How many signer accounts (HD indexes 1..n) this wallet provides to executors.", 1, { min: 1, max: 1000 }),
  CHAIN_PREFIX: envOptional("Bech32 account prefix; defaults to the chain's (osmo, neutron)."),
  DRY_RUN: envBool("1 does everything but broadcast transactions.", false),
});

export type LiquidatorConfig = z.output<typeof liquidatorConfigSchema>;
