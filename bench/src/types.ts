/** What every benchmark is given: the settings from the environment and a progress logger. */
export interface BenchEnv {
  /** `BENCH_POSITIONS`: Red Bank debtors at genesis (default 1,000,000). */
  positions: number;
  /** `BENCH_RUNS`: runs of each cheap timing figure; the table shows their median (default 3). */
  runs: number;
  /** Where `<name>.json` goes (`BENCH_RESULTS_DIR`, default bench/results). */
  resultsDir: string;
  /** The repository root. */
  root: string;
  /** Progress on stderr (the table goes to stdout). */
  log(message: string): void;
}

/** One line of a benchmark's table. */
export interface Row {
  figure: string;
  /** The median (or the only value), formatted. */
  value: string;
  /** min..max over the runs, when there were several. */
  spread?: string;
  note?: string;
}

/**
 * A benchmark module: `run` measures and returns the JSON written to `bench/results/<name>.json`;
 * `rows` turns that result into table lines. Register it in `benchmarks.ts`.
 */
export interface Benchmark<R extends object = object> {
  /** The results file name (without `.json`) and the name `BENCH_ONLY` selects. */
  readonly name: string;
  /** One line describing what it measures (table heading). */
  readonly title: string;
  run(env: BenchEnv): Promise<R>;
  rows(result: R): Row[];
}
