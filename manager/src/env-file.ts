import type { Env } from "@mlb/shared";

/** An env file as `docker run --env-file` reads it: KEY=VALUE taken literally (no quotes, no expansion), `#` comment lines. */
export function readEnvFile(text: string): Env {
  const env: Env = {};
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(#|$)/.test(line)) continue;
    const eq = line.indexOf("=");
    if (eq > 0) env[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return env;
}
