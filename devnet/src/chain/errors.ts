/**
 * Errors with an ABCI code, codespace and log, worded as cosmos-sdk 0.50 and wasmd word them
 * (`errorsmod.Wrap(err, msg)` prints as `msg: err`), so clients that match on the text or the
 * code (cosmjs' BroadcastTxError, the bot's retry logic) behave as against a real node.
 */
export class AbciError extends Error {
  constructor(
    readonly code: number,
    readonly codespace: string,
    log: string,
  ) {
    super(log);
    this.name = "AbciError";
  }

  /** The ABCI log (the full wrapped message). */
  get log(): string {
    return this.message;
  }

  /** A copy whose log is prefixed, as `errorsmod.Wrap(this, prefix)` would print it. */
  wrap(prefix: string): AbciError {
    return new AbciError(this.code, this.codespace, `${prefix}: ${this.message}`);
  }
}

const sdk = (code: number, text: string) => (detail?: string) => new AbciError(code, "sdk", detail ? `${detail}: ${text}` : text);

/** cosmos-sdk `types/errors` (codespace "sdk"). */
export const sdkErrors = {
  internal: sdk(1, "internal"),
  txDecode: sdk(2, "tx parse error"),
  unauthorized: sdk(4, "unauthorized"),
  insufficientFunds: sdk(5, "insufficient funds"),
  unknownRequest: sdk(6, "unknown request"),
  invalidAddress: sdk(7, "invalid address"),
  invalidPubKey: sdk(8, "invalid pubkey"),
  unknownAddress: sdk(9, "unknown address"),
  invalidCoins: sdk(10, "invalid coins"),
  outOfGas: sdk(11, "out of gas"),
  memoTooLarge: sdk(12, "memo too large"),
  insufficientFee: sdk(13, "insufficient fee"),
  tooManySignatures: sdk(14, "maximum number of signatures exceeded"),
  noSignatures: sdk(15, "no signatures supplied"),
  invalidRequest: sdk(18, "invalid request"),
  txInMempoolCache: sdk(19, "tx already in mempool"),
  mempoolIsFull: sdk(20, "mempool is full"),
  txTooLarge: sdk(21, "tx too large"),
  keyNotFound: sdk(22, "key not found"),
  invalidType: sdk(29, "invalid type"),
  txTimeoutHeight: sdk(30, "tx timeout height"),
  wrongSequence: sdk(32, "incorrect account sequence"),
  notSupported: sdk(37, "feature not supported"),
  invalidGasLimit: sdk(41, "invalid gas limit"),
};

const wasm = (code: number, text: string) => (detail?: string) => new AbciError(code, "wasm", detail ? `${detail}: ${text}` : text);

/** wasmd `x/wasm/types/errors.go` (codespace "wasm"). */
export const wasmErrors = {
  executeFailed: wasm(5, "execute wasm contract failed"),
  queryFailed: wasm(9, "query wasm contract failed"),
  invalid: wasm(14, "invalid"),
  noSuchContract: wasm(22, "no such contract"),
};

/** gRPC status codes used by query errors (what the LCD gateway and `rpc error: code = ...` show). */
export const GrpcCode = { Unknown: 2, InvalidArgument: 3, NotFound: 5, Unimplemented: 12, Internal: 13 } as const;
/** A gRPC status code. */
export type GrpcCode = (typeof GrpcCode)[keyof typeof GrpcCode];

const GRPC_NAMES: Record<GrpcCode, string> = { 2: "Unknown", 3: "InvalidArgument", 5: "NotFound", 12: "Unimplemented", 13: "Internal" };

/**
 * A failed gRPC query. Over ABCI it becomes what baseapp's `gRPCErrorToSDKError` makes of it
 * (NotFound → code 22, InvalidArgument → 18, anything else → 6, the sdk text appended). A handler
 * that returned a gRPC status (`status.Errorf`, as x/auth and the tx service do) shows as
 * `rpc error: code = <Name> desc = <message>`; one that returned a plain sdk error (wasmd's
 * `Generic error: ...: query wasm contract failed`) shows its text alone. Over the LCD gateway:
 * `{code, message}` with the matching HTTP status.
 */
export class QueryError extends Error {
  constructor(
    readonly grpcCode: GrpcCode,
    message: string,
    readonly grpcStatus = true,
  ) {
    super(message);
    this.name = "QueryError";
  }

  /** The text of the error as the querier's Go code prints it. */
  get text(): string {
    return this.grpcStatus ? `rpc error: code = ${GRPC_NAMES[this.grpcCode]} desc = ${this.message}` : this.message;
  }

  /** The ABCI form (code, codespace, log) baseapp returns for this error. */
  toAbci(): AbciError {
    if (this.grpcCode === GrpcCode.NotFound) return sdkErrors.keyNotFound(this.text);
    if (this.grpcCode === GrpcCode.InvalidArgument) return sdkErrors.invalidRequest(this.text);
    return sdkErrors.unknownRequest(this.text);
  }

  /** HTTP status the grpc-gateway maps this code to. */
  get httpStatus(): number {
    switch (this.grpcCode) {
      case GrpcCode.InvalidArgument:
        return 400;
      case GrpcCode.NotFound:
        return 404;
      case GrpcCode.Unimplemented:
        return 501;
      default:
        return 500;
    }
  }
}
