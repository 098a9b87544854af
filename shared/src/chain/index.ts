/** Chain protocol clients: CometBFT RPC with LCD fallback, Hive GraphQL, and raw-key helpers. */
export { ChainClient, ContractQueryError } from "./rpc-client.js";
export type { ChainClientOptions, StateModel, StatePage, TxEvent } from "./rpc-client.js";
export { HiveClient } from "./hive-client.js";
export type { ContractQuery, ContractQueryResult, HiveBatchOptions, HiveClientOptions } from "./hive-client.js";
export { compareBytes, prefixEnd } from "./keys.js";
export { protobufFields, protobufStringPair } from "./protobuf-wire.js";
