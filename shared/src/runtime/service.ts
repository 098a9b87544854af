import type { Logger } from "pino";
import type { z } from "zod";
import { configHelp } from "../config/docs.js";
import { parseConfig, type Env } from "../config/env.js";
import { ConfigError, EXIT_BAD_CONFIG, EXIT_CRASH, EXIT_OK } from "../errors.js";

/**
 * Reads a service's configuration for `main.ts`. `--help` prints every variable and exits 0; an
 * invalid configuration prints every bad variable with its reason to stderr and exits 2.
 */
export function loadConfigOrExit<S extends z.ZodObject>(service: string, schema: S, argv = process.argv.slice(2), env: Env = process.env): Readonly<z.output<S>> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(configHelp(service, schema));
    process.exit(EXIT_OK);
  }
  try {
    return parseConfig(service, schema, env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nRun with --help to list every variable.\n`);
      process.exit(EXIT_BAD_CONFIG);
    }
    throw err;
  }
}

/** What `runService` drives: a built application with an idempotent stop. */
export interface Runnable {
  start(): Promise<void>;
  /** Stops intake, finishes or returns in-flight work, closes connections. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The process lifecycle of every service, called last in `main.ts`:
 * - fatal handlers: an uncaught exception or unhandled rejection is logged and exits 1;
 * - first SIGTERM/SIGINT: `stop()` (finish or return the current item), then exit 0;
 * - second signal: exit 1 at once.
 * Handlers are installed before `start()`, so a signal during start-up still stops cleanly.
 */
export async function runService(app: Runnable, logger: Logger): Promise<void> {
  let stopping = false;
  const fatal = (kind: string) => (err: unknown) => {
    logger.fatal({ err }, kind);
    process.exit(EXIT_CRASH);
  };
  process.on("uncaughtException", fatal("uncaught exception"));
  process.on("unhandledRejection", fatal("unhandled rejection"));
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal, exiting now");
      process.exit(EXIT_CRASH);
    }
    stopping = true;
    logger.info({ signal }, "stopping");
    app.stop().then(
      () => {
        logger.info("stopped");
        process.exit(EXIT_OK);
      },
      (err: unknown) => {
        logger.error({ err }, "stop failed");
        process.exit(EXIT_CRASH);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  try {
    await app.start();
  } catch (err) {
    logger.fatal({ err }, "start failed");
    await app.stop().catch((stopErr: unknown) => logger.error({ err: stopErr }, "stop after failed start failed"));
    process.exit(EXIT_CRASH);
  }
}
