/** The benchmark runner's pieces, for benchmark modules and tools that read the results. */
export { BENCHMARKS } from "./benchmarks.js";
export { DevnetProcess, DEVNET_MAIN } from "./devnet/child.js";
export type { BlockLog, DevnetProcessOptions, DevnetStatus } from "./devnet/child.js";
export { devnetBenchmark } from "./devnet/benchmark.js";
export type { DevnetResult, ScanFigures } from "./devnet/benchmark.js";
export { median, round, summarize } from "./stats.js";
export type { Summary } from "./stats.js";
export { fmt, renderTable, spread } from "./table.js";
export type { BenchEnv, Benchmark, Row } from "./types.js";
