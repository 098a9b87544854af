import { setTimeout as sleep } from "node:timers/promises";

export interface BackoffOptions {
  /** Delay before the first retry, in milliseconds. */
  baseMs: number;
  /** Upper bound of any delay, in milliseconds. */
  maxMs: number;
}

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(maxMs, baseMs·2^(attempt-1))].
 * Full jitter keeps a fleet of restarted workers from retrying in lockstep.
 * `attempt` starts at 1; `random` is injectable for tests.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * random());
}

export interface RetryOptions extends BackoffOptions {
  /** How many times to try in all (the first call included). */
  attempts: number;
  /** Return false to stop retrying at once (e.g. for an UnrecoverableError). */
  isRetryable?: (err: unknown) => boolean;
  /** Called before each wait, e.g. to log the failure. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  /** Stops waiting and rethrows the last error when aborted. */
  signal?: AbortSignal;
  random?: () => number;
}

/** Runs `fn` until it succeeds or `attempts` are used up; rethrows the last error. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const retryable = options.isRetryable?.(err) ?? true;
      if (!retryable || attempt >= options.attempts || options.signal?.aborted) throw err;
      const delay = backoffDelayMs(attempt, options, options.random);
      options.onRetry?.(err, attempt, delay);
      try {
        await sleep(delay, undefined, { signal: options.signal });
      } catch {
        throw err;
      }
    }
  }
}
