import { createLogger } from "@mlb/shared";
import { FlagError, flagHelp, parseFlags, type DevnetFlags } from "./cli.js";
import { Devnet } from "./devnet.js";

/**
 * `npm run devnet -- [flags]`: starts the devnet, prints one `devnet.ready` JSON line, and
 * stops cleanly on SIGTERM/SIGINT. Exit codes: 0 clean stop, 1 crash, 2 bad flags.
 */
const argv = process.argv.slice(2);
if (argv.includes("--help") || argv.includes("-h")) {
  process.stdout.write(flagHelp());
  process.exit(0);
}
let flags: DevnetFlags;
try {
  flags = parseFlags(argv);
} catch (err) {
  if (!(err instanceof FlagError)) throw err;
  process.stderr.write(`devnet: invalid flags:\n${err.message}\n\n${flagHelp()}`);
  process.exit(2);
}

const logger = createLogger({ service: "devnet", level: (process.env.LOG_LEVEL as "info" | undefined) ?? "info", bindings: { chain: flags.chain } });
const devnet = new Devnet(flags, logger);
let stopping = false;
const stop = (signal: string) => {
  if (stopping) process.exit(1);
  stopping = true;
  logger.info({ signal }, "stopping");
  devnet.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      logger.error({ err }, "stop failed");
      process.exit(1);
    },
  );
};
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
process.on("uncaughtException", (err) => {
  logger.fatal({ err }, "uncaught exception");
  process.exit(1);
});
process.on("unhandledRejection", (err) => {
  logger.fatal({ err }, "unhandled rejection");
  process.exit(1);
});

try {
  const ready = await devnet.start();
  process.stdout.write(`${JSON.stringify(ready)}\n`);
} catch (err) {
  logger.fatal({ err }, "devnet failed to start");
  await devnet.stop().catch(() => undefined);
  process.exit(1);
}
