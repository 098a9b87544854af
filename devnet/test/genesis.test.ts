import { describe, expect, it } from "vitest";
import { CHAIN_SPECS } from "../src/genesis/chains.js";
import { buildGenesis } from "../src/genesis/genesis.js";
import { DEFAULT_DEVNET_MNEMONIC } from "../src/cli.js";

describe.each(["osmosis", "neutron"] as const)("genesis (%s)", (chain) => {
  it("creates every market with prices, params and liquidity, and funds the accounts", async () => {
    const spec = CHAIN_SPECS[chain];
    const g = await buildGenesis(spec, { mnemonic: DEFAULT_DEVNET_MNEMONIC, funded: 3, genesisTime: 1_700_000_000 });
    expect(g.accounts).toHaveLength(3);
    for (const m of spec.markets) {
      expect(g.world.query<{ price: string }>(g.contracts.oracle, { price: { denom: m.denom } }).price).toBe(m.price);
      const params = g.world.query<{ liquidation_threshold: string; close_factor?: string }>(g.contracts.params, { asset_params: { denom: m.denom } });
      expect(params.liquidation_threshold).toBe(m.liquidationThreshold);
      expect(params.close_factor).toBe(chain === "neutron" ? "0.9" : undefined);
      const market = g.world.query<{ collateral_total_scaled: string }>(g.contracts.redBank, { market: { denom: m.denom } });
      expect(BigInt(market.collateral_total_scaled)).toBeGreaterThan(0n);
      expect(g.world.bank.balance(g.accounts[0]!, m.denom)).toBe(10_000_000n * 10n ** BigInt(m.decimals));
    }
    const neutral = spec.markets.find((m) => m.role === "neutral")!.denom;
    const weth = spec.markets.find((m) => m.symbol === "WETH")!.denom;
    const estimate = g.world.query<{ amount: string }>(g.contracts.swapper, { estimate_exact_in_swap: { coin_in: { denom: weth, amount: (10n ** 18n).toString() }, denom_out: neutral, route: null } });
    expect(estimate.amount).toBe("3000000000");
  });
});
