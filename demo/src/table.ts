/** The demo's per-block table: one row per block, both pipelines together. */
export interface Row {
  height: number;
  /** Positions in the caches now, Red Bank and credit accounts. */
  tracked: { redbank: number; rover: number };
  /** The block's own counters, both pipelines: positions checked, found unhealthy, liquidated in it, work missed. */
  counters: { checked: number; unhealthy: number; liquidated: number; missed: number };
  /** Instances per service in the block's reports, both pipelines. */
  instances: { collector: number; "health-checker": number; liquidator: number };
  note?: string;
}

const COLUMNS: [string, number][] = [
  ["height", 7],
  ["tracked RB/CA", 14],
  ["checked", 8],
  ["unhealthy", 10],
  ["liquidated", 11],
  ["collectors", 11],
  ["health", 7],
  ["liquidators", 12],
  ["missed", 7],
];

export function header(): string {
  const line = COLUMNS.map(([name, width]) => name.padStart(width)).join("");
  return `${line}\n${"-".repeat(line.length)}`;
}

export function row(r: Row): string {
  const cells = [
    r.height,
    `${r.tracked.redbank}/${r.tracked.rover}`,
    r.counters.checked,
    r.counters.unhealthy,
    r.counters.liquidated,
    r.instances.collector,
    r.instances["health-checker"],
    r.instances.liquidator,
    r.counters.missed,
  ];
  const line = cells.map((c, i) => String(c).padStart(COLUMNS[i]![1])).join("");
  return r.note === undefined ? line : `${line}   ${r.note}`;
}
