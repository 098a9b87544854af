/**
 * The demo's managers: one `node manager/dist/main.js` per product, each in its own process group
 * (Ctrl-C reaches the demo alone, which then stops them in order), output appended to a log file.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const MANAGER_MAIN = path.join(path.dirname(fileURLToPath(import.meta.resolve("@mlb/manager"))), "main.js");

/** Environment variables the managers take from the demo's own (Docker and system settings). */
const INHERITED = ["PATH", "HOME", "TMPDIR", "DOCKER_HOST", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY", "NODE_EXTRA_CA_CERTS"];

export class ManagerProcess {
  readonly #child: ChildProcess;
  readonly #exited: Promise<number | null>;

  private constructor(child: ChildProcess) {
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }

  static start(env: Record<string, string>, logFile: string): ManagerProcess {
    const out = createWriteStream(logFile, { flags: "a" });
    const inherited = Object.fromEntries(INHERITED.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]!]));
    const child = spawn(process.execPath, [MANAGER_MAIN], { env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    child.stdout!.pipe(out, { end: false });
    child.stderr!.pipe(out, { end: false });
    child.once("exit", () => out.end());
    return new ManagerProcess(child);
  }

  /** The exit code once it exited, else null. */
  get exitCode(): number | null {
    return this.#child.exitCode;
  }

  /** SIGTERM (the manager scales its services to zero, then exits), SIGKILL of its group after `graceMs`. */
  async stop(graceMs = 30_000): Promise<void> {
    const pid = this.#child.pid;
    if (pid === undefined || this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill("SIGTERM");
    const timer = setTimeout(() => killGroup(pid), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  /** Last resort when the demo itself exits: the manager and every process it started. */
  kill(): void {
    if (this.#child.pid !== undefined && this.#child.exitCode === null) killGroup(this.#child.pid);
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}
