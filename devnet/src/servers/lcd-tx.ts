import { toBase64 } from "@cosmjs/encoding";
import { rfc3339 } from "../chain/block-builder.js";
import type { Chain } from "../chain/chain.js";
import { GrpcCode, QueryError } from "../chain/errors.js";
import { decodeTx, MSG_EXECUTE_CONTRACT, MSG_SEND, type DecodedMsg } from "../chain/tx-decode.js";
import type { IndexedTx, TxResult } from "../chain/types.js";
import { eventJson } from "./rpc-encode.js";

/** cosmos-sdk `TxResponse` as proto-JSON (what `POST /txs` and `GET /txs/{hash}` carry). */
export function txResponseJson(hash: string, height: number, r: TxResult, extra: { tx?: unknown; timestamp?: string } = {}) {
  return {
    height: String(height),
    txhash: hash,
    codespace: r.codespace,
    code: r.code,
    data: r.data.length ? Buffer.from(r.data).toString("hex").toUpperCase() : "",
    raw_log: r.log,
    logs: [],
    info: "",
    gas_wanted: String(r.gasWanted),
    gas_used: String(r.gasUsed),
    tx: extra.tx ?? null,
    timestamp: extra.timestamp ?? "",
    events: r.events.map(eventJson),
  };
}

/** `GET /cosmos/tx/v1beta1/txs/{hash}`: the decoded tx and its response, for retained blocks. */
export function getTxJson(chain: Chain, hash: string) {
  const indexed = chain.blocks.tx(hash);
  if (!indexed) throw new QueryError(GrpcCode.NotFound, `tx not found: ${hash.toUpperCase()}`);
  const tx = decodedTxJson(chain, indexed);
  const time = chain.blocks.get(indexed.height)?.header.timeMs;
  return { tx, tx_response: txResponseJson(indexed.hash, indexed.height, indexed.result, { tx: { "@type": "/cosmos.tx.v1beta1.Tx", ...tx }, timestamp: time === undefined ? "" : rfc3339(time) }) };
}

/** A committed tx as the gateway's proto-JSON `Tx` (messages the devnet runs, with their fields). */
function decodedTxJson(chain: Chain, indexed: IndexedTx) {
  const d = decodeTx(indexed.tx, chain.prefix);
  return {
    body: { messages: d.msgs.map(msgJson), memo: d.memo, timeout_height: String(d.timeoutHeight), extension_options: [], non_critical_extension_options: [] },
    auth_info: {
      signer_infos: [
        {
          public_key: d.pubkey ? { "@type": "/cosmos.crypto.secp256k1.PubKey", key: toBase64(d.pubkey) } : null,
          mode_info: { single: { mode: "SIGN_MODE_DIRECT" } },
          sequence: String(d.sequence),
        },
      ],
      fee: { amount: d.fee, gas_limit: String(d.gasLimit), payer: "", granter: "" },
      tip: null,
    },
    signatures: [toBase64(d.signature)],
  };
}

function msgJson(m: DecodedMsg) {
  if (m.typeUrl === MSG_SEND) return { "@type": m.typeUrl, from_address: m.value.fromAddress, to_address: m.value.toAddress, amount: m.value.amount };
  if (m.typeUrl === MSG_EXECUTE_CONTRACT) return { "@type": m.typeUrl, sender: m.value.sender, contract: m.value.contract, msg: m.json, funds: m.value.funds };
  return { "@type": m.typeUrl, inputs: m.value.inputs, outputs: m.value.outputs };
}
