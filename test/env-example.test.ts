/** `.env.example`, the operator's template for `make run`: complete, valid, and read as Docker reads it. */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { managerConfigSchema, readEnvFile } from "@mlb/manager";
import { ROOT, TEST_MNEMONIC } from "./support/service-process.js";

const run = promisify(execFile);
const example = readFileSync(`${ROOT}.env.example`, "utf8");

describe(".env.example", () => {
  it("lists every manager variable, set or commented out with its default", () => {
    for (const name of Object.keys(managerConfigSchema.shape)) {
      const listed = new RegExp(`^(# )?${name}(_FILE)?=`, "m").test(example);
      expect(listed, name).toBe(true);
    }
    const known = Object.keys(managerConfigSchema.shape);
    for (const [, name] of example.matchAll(/^(?:# )?([A-Z][A-Z0-9_]+)=/gm)) {
      expect(known.includes(name!) || known.includes(name!.replace(/_FILE$/, "")), name).toBe(true);
    }
  });

  it("names the mainnet address providers of both chains and reads JSON values literally", () => {
    const env = readEnvFile(example);
    expect(env.ADDRESS_PROVIDER_ADDRESS).toBe("osmo1g677w7mfvn78eeudzwylxzlyz69fsgumqrscj6tekhdvs8fye3asufmvxr");
    expect(example).toContain("neutron17yehp4x7n79zq9dlw4g7xmnrvwdjjj2yecq26844sg8yu74knlxqfx5vqv");
    expect(JSON.parse(env.EXECUTOR_CONFIG!)).toMatchObject({ MAX_LIQUIDATORS: 10 });
    expect(env.WALLET_MNEMONIC).toBeUndefined(); // the words go in a file, never in .env
  });

  it("passes `cli.js check` once the mnemonic file exists, and a bad value exits 2 naming it", async () => {
    const dir = tmpdir();
    const secret = path.join(dir, `mlb-mnemonic-${process.pid}`);
    writeFileSync(secret, TEST_MNEMONIC, { mode: 0o600 });
    const file = path.join(dir, `mlb-env-${process.pid}`);
    writeFileSync(file, example.replace(/^WALLET_MNEMONIC_FILE=.*$/m, `WALLET_MNEMONIC_FILE=${secret}`));
    const ok = await run(process.execPath, [`${ROOT}manager/dist/cli.js`, "check", "--env-file", file]);
    expect(ok.stdout).toContain("settings are valid (osmosis redbank, ORCHESTRATOR=docker)");
    writeFileSync(file, example.replace(/^WALLET_MNEMONIC_FILE=.*$/m, `WALLET_MNEMONIC_FILE=${secret}`).replace(/^EXECUTOR_CONFIG=.*$/m, 'EXECUTOR_CONFIG={"MAX_LIQUIDATORS":0}'));
    const bad = await run(process.execPath, [`${ROOT}manager/dist/cli.js`, "check", "--env-file", file]).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).toBe(2);
    expect((bad as { stderr: string }).stderr).toContain("EXECUTOR_CONFIG");
    expect((bad as { stderr: string }).stderr).not.toContain(TEST_MNEMONIC.split(" ")[0]);
  });
});
