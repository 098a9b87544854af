import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TEST_MNEMONIC, requiredEnv, startService } from "./support/service-process.js";

const REDIS_PASSWORD = "s3cret-Redis-pa55word";

/** Fails when any run of three consecutive mnemonic words, or a secret, appears in the output. */
function expectNoSecrets(output: string) {
  const words = TEST_MNEMONIC.split(" ");
  for (let i = 0; i + 3 <= words.length; i++) expect(output).not.toContain(words.slice(i, i + 3).join(" "));
  expect(output).not.toContain(REDIS_PASSWORD);
}

/** A loopback port with nothing listening, so Redis connections fail and errors get logged. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

describe("the wallet mnemonic never reaches the output", () => {
  it("not while running with trace logs and failing Redis connections (mnemonic from a file)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "secret-"));
    writeFileSync(join(dir, "mnemonic"), `${TEST_MNEMONIC}\n`);
    const p = startService("liquidator", {
      ADDRESS_PROVIDER_ADDRESS: requiredEnv("liquidator").ADDRESS_PROVIDER_ADDRESS!,
      WALLET_MNEMONIC_FILE: join(dir, "mnemonic"),
      REDIS_ENDPOINT: `redis://default:${REDIS_PASSWORD}@127.0.0.1:${await closedPort()}`,
      LOG_LEVEL: "trace",
      METRICS_PORT: "0",
    });
    const loaded = await p.waitForLog((l) => l.msg === "configuration loaded");
    expect(loaded.config).toMatchObject({ WALLET_MNEMONIC: "[redacted]" });
    await p.waitForLog((l) => l.msg === "signers derived");
    await p.waitForLog((l) => l.msg === "redis connection error");
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    expectNoSecrets(p.output());
  });

  it("not in configuration errors", async () => {
    const p = startService("liquidator", { WALLET_MNEMONIC: TEST_MNEMONIC, REDIS_PASSWORD, MAX_LIQUIDATORS: "zero" });
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain("MAX_LIQUIDATORS: expected a whole number");
    expectNoSecrets(p.output());
  });

  it("not in the error for a mistyped mnemonic, not even the mistyped word", async () => {
    const typo = TEST_MNEMONIC.replace("wrist", "wrisst");
    const p = startService("liquidator", { WALLET_MNEMONIC: typo });
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain("WALLET_MNEMONIC: contains a word that is not in the BIP-39 English list");
    expect(p.output()).not.toContain("wrisst");
    expectNoSecrets(p.output());
  });
});
