import { MsgMultiSendResponse, MsgSendResponse } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { MsgExecuteContractResponse } from "cosmjs-types/cosmwasm/wasm/v1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { MsgMultiSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { ContractError } from "../contracts/host.js";
import { InsufficientFundsError } from "../state/bank.js";
import type { ChainEvent } from "../state/world.js";
import { attrs } from "./ante.js";
import type { ExecContext } from "./context.js";
import { AbciError, wasmErrors } from "./errors.js";
import { GAS_SCHEDULE, OutOfGasError, type GasMeter } from "./gas.js";
import { coinsString, MSG_EXECUTE_CONTRACT, MSG_MULTI_SEND, MSG_SEND, type DecodedMsg, type DecodedTx } from "./tx-decode.js";

/** What a transaction's messages produced. */
export interface MessagesOutcome {
  events: ChainEvent[];
  msgResponses: Any[];
}

/**
 * Runs a transaction's messages in order, as baseapp's `runMsgs` does: each gets a `message` event
 * (`action`, `sender`, `module`) before its own events, and every event of message i carries
 * `msg_index` = i. The first failure throws an AbciError worded
 * `failed to execute message; message index: i: <cause>` (out of gas propagates as it is). The
 * caller runs this inside a journal transaction and rolls it back on error.
 */
export function runMessages(ctx: ExecContext, tx: DecodedTx, meter: GasMeter): MessagesOutcome {
  const events: ChainEvent[] = [];
  const msgResponses: Any[] = [];
  tx.msgs.forEach((msg, i) => {
    const own: ChainEvent[] = [attrs("message", { action: msg.typeUrl, sender: tx.signer, module: moduleOf(msg.typeUrl) })];
    try {
      msgResponses.push(runMessage(ctx, msg, meter, own));
    } catch (err) {
      if (err instanceof OutOfGasError) throw err;
      throw toAbciError(ctx, err).wrap(`failed to execute message; message index: ${i}`);
    }
    const index = { key: "msg_index", value: String(i) };
    for (const e of own) events.push({ type: e.type, attributes: [...e.attributes, index] });
  });
  return { events, msgResponses };
}

function runMessage(ctx: ExecContext, msg: DecodedMsg, meter: GasMeter, events: ChainEvent[]): Any {
  switch (msg.typeUrl) {
    case MSG_SEND: {
      meter.consume(GAS_SCHEDULE.bankSendFlat, "bank send");
      ctx.world.bankSend(msg.value.fromAddress, msg.value.toAddress, msg.value.amount, events);
      return { typeUrl: "/cosmos.bank.v1beta1.MsgSendResponse", value: MsgSendResponse.encode({}).finish() };
    }
    case MSG_MULTI_SEND: {
      meter.consume(GAS_SCHEDULE.multiSendFlat, "bank multi send");
      multiSend(ctx, msg.value, events);
      return { typeUrl: "/cosmos.bank.v1beta1.MsgMultiSendResponse", value: MsgMultiSendResponse.encode({}).finish() };
    }
    case MSG_EXECUTE_CONTRACT: {
      const { sender, contract, funds } = msg.value;
      meter.consume(GAS_SCHEDULE.wasmExecuteFlat + GAS_SCHEDULE.wasmMsgPerByte * msg.value.msg.length, "wasm execute");
      if (!ctx.world.contracts.has(contract)) throw wasmErrors.noSuchContract(`address ${contract}`);
      events.push(...ctx.world.execute(sender, contract, msg.json, funds));
      return { typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContractResponse", value: MsgExecuteContractResponse.encode({ data: new Uint8Array() }).finish() };
    }
  }
}

/** x/bank `InputOutputCoins`: one input, many outputs, funds checked up front. */
function multiSend(ctx: ExecContext, msg: MsgMultiSend, events: ChainEvent[]): void {
  const input = msg.inputs[0]!;
  for (const c of input.coins) {
    const have = ctx.world.bank.balance(input.address, c.denom);
    if (have < BigInt(c.amount)) throw new InsufficientFundsError(input.address, have, BigInt(c.amount), c.denom);
  }
  events.push(attrs("coin_spent", { spender: input.address, amount: coinsString(input.coins) }));
  events.push(attrs("message", { sender: input.address }));
  for (const out of msg.outputs) {
    ctx.world.bank.send(input.address, out.address, out.coins);
    events.push(attrs("coin_received", { receiver: out.address, amount: coinsString(out.coins) }));
    events.push(attrs("transfer", { recipient: out.address, amount: coinsString(out.coins) }));
  }
}

/** `bank` for `/cosmos.bank.v1beta1.MsgSend` (`sdk.GetModuleNameFromTypeURL`). */
function moduleOf(typeUrl: string): string {
  return typeUrl.split(".")[1] ?? "";
}

/** The ABCI error a message failure shows as (contract errors as wasmd wraps them). */
function toAbciError(ctx: ExecContext, err: unknown): AbciError {
  if (err instanceof AbciError) return err;
  if (err instanceof ContractError) return wasmErrors.executeFailed(err.message);
  if (err instanceof InsufficientFundsError) return new AbciError(5, "sdk", err.message);
  // A fault in a contract model: report it like a VM error and keep the stack for the developer.
  ctx.logger.warn({ err }, "contract model threw a non-ContractError");
  return wasmErrors.executeFailed(`Error calling the VM: ${(err as Error)?.message ?? String(err)}`);
}
