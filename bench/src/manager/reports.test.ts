import { describe, expect, it } from "vitest";
import type { ManagerReport, ReportLine } from "./manager-process.js";
import { childrenOf, procStat } from "./proc.js";
import { finalCounterFigures, reportFigures } from "./reports.js";
import { serviceOf } from "./sampler.js";

const report = (height: number, over: Partial<ManagerReport> = {}): ManagerReport => ({
  height,
  checked: 100,
  unhealthy: 3,
  liquidated: 0,
  missed: 0,
  lag: 0,
  backlog: { collector: 0, "health-checker": 0, liquidator: 0 },
  instances: { collector: 1, "health-checker": 2, liquidator: 1 },
  targets: { collector: 1, "health-checker": 2, liquidator: 1 },
  ...over,
});
const line = (time: number, r: ManagerReport): ReportLine => ({ time, report: r });

describe("manager benchmark helpers", () => {
  it("reportFigures sums the window's reports from Redis and times the log lines", () => {
    const stored = [report(9, { missed: 7 }), report(10, { missed: 1, lag: 2 }), report(11, { checked: 40, instances: { collector: 1, "health-checker": 3, liquidator: 1 } }), report(12, { missed: 9 })];
    const lines = [line(11_000, stored[1]!), line(12_100, stored[2]!)];
    const commits = new Map([
      [11, 10_950],
      [12, 12_000],
    ]);
    const f = reportFigures(line(10_000, stored[0]!), lines, stored, commits);
    expect(f).toMatchObject({ count: 2, heights: [10, 11], missed: 1, max_lag: 2, checked: [100, 40], checked_min: 40, checked_median: 70 });
    expect(f.instances).toEqual({ collector: 1, "health-checker": 3, liquidator: 1 });
    expect(f.instances_range["health-checker"]).toEqual([2, 3]);
    expect(f.cadence_ms).toEqual({ median: 1050, max: 1100 });
    expect(f.report_after_commit_ms).toEqual({ median: 75, max: 100 });
    expect(reportFigures(line(0, stored[0]!), lines, stored, new Map()).report_after_commit_ms).toBeNull();
    expect(() => reportFigures(line(0, stored[0]!), [], stored, commits)).toThrow(/no block report/);
  });

  it("finalCounterFigures sums the counters read after the stop", () => {
    expect(finalCounterFigures([{ checked: 100, missed: 1 }, { checked: 50 }, {}], 100, 0.99)).toEqual({ missed: 1, checked_min: 0, checked_median: 50, fully_checked_blocks: 1 });
    expect(() => finalCounterFigures([], 100, 0.99)).toThrow(/no block counters/);
  });

  it("reads this process and its children from /proc, and names services by command line", () => {
    const self = procStat(process.pid);
    expect(self?.ppid).toBe(process.ppid);
    expect(self!.cpuTicks).toBeGreaterThan(0);
    expect(procStat(2 ** 22 + 1)).toBeUndefined();
    expect(childrenOf(process.ppid).map((c) => c.pid)).toContain(process.pid);
    expect(serviceOf("/usr/bin/node /repo/health-checker/dist/main.js")).toBe("health-checker");
    expect(serviceOf("redis-server")).toBe("other");
  });
});
