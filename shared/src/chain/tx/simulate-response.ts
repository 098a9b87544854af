/**
 * What the bot reads of a `cosmos.tx.v1beta1.SimulateResponse`: the gas used and the result's
 * events, walked straight off the protobuf wire with node's UTF-8 decoder. cosmjs-types decodes
 * every string of every event attribute in JavaScript, which was the largest single cost of an
 * executor in a burst of liquidations (bench/README.md).
 */
import { protobufFields as fields, protobufStringPair } from "../protobuf-wire.js";
import type { TxEvent } from "../rpc-client.js";

/**
 * `SimulateResponse` fields: gas_info = 1 (GasInfo: gas_used = 2), result = 2 (Result: events = 3).
 * With `eventTypes`, only events of those types are decoded (the others' attributes are never read).
 */
export function decodeSimulateResponse(bytes: Uint8Array, eventTypes?: ReadonlySet<string>): { gasUsed: number; events: TxEvent[] } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let gasUsed = 0;
  const events: TxEvent[] = [];
  fields(buf, 0, buf.length, (field, start, end) => {
    if (field === 1 && end > start) {
      fields(buf, start, end, (f, _s, _e, v) => {
        if (f === 2) gasUsed = v;
      });
    } else if (field === 2 && end > start) {
      fields(buf, start, end, (f, s, e) => {
        if (f === 3 && (eventTypes === undefined || eventTypes.has(eventType(buf, s, e)))) events.push(event(buf, s, e));
      });
    }
  });
  return { gasUsed, events };
}

/** An `Event`'s type (field 1). */
function eventType(buf: Buffer, start: number, end: number): string {
  let type = "";
  fields(buf, start, end, (field, s, t) => {
    if (field === 1) type = buf.toString("utf8", s, t);
  });
  return type;
}

/** `Event`: type = 1, attributes = 2 (`EventAttribute`: key = 1, value = 2). */
function event(buf: Buffer, start: number, end: number): TxEvent {
  const e: TxEvent = { type: "", attributes: [] };
  fields(buf, start, end, (field, s, t) => {
    if (field === 1) e.type = buf.toString("utf8", s, t);
    else if (field === 2) {
      const [key, value] = protobufStringPair(buf, s, t);
      e.attributes.push({ key, value });
    }
  });
  return e;
}
