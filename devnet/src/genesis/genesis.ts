import { makeCosmoshubPath } from "@cosmjs/amino";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { deployCreditManagerStack, type RoverAddresses } from "../contracts/credit-manager/deploy.js";
import { deployMarsCore, type MarsCoreAddresses } from "../contracts/mars-core/deploy.js";
import { setUpSwapperMarket, type RouteSpec } from "../contracts/swapper/genesis.js";
import type { PoolSpec } from "../contracts/swapper/pools.js";
import { World } from "../state/world.js";
import type { ChainSpec, MarketSpec } from "./chains.js";

/** The contracts of a devnet, as the ready line names them. */
export interface DevnetContracts {
  addressProvider: string;
  redBank: string;
  oracle: string;
  params: string;
  creditManager: string;
  accountNft: string;
  health: string;
  swapper: string;
  rewardsCollector: string;
}

export interface Genesis {
  world: World;
  spec: ChainSpec;
  owner: string;
  /** Funded accounts, HD indexes 1..n. */
  accounts: string[];
  contracts: DevnetContracts;
  rover: RoverAddresses;
  /** Supplies Red Bank liquidity at genesis; also the counterparty of background activity. */
  liquidityProvider: string;
}

/** Whole tokens every funded account (and the liquidity provider, ×1000) receives per market denom. */
const FUNDED_WHOLE_TOKENS = 10_000_000n;
/** Red Bank liquidity deposited per market at genesis, in whole USD. */
const GENESIS_LIQUIDITY_USD = 500_000_000n;
/** Depth of every swapper pool, in whole USD. */
const POOL_DEPTH_USD = 20_000_000n;

/** Interest rate model of every genesis market (the owner may change it; spec §2.3). */
const IRM = { optimal_utilization_rate: "0.8", base: "0", slope_1: "0.2", slope_2: "2" };
const RESERVE_FACTOR = "0.1";

/** Derives the owner (HD index 0) and `funded` accounts (1..n) of a mnemonic. */
export async function deriveAccounts(mnemonic: string, prefix: string, funded: number): Promise<{ owner: string; accounts: string[]; wallet: DirectSecp256k1HdWallet }> {
  const hdPaths = Array.from({ length: funded + 1 }, (_, i) => makeCosmoshubPath(i));
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix, hdPaths });
  const all = (await wallet.getAccounts()).map((a) => a.address);
  return { owner: all[0]!, accounts: all.slice(1), wallet };
}

/** Base units of `whole` tokens of a market. */
export function units(m: MarketSpec, whole: bigint): bigint {
  return whole * 10n ** BigInt(m.decimals);
}

/** Base units worth `usd` whole dollars at the market's genesis price (price is uusd per base unit). */
function unitsForUsd(m: MarketSpec, usd: bigint): bigint {
  const [int, frac = ""] = m.price.split(".");
  const atomics = BigInt(int!) * 10n ** 18n + BigInt(frac.padEnd(18, "0"));
  return (usd * 1_000_000n * 10n ** 18n) / atomics;
}

/**
 * Builds the genesis state through the contracts' own messages: deploys every contract, creates
 * one market per denom (oracle fixed price, asset params, red bank market), funds the accounts,
 * deposits Red Bank liquidity and sets up the swapper's pools and routes.
 */
