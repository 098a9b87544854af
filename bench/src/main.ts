import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BENCHMARKS } from "./benchmarks.js";
import { renderTable } from "./table.js";
import type { BenchEnv } from "./types.js";

/**
 * `make bench` (node bench/dist/main.js): runs every benchmark of BENCHMARKS (or those named in
 * BENCH_ONLY), prints each one's table on stdout, progress on stderr, and writes
 * `<results dir>/<name>.json`. Exit code 1 if any benchmark failed, 2 for bad settings.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function intSetting(name: string, fallback: number, min: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw.replace(/[_,]/g, ""));
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`bench: ${name} must be a whole number >= ${min}, got ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return n;
}

function gitCommit(): string | undefined {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return dirty ? `${sha}-dirty` : sha;
  } catch {
    return undefined;
  }
}

const started = Date.now();
const env: BenchEnv = {
  positions: intSetting("BENCH_POSITIONS", 1_000_000, 1),
  runs: intSetting("BENCH_RUNS", 3, 1),
  resultsDir: path.resolve(root, process.env.BENCH_RESULTS_DIR?.trim() || "bench/results"),
  root,
  log: (message) => process.stderr.write(`[bench +${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`),
};
const only = (process.env.BENCH_ONLY ?? "").split(",").map((s) => s.trim()).filter(Boolean);
const unknown = only.filter((n) => !BENCHMARKS.some((b) => b.name === n));
if (unknown.length) {
  process.stderr.write(`bench: unknown benchmark(s) ${unknown.join(", ")}; known: ${BENCHMARKS.map((b) => b.name).join(", ")}\n`);
  process.exit(2);
}
const selected = BENCHMARKS.filter((b) => only.length === 0 || only.includes(b.name));

// Ctrl-C: exit, which stops any devnet child (see devnet/child.ts).
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));

await mkdir(env.resultsDir, { recursive: true });
let failed = 0;
for (const bench of selected) {
  const t0 = Date.now();
  env.log(`${bench.name}: ${bench.title}`);
  try {
    const result = await bench.run(env);
    const meta = {
      benchmark: bench.name,
      date: new Date().toISOString(),
      duration_ms: Date.now() - t0,
      commit: gitCommit(),
      node: process.version,
      cpus: os.cpus().length,
      load_avg_at_end: os.loadavg().map((x) => Math.round(x * 100) / 100),
    };
    const file = path.join(env.resultsDir, `${bench.name}.json`);
    await writeFile(file, `${JSON.stringify({ ...result, meta }, null, 2)}\n`);
    const shown = file.startsWith(`${root}${path.sep}`) ? path.relative(root, file) : file;
    const table = renderTable(`${bench.name}: ${bench.title} (${((Date.now() - t0) / 1000).toFixed(0)} s, ${shown})`, bench.rows(result));
    process.stdout.write(`\n${table}\n`);
  } catch (err) {
    failed++;
    env.log(`${bench.name} FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}
env.log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s${failed ? `, ${failed} failed` : ""}`);
process.exit(failed ? 1 : 0);
