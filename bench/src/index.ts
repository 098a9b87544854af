/** The benchmark runner's pieces, for benchmark modules and tools that read the results. */
export { BENCHMARKS } from "./benchmarks.js";
export { devnetBenchmark } from "./devnet/benchmark.js";
export type { DevnetResult, ScanFigures } from "./devnet/benchmark.js";
export { sweepBenchmark } from "./sweep/benchmark.js";
export type { ModeFigures, SweepResult } from "./sweep/benchmark.js";
export { detectionBenchmark } from "./detection/benchmark.js";
export type { DetectionResult } from "./detection/benchmark.js";
export { runDetection } from "./detection/run.js";
export type { DetectionOptions, DetectionRun, ProductDetection } from "./detection/run.js";
export { DetectionTally } from "./detection/tally.js";
export type { DetectionCounts } from "./detection/tally.js";
export { median, percentile, round, summarize } from "./stats.js";
export type { Summary } from "./stats.js";
export { fmt, renderTable, spread } from "./table.js";
export type { BenchEnv, Benchmark, Row } from "./types.js";
