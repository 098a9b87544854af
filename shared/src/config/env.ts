import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError, type ConfigIssue } from "../errors.js";
import { Secret, registerSecretValue } from "./secret.js";

/**
 * Typed readers for environment variables. A service's whole configuration is one `z.object`
 * whose keys are the variable names, so the schema is also the documentation (see `docs.ts`).
 * Every field is built from these helpers and carries a description.
 */

const TRUE = new Set(["1", "true", "yes", "on"]);
const FALSE = new Set(["0", "false", "no", "off"]);

/** A string field, with its default applied before any parsing (so defaults are validated too). */
function str(fallback?: string) {
  return fallback === undefined ? z.string() : z.string().default(fallback);
}

/** A boolean written as 1/0, true/false, yes/no or on/off. */
export function envBool(description: string, fallback: boolean) {
  return str(fallback ? "1" : "0")
    .refine((v) => TRUE.has(v.toLowerCase()) || FALSE.has(v.toLowerCase()), "expected 1/0, true/false, yes/no or on/off")
    .transform((v) => TRUE.has(v.toLowerCase()))
    .describe(description);
}

/** A whole number within bounds. */
export function envInt(description: string, fallback: number | undefined, bounds: { min?: number; max?: number } = {}) {
  let n = z.number().int("expected a whole number");
  if (bounds.min !== undefined) n = n.min(bounds.min, `must be at least ${bounds.min}`);
  if (bounds.max !== undefined) n = n.max(bounds.max, `must be at most ${bounds.max}`);
  return str(fallback === undefined ? undefined : String(fallback))
    .refine((v) => /^-?\d+$/.test(v.trim()), "expected a whole number")
    .transform((v) => Number(v))
    .pipe(n)
    .describe(description);
}

/** A decimal number kept as its string (exact arithmetic happens elsewhere). */
export function envDecimal(description: string, fallback: string) {
  return str(fallback)
    .refine((v) => /^\d+(\.\d{1,18})?$/.test(v), "expected a non-negative decimal with at most 18 fractional digits, e.g. 1.05")
    .describe(description);
}

/** One of a fixed set of words, case-insensitive; `aliases` maps older spellings (e.g. `Redbank`). */
export function envEnum<const T extends readonly [string, ...string[]]>(description: string, values: T, fallback?: T[number], aliases: Record<string, T[number]> = {}) {
  return str(fallback)
    .transform((v) => aliases[v.toLowerCase()] ?? v.toLowerCase())
    .pipe(z.enum(values, { error: `expected one of ${values.join(", ")}` }))
    .describe(description);
}

/** A required (or defaulted) free-form string. */
export function envString(description: string, fallback?: string) {
  return str(fallback).pipe(z.string().min(1, "must not be empty")).describe(description);
}

/** An optional string: absent means undefined. */
export function envOptional(description: string) {
  return z.string().optional().describe(description);
}

/**
 * A comma-separated list of URLs, tried in order with failover (e.g. `RPC_ENDPOINT=https://a,https://b`).
 * `protocols` lists the accepted schemes.
 */
export function envUrlList(description: string, protocols: string[], fallback?: string) {
  return str(fallback).transform((v, ctx) => {
    const urls = v.split(",").map((s) => s.trim()).filter(Boolean);
    if (urls.length === 0) ctx.addIssue({ code: "custom", message: "expected at least one URL" });
    for (const u of urls) {
      let url: URL;
      try {
        url = new URL(u);
      } catch {
        ctx.addIssue({ code: "custom", message: `not a URL: ${JSON.stringify(u)}` });
        continue;
      }
      // Credentials in an endpoint (https://user:key@host, ?apikey=...) are scrubbed from every log line and error.
      for (const part of [url.username, url.password, ...url.searchParams.values()]) {
        registerSecretValue(part);
        registerSecretValue(decodeURIComponent(part));
      }
      const proto = url.protocol.replace(/:$/, "");
      if (!protocols.includes(proto)) ctx.addIssue({ code: "custom", message: `${JSON.stringify(u)} must use ${protocols.join(" or ")}` });
    }
    return urls;
  }).describe(description);
}

/** A JSON object validated by `schema` (e.g. `COLLECTOR_CONFIG`); errors name the inner field. */
export function envJson<T extends z.ZodType>(description: string, schema: T, fallback = "{}") {
  return str(fallback)
    .transform((v, ctx) => {
      try {
        return JSON.parse(v) as unknown;
      } catch (err) {
        ctx.addIssue({ code: "custom", message: `not valid JSON (${(err as Error).message})` });
        return z.NEVER;
      }
    })
    .pipe(schema)
    .describe(description);
}

/**
 * A secret (mnemonic, password, API key). It may also be given as a file: `NAME_FILE=/run/secrets/x`.
 * The parsed value is a {@link Secret}, which never prints itself.
 */
export function envSecret(description: string, validate?: (v: string) => string | undefined) {
  return z
    .string()
    .transform((v, ctx) => {
      const problem = validate?.(v);
      if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
        return z.NEVER;
      }
      return new Secret(v);
    })
    .meta({ secret: true })
    .describe(`${description} Secret: also read from the file named by the variable with the _FILE suffix.`);
}

export type Env = Record<string, string | undefined>;

/**
 * Parses `env` with `schema` and returns a frozen config. Empty values count as unset. For every
 * field `NAME`, `NAME_FILE` may name a file holding the value (Docker and Kubernetes secrets).
 * Throws {@link ConfigError} naming every bad variable; nothing else reads `process.env`.
 */
export function parseConfig<S extends z.ZodObject>(service: string, schema: S, env: Env = process.env): Readonly<z.output<S>> {
  const issues: ConfigIssue[] = [];
  const input: Record<string, string> = {};
  for (const name of Object.keys(schema.shape)) {
    const direct = env[name];
    const file = env[`${name}_FILE`];
    if (direct && file) {
      issues.push({ variable: name, message: `set either ${name} or ${name}_FILE, not both` });
      continue;
    }
    if (file) {
      try {
        input[name] = readFileSync(file, "utf8").replace(/\r?\n$/, "");
      } catch (err) {
        issues.push({ variable: `${name}_FILE`, message: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      }
    } else if (direct !== undefined && direct !== "") {
      input[name] = direct;
    }
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const [variable, ...rest] = issue.path.map(String);
      const where = rest.length ? ` (at ${rest.join(".")})` : "";
      const message = issue.code === "invalid_type" && rest.length === 0 && input[variable ?? ""] === undefined ? "required but not set" : issue.message;
      issues.push({ variable: variable ?? "(config)", message: `${message}${where}` });
    }
  }
  if (issues.length > 0) throw new ConfigError(service, issues);
  return Object.freeze(result.data as z.output<S>);
}