export async function buildGenesis(spec: ChainSpec, o: { mnemonic: string; funded: number; genesisTime: number }): Promise<Genesis> {
  const { owner, accounts } = await deriveAccounts(o.mnemonic, spec.prefix, o.funded);
  const world = new World({ prefix: spec.prefix, chainId: spec.chainId, height: 1, time: o.genesisTime });
  const core: MarsCoreAddresses = deployMarsCore(world, { variant: spec.variant, owner, targetHealthFactor: spec.targetHealthFactor });
  const rover = deployCreditManagerStack(world, { variant: spec.variant, owner, core });
  const neutron = spec.variant === "neutron";

  const gas = spec.markets.find((m) => m.role === "gas")!;
  world.bank.mint(owner, gas.denom, units(gas, FUNDED_WHOLE_TOKENS));
  for (const m of spec.markets) {
    world.execute(owner, core.oracle, { set_price_source: { denom: m.denom, price_source: { fixed: { price: m.price } } } });
    if (!neutron) world.execute(owner, core.redBank, { init_asset: { denom: m.denom, params: { reserve_factor: RESERVE_FACTOR, interest_rate_model: IRM } } });
    const params = {
      denom: m.denom,
      credit_manager: neutron ? { whitelisted: true, withdraw_enabled: true, hls: null } : { whitelisted: true, hls: null },
      red_bank: neutron ? { deposit_enabled: true, borrow_enabled: true, withdraw_enabled: true } : { deposit_enabled: true, borrow_enabled: true },
      max_loan_to_value: m.maxLtv,
      liquidation_threshold: m.liquidationThreshold,
      liquidation_bonus: spec.liquidationBonus,
      protocol_liquidation_fee: spec.protocolLiquidationFee,
      deposit_cap: (10n ** 38n).toString(),
      ...(neutron ? { close_factor: spec.closeFactor, reserve_factor: RESERVE_FACTOR, interest_rate_model: IRM } : {}),
    };
    world.execute(owner, core.params, { update_asset_params: { add_or_update: { params } } });
  }

  const liquidityProvider = world.contractAddress("devnet-liquidity-provider");
  for (const m of spec.markets) {
    for (const a of accounts) world.bank.mint(a, m.denom, units(m, FUNDED_WHOLE_TOKENS));
    const deposit = unitsForUsd(m, GENESIS_LIQUIDITY_USD);
    world.bank.mint(liquidityProvider, m.denom, deposit + units(m, FUNDED_WHOLE_TOKENS * 1000n));
    world.execute(liquidityProvider, core.redBank, { deposit: {} }, [{ denom: m.denom, amount: deposit.toString() }]);
  }

  const neutral = spec.markets.find((m) => m.role === "neutral")!;
  const others = spec.markets.filter((m) => m !== neutral);
  const pools: PoolSpec[] = others.map((m, i) => ({ id: i + 1, denoms: [m.denom, neutral.denom], depthUsd: POOL_DEPTH_USD, feeBps: 20 }));
  setUpSwapperMarket(world, rover.swapper, { pools, routes: routesThroughNeutral(spec, pools) });

  return {
    world,
    spec,
    owner,
    accounts,
    liquidityProvider,
    rover,
    contracts: {
      addressProvider: core.addressProvider,
      redBank: core.redBank,
      oracle: core.oracle,
      params: core.params,
      creditManager: rover.creditManager,
      accountNft: rover.accountNft,
      health: rover.health,
      swapper: rover.swapper,
      rewardsCollector: core.rewardsCollector,
    },
  };
}

/** Routes for every ordered pair of market denoms: direct to and from USDC, else two hops through it. */
function routesThroughNeutral(spec: ChainSpec, pools: PoolSpec[]): RouteSpec[] {
  const neutral = spec.markets.find((m) => m.role === "neutral")!.denom;
  const poolOf = new Map(pools.map((p) => [p.denoms[0], p.id]));
  const hop = (from: string, to: string) => {
    const id = poolOf.get(from === neutral ? to : from)!;
    return spec.variant === "osmosis" ? { pool_id: id, to } : { from, to };
  };
  const routes: RouteSpec[] = [];
  for (const a of spec.markets) {
    for (const b of spec.markets) {
      if (a === b) continue;
      const swaps = a.denom === neutral || b.denom === neutral ? [hop(a.denom, b.denom)] : [hop(a.denom, neutral), hop(neutral, b.denom)];
      routes.push({ denomIn: a.denom, denomOut: b.denom, route: spec.variant === "osmosis" ? { osmo: { swaps } } : { astro: { swaps } } });
    }
  }
  return routes;
}
