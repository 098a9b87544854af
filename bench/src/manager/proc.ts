/**
 * Readers of Linux's /proc for one process: CPU time, parent, start time, memory and command line
 * (proc(5)). Every reader returns undefined for a process that is gone (or off Linux) instead of
 * throwing: processes come and go while a benchmark samples them.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** The fields of `/proc/<pid>/stat` a benchmark needs. */
export interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime: CPU time spent by this process itself (not its children), in clock ticks. */
  cpuTicks: number;
  /** Start time after boot in clock ticks: with the pid, identifies a process (pids are reused). */
  startTicks: number;
}

/** Clock ticks per second of the times in /proc/<pid>/stat (`getconf CLK_TCK`, 100 on Linux almost always). */
export function clockTicksPerSecond(): number {
  try {
    const n = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    return Number.isInteger(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
}

/**
 * `/proc/<pid>/stat`. The command name (field 2) is in parentheses and may hold spaces, so the
 * fields are counted from the last ")": state is field 3, ppid 4, utime 14, stime 15, starttime 22.
 */
export function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const field = (n: number) => Number(f[n - 3]);
  return { pid, ppid: field(4), cpuTicks: field(14) + field(15), startTicks: field(22) };
}

/** VmRSS and VmHWM (the highest RSS so far) of `/proc/<pid>/status`, in bytes. */
export function procMemory(pid: number): { rss: number; peakRss: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN) * 1024;
  return { rss: kb("VmRSS"), peakRss: kb("VmHWM") };
}

/** The command line of a process, its arguments joined by spaces. */
export function procCommand(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return undefined;
  }
}

/** The live direct children of `ppid`: every /proc entry whose stat names it as parent. */
export function childrenOf(ppid: number): ProcStat[] {
  const out: ProcStat[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat?.ppid === ppid) out.push(stat);
  }
  return out;
}

/** Whether the process `pid` that started at `startTicks` is still alive (a reused pid is not). */
export function isAlive(pid: number, startTicks: number): boolean {
  return procStat(pid)?.startTicks === startTicks;
}
