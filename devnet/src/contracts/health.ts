/** The health contract (spec §6.3–6.4), re-exported from `health/`. */
export { HealthModel, type HealthOptions, type ActionKind } from "./health/contract.js";
export { computeHealth, type HealthAssetParams, type HealthPositions, type HealthValues } from "./health/compute.js";
