/**
 * Calls `tick()` every `intervalMs` of wall-clock time, without drift: each tick is due one
 * interval after the previous one was due; after a stall longer than an interval it restarts from
 * now instead of firing a burst. Errors are handed to `onError` and the timer keeps going.
 */
export class BlockTimer {
  #timer: NodeJS.Timeout | undefined;
  #nextDueMs = 0;

  constructor(
    readonly intervalMs: number,
    private readonly tick: () => void,
    private readonly onError: (err: unknown) => void,
  ) {}

  get running(): boolean {
    return this.#timer !== undefined;
  }

  start(): void {
    if (this.#timer) return;
    this.#nextDueMs = Date.now() + this.intervalMs;
    this.#schedule();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      try {
        this.tick();
      } catch (err) {
        this.onError(err);
      }
      if (!this.#timer) return;
      const now = Date.now();
      this.#nextDueMs += this.intervalMs;
      if (this.#nextDueMs < now - this.intervalMs) this.#nextDueMs = now;
      this.#schedule();
    }, Math.max(0, this.#nextDueMs - Date.now()));
  }
}
