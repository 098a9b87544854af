import type { Logger } from "pino";
import { AllEndpointsFailedError, UnrecoverableError } from "../errors.js";

export interface FailoverOptions {
  /** What the endpoints are, for logs and errors: `rpc`, `lcd`, `hive`. */
  kind: string;
  /** How long a failed endpoint is skipped before it is tried first again, in milliseconds. */
  cooldownMs?: number;
  logger?: Logger;
  now?: () => number;
}

/**
 * An ordered list of endpoints (RPC, LCD, Hive) used with failover: calls go to the first healthy
 * endpoint; one that fails is put aside for `cooldownMs` and the call is retried on the next. The
 * preferred order is restored once the cooldown has passed, so a recovered primary is used again.
 * An {@link UnrecoverableError} (a bad request, not a bad node) is rethrown without failover.
 */
export class EndpointPool {
  readonly endpoints: readonly string[];
  readonly #downUntil: number[];
  readonly #kind: string;
  readonly #cooldownMs: number;
  readonly #logger?: Logger;
  readonly #now: () => number;

  constructor(endpoints: readonly string[], options: FailoverOptions) {
    if (endpoints.length === 0) throw new Error(`EndpointPool(${options.kind}) needs at least one endpoint`);
    this.endpoints = endpoints;
    this.#downUntil = endpoints.map(() => 0);
    this.#kind = options.kind;
    this.#cooldownMs = options.cooldownMs ?? 30_000;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  /** The endpoints in the order the next call will try them: healthy ones first, in list order. */
  order(): string[] {
    const now = this.#now();
    const idx = this.endpoints.map((_, i) => i);
    const healthy = idx.filter((i) => this.#downUntil[i]! <= now);
    const down = idx.filter((i) => this.#downUntil[i]! > now).sort((a, b) => this.#downUntil[a]! - this.#downUntil[b]!);
    return [...healthy, ...down].map((i) => this.endpoints[i]!);
  }

  /** Runs `fn` against each endpoint in turn until one succeeds. */
  async run<T>(fn: (endpoint: string) => Promise<T>): Promise<T> {
    const failures: { endpoint: string; error: string }[] = [];
    for (const endpoint of this.order()) {
      try {
        const result = await fn(endpoint);
        this.#downUntil[this.endpoints.indexOf(endpoint)] = 0;
        return result;
      } catch (err) {
        if (err instanceof UnrecoverableError) throw err;
        const message = err instanceof Error ? err.message : String(err);
        failures.push({ endpoint, error: message });
        this.#downUntil[this.endpoints.indexOf(endpoint)] = this.#now() + this.#cooldownMs;
        this.#logger?.warn({ kind: this.#kind, endpoint, err }, "endpoint failed, trying the next one");
      }
    }
    throw new AllEndpointsFailedError(this.#kind, failures);
  }
}
