import { pino, type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";
import { scrubSecrets } from "../config/secret.js";

export type { Logger } from "pino";

/** Levels accepted by `LOG_LEVEL`. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  /** Service name bound to every line (`service`). */
  service: string;
  level?: LogLevel;
  /** Human-readable output through pino-pretty instead of JSON lines. */
  pretty?: boolean;
  /** Fields bound to every line, e.g. `{ chain, product }`. */
  bindings?: Record<string, unknown>;
  /** Where lines go; stdout by default. Tests pass an in-memory stream. */
  destination?: DestinationStream;
}

/**
 * Paths whose values are replaced wherever they appear in a logged object. Secret values given in
 * configuration are also scrubbed from the final text of every line (see `scrubSecrets`), so a
 * mnemonic quoted inside an error message does not leak either.
 */
export const REDACT_PATHS = [
  "mnemonic", "*.mnemonic", "password", "*.password", "apiKey", "*.apiKey", "privateKey", "*.privateKey",
  "WALLET_MNEMONIC", "*.WALLET_MNEMONIC", "REDIS_PASSWORD", "*.REDIS_PASSWORD",
];

/**
 * Creates the root logger of a process: pino JSON, one line per event, `service` bound, `time` as
 * epoch milliseconds, errors under `err`. Components take child loggers with their own bindings
 * (`component`, `height`, `queue`, ...).
 */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? (options.pretty ? pretty({ colorize: false, sync: true }) : pino.destination({ sync: true }));
  return pino(
    {
      level: options.level ?? "info",
      base: { service: options.service, ...options.bindings },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      formatters: { level: (label) => ({ level: label }) },
      hooks: { streamWrite: scrubSecrets },
    },
    destination,
  );
}
