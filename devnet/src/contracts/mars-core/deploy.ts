import type { World, ContractInstance } from "../../state/world.js";
import { AddressProviderModel, type MarsAddressType } from "../address-provider.js";
import type { Contract, ExecuteContext, MarsVariant, Response } from "../host.js";
import { OracleModel } from "../oracle.js";
import { ParamsModel } from "../params.js";
import { RedBankModel } from "../red-bank/contract.js";
import { RewardsCollectorModel } from "../rewards-collector.js";

/**
 * Deploys the core Mars contracts of this package (address provider, oracle, params, Red Bank,
 * rewards collector) into a {@link World}, writes what each contract's instantiate writes
 * (`owner`, `config`, ...) and registers every address in the address provider — the state a
 * real deployment has before any market exists. Markets, price sources and asset params are then
 * set through the owner messages (or genesis helpers).
 */

/** A model with an instantiate step writing its initial items (`owner`, `config`, ...). */
export interface InstantiableContract extends Contract {
  instantiate(ctx: ExecuteContext): Response;
}

/** Registers `model` in `world` (deterministic address from `label`) and runs its instantiate step. */
export function instantiateModel(world: World, model: InstantiableContract, label: string, creator: string): ContractInstance {
  const inst = world.instantiate(model, label, creator);
  model.instantiate({
    block: world.block,
    self: inst.address,
    store: inst.store,
    query: (contract, msg) => world.query(contract, msg),
    balance: (address, denom) => world.bank.balance(address, denom),
    sender: creator,
    funds: [],
  });
  return inst;
}

/** Options of {@link deployMarsCore}. */
export interface DeployMarsCoreOptions {
  variant: MarsVariant;
  /** Owner of every contract (HD index 0 of the devnet mnemonic). */
  owner: string;
  /** Address registered as `credit_manager` (default: the address of label `mars-credit-manager`). */
  creditManager?: string;
  /** [OSMO] initial target health factor (default "1.05"). */
  targetHealthFactor?: string;
  /** Further address-provider entries (`health`, `swapper`, `incentives`, ...). */
  extraAddresses?: Partial<Record<MarsAddressType, string>>;
}

/** Addresses of the deployed contracts. */
export interface MarsCoreAddresses {
  addressProvider: string;
  oracle: string;
  params: string;
  redBank: string;
  rewardsCollector: string;
  creditManager: string;
}

/** The labels {@link deployMarsCore} uses (addresses follow from them via `world.contractAddress`). */
export const MARS_CORE_LABELS = {
  addressProvider: "mars-address-provider",
  oracle: "mars-oracle",
  params: "mars-params",
  redBank: "mars-red-bank",
  rewardsCollector: "mars-rewards-collector",
  creditManager: "mars-credit-manager",
} as const;

/** Instantiates the five core contracts and fills the address provider (spec §0). */
export function deployMarsCore(world: World, o: DeployMarsCoreOptions): MarsCoreAddresses {
  const { variant, owner } = o;
  const ap = instantiateModel(world, new AddressProviderModel({ variant, owner }), MARS_CORE_LABELS.addressProvider, owner).address;
  const oracle = instantiateModel(world, new OracleModel({ variant, owner }), MARS_CORE_LABELS.oracle, owner).address;
  const params = instantiateModel(world, new ParamsModel({ variant, owner, addressProvider: ap, targetHealthFactor: o.targetHealthFactor }), MARS_CORE_LABELS.params, owner).address;
  const redBank = instantiateModel(world, new RedBankModel({ variant, owner, addressProvider: ap }), MARS_CORE_LABELS.redBank, owner).address;
  const rewardsCollector = instantiateModel(world, new RewardsCollectorModel({ variant, owner, addressProvider: ap }), MARS_CORE_LABELS.rewardsCollector, owner).address;
  const creditManager = o.creditManager ?? world.contractAddress(MARS_CORE_LABELS.creditManager);
  const entries: [MarsAddressType, string][] = [
    ["oracle", oracle], ["params", params], ["red_bank", redBank], ["rewards_collector", rewardsCollector], ["credit_manager", creditManager],
    ...(Object.entries(o.extraAddresses ?? {}) as [MarsAddressType, string][]),
  ];
  for (const [address_type, address] of entries) world.execute(owner, ap, { set_address: { address_type, address } });
  return { addressProvider: ap, oracle, params, redBank, rewardsCollector, creditManager };
}
