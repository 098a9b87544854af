import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const sharedDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const fixture = join(sharedDir, "test", "fixtures", "queue-worker.mjs");

/**
 * The child fixture imports the built package (`shared/dist`), since node cannot run TypeScript
 * here. Fails with the fix when dist is missing or older than the queue sources.
 */
export function assertDistBuilt(): void {
  const built = join(sharedDir, "dist", "queue", "index.js");
  if (!existsSync(built)) throw new Error(`${built} is missing: build first with \`npx tsc -b shared\` (\`make test\` does it)`);
  const srcDir = join(sharedDir, "src", "queue");
  for (const file of readdirSync(srcDir).filter((f) => f.endsWith(".ts"))) {
    const js = join(sharedDir, "dist", "queue", file.replace(/\.ts$/, ".js"));
    if (!existsSync(js) || statSync(js).mtimeMs < statSync(join(srcDir, file)).mtimeMs) {
      throw new Error(`${js} is missing or older than src/queue/${file}: rebuild with \`npx tsc -b shared\``);
    }
  }
}

/** Settings passed to the fixture through its environment. */
export interface WorkerEnv {
  REDIS_URL: string;
  NAMESPACE: string;
  /** "hang": announce the first claimed item and never finish; "work": record each item in RESULTS_KEY. */
  MODE: "hang" | "work";
  QUEUE?: string;
  RESULTS_KEY?: string;
  CONSUMER_ID?: string;
  BATCH_SIZE?: string;
  CONCURRENCY?: string;
  HEARTBEAT_TTL_MS?: string;
}

/** A running fixture; `lines` collects its stdout, `waitForLine` resolves on the first match. */
export interface ChildWorker {
  child: ChildProcess;
  lines: string[];
  stderr: string[];
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `shared/test/fixtures/queue-worker.mjs` with `env`. */
export function spawnWorker(env: WorkerEnv): ChildWorker {
  const child = spawn(process.execPath, [fixture], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const stderr: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    lines.push(line);
    for (const w of waiters.filter((w) => w.pattern.test(line))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  });
  createInterface({ input: child.stderr! }).on("line", (line) => stderr.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return {
    child,
    lines,
    stderr,
    exited,
    waitForLine(pattern, timeoutMs = 30_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker pid ${child.pid} printed no line matching ${pattern} within ${timeoutMs} ms; stderr:\n${stderr.slice(-20).join("\n")}`)), timeoutMs);
        waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
        void exited.then(({ code, signal }) => (clearTimeout(timer), reject(new Error(`worker pid ${child.pid} exited (code ${code}, signal ${signal}) before printing ${pattern}; stderr:\n${stderr.slice(-20).join("\n")}`))));
      });
    },
  };
}
