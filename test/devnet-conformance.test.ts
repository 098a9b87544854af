import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/service-process.js";

const TOOL = `${ROOT}../shared/tools/devnet-conformance.mjs`;

/**
 * The foreign-client conformance check of the devnet (shared/tools/devnet-conformance.mjs): cosmjs
 * over real sockets, the ready line, blocks, websocket, LCD, Hive, raw state, sequences, the
 * owner's admin messages and worked examples A (osmosis) and B (neutron) to the unit.
 */
describe("devnet conformance", () => {
  // cosmjs polls for inclusion every 3 s, so each run takes about 45 s: run both chains at once.
  it.concurrent.each(["osmosis", "neutron"])("%s passes every check", async (chain) => {
    expect(existsSync(TOOL), `${TOOL} is missing: the shared/ folder must lie beside the repository`).toBe(true);
    const child = spawn(process.execPath, [TOOL, chain], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(output).not.toMatch(/^FAIL /m);
    expect(code, output).toBe(0);
  }, 240_000);
});
