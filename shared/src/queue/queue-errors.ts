import { BotError } from "../errors.js";

/** Negative return codes of the queue's Lua scripts; mapped to errors only in `scriptError`. */
export const SCRIPT_CODES = {
  /** The item is no longer in the consumer's processing list (reaped or re-adopted). */
  ITEM_NOT_HELD: -1,
  /** The consumer's heartbeat exists, so it is alive and must not be reaped. */
  CONSUMER_ALIVE: -2,
} as const;

/** Where a script ran, for the error message and log fields. */
export interface ScriptContext {
  /** Script name, e.g. `retryItem`. */
  command: string;
  queue: string;
  consumer: string;
  /** The item's id when known. */
  itemId?: string | undefined;
}

/**
 * The consumer lost an item before finishing it: the reaper (after a missed heartbeat) or a
 * re-adoption returned it to pending, so another delivery follows. Not a failure of the item.
 */
export class ItemNotHeldError extends BotError {
  readonly queue: string;
  readonly consumer: string;
  readonly itemId: string | undefined;
  readonly command: string;
  constructor(ctx: ScriptContext) {
    super(
      "ERR_QUEUE_ITEM_NOT_HELD",
      `item ${ctx.itemId ?? "(unknown id)"} is no longer in the processing list of consumer ${ctx.consumer} on queue ${ctx.queue} (${ctx.command}); ` +
        "it was returned to pending and will be delivered again; if this repeats, raise heartbeatTtlMs",
    );
    this.queue = ctx.queue;
    this.consumer = ctx.consumer;
    this.itemId = ctx.itemId;
    this.command = ctx.command;
  }
}

/** The reaper was asked to recover a consumer whose heartbeat is present; nothing was done. */
export class ConsumerAliveError extends BotError {
  readonly queue: string;
  readonly consumer: string;
  constructor(ctx: ScriptContext) {
    super("ERR_QUEUE_CONSUMER_ALIVE", `consumer ${ctx.consumer} on queue ${ctx.queue} has a heartbeat, so ${ctx.command} left its items alone`);
    this.queue = ctx.queue;
    this.consumer = ctx.consumer;
  }
}

/** A script returned a code this module does not know; a script and its wrapper disagree. */
export class UnknownScriptCodeError extends BotError {
  readonly returned: unknown;
  constructor(ctx: ScriptContext, returned: unknown) {
    super("ERR_QUEUE_SCRIPT_CODE", `script ${ctx.command} on queue ${ctx.queue} returned ${JSON.stringify(returned)}, which its wrapper does not handle`);
    this.returned = returned;
  }
}

/** Maps a negative script return code to its typed error (the one place that does so). */
export function scriptError(code: number, ctx: ScriptContext): BotError {
  switch (code) {
    case SCRIPT_CODES.ITEM_NOT_HELD:
      return new ItemNotHeldError(ctx);
    case SCRIPT_CODES.CONSUMER_ALIVE:
      return new ConsumerAliveError(ctx);
    default:
      return new UnknownScriptCodeError(ctx, code);
  }
}

/** Returns `result` as a number when it is a non-negative integer; throws the mapped error otherwise. */
export function expectCount(result: unknown, ctx: ScriptContext): number {
  if (typeof result !== "number" || !Number.isInteger(result)) throw new UnknownScriptCodeError(ctx, result);
  if (result < 0) throw scriptError(result, ctx);
  return result;
}
