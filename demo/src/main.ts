import { loadConfigOrExit } from "@mlb/shared";
import { demoConfigSchema } from "./config.js";
import { Interrupted, runDemo } from "./demo.js";

const config = loadConfigOrExit("demo", demoConfigSchema);
const abort = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (abort.signal.aborted) process.exit(130); // a second Ctrl-C: exit handlers kill what is left
    process.stdout.write(`\n${signal}: stopping everything (Ctrl-C again to kill at once)\n`);
    abort.abort();
  });
}
const out = (line: string) => process.stdout.write(`${line}\n`);
try {
  process.exitCode = await runDemo(config, out, abort.signal);
} catch (err) {
  if (err instanceof Interrupted) process.exitCode = 130;
  else {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
