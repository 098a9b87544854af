import { sha256 } from "@cosmjs/crypto";
import { toHex } from "@cosmjs/encoding";
import type { MarsVariant } from "../contracts/host.js";

/** The role of a market denom in the ready line: the fee token, the USDC the bot settles in, or another asset. */
export type DenomRole = "gas" | "neutral" | "asset";

/** A market of the devnet with its genesis price and risk parameters. */
export interface MarketSpec {
  denom: string;
  symbol: string;
  decimals: number;
  role: DenomRole;
  /** Oracle price in uusd per base unit (spec §5), e.g. "0.5" for OSMO at $0.50. */
  price: string;
  maxLtv: string;
  liquidationThreshold: string;
}

/** Everything that differs between the two chains the devnet imitates. */
export interface ChainSpec {
  variant: MarsVariant;
  chainId: string;
  prefix: string;
  gasDenom: string;
  /** Minimum gas price in the gas denom. */
  minGasPrice: string;
  markets: MarketSpec[];
  /** Liquidation bonus curve and protocol fee of the chain's mainnet config (spec §2.6 A/B). */
  liquidationBonus: { starting_lb: string; slope: string; min_lb: string; max_lb: string };
  protocolLiquidationFee: string;
  /** Osmosis: target health factor; neutron: static close factor. */
  targetHealthFactor?: string;
  closeFactor?: string;
}

/** An IBC voucher denom, derived the way ibc-go does: ibc/SHA256("transfer/<channel>/<base>"). */
export function ibcDenom(channel: string, base: string): string {
  return `ibc/${toHex(sha256(new TextEncoder().encode(`transfer/${channel}/${base}`))).toUpperCase()}`;
}

export const CHAIN_SPECS: Record<MarsVariant, ChainSpec> = {
  osmosis: {
    variant: "osmosis",
    chainId: "osmosis-devnet-1",
    prefix: "osmo",
    gasDenom: "uosmo",
    minGasPrice: "0.0025",
    liquidationBonus: { starting_lb: "0", slope: "1", min_lb: "0.05", max_lb: "0.2" },
    protocolLiquidationFee: "0.25",
    targetHealthFactor: "1.05",
    markets: [
      { denom: "uosmo", symbol: "OSMO", decimals: 6, role: "gas", price: "0.5", maxLtv: "0.73", liquidationThreshold: "0.75" },
      // Noble USDC on Osmosis (spec §9).
      { denom: "ibc/498A0751C798A0D9A389AA3691123DADA57DAA4FE165D5C75894505B876BA6E4", symbol: "USDC", decimals: 6, role: "neutral", price: "1", maxLtv: "0.8", liquidationThreshold: "0.85" },
      { denom: ibcDenom("channel-0", "uatom"), symbol: "ATOM", decimals: 6, role: "asset", price: "8", maxLtv: "0.68", liquidationThreshold: "0.7" },
      { denom: ibcDenom("channel-208", "wbtc-satoshi"), symbol: "WBTC", decimals: 8, role: "asset", price: "600", maxLtv: "0.7", liquidationThreshold: "0.78" },
      { denom: ibcDenom("channel-208", "weth-wei"), symbol: "WETH", decimals: 18, role: "asset", price: "0.000000003", maxLtv: "0.7", liquidationThreshold: "0.78" },
      { denom: ibcDenom("channel-326", "stuatom"), symbol: "stATOM", decimals: 6, role: "asset", price: "10", maxLtv: "0.6", liquidationThreshold: "0.65" },
    ],
  },
  neutron: {
    variant: "neutron",
    chainId: "neutron-devnet-1",
    prefix: "neutron",
    gasDenom: "untrn",
    minGasPrice: "0.01",
    liquidationBonus: { starting_lb: "0", slope: "2", min_lb: "0", max_lb: "0.05" },
    protocolLiquidationFee: "0.5",
    closeFactor: "0.9",
    markets: [
      { denom: "untrn", symbol: "NTRN", decimals: 6, role: "gas", price: "0.4", maxLtv: "0.35", liquidationThreshold: "0.4" },
      // Noble USDC on Neutron (spec §9).
      { denom: "ibc/B559A80D62249C8AA07A380E2A2BEA6E5CA9A6F079C912C3A9E9B494105E4F81", symbol: "USDC", decimals: 6, role: "neutral", price: "1", maxLtv: "0.74", liquidationThreshold: "0.75" },
      { denom: ibcDenom("channel-1", "uatom"), symbol: "ATOM", decimals: 6, role: "asset", price: "8", maxLtv: "0.68", liquidationThreshold: "0.7" },
      { denom: ibcDenom("channel-2", "wbtc-satoshi"), symbol: "WBTC", decimals: 8, role: "asset", price: "600", maxLtv: "0.7", liquidationThreshold: "0.78" },
      { denom: ibcDenom("channel-2", "weth-wei"), symbol: "WETH", decimals: 18, role: "asset", price: "0.000000003", maxLtv: "0.7", liquidationThreshold: "0.78" },
      { denom: "factory/neutron1k6hr0f83e7un2wjf29cspk7j69jrnskk65k3ek2nj9dztrlzpj6q00rtsa/udatom", symbol: "dATOM", decimals: 6, role: "asset", price: "10", maxLtv: "0.6", liquidationThreshold: "0.65" },
    ],
  },
};
