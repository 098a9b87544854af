import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { Secret } from "../config/secret.js";
import { createLogger } from "./logger.js";

/** An in-memory sink that parses every line the logger writes. */
function sink() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      raw.push(String(chunk));
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines, raw };
}

describe("createLogger", () => {
  it("writes one JSON line per event with the service bindings and the level as a label", () => {
    const out = sink();
    const logger = createLogger({ service: "collector", bindings: { chain: "osmosis", product: "redbank" }, destination: out.stream });
    logger.child({ component: "scan" }).info({ height: 42, durationMs: 7 }, "page scanned");
    expect(out.lines).toEqual([
      {
        level: "info",
        time: expect.any(Number),
        service: "collector",
        chain: "osmosis",
        product: "redbank",
        component: "scan",
        height: 42,
        durationMs: 7,
        msg: "page scanned",
      },
    ]);
  });

  it("honours the level", () => {
    const out = sink();
    const logger = createLogger({ service: "x", level: "warn", destination: out.stream });
    logger.info("hidden");
    logger.warn("shown");
    expect(out.lines.map((l) => l.msg)).toEqual(["shown"]);
  });

  it("redacts secret fields by path and secret values anywhere, including error messages and stacks", () => {
    const mnemonic = "velvet guitar orbit staple mirror frost canyon ladder pepper rookie hazard blossom";
    const secret = new Secret(mnemonic);
    const out = sink();
    const logger = createLogger({ service: "liquidator", destination: out.stream });
    logger.info({ config: { WALLET_MNEMONIC: secret }, mnemonic }, "configuration loaded");
    logger.error({ err: new Error(`cannot derive wallet from "${mnemonic}"`) }, "signer failed");
    logger.warn(`raw ${mnemonic} in the message`);
    const text = out.raw.join("");
    expect(text).not.toContain(mnemonic);
    expect(text).not.toContain("velvet guitar");
    expect(out.lines[0]).toMatchObject({ config: { WALLET_MNEMONIC: "[redacted]" }, mnemonic: "[redacted]" });
    expect(out.lines[1]).toMatchObject({ err: { type: "Error", message: 'cannot derive wallet from "[redacted]"' } });
    expect(out.lines[2]).toMatchObject({ msg: "raw [redacted] in the message" });
  });
});
