import { childrenOf, procCommand, procMemory, procStat } from "./proc.js";

const MB = 1024 * 1024;

/** The service a manager child runs, from its command line (`node <root>/<service>/dist/main.js`). */
export function serviceOf(command: string | undefined): string {
  return /(collector|health-checker|liquidator)\/dist\/main\.js/.exec(command ?? "")?.[1] ?? "other";
}

/** CPU and memory of one process or group over a window. */
export interface UsageFigures {
  /** CPU seconds (utime + stime) over the window's wall seconds, × 100: 100 is one core busy. */
  cpu_pct_of_one_core: number;
  /** VmRSS at the end of the window (the group: the sum), MB. */
  rss_mb: number;
  /** The largest VmRSS seen at any sample during the window, MB. */
  rss_max_mb: number;
}

/** What a window over the manager and its children measured. */
export interface TreeWindow {
  wall_ms: number;
  samples: number;
  manager: UsageFigures & {
    /** VmHWM at the end: the highest RSS since the manager started, MB. */
    peak_rss_mb: number;
  };
  children: UsageFigures & {
    /** Children alive at the end. */
    processes: number;
    /** Children seen at any sample (a replaced or scaled-down one counts too). */
    processes_seen: number;
    by_service: Record<string, UsageFigures & { processes: number }>;
  };
}

interface Tracked {
  pid: number;
  startTicks: number;
  service: string;
  /** cpuTicks when the window began (0 for a child born during it), and at the last sample. */
  firstTicks: number;
  lastTicks: number;
  /** Seen at the last sample. */
  alive: boolean;
  /** VmRSS at the last sample (0 once it is gone), bytes. */
  rss: number;
}

/** VmRSS in bytes, 0 for a process that is gone or has none (a zombie). */
function rssOf(pid: number): number {
  const rss = procMemory(pid)?.rss ?? 0;
  return Number.isFinite(rss) ? rss : 0;
}

/**
 * Samples a process (the manager) and its direct children (the services it started) through
 * /proc: CPU ticks at the window's ends, RSS at every sample. The parent's figures are its own
 * (utime + stime, not cutime), the children's are their sum. A child's CPU between its last
 * sample and its exit is lost, so sample often (a few times a second) when children come and go.
 */
export class ProcessTreeSampler {
  readonly #pid: number;
  readonly #ticksPerSecond: number;
  readonly #children = new Map<string, Tracked>();
  #startedAt = 0;
  #firstTicks = 0;
  #lastTicks = 0;
  #samples = 0;
  #managerRssMax = 0;
  #childrenRssMax = 0;
  readonly #serviceRssMax = new Map<string, number>();

  constructor(pid: number, ticksPerSecond: number) {
    this.#pid = pid;
    this.#ticksPerSecond = ticksPerSecond;
  }

  /** Begins the window: children alive now count from their current CPU time. */
  start(): void {
    this.#startedAt = performance.now();
    this.#firstTicks = this.#ticks();
    this.#children.clear();
    for (const c of childrenOf(this.#pid)) this.#children.set(`${c.pid}:${c.startTicks}`, { pid: c.pid, startTicks: c.startTicks, service: serviceOf(procCommand(c.pid)), firstTicks: c.cpuTicks, lastTicks: c.cpuTicks, alive: true, rss: 0 });
    this.sample();
  }

  /** One reading of every process; children born since the last one count from zero. */
  sample(): void {
    this.#samples++;
    this.#lastTicks = this.#ticks();
    this.#managerRssMax = Math.max(this.#managerRssMax, rssOf(this.#pid));
    for (const t of this.#children.values()) {
      t.alive = false;
      t.rss = 0;
    }
    for (const c of childrenOf(this.#pid)) {
      const key = `${c.pid}:${c.startTicks}`;
      const t = this.#children.get(key) ?? { pid: c.pid, startTicks: c.startTicks, service: serviceOf(procCommand(c.pid)), firstTicks: 0, lastTicks: 0, alive: true, rss: 0 };
      // A child read between fork and exec still shows the manager's command line: look again.
      if (t.service === "other") t.service = serviceOf(procCommand(c.pid));
      t.lastTicks = c.cpuTicks;
      t.alive = true;
      t.rss = rssOf(c.pid);
      this.#children.set(key, t);
    }
    const alive = [...this.#children.values()].filter((t) => t.alive);
    this.#childrenRssMax = Math.max(this.#childrenRssMax, alive.reduce((a, t) => a + t.rss, 0));
    for (const service of new Set(alive.map((t) => t.service))) {
      const sum = alive.filter((t) => t.service === service).reduce((a, t) => a + t.rss, 0);
      this.#serviceRssMax.set(service, Math.max(this.#serviceRssMax.get(service) ?? 0, sum));
    }
  }

  /** The children alive at the last sample (pid and start time: see `isAlive`). */
  liveChildren(): { pid: number; startTicks: number }[] {
    return [...this.#children.values()].filter((t) => t.alive).map((t) => ({ pid: t.pid, startTicks: t.startTicks }));
  }

  /** Takes a last sample and returns the window's figures. */
  finish(): TreeWindow {
    this.sample();
    const wallMs = performance.now() - this.#startedAt;
    const pct = (ticks: number) => Math.round((ticks / this.#ticksPerSecond / (wallMs / 1000)) * 1000) / 10;
    const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;
    const all = [...this.#children.values()];
    const group = (tracked: Tracked[], rssMax: number): UsageFigures => ({
      cpu_pct_of_one_core: pct(tracked.reduce((a, t) => a + t.lastTicks - t.firstTicks, 0)),
      rss_mb: mb(tracked.reduce((a, t) => a + t.rss, 0)),
      rss_max_mb: mb(rssMax),
    });
    const services = [...new Set(all.map((t) => t.service))].sort();
    const mem = procMemory(this.#pid);
    return {
      wall_ms: Math.round(wallMs),
      samples: this.#samples,
      manager: {
        cpu_pct_of_one_core: pct(this.#lastTicks - this.#firstTicks),
        rss_mb: mb(mem?.rss ?? NaN),
        rss_max_mb: mb(this.#managerRssMax),
        peak_rss_mb: mb(mem?.peakRss ?? NaN),
      },
      children: {
        ...group(all, this.#childrenRssMax),
        processes: all.filter((t) => t.alive).length,
        processes_seen: all.length,
        by_service: Object.fromEntries(
          services.map((s) => {
            const tracked = all.filter((t) => t.service === s);
            return [s, { ...group(tracked, this.#serviceRssMax.get(s) ?? 0), processes: tracked.filter((t) => t.alive).length }];
          }),
        ),
      },
    };
  }

  #ticks(): number {
    const stat = procStat(this.#pid);
    if (!stat) throw new Error(`the manager (pid ${this.#pid}) is gone: /proc/${this.#pid}/stat cannot be read`);
    return stat.cpuTicks;
  }
}
