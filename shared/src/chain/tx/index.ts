/** The transaction path: fee market pricing, signing and broadcasting per signer, signer leases, gas top-ups. */
export { queryAccount, queryAllBalances, queryBalance, querySimulate } from "./queries.js";
export type { AccountState, SimulationResult } from "./queries.js";
export { AccountMissingError, SequenceMismatchError, SignerLeaseLostError, TxRejectedError, TxSimulationError, TxTimeoutError, sequenceMismatch } from "./errors.js";
export type { TxStage } from "./errors.js";
export { FeePolicy } from "./fees.js";
export type { FeePolicyOptions, GasPriceQuote } from "./fees.js";
export { bankSendMsg, executeContractMsg, txRegistry } from "./messages.js";
export { TxSender } from "./sender.js";
export type { BroadcastOptions, BroadcastResult, SignedTx, TxSenderOptions, WaitForTxOptions } from "./sender.js";
export { SignerLeases } from "./leases.js";
export type { SignerLeasesOptions } from "./leases.js";
export { topUpWorkers } from "./top-up.js";
export type { TopUpOptions, TopUpResult } from "./top-up.js";
export { InclusionWatcher } from "./inclusion.js";
