/** Per-block counters (discovered, checked, unhealthy, liquidated, missed, lag). */
export { BlockCounters, STANDARD_BLOCK_COUNTERS, DEFAULT_BLOCK_STATS_TTL_MS } from "./block-counters.js";
export type { BlockCountersOptions, StandardBlockCounter } from "./block-counters.js";
