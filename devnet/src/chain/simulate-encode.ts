import type { Any } from "cosmjs-types/google/protobuf/any";
import type { ChainEvent } from "../state/world.js";

/**
 * `cosmos.tx.v1beta1.SimulateResponse` bytes, exactly as cosmjs-types' generated encoder writes
 * them (proto3: empty fields left out; every event attribute indexed), in two passes over one
 * buffer: sizes first, then the bytes, strings written by node's native UTF-8 encoder. The
 * generated encoder (a JavaScript UTF-8 writer, a list of pending writes) was the largest part of
 * answering a simulation in a liquidation burst.
 */
export function encodeSimulateResponse(gasWanted: bigint, gasUsed: bigint, data: Uint8Array, events: readonly ChainEvent[], msgResponses: readonly Any[]): Uint8Array {
  // Pass 1: every string's UTF-8 length, every nested message's length.
  const strLens: number[] = [];
  const eventLens: number[] = [];
  const attrLens: number[] = [];
  let resultLen = lenField(data.length);
  for (const e of events) {
    const type = Buffer.byteLength(e.type);
    strLens.push(type);
    let eventLen = lenField(type);
    for (const a of e.attributes) {
      const k = Buffer.byteLength(a.key);
      const v = Buffer.byteLength(a.value);
      strLens.push(k, v);
      const attrLen = lenField(k) + lenField(v) + 2; // index: true (tag 0x18, 1)
      attrLens.push(attrLen);
      eventLen += 1 + varintSize(attrLen) + attrLen;
    }
    eventLens.push(eventLen);
    resultLen += 1 + varintSize(eventLen) + eventLen;
  }
  const anyLens = msgResponses.map((r) => {
    const t = Buffer.byteLength(r.typeUrl);
    strLens.push(t);
    return lenField(t) + lenField(r.value.length);
  });
  for (const l of anyLens) resultLen += 1 + varintSize(l) + l;
  const gas = [gasWanted, gasUsed].map(uvarint64);
  const gasLen = gas.reduce((n, g) => n + (g.length === 0 ? 0 : 1 + g.length), 0);
  const total = 1 + varintSize(gasLen) + gasLen + 1 + varintSize(resultLen) + resultLen;

  // Pass 2: the bytes.
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  let s = 0;
  const byte = (b: number) => (out[at++] = b);
  const varint = (v: number) => {
    while (v > 0x7f) {
      out[at++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    out[at++] = v;
  };
  const str = (tag: number, value: string) => {
    const n = strLens[s++]!;
    if (n === 0) return;
    byte(tag);
    varint(n);
    at += out.write(value, at, n, "utf8");
  };
  const bytes = (tag: number, value: Uint8Array) => {
    if (value.length === 0) return;
    byte(tag);
    varint(value.length);
    out.set(value, at);
    at += value.length;
  };
  byte(0x0a);
  varint(gasLen);
  gas.forEach((g, i) => {
    if (g.length === 0) return;
    byte(0x08 + 8 * i); // fields 1 and 2, varint
    for (const b of g) byte(b);
  });
  byte(0x12);
  varint(resultLen);
  bytes(0x0a, data);
  let a = 0;
  events.forEach((e, i) => {
    byte(0x1a);
    varint(eventLens[i]!);
    str(0x0a, e.type);
    for (const attr of e.attributes) {
      byte(0x12);
      varint(attrLens[a++]!);
      str(0x0a, attr.key);
      str(0x12, attr.value);
      byte(0x18);
      byte(1);
    }
  });
  msgResponses.forEach((r, i) => {
    byte(0x22);
    varint(anyLens[i]!);
    str(0x0a, r.typeUrl);
    bytes(0x12, r.value);
  });
  if (at !== total) throw new Error(`simulate response: wrote ${at} bytes of ${total}`);
  return out;
}

/** Bytes of a length-delimited field with a one-byte tag (0 when empty: left out). */
function lenField(length: number): number {
  return length === 0 ? 0 : 1 + varintSize(length) + length;
}

/** A uint64 as varint bytes (none for 0: the field is left out). */
function uvarint64(value: bigint): number[] {
  const out: number[] = [];
  while (value > 0x7fn) {
    out.push(Number(value & 0x7fn) | 0x80);
    value >>= 7n;
  }
  if (value > 0n) out.push(Number(value));
  return out;
}

function varintSize(value: number): number {
  let n = 1;
  while (value > 0x7f) {
    value = Math.floor(value / 0x80);
    n++;
  }
  return n;
}
