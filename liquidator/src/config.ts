import { z } from "zod";
import {
  endpointFields,
  envBool,
  envDecimal,
  envInt,
  envOptional,
  envSecret,
  loggingFields,
  marsContractFields,
  metricsFields,
  metricsPortField,
  mnemonicProblem,
  pipelineFields,
  redisFields,
} from "@mlb/shared";

/** Noble USDC on each chain (spec §9): what the bot settles in unless NEUTRAL_DENOM says otherwise. */
export const DEFAULT_NEUTRAL_DENOMS = {
  osmosis: "ibc/498A0751C798A0D9A389AA3691123DADA57DAA4FE165D5C75894505B876BA6E4",
  neutron: "ibc/B559A80D62249C8AA07A380E2A2BEA6E5CA9A6F079C912C3A9E9B494105E4F81",
} as const;

/** The liquidator's whole configuration; also the source of its README table and `--help`. */
export const liquidatorConfigSchema = z.object({
  ...loggingFields,
  ...pipelineFields,
  ...redisFields,
  ...endpointFields,
  ...marsContractFields,
  ...metricsFields,
  METRICS_PORT: metricsPortField(9103),
  WALLET_MNEMONIC: envSecret("BIP-39 mnemonic of the liquidator wallet: HD index 0 is the master account, 1..MAX_LIQUIDATORS sign liquidations.", mnemonicProblem),
  MAX_LIQUIDATORS: envInt("How many signer accounts (HD indexes 1..n) the wallet provides; executors of one chain lease them so no two processes sign with one account.", 1, { min: 1, max: 1000 }),
  SIGNERS_PER_INSTANCE: envInt("Signers this process leases (at most MAX_LIQUIDATORS); candidates are handled this many at a time.", 4, { min: 1, max: 1000 }),
  SIGNER_LEASE_MS: envInt("Lifetime of a signer lease in Redis, renewed every third of it; a crashed executor's signers are free again after it.", 30_000, { min: 1_000 }),
  MAX_CANDIDATE_AGE_BLOCKS: envInt("Candidates flagged more blocks ago than this are skipped unread (a position still liquidatable is flagged again meanwhile).", 10, { min: 1 }),
  MAX_IN_FLIGHT: envInt("Candidates handled at the same time, most of them waiting for their blocks: a burst of liquidations after a crash should fit in it whole.", 256, { min: 1, max: 10_000 }),
  SEND_CONCURRENCY: envInt("Of those, how many re-read their position at once; the rest wait in queue order (best first), so the first transactions leave early instead of every one queuing behind every other's reads at the node (reads made together leave in one JSON-RPC batch).", 64, { min: 1, max: 10_000 }),
  MAX_LIQUIDATIONS_PER_TX: envInt("Most liquidations one signer sends in one transaction, each still checked for profit on its own part of the simulation. A burst then costs the node one simulation and one CheckTx per transaction, not per liquidation. The price: if one liquidation fails in its block (another liquidator was first), the transaction reverts and the others try again alone in the next block. 1 sends every liquidation alone.", 10, { min: 1, max: 50 }),
  BATCH_WAIT_MS: envInt("How long a transaction with room left waits at most, from its first liquidation, for liquidations still being planned (position read, sizing) to join it. A liquidation planned when nothing else is leaves at once; in a burst, fuller transactions cost the node less in all and the last liquidation leaves sooner. 0 never waits: what is planned while a signer's transaction is being simulated still leaves together in its next one.", 50, { min: 0, max: 1_000 }),
  CHAIN_PREFIX: envOptional("Bech32 account prefix; defaults to the chain's (osmo, neutron)."),
  GAS_DENOM: envOptional("Denom fees are paid in; defaults to the chain's (uosmo, untrn)."),
  NEUTRAL_DENOM: envOptional("Asset profits are settled in (the swap target of seized collateral); defaults to the chain's Noble USDC."),
  DRY_RUN: envBool("1 does everything but broadcast transactions (simulations run, records are written with outcome dry_run).", false),
  MIN_PROFIT_VALUE: envInt("Least expected profit after swap costs and fees, in oracle base units (uusd: 1000000 = $1), for a liquidation to be sent. Negative: accept a loss of up to that much per liquidation to keep the protocol solvent (the daily loss kill switch still applies).", 100_000, { min: -1_000_000_000_000 }),
  MAX_NOTIONAL_VALUE: envInt("Most debt value (uusd) repaid by one liquidation; larger positions are liquidated partially.", 100_000_000_000, { min: 1 }),
  DAILY_LOSS_LIMIT_VALUE: envInt("Kill switch: realised losses (uusd) in the last 24 h beyond which the executor stops sending.", 1_000_000_000, { min: 0 }),
  DAILY_GAS_LIMIT: envInt("Kill switch: fees (gas denom base units) paid in the last 24 h beyond which the executor stops sending.", 1_000_000_000, { min: 0 }),
  MAX_SLIPPAGE: envDecimal("Largest accepted shortfall of a swap below its quote (0.01 = 1%): the min_receive of every swap.", "0.01"),
  SWAP_COST: envDecimal("Red Bank: expected cost of selling seized collateral (pool fees and price impact, 0.003 = 0.3% below the quote), counted in the profit check; the sale itself is protected by MAX_SLIPPAGE.", "0.003"),
  SEND_BUFFER_BPS: envInt("Red Bank: extra debt sent above the computed repay, in basis points (the contract refunds the excess).", 50, { min: 0, max: 10_000 }),
  GAS_ADJUSTMENT: envDecimal("Gas limit = simulated gas × this.", "1.3"),
  GAS_PRICE_MULTIPLIER: envDecimal("Gas price paid = the chain's fee-market price × this.", "1.1"),
  MIN_GAS_PRICE: envDecimal("Gas price used when the fee-market query fails (gas denom per gas unit).", "0.025"),
  MAX_GAS_PRICE: envDecimal("Highest gas price ever paid (gas denom per gas unit).", "10"),
  WORKER_MIN_GAS_BALANCE: envInt("Signers holding less gas denom than this are topped up from the master account.", 5_000_000, { min: 0 }),
  WORKER_TOP_UP_AMOUNT: envInt("Gas denom sent to a signer per top-up.", 20_000_000, { min: 0 }),
});

export type LiquidatorConfig = z.output<typeof liquidatorConfigSchema>;
