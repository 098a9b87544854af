import { describe, expect, it } from "vitest";
import { DEFAULT_DEVNET_MNEMONIC, FlagError, parseFlags } from "./cli.js";

describe("parseFlags", () => {
  it("applies the documented defaults", () => {
    expect(parseFlags([])).toEqual({
      chain: "osmosis", rpcPort: 26657, lcdPort: 1317, hivePort: 8085, adminPort: 8086, adminPortExplicit: false, blockTimeMs: 1000, seed: 1,
      mnemonic: DEFAULT_DEVNET_MNEMONIC, funded: 10, scenario: "idle", positions: 0, accounts: 0, crashAtBlock: 10, crashPct: 30, recoverBlocks: 0, activity: 3,
    });
  });

  it("reads every flag", () => {
    const f = parseFlags(["--chain", "neutron", "--scenario", "crash", "--positions", "5000", "--admin-port", "0", "--recover-blocks", "20"]);
    expect(f).toMatchObject({ chain: "neutron", scenario: "crash", positions: 5000, adminPort: 0, adminPortExplicit: true, recoverBlocks: 20 });
  });

  it("names every bad flag at once", () => {
    const err = (() => {
      try {
        parseFlags(["--chain", "juno", "--block-time-ms", "5", "--scenario", "moon"]);
      } catch (e) {
        return e as FlagError;
      }
      throw new Error("expected a FlagError");
    })();
    expect(err).toBeInstanceOf(FlagError);
    expect(err.message.split("\n")).toEqual([
      '--chain: expected osmosis or neutron, got "juno"',
      '--scenario: expected one of idle, crash, random-walk, got "moon"',
      '--block-time-ms: expected a whole number from 10 to 600000, got "5"',
    ]);
  });

  it("rejects unknown flags", () => {
    expect(() => parseFlags(["--nope", "1"])).toThrow(FlagError);
  });
});
