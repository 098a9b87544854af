/**
 * A secret value (mnemonic, password, API key) that hides itself everywhere it could leak:
 * `String()`, JSON, `util.inspect` and template strings all print `[redacted]`. Only `reveal()`
 * returns the value. Every secret is also registered with {@link knownSecretValues} so the logger
 * scrubs it from any text (for example an error message a library built from it).
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
    registerSecretValue(value);
  }
  /** The plain value; pass it only to the client that needs it, never to a logger. */
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return REDACTED;
  }
}

export const REDACTED = "[redacted]";

const values = new Set<string>();

/** Adds a value that must never be written to a log (ignored when shorter than 6 characters). */
export function registerSecretValue(value: string): void {
  if (value.length < 6) return;
  values.add(value);
  // The JSON form differs when the value holds quotes, backslashes or control characters.
  const json = JSON.stringify(value).slice(1, -1);
  if (json !== value) values.add(json);
}

/** Every secret value registered in this process. */
export function knownSecretValues(): ReadonlySet<string> {
  return values;
}

/** Replaces every registered secret value in `text` with `[redacted]`. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const v of values) {
    if (out.includes(v)) out = out.split(v).join(REDACTED);
  }
  return out;
}
