/**
 * The credit manager ("Rover", spec §6) and its helpers, re-exported from `credit-manager/`:
 * - `CreditManagerModel` (contract.ts) — messages and queries of both deployments;
 * - `deployCreditManagerStack` (deploy.ts) — health, swapper, account NFT and credit manager, wired;
 * - `bulkCreateCreditAccounts` (bulk.ts) — accounts at scale for the scenario engine;
 * - `creditAccountHealth`, `creditAccountHealthScan` (ground-truth.ts) — health via the health model;
 * - storage layout (state.ts). The liquidation amounts are the Red Bank's `calculateLiquidationAmounts`.
 */
export { CreditManagerModel } from "./credit-manager/contract.js";
export { type CreditManagerOptions } from "./credit-manager/config.js";
export { ROVER_LABELS, deployCreditManagerStack, type DeployRoverOptions, type RoverAddresses } from "./credit-manager/deploy.js";
export { bulkCreateCreditAccounts, type BulkCreditAccount, type BulkOptions, type SeedCoin } from "./credit-manager/bulk.js";
export { creditAccountHealth, creditAccountHealthScan, type CreditScanEntry } from "./credit-manager/ground-truth.js";
export { ACCOUNT_KINDS, COIN_BALANCES, DEBT_SHARES, TOTAL_DEBT_SHARES, type AccountKind } from "./credit-manager/state.js";
