import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The four services, by folder name. */
export const SERVICES = ["collector", "health-checker", "liquidator", "manager"] as const;
export type ServiceName = (typeof SERVICES)[number];

/** A service process started from its built entry point, with everything it printed. */
export interface ServiceProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** Resolves with the first JSON log line for which `match` is true. */
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Everything printed, stdout and stderr, as one text. */
  output(): string;
}

/**
 * Starts `node <service>/dist/main.js` with exactly `env` (plus PATH) and collects its output.
 * Fails with a clear message when the build is missing (`make test` builds first).
 */
export function startService(service: ServiceName, env: Record<string, string>, args: string[] = []): ServiceProcess {
  const entry = `${ROOT}${service}/dist/main.js`;
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run 'npx tsc -b' (make test builds first)`);
  const child = spawn(process.execPath, [entry, ...args], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: { match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  let partial = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    partial += chunk.toString();
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      stdout.push(line);
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      for (const w of [...waiters]) {
        if (w.match(parsed)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(parsed);
        }
      }
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));
  const output = () => [...stdout, partial, ...stderr].join("\n");
  return {
    child,
    stdout,
    stderr,
    exited,
    output,
    waitForLog(match, timeoutMs = 20_000) {
      for (const line of stdout) {
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          if (match(parsed)) return Promise.resolve(parsed);
        } catch {
          // not a JSON line
        }
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching log line within ${timeoutMs} ms; output:\n${output()}`)), timeoutMs);
        waiters.push({ match, resolve: (l) => (clearTimeout(timer), resolve(l)) });
        void exited.then((code) => reject(new Error(`process exited (${code}) before the log line; output:\n${output()}`)));
      });
    },
  };
}

/** A valid 24-word BIP-39 test mnemonic; never fund it. */
export const TEST_MNEMONIC =
  "notice oak worry limit wrap speak medal online prefer cluster roof addict wrist behave treat actual wasp year salad speed social layer crew genius";

/** The variables a service cannot start without (no sensible default exists), set to harmless test values. */
export function requiredEnv(service: string): Record<string, string> {
  const contracts = { ADDRESS_PROVIDER_ADDRESS: "osmo1addressproviderplaceholder" };
  if (service === "liquidator" || service === "manager") return { ...contracts, WALLET_MNEMONIC: TEST_MNEMONIC };
  if (service === "collector" || service === "health-checker") return contracts;
  return {};
}
