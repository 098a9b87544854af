/**
 * `make demo`'s engine end to end, smaller than the default scenario: a private Redis, the devnet,
 * two managers with the process orchestrator and their services. It must end by itself with exit 0
 * and its summary, and leave no process of its own behind.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const MAIN = path.resolve(import.meta.dirname, "../dist/main.js");
const dir = mkdtempSync(path.join(tmpdir(), "mlb-demo-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Pids of node processes started from `dir`'s demo (their environment names its log directory or its managers). */
function leftovers(pids: Set<number>): number[] {
  return [...pids].filter((pid) => {
    try {
      return !readFileSync(`/proc/${pid}/status`, "utf8").includes("State:\tZ");
    } catch {
      return false;
    }
  });
}

/** Every descendant of `pid` now. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${d}/status`, "utf8"))?.[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => (children.get(p) ?? []).forEach((c) => (out.push(c), walk(c)));
  walk(pid);
  return out;
}

describe("make demo", () => {
  it("liquidates every liquidatable position after the crash, prints its summary, exits 0 and stops everything", async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, DEMO_POSITIONS: "400", DEMO_ACCOUNTS: "40", DEMO_CALM_BLOCKS: "1", DEMO_DIR: dir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    // Everything the demo started (devnet, Redis, managers, their services), seen while it runs.
    const started = new Set<number>();
    const watch = setInterval(() => descendants(child.pid!).forEach((p) => started.add(p)), 500);
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    clearInterval(watch);
    expect(out).toContain("every shard scanned, every service running");
    expect(out).toMatch(/prices −25%/);
    expect(out).toContain("Every liquidatable position was liquidated, no work missed.");
    expect(code, out).toBe(0);
    const liquidated = /liquidated by the bot\s+(\d+)\s+(\d+)/.exec(out);
    expect(Number(liquidated?.[1])).toBeGreaterThan(0);
    expect(Number(liquidated?.[2])).toBeGreaterThan(0);
    expect(started.size).toBeGreaterThanOrEqual(8); // devnet, redis, 2 managers, 2 × 3 services
    expect(leftovers(started)).toEqual([]);
  }, 300_000);
});
