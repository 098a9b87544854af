import { detectionBenchmark } from "./detection/benchmark.js";
import { devnetBenchmark } from "./devnet/benchmark.js";
import { liquidationBenchmark } from "./liquidation/benchmark.js";
import { managerBenchmark } from "./manager/benchmark.js";
import { sweepBenchmark } from "./sweep/benchmark.js";
import type { Benchmark } from "./types.js";

/** Every benchmark `make bench` runs, in order. Adding one: a module exporting a Benchmark, plus one line here. */
export const BENCHMARKS: readonly Benchmark[] = [devnetBenchmark, sweepBenchmark, detectionBenchmark, liquidationBenchmark, managerBenchmark];
