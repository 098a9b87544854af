/**
 * The project's error classes. Each has a stable `code` and carries its context as fields, so a
 * log line (`err`) shows the evidence and callers branch on the class, never on the text.
 *
 * Exit codes of every service (only `main.ts` exits):
 * - 0: clean stop (SIGTERM/SIGINT, work finished or returned)
 * - 1: crash (uncaught error, unhandled rejection, forced second signal)
 * - 2: invalid configuration
 */
export const EXIT_OK = 0;
export const EXIT_CRASH = 1;
export const EXIT_BAD_CONFIG = 2;

/** Base class: a stable machine-readable code plus the usual message and cause. */
export class BotError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** One invalid configuration variable. */
export interface ConfigIssue {
  /** The environment variable, e.g. `REDIS_ENDPOINT`. */
  variable: string;
  /** What is wrong with it and, where possible, what to set instead. */
  message: string;
}

/** The configuration could not be parsed; lists every bad variable at once. */
export class ConfigError extends BotError {
  readonly issues: ConfigIssue[];
  readonly service: string;
  constructor(service: string, issues: ConfigIssue[]) {
    const lines = issues.map((i) => `  ${i.variable}: ${i.message}`).join("\n");
    super("ERR_CONFIG", `invalid configuration for ${service} (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${lines}`);
    this.service = service;
    this.issues = issues;
  }
}

/** A failure that may succeed when tried again (network, timeouts, a busy node). */
export class RetryableError extends BotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_RETRYABLE", message, options);
  }
}

/** A failure that will fail the same way every time; do not retry, dead-letter or report it. */
export class UnrecoverableError extends BotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_UNRECOVERABLE", message, options);
  }
}

/** A queue item that cannot be decoded; it goes to the dead-letter list with this reason. */
export class MalformedItemError extends UnrecoverableError {
  readonly queue: string;
  constructor(queue: string, reason: string) {
    super(`malformed item on queue ${queue}: ${reason}`);
    this.queue = queue;
  }
}

/** Every endpoint of a failover list failed for one call. */
export class AllEndpointsFailedError extends BotError {
  readonly kind: string;
  readonly failures: { endpoint: string; error: string }[];
  constructor(kind: string, failures: { endpoint: string; error: string }[]) {
    const detail = failures.map((f) => `${f.endpoint}: ${f.error}`).join("; ");
    super("ERR_ALL_ENDPOINTS_FAILED", `all ${failures.length} ${kind} endpoints failed (${detail}); check the endpoint list and the nodes' health`);
    this.kind = kind;
    this.failures = failures;
  }
}
