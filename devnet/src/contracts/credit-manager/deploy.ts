import type { World } from "../../state/world.js";
import type { MarsVariant } from "../host.js";
import { AccountNftModel } from "../account-nft/contract.js";
import { HealthModel } from "../health/contract.js";
import { SwapperModel } from "../swapper/contract.js";
import { MARS_CORE_LABELS, instantiateModel, type MarsCoreAddresses } from "../mars-core/deploy.js";
import { CreditManagerModel } from "./contract.js";
import type { CreditManagerOptions } from "./config.js";

/**
 * Genesis of the Rover side of Mars (spec §3.3, §6, §7) on top of {@link deployMarsCore}: health
 * contract, swapper, account NFT and credit manager, wired the way the real deployment does it —
 * the NFT's minter proposes the credit manager as new minter, the CM owner's
 * `update_config {account_nft}` accepts, and `update_config {rewards_collector}` binds the
 * rewards collector and mints its credit account (id "1" on a fresh NFT). The address provider
 * gets `health` and `swapper`.
 */

/** The labels (hence deterministic addresses) of the contracts deployed here. */
export const ROVER_LABELS = {
  health: "mars-health",
  swapper: "mars-swapper",
  accountNft: "mars-account-nft",
  creditManager: MARS_CORE_LABELS.creditManager,
} as const;

/** Options of {@link deployCreditManagerStack}. */
export interface DeployRoverOptions {
  variant: MarsVariant;
  /** Owner of every contract (and initial NFT minter). */
  owner: string;
  /** The addresses {@link deployMarsCore} returned (its `creditManager` must be the default label's address). */
  core: MarsCoreAddresses;
  /** Credit-manager settings beyond the addresses (swap fee, slippage, [NTRN] perps LB ratio). */
  creditManager?: Pick<CreditManagerOptions, "swapFee" | "maxSlippage" | "maxUnlockingPositions" | "perpsLiquidationBonusRatio">;
  /** [NTRN] astroport router/factory shown in the swapper's config. */
  astroport?: { router: string; factory: string };
}

/** Addresses of the deployed Rover contracts. */
export interface RoverAddresses {
  creditManager: string;
  accountNft: string;
  health: string;
  swapper: string;
  /** The rewards collector's credit account (receives liquidation and swap fees). */
  rewardsCollectorAccountId: string;
}

/** Deploys health, swapper, account NFT and credit manager and wires them (see the module doc). */
export function deployCreditManagerStack(world: World, o: DeployRoverOptions): RoverAddresses {
  const { variant, owner, core } = o;
  const cmAddress = world.contractAddress(ROVER_LABELS.creditManager);
  if (core.creditManager !== cmAddress) {
    throw new Error(`deployCreditManagerStack: the address provider knows the credit manager as ${core.creditManager}, the model would be at ${cmAddress}`);
  }
  const health = instantiateModel(world, new HealthModel({ variant, owner, creditManager: cmAddress }), ROVER_LABELS.health, owner).address;
  const swapper = instantiateModel(world, new SwapperModel({ variant, owner, oracle: core.oracle, astroport: o.astroport }), ROVER_LABELS.swapper, owner).address;
  const accountNft = instantiateModel(
    world,
    new AccountNftModel({ variant, minter: owner, healthContract: health, creditManager: cmAddress }),
    ROVER_LABELS.accountNft,
    owner,
  ).address;
  const cmModel = new CreditManagerModel({
    variant,
    owner,
    redBank: core.redBank,
    oracle: core.oracle,
    params: core.params,
    healthContract: health,
    swapper,
    ...o.creditManager,
  });
  const creditManager = instantiateModel(world, cmModel, ROVER_LABELS.creditManager, owner).address;
  world.execute(owner, accountNft, { update_ownership: { transfer_ownership: { new_owner: creditManager, expiry: null } } });
  world.execute(owner, creditManager, { update_config: { updates: { account_nft: accountNft } } });
  const rcAccountId = world.query<string>(accountNft, { next_id: {} });
  world.execute(owner, creditManager, { update_config: { updates: { rewards_collector: core.rewardsCollector } } });
  for (const [address_type, address] of [["health", health], ["swapper", swapper]] as const) {
    world.execute(owner, core.addressProvider, { set_address: { address_type, address } });
  }
  return { creditManager, accountNft, health, swapper, rewardsCollectorAccountId: rcAccountId };
}
