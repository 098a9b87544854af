import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { QueryAllBalancesRequest, QueryAllBalancesResponse, QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import type { PageRequest as ProtoPageRequest } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { SimulateRequest } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import {
  QueryAllContractStateRequest,
  QueryAllContractStateResponse,
  QueryContractInfoRequest,
  QueryContractInfoResponse,
  QueryRawContractStateRequest,
  QueryRawContractStateResponse,
  QuerySmartContractStateRequest,
  QuerySmartContractStateResponse,
} from "cosmjs-types/cosmwasm/wasm/v1/query";
import { BinaryWriter } from "cosmjs-types/binary";
import { dec } from "../math/decimal.js";
import { encodeBaseAccount } from "./accounts.js";
import type { Chain } from "./chain.js";
import { AbciError, GrpcCode, QueryError, sdkErrors } from "./errors.js";
import { ChainQueries, type PageRequest, type PageResponse } from "./queries.js";
import { encodeSimulateResponse } from "./simulate-encode.js";
import { SIMULATE_GAS_WANTED } from "./tx-runner.js";

/** An ABCI `ResponseQuery` (the fields CometBFT's abci_query returns). */
export interface AbciQueryResult {
  code: number;
  codespace: string;
  log: string;
  value: Uint8Array;
  height: number;
}

type Handler = (data: Uint8Array) => Uint8Array;

/**
 * Routes ABCI queries by gRPC method path to the devnet's query services, with protobuf requests
 * and responses as baseapp's gRPC query router does: wasm smart/raw/all-state/contract-info,
 * auth account, bank balance(s), and tx simulate. Errors come back as codes and logs, never thrown.
 */
export class AbciQueryRouter {
  readonly queries: ChainQueries;
  readonly #routes: Map<string, Handler>;

  constructor(readonly chain: Chain) {
    this.queries = new ChainQueries(chain);
    const q = this.queries;
    this.#routes = new Map<string, Handler>([
      ["/cosmwasm.wasm.v1.Query/SmartContractState", (d) => {
        const req = QuerySmartContractStateRequest.decode(d);
        return QuerySmartContractStateResponse.encode({ data: q.smart(req.address, req.queryData) }).finish();
      }],
      ["/cosmwasm.wasm.v1.Query/RawContractState", (d) => {
        const req = QueryRawContractStateRequest.decode(d);
        return QueryRawContractStateResponse.encode({ data: q.raw(req.address, req.queryData) ?? new Uint8Array() }).finish();
      }],
      ["/cosmwasm.wasm.v1.Query/AllContractState", (d) => {
        const req = QueryAllContractStateRequest.decode(d);
        const { models, pagination } = q.allState(req.address, fromProtoPage(req.pagination));
        return QueryAllContractStateResponse.encode({ models, pagination: toProtoPage(pagination) }).finish();
      }],
      ["/cosmwasm.wasm.v1.Query/ContractInfo", (d) => {
        const c = q.contractInfo(QueryContractInfoRequest.decode(d).address);
        const contractInfo = { codeId: BigInt(c.codeId), creator: c.creator, admin: c.admin, label: c.label, ibcPortId: "", ibc2PortId: "" };
        return QueryContractInfoResponse.encode({ address: c.address, contractInfo }).finish();
      }],
      ["/cosmos.auth.v1beta1.Query/Account", (d) => {
        const account = q.account(QueryAccountRequest.decode(d).address);
        return QueryAccountResponse.encode({ account: encodeBaseAccount(account) }).finish();
      }],
      ["/cosmos.bank.v1beta1.Query/Balance", (d) => {
        const req = QueryBalanceRequest.decode(d);
        return QueryBalanceResponse.encode({ balance: q.balance(req.address, req.denom) }).finish();
      }],
      ["/cosmos.bank.v1beta1.Query/AllBalances", (d) => {
        const req = QueryAllBalancesRequest.decode(d);
        const { balances, pagination } = q.allBalances(req.address, fromProtoPage(req.pagination));
        return QueryAllBalancesResponse.encode({ balances, pagination: toProtoPage(pagination) }).finish();
      }],
      ["/cosmos.tx.v1beta1.Service/Simulate", (d) => {
        const req = SimulateRequest.decode(d);
        const out = chain.simulate(simulateTxBytes(req));
        return encodeSimulateResponse(BigInt(SIMULATE_GAS_WANTED), BigInt(out.gasUsed), out.data, out.events, out.msgResponses);
      }],
      // Dynamic gas price queries (cosmjs' DynamicGasPriceConfig): the minimum gas price, constant.
      ["/osmosis.txfees.v1beta1.Query/GetEipBaseFee", () => new BinaryWriter().uint32(10).string(dec(chain.minGasPrice).toString()).finish()],
      ["/feemarket.feemarket.v1.Query/GasPrices", () => new BinaryWriter().uint32(10).bytes(this.#decCoin()).finish()],
      ["/feemarket.feemarket.v1.Query/GasPrice", () => new BinaryWriter().uint32(10).bytes(this.#decCoin()).finish()],
    ]);
  }

  /** The minimum gas price as a `DecCoin` (LegacyDec amount as its 18-decimal atomics). */
  #decCoin(): Uint8Array {
    return new BinaryWriter().uint32(10).string(this.chain.gasDenom).uint32(18).string(dec(this.chain.minGasPrice).toString()).finish();
  }

  /** Paths this router answers. */
  get paths(): string[] {
    return [...this.#routes.keys()];
  }

  /** Runs one ABCI query at the latest height (the devnet keeps no historical state). */
  query(path: string, data: Uint8Array): AbciQueryResult {
    const height = this.chain.height;
    const route = this.#routes.get(path);
    if (!route) return errorResult(sdkErrors.unknownRequest(`unknown query path: ${path}`), height);
    try {
      return { code: 0, codespace: "", log: "", value: route(data), height };
    } catch (err) {
      if (err instanceof QueryError) return errorResult(err.toAbci(), height);
      if (err instanceof AbciError) return errorResult(err, height);
      if (err instanceof RangeError || (err instanceof Error && /wire type|index out of range|invalid/.test(err.message))) {
        return errorResult(new QueryError(GrpcCode.InvalidArgument, `failed to decode request: ${err.message}`).toAbci(), height);
      }
      this.chain.logger.error({ err, path }, "abci query failed");
      return errorResult(sdkErrors.internal((err as Error)?.message ?? String(err)), height);
    }
  }
}

function errorResult(err: AbciError, height: number): AbciQueryResult {
  return { code: err.code, codespace: err.codespace, log: err.log, value: new Uint8Array(), height };
}

/** The tx bytes of a SimulateRequest (`tx_bytes`, or the deprecated decoded `tx` re-encoded). */
export function simulateTxBytes(req: SimulateRequest): Uint8Array {
  if (req.txBytes.length > 0) return req.txBytes;
  if (req.tx) {
    return TxRaw.encode({
      bodyBytes: TxBody.encode(req.tx.body ?? TxBody.fromPartial({})).finish(),
      authInfoBytes: AuthInfo.encode(req.tx.authInfo ?? AuthInfo.fromPartial({})).finish(),
      signatures: req.tx.signatures,
    }).finish();
  }
  throw new QueryError(GrpcCode.InvalidArgument, "empty txBytes is not allowed");
}

function fromProtoPage(p: ProtoPageRequest | undefined): PageRequest {
  if (!p) return {};
  return { key: p.key, offset: Number(p.offset), limit: Number(p.limit), countTotal: p.countTotal, reverse: p.reverse };
}

function toProtoPage(p: PageResponse): { nextKey: Uint8Array; total: bigint } {
  return { nextKey: p.nextKey ?? new Uint8Array(), total: BigInt(p.total) };
}
