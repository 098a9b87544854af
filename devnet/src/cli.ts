import { parseArgs } from "node:util";
import { SCENARIOS, type ScenarioName } from "./scenario/price-path.js";

/**
 * The documented default mnemonic of the devnet (a public test mnemonic: never fund it anywhere
 * else). HD index 0 is the owner of the contracts, 1..n the funded accounts.
 */
export const DEFAULT_DEVNET_MNEMONIC =
  "surround miss nominee dream gap cross assault thank captain prosper drop duty group candy wealth weather scale put";

/** The devnet's command-line flags, parsed and checked. */
export interface DevnetFlags {
  chain: "osmosis" | "neutron";
  rpcPort: number;
  lcdPort: number;
  hivePort: number;
  adminPort: number;
  /** Whether --admin-port was given (a default port that is taken falls back to a free one). */
  adminPortExplicit: boolean;
  blockTimeMs: number;
  seed: number;
  mnemonic: string;
  funded: number;
  scenario: ScenarioName;
  positions: number;
  accounts: number;
  crashAtBlock: number;
  crashPct: number;
  recoverBlocks: number;
  activity: number;
}

/** Every flag with its default and meaning; `--help` prints this table. */
export const FLAGS = {
  chain: { default: "osmosis", help: "osmosis (target health factor math) or neutron (static close factor)" },
  "rpc-port": { default: "26657", help: "CometBFT RPC (HTTP JSON-RPC and /websocket)" },
  "lcd-port": { default: "1317", help: "LCD (REST)" },
  "hive-port": { default: "8085", help: "Hive-compatible GraphQL (/graphql)" },
  "admin-port": { default: "8086", help: "admin API for tests and benchmarks (devnet/README.md)" },
  "block-time-ms": { default: "1000", help: "block interval; block times in headers advance by exactly this much" },
  seed: { default: "1", help: "seed of the scenario (positions, prices, background activity)" },
  mnemonic: { default: "(the documented test mnemonic)", help: "genesis accounts: HD index 0 is the owner, 1..n the funded accounts" },
  funded: { default: "10", help: "how many funded accounts (HD indexes 1..n)" },
  scenario: { default: "idle", help: `price path: ${SCENARIOS.join(", ")}` },
  positions: { default: "0", help: "Red Bank debtors created at genesis" },
  accounts: { default: "0", help: "credit accounts with debt created at genesis" },
  "crash-at-block": { default: "10", help: "crash: height of the price drop" },
  "crash-pct": { default: "30", help: "crash: drop of every non-USDC asset, in percent" },
  "recover-blocks": { default: "0", help: "crash: blocks over which prices return linearly to genesis after the crash (0: no recovery)" },
  activity: { default: "3", help: "background transactions per block (deposits, borrows, repays) when positions exist" },
} as const;

/** Thrown for bad flags; main prints it and exits 2. */
export class FlagError extends Error {}

export function flagHelp(): string {
  const rows = Object.entries(FLAGS).map(([name, f]) => `  --${name.padEnd(15)} ${f.help} [default: ${f.default}]`);
  return `Usage: npm run devnet -- [flags]\n\n${rows.join("\n")}\n`;
}

/** Parses argv; throws FlagError naming every bad flag. */
export function parseFlags(argv: string[]): DevnetFlags {
  const options = Object.fromEntries(Object.keys(FLAGS).map((k) => [k, { type: "string" as const }]));
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }) as { values: Record<string, string | undefined> });
  } catch (err) {
    throw new FlagError((err as Error).message);
  }
  const problems: string[] = [];
  const get = (name: keyof typeof FLAGS) => values[name] ?? FLAGS[name].default;
  const int = (name: keyof typeof FLAGS, min: number, max: number) => {
    const raw = get(name);
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) problems.push(`--${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    return n;
  };
  const chain = get("chain");
  if (chain !== "osmosis" && chain !== "neutron") problems.push(`--chain: expected osmosis or neutron, got ${JSON.stringify(chain)}`);
  const scenario = get("scenario");
  if (!(SCENARIOS as readonly string[]).includes(scenario)) problems.push(`--scenario: expected one of ${SCENARIOS.join(", ")}, got ${JSON.stringify(scenario)}`);
  const flags: DevnetFlags = {
    chain: chain as DevnetFlags["chain"],
    rpcPort: int("rpc-port", 0, 65535),
    lcdPort: int("lcd-port", 0, 65535),
    hivePort: int("hive-port", 0, 65535),
    adminPort: int("admin-port", 0, 65535),
    adminPortExplicit: values["admin-port"] !== undefined,
    blockTimeMs: int("block-time-ms", 10, 600_000),
    seed: int("seed", 0, 2 ** 31),
    mnemonic: values.mnemonic ?? DEFAULT_DEVNET_MNEMONIC,
    funded: int("funded", 0, 10_000),
    scenario: scenario as ScenarioName,
    positions: int("positions", 0, 10_000_000),
    accounts: int("accounts", 0, 1_000_000),
    crashAtBlock: int("crash-at-block", 1, 1_000_000),
    crashPct: int("crash-pct", 1, 99),
    recoverBlocks: int("recover-blocks", 0, 1_000_000),
    activity: int("activity", 0, 10_000),
  };
  if (problems.length) throw new FlagError(problems.join("\n"));
  return flags;
}
