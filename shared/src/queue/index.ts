/**
 * Reliable Redis queue: items are JSON envelopes on Redis lists; consumers claim into their own
 * processing list, ack by removing, keep a heartbeat, and a reaper returns the items of dead
 * consumers. Scripts live in `shared/lua/`.
 */
export { ReliableQueue, DEFAULT_MAX_ATTEMPTS, DEFAULT_PUSH_CHUNK_SIZE } from "./reliable-queue.js";
export type { ReliableQueueOptions, QueueDepth, ConsumerStatus } from "./reliable-queue.js";
export { QueueConsumer, DEFAULT_STOP_DEADLINE_MS } from "./queue-consumer.js";
export type { QueueConsumerOptions, ItemHandler, HandlerContext, StopResult } from "./queue-consumer.js";
export { encodeItem, decodeItem, parseDeadLetter } from "./envelope.js";
export type { QueueItem, NewQueueItem, DeadLetter, DecodeResult } from "./envelope.js";
export { encodeHeartbeat, parseHeartbeat, HeartbeatLoop } from "./consumer-heartbeat.js";
export type { ConsumerHeartbeat, HeartbeatLoopOptions } from "./consumer-heartbeat.js";
export { reapDeadConsumers } from "./reaper.js";
export { consumerComponent } from "./consumer-component.js";
export type { ReapOptions, ReaperPass } from "./reaper.js";
export { SCRIPT_CODES, ItemNotHeldError, ConsumerAliveError, UnknownScriptCodeError, scriptError } from "./queue-errors.js";
export type { ScriptContext } from "./queue-errors.js";
export { queueScripts, claimBatch, ackItems, retryItem, deadLetterItem, returnItems, reapConsumer, unregisterConsumer } from "./queue-scripts.js";
export type { QueueScriptName, RetryOutcome, ReapResult } from "./queue-scripts.js";
