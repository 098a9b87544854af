/**
 * Walks the fields of a protobuf message in `buf[start, end)` without decoding them: `visit` gets
 * each field's number and, for a length-delimited field, its bytes' range (for a varint field an
 * empty range and the value). Fixed 32/64-bit fields are skipped. Truncated input and unknown wire
 * types throw a `RangeError`. For the hot paths that read a few fields straight off the wire with
 * node's native UTF-8 decoder instead of cosmjs-types' JavaScript one.
 */
export function protobufFields(buf: Buffer, start: number, end: number, visit: (field: number, start: number, end: number, varint: number) => void): void {
  let pos = start;
  const varint = (): number => {
    let value = 0;
    for (let scale = 1; ; scale *= 128) {
      if (pos >= end) throw new RangeError("truncated varint in a protobuf message");
      const b = buf[pos++]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
    }
  };
  while (pos < end) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    switch (tag % 8) {
      case 0:
        visit(field, pos, pos, varint());
        break;
      case 2: {
        const len = varint();
        if (pos + len > end) throw new RangeError("truncated field in a protobuf message");
        visit(field, pos, pos + len, 0);
        pos += len;
        break;
      }
      case 1:
        pos += 8;
        break;
      case 5:
        pos += 4;
        break;
      default:
        throw new RangeError(`wire type ${tag % 8} in a protobuf message`);
    }
    if (pos > end) throw new RangeError("truncated field in a protobuf message");
  }
}

/**
 * Fields 1 and 2 of the message in `buf[start, end)` as UTF-8 strings ("" when absent): the shape
 * of `Coin` (denom, amount) and `EventAttribute` (key, value).
 */
export function protobufStringPair(buf: Buffer, start: number, end: number): [string, string] {
  const pair: [string, string] = ["", ""];
  protobufFields(buf, start, end, (field, s, e) => {
    if (field === 1 || field === 2) pair[field - 1] = buf.toString("utf8", s, e);
  });
  return pair;
}
