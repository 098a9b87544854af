import { encodeSecp256k1Pubkey } from "@cosmjs/amino";
import { sha256 } from "@cosmjs/crypto";
import { fromBase64, toUtf8 } from "@cosmjs/encoding";
import { DirectSecp256k1Wallet, Registry, encodePubkey, makeAuthInfoBytes, makeSignDoc } from "@cosmjs/proto-signing";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { MsgExecuteContract } from "cosmjs-types/cosmwasm/wasm/v1/tx";
import type { Devnet } from "../devnet.js";
import type { MarketSpec } from "../genesis/chains.js";
import { units } from "../genesis/genesis.js";
import { Random } from "./random.js";

const registry = new Registry([["/cosmwasm.wasm.v1.MsgExecuteContract", MsgExecuteContract]]);
const GAS_LIMIT = 2_000_000n;
const ACTORS = 64;

interface Actor {
  wallet: DirectSecp256k1Wallet;
  address: string;
  pubkey: Uint8Array;
  sequence: number;
  /** Debt the actor opened and has not repaid yet: denom and amount. */
  debt?: { denom: string; amount: bigint };
}

/**
 * Background users: every block, `perBlock` real signed transactions against the Red Bank from
 * a pool of scenario actors (new borrowers deposit and borrow, borrowers repay in full with a
 * refunded excess, holders top up collateral), so the bot's incremental discovery has something
 * to discover. Deterministic from the seed; actors are funded at creation.
 */
export class Activity {
  readonly #devnet: Devnet;
  readonly #actors: Actor[];
  readonly #perBlock: number;
  readonly #random: Random;
  readonly #collateral: MarketSpec;
  readonly #debt: MarketSpec;

  private constructor(devnet: Devnet, actors: Actor[], perBlock: number) {
    this.#devnet = devnet;
    this.#actors = actors;
    this.#perBlock = perBlock;
    this.#random = new Random(devnet.flags.seed ^ 0xac71);
    const markets = devnet.genesis.spec.markets;
    this.#collateral = markets.find((m) => m.symbol === "ATOM")!;
    this.#debt = markets.find((m) => m.role === "neutral")!;
  }

  static async create(devnet: Devnet, perBlock: number): Promise<Activity> {
    const { world, spec } = devnet.genesis;
    const actors: Actor[] = [];
    for (let i = 0; i < ACTORS; i++) {
      const key = sha256(new TextEncoder().encode(`activity-actor:${devnet.flags.seed}:${i}`));
      const wallet = await DirectSecp256k1Wallet.fromKey(key, spec.prefix);
      const [account] = await wallet.getAccounts();
      for (const m of spec.markets) world.bank.mint(account!.address, m.denom, units(m, 1_000_000n));
      actors.push({ wallet, address: account!.address, pubkey: account!.pubkey, sequence: 0 });
    }
    return new Activity(devnet, actors, perBlock);
  }

  /** Sends this block's transactions (they land in the mempool and go into the next block). */
  onBeginBlock(height: number): void {
    const chosen = this.#random.sample(this.#actors, Math.min(this.#perBlock, this.#actors.length));
    for (const actor of chosen) {
      this.#send(actor, height).catch((err: unknown) => this.#devnet.logger.warn({ err, actor: actor.address }, "background activity tx failed"));
    }
  }

  async #send(actor: Actor, height: number): Promise<void> {
    const redBank = this.#devnet.genesis.contracts.redBank;
    const msgs: { msg: unknown; funds: { denom: string; amount: string }[] }[] = [];
    if (actor.debt) {
      // Repay everything: over-send by 1 %, the Red Bank refunds the excess.
      const amount = actor.debt.amount + actor.debt.amount / 100n + 1n;
      msgs.push({ msg: { repay: {} }, funds: [{ denom: actor.debt.denom, amount: amount.toString() }] });
      actor.debt = undefined;
    } else {
      const collateral = units(this.#collateral, BigInt(this.#random.int(10, 1_000)));
      // ATOM at $8, LTV 0.68: borrow 20-50 % of the collateral value in USDC.
      const borrow = (collateral * 8n * BigInt(this.#random.int(20, 50))) / 100n;
      msgs.push({ msg: { deposit: {} }, funds: [{ denom: this.#collateral.denom, amount: collateral.toString() }] });
      msgs.push({ msg: { borrow: { denom: this.#debt.denom, amount: borrow.toString() } }, funds: [] });
      actor.debt = { denom: this.#debt.denom, amount: borrow };
    }
    const bytes = await this.#sign(actor, msgs.map((m) => ({ contract: redBank, ...m })));
    const outcome = this.#devnet.chain.broadcastSync(bytes);
    if (outcome.result.code !== 0) {
      this.#devnet.logger.debug({ height, actor: actor.address, log: outcome.result.log }, "background tx rejected; resyncing sequence");
      actor.sequence = this.#devnet.chain.account(actor.address)?.sequence ?? actor.sequence;
    }
  }

  async #sign(actor: Actor, msgs: { contract: string; msg: unknown; funds: { denom: string; amount: string }[] }[]): Promise<Uint8Array> {
    const chain = this.#devnet.chain;
    const accountNumber = chain.account(actor.address)?.accountNumber ?? 0;
    const bodyBytes = registry.encodeTxBody({
      messages: msgs.map((m) => ({ typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract", value: MsgExecuteContract.fromPartial({ sender: actor.address, contract: m.contract, msg: toUtf8(JSON.stringify(m.msg)), funds: m.funds }) })),
      memo: "devnet background activity",
    });
    const feeAmount = BigInt(Math.ceil(Number(GAS_LIMIT) * Number(chain.minGasPrice)));
    const authInfoBytes = makeAuthInfoBytes([{ pubkey: encodePubkey(encodeSecp256k1Pubkey(actor.pubkey)), sequence: actor.sequence }], [{ denom: chain.gasDenom, amount: feeAmount.toString() }], Number(GAS_LIMIT), undefined, undefined);
    const { signature } = await actor.wallet.signDirect(actor.address, makeSignDoc(bodyBytes, authInfoBytes, chain.chainId, accountNumber));
    actor.sequence++;
    return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [fromBase64(signature.signature)] }).finish();
  }
}
