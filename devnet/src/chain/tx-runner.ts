import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { ChainEvent } from "../state/world.js";
import { runAnte } from "./ante.js";
import type { ExecContext, PendingView } from "./context.js";
import { AbciError, GrpcCode, QueryError, sdkErrors } from "./errors.js";
import { GasMeter, OutOfGasError } from "./gas.js";
import { runMessages } from "./messages.js";
import type { DecodedTx } from "./tx-decode.js";
import type { TxResult } from "./types.js";

/** The gas limit a simulation reports (cosmos-sdk's infinite gas meter: max uint64). */
export const SIMULATE_GAS_WANTED = "18446744073709551615";

/** What simulate returns: gas used and the would-be result (state is always rolled back). */
export interface SimulateOutcome {
  gasUsed: number;
  events: ChainEvent[];
  data: Uint8Array;
  msgResponses: Any[];
}

/**
 * CheckTx: the ante checks against committed state plus the mempool; changes nothing. `verified`
 * skips the signature check on a recheck (the sign bytes of a mempool tx cannot change).
 */
export function checkTx(ctx: ExecContext, tx: DecodedTx, pending: PendingView, verified = false): TxResult {
  const meter = new GasMeter(tx.gasLimit);
  try {
    runAnte(ctx, tx, "check", meter, { pending, verified });
    return { code: 0, codespace: "", log: "", data: new Uint8Array(), gasWanted: tx.gasLimit, gasUsed: meter.used, events: [] };
  } catch (err) {
    return failure(ctx, err, tx.gasLimit, meter.used, []);
  }
}

/**
 * DeliverTx: the ante handler in its own step whose effects (fee, public key, sequence) persist,
 * then all messages or none. A failed message leaves the ante events and effects in place, as
 * cosmos-sdk does; a failed ante leaves nothing.
 */
export function deliverTx(ctx: ExecContext, tx: DecodedTx, verified: boolean): TxResult {
  const journal = ctx.world.journal;
  const meter = new GasMeter(tx.gasLimit);
  const anteMark = journal.begin();
  let anteEvents: ChainEvent[];
  try {
    anteEvents = runAnte(ctx, tx, "deliver", meter, { verified });
    journal.commit(anteMark);
  } catch (err) {
    journal.rollback(anteMark);
    return failure(ctx, err, tx.gasLimit, meter.used, []);
  }
  const msgMark = journal.begin();
  journal.meter = meter;
  try {
    const { events, msgResponses } = runMessages(ctx, tx, meter);
    journal.meter = undefined;
    journal.commit(msgMark);
    const data = TxMsgData.encode({ data: [], msgResponses }).finish();
    return { code: 0, codespace: "", log: "", data, gasWanted: tx.gasLimit, gasUsed: meter.used, events: [...anteEvents, ...events] };
  } catch (err) {
    journal.meter = undefined;
    journal.rollback(msgMark);
    return failure(ctx, err, tx.gasLimit, meter.used, anteEvents);
  }
}

/**
 * Simulate: ante (without minimum-fee and signature checks, sequences as the mempool left them) and
 * messages on an infinite gas meter, always rolled back. Failures throw a {@link QueryError} worded
 * as the tx service's `<cause> With gas wanted: '...' and gas used: '...' ` status.
 */
export function simulateTx(ctx: ExecContext, tx: DecodedTx, pending: PendingView): SimulateOutcome {
  const journal = ctx.world.journal;
  const meter = new GasMeter(Infinity);
  const mark = journal.begin();
  try {
    const anteEvents = runAnte(ctx, tx, "simulate", meter, { pending });
    journal.meter = meter;
    const { events, msgResponses } = runMessages(ctx, tx, meter);
    const data = TxMsgData.encode({ data: [], msgResponses }).finish();
    return { gasUsed: meter.used, events: [...anteEvents, ...events], data, msgResponses };
  } catch (err) {
    const cause = toAbci(ctx, err).log;
    throw new QueryError(GrpcCode.Unknown, `${cause} With gas wanted: '${SIMULATE_GAS_WANTED}' and gas used: '${meter.used}' `);
  } finally {
    journal.meter = undefined;
    journal.rollback(mark);
  }
}

function failure(ctx: ExecContext, err: unknown, gasWanted: number, gasUsed: number, events: ChainEvent[]): TxResult {
  const e = toAbci(ctx, err);
  return { code: e.code, codespace: e.codespace, log: e.log, data: new Uint8Array(), gasWanted, gasUsed, events };
}

function toAbci(ctx: ExecContext, err: unknown): AbciError {
  if (err instanceof AbciError) return err;
  if (err instanceof OutOfGasError) return err.toAbci();
  ctx.logger.error({ err }, "unexpected error while running a transaction");
  return sdkErrors.internal((err as Error)?.message ?? String(err));
}
