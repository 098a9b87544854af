import { median } from "../stats.js";
import type { ManagerReport, ReportLine } from "./manager-process.js";

/** What the manager's reports over the measured blocks say. */
export interface ReportFigures {
  /** Reports of the window found in the Redis list (one per block when none was skipped). */
  count: number;
  heights: [number, number];
  /** Σ `missed`: health work of a block that was not done (stale) — goal 0. */
  missed: number;
  /** The largest `lag`: blocks the manager was behind the chain when it reported. */
  max_lag: number;
  /** Running instances per service in the last report, and the targets it set. */
  instances: Record<string, number>;
  targets: Record<string, number>;
  /** min..max running instances per service over the window. */
  instances_range: Record<string, [number, number]>;
  /** Queue items waiting or in progress per service, in the last report. */
  backlog: Record<string, number>;
  /** `checked` of every report: positions whose health was checked by the time the next block arrived. */
  checked: number[];
  checked_min: number;
  checked_median: number;
  unhealthy_median: number;
  liquidated: number;
  /** Time between consecutive "block report" log lines, ms (1,000 when the manager keeps up with 1 s blocks). */
  cadence_ms: { median: number; max: number };
  /**
   * Report of block h logged − the devnet's "block committed" log of h + 1 (the block whose
   * NewBlock makes the manager report h), ms: websocket delivery plus the manager's whole per-block
   * work. Null when the devnet's block lines are missing.
   */
  report_after_commit_ms: { median: number; max: number } | null;
}

/**
 * Sums up the window: `opener` is the "block report" line that opened it (only its time counts,
 * for the cadence), `lines` the measured ones in arrival order, `stored` the reports read back
 * from the Redis list (the counts come from those), `commitTimes` the devnet's commit log time
 * (unix ms) per height.
 */
export function reportFigures(opener: ReportLine, lines: readonly ReportLine[], stored: readonly ManagerReport[], commitTimes: ReadonlyMap<number, number>): ReportFigures {
  if (lines.length === 0) throw new Error("no block report in the window");
  const from = lines[0]!.report.height;
  const to = lines[lines.length - 1]!.report.height;
  const window = stored.filter((r) => r.height >= from && r.height <= to);
  if (window.length === 0) throw new Error(`no report of heights ${from}..${to} in the Redis list`);
  const last = window[window.length - 1]!;
  const services = Object.keys(last.instances) as (keyof ManagerReport["instances"])[];
  const gaps = lines.map((l, i) => l.time - (i === 0 ? opener : lines[i - 1]!).time);
  const afterCommit = lines.flatMap((l) => {
    const committed = commitTimes.get(l.report.height + 1);
    return committed === undefined ? [] : [l.time - committed];
  });
  return {
    count: window.length,
    heights: [from, to],
    missed: window.reduce((a, r) => a + r.missed, 0),
    max_lag: Math.max(...window.map((r) => r.lag)),
    instances: last.instances,
    targets: last.targets,
    instances_range: Object.fromEntries(services.map((s) => [s, [Math.min(...window.map((r) => r.instances[s] ?? 0)), Math.max(...window.map((r) => r.instances[s] ?? 0))]])),
    backlog: last.backlog,
    checked: window.map((r) => r.checked),
    checked_min: Math.min(...window.map((r) => r.checked)),
    checked_median: median(window.map((r) => r.checked)),
    unhealthy_median: median(window.map((r) => r.unhealthy)),
    liquidated: window.reduce((a, r) => a + r.liquidated, 0),
    cadence_ms: { median: median(gaps), max: Math.max(...gaps) },
    report_after_commit_ms: afterCommit.length ? { median: median(afterCommit), max: Math.max(...afterCommit) } : null,
  };
}

/** The window's block counters read again once the manager and its services have stopped. */
export interface FinalCounterFigures {
  /** Σ `missed`: health work dropped as stale, including what was dropped after the block's report was written. */
  missed: number;
  checked_min: number;
  checked_median: number;
  /** Blocks whose `checked` reached `share` × the positions in the end. */
  fully_checked_blocks: number;
}

/**
 * The block counters (`<ns>{chain:product}:stats:block:<h>`) of the window's heights, read after
 * the fleet stopped: a block's report reads them when the next block arrives, so health work done
 * (or dropped as stale) later is only in these.
 */
export function finalCounterFigures(counters: readonly Record<string, number>[], positions: number, share: number): FinalCounterFigures {
  if (counters.length === 0) throw new Error("no block counters to sum up");
  const checked = counters.map((c) => c.checked ?? 0);
  return {
    missed: counters.reduce((a, c) => a + (c.missed ?? 0), 0),
    checked_min: Math.min(...checked),
    checked_median: median(checked),
    fully_checked_blocks: checked.filter((n) => n >= share * positions).length,
  };
}
