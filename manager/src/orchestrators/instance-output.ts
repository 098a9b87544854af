/**
 * What the process and docker backends read from an instance's output: the line that says the
 * service is up (their readiness check after start) and the last lines, quoted when an instance
 * exits on its own.
 */

/** The message every service logs once `start()` has finished (`ServiceShell.start`, shared/src/runtime/service-shell.ts). */
export const READY_MESSAGE = "service started";

/** Levels at which `READY_MESSAGE` (logged at info) is written. */
const LEVELS_SHOWING_INFO = new Set(["trace", "debug", "info"]);

/**
 * True when a line of an instance's output is its "service started" line: a pino JSON line with
 * that `msg`, or a LOG_PRETTY line ending in it.
 */
export function isReadyLine(line: string): boolean {
  if (!line.includes(READY_MESSAGE)) return false;
  const trimmed = line.trim();
  if (trimmed.startsWith("{")) {
    try {
      return (JSON.parse(trimmed) as { msg?: unknown }).msg === READY_MESSAGE;
    } catch {
      return false;
    }
  }
  return trimmed.endsWith(READY_MESSAGE);
}

/**
 * False when the instance's LOG_LEVEL hides info lines, so it will never print "service started":
 * then the backend's own state (process spawned, container running) is all the readiness there is.
 */
export function readyLineExpected(env: Readonly<Record<string, string>>): boolean {
  return LEVELS_SHOWING_INFO.has((env.LOG_LEVEL ?? "info").trim().toLowerCase());
}

/** Keeps the last `size` lines written to it. */
export class LineTail {
  readonly #size: number;
  readonly #lines: string[] = [];

  constructor(size: number) {
    this.#size = size;
  }

  push(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.#size) this.#lines.shift();
  }

  lines(): string[] {
    return [...this.#lines];
  }
}

/**
 * Runs calls with the same key one after another (per workload), so two overlapping `scale` or
 * `status` calls never both create the same missing instance. Not a counter: nothing here
 * outlives a call.
 */
export class KeyedSerial {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return next;
  }
}

/** The key of a workload in a backend's own maps: deployment, pipeline and service. */
export function workloadKey(spec: { deployment: string; chain: string; product: string; service: string }): string {
  return `${spec.deployment}/${spec.chain}-${spec.product}/${spec.service}`;
}
