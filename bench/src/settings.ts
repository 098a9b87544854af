/**
 * A benchmark's own whole-number setting from the environment (`BENCH_*`): `fallback` when unset;
 * `_` and `,` are allowed as digit separators. Throws, naming the variable, when it is not a whole
 * number of at least `min` (the runner reports the benchmark as failed).
 */
export function intSetting(name: string, fallback: number, min = 1): number {
  const raw = process.env[name]?.trim();
  const n = raw ? Number(raw.replace(/[_,]/g, "")) : fallback;
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number >= ${min}, got ${JSON.stringify(raw)}`);
  return n;
}
