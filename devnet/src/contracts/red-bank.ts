/**
 * The Red Bank model and its helpers (spec §2, §3.2), re-exported from `red-bank/`:
 * - `RedBankModel` (contract.ts) — messages and queries of both deployments;
 * - `seedRedBankPositions` (seed.ts) — bulk positions for the scenario engine;
 * - `redBankHealth`, `redBankHealthScan` (ground-truth.ts) — the model's own health per user;
 * - storage layout (state.ts), interest (interest.ts), health (health.ts), liquidation math
 *   (liquidation-math.ts).
 */
export { RedBankModel, type RedBankOptions } from "./red-bank/contract.js";
export { seedRedBankPositions, type SeedOptions, type SeedPosition, type SeedSummary } from "./red-bank/seed.js";
export { redBankHealth, redBankHealthScan, type HealthOptions, type RedBankHealth, type ScanEntry } from "./red-bank/ground-truth.js";
export { COLLS, CONFIG as RED_BANK_CONFIG, DEBTS, MARKETS, userIdKey, type CollateralJson, type DebtJson, type MarketJson } from "./red-bank/state.js";
export { computeHealth, type Health, type Position } from "./red-bank/health.js";
export { calculateLiquidationAmounts, liquidationBonus, type LiquidationAmounts, type LiquidationInput } from "./red-bank/liquidation-math.js";
export { SCALING_FACTOR, SECONDS_PER_YEAR, computeScaled, computeUnderlying } from "./red-bank/interest.js";
