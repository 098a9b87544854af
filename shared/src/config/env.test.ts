import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { envBool, envEnum, envInt, envJson, envSecret, envUrlList, parseConfig } from "./env.js";
import { redisFields } from "./fragments.js";
import { scrubSecrets } from "./secret.js";

const schema = z.object({
  FLAG: envBool("a flag", false),
  COUNT: envInt("a count", 3, { min: 1, max: 10 }),
  PRODUCT: envEnum("a product", ["redbank", "rover"], "redbank", { creditmanager: "rover" }),
  RPC: envUrlList("endpoints", ["http", "https"], "http://127.0.0.1:26657"),
  CHILD: envJson("child config", z.object({ BATCH: z.number().int() }).partial()),
  MNEMONIC: envSecret("a secret", (v) => (v.split(" ").length < 3 ? "too short" : undefined)).optional(),
});

const parse = (env: Record<string, string>) => parseConfig("test", schema, env);

function issuesOf(env: Record<string, string>) {
  try {
    parse(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("parseConfig", () => {
  it.each([
    [{}, { FLAG: false, COUNT: 3, PRODUCT: "redbank", RPC: ["http://127.0.0.1:26657"], CHILD: {} }],
    [{ FLAG: "yes", COUNT: "10", PRODUCT: "Rover" }, { FLAG: true, COUNT: 10, PRODUCT: "rover" }],
    [{ FLAG: "0", PRODUCT: "creditmanager" }, { FLAG: false, PRODUCT: "rover" }],
    [{ RPC: "http://a:1, https://b:2" }, { RPC: ["http://a:1", "https://b:2"] }],
    [{ CHILD: '{"BATCH":5}' }, { CHILD: { BATCH: 5 } }],
    [{ COUNT: "" }, { COUNT: 3 }], // empty counts as unset
  ])("parses %j", (env, expected) => {
    expect(parse(env)).toMatchObject(expected);
  });

  it("lists every bad variable at once, with its reason", () => {
    expect(issuesOf({ FLAG: "maybe", COUNT: "11", PRODUCT: "perps", RPC: "ftp://x", CHILD: "{", MNEMONIC: "a b" })).toEqual([
      { variable: "FLAG", message: "expected 1/0, true/false, yes/no or on/off" },
      { variable: "COUNT", message: "must be at most 10" },
      { variable: "PRODUCT", message: "expected one of redbank, rover" },
      { variable: "RPC", message: '"ftp://x" must use http or https' },
      { variable: "CHILD", message: expect.stringMatching(/^not valid JSON/) },
      { variable: "MNEMONIC", message: "too short" },
    ]);
  });

  it("names the inner field of a bad JSON child config", () => {
    expect(issuesOf({ CHILD: '{"BATCH":"x"}' })).toEqual([{ variable: "CHILD", message: expect.stringContaining("(at BATCH)") }]);
  });

  it("rejects a fraction where a whole number is expected", () => {
    expect(issuesOf({ COUNT: "2.5" })).toEqual([{ variable: "COUNT", message: "expected a whole number" }]);
  });

  it("reads NAME_FILE, and refuses NAME together with NAME_FILE", () => {
    const dir = mkdtempSync(join(tmpdir(), "cfg-"));
    const file = join(dir, "mnemonic");
    writeFileSync(file, "one two three four\n");
    expect(parse({ MNEMONIC_FILE: file }).MNEMONIC?.reveal()).toBe("one two three four");
    expect(issuesOf({ MNEMONIC_FILE: file, MNEMONIC: "one two three" })).toEqual([
      { variable: "MNEMONIC", message: "set either MNEMONIC or MNEMONIC_FILE, not both" },
    ]);
    expect(issuesOf({ MNEMONIC_FILE: join(dir, "missing") })).toEqual([{ variable: "MNEMONIC_FILE", message: expect.stringContaining("ENOENT") }]);
  });

  it("says when a required variable is not set", () => {
    const required = z.object({ NEEDED: envSecret("needed") });
    expect(() => parseConfig("svc", required, {})).toThrow("invalid configuration for svc (1 problem):\n  NEEDED: required but not set");
  });

  it("registers the credentials of endpoint URLs as secrets, so logs scrub them", () => {
    parse({ RPC: "https://bot:s3cr3t%2Fpass@rpc.example.com/osmosis?apikey=key-123456&height=1" });
    expect(scrubSecrets("rpc status at https://bot:s3cr3t%2Fpass@rpc.example.com/osmosis?apikey=key-123456&height=1 failed")).toBe(
      "rpc status at https://bot:[redacted]@rpc.example.com/osmosis?apikey=[redacted]&height=1 failed",
    );
    expect(scrubSecrets("password s3cr3t/pass")).toBe("password [redacted]");
  });

  it("hides secrets in every printed form", () => {
    const config = parse({ MNEMONIC: "alpha beta gamma delta" });
    const printed = [String(config.MNEMONIC), JSON.stringify(config), `${config.MNEMONIC}`];
    for (const p of printed) expect(p).not.toContain("alpha beta");
    expect(config.MNEMONIC?.reveal()).toBe("alpha beta gamma delta");
  });

  it("returns a frozen config", () => {
    expect(Object.isFrozen(parse({}))).toBe(true);
  });

  it("accepts the original bot's host:port REDIS_ENDPOINT form", () => {
    const redis = parseConfig("svc", z.object(redisFields), { REDIS_ENDPOINT: "10.0.0.5:6380", REDIS_CLUSTER: "1" });
    expect(redis).toMatchObject({ REDIS_ENDPOINT: "10.0.0.5:6380", REDIS_CLUSTER: true, REDIS_NAMESPACE: "mlb" });
  });
});
