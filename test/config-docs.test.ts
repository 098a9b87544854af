import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT, SERVICES } from "./support/service-process.js";

const run = promisify(execFile);

describe("configuration docs are generated from the schemas", () => {
  it("every service README's table matches its schema (run `make docs` when this fails)", async () => {
    await expect(run(process.execPath, [`${ROOT}scripts/config-docs.mjs`], { cwd: ROOT })).resolves.toBeDefined();
  });

  it.each(SERVICES)("%s README documents every variable that --help lists", async (service) => {
    const { stdout } = await run(process.execPath, [`${ROOT}${service}/dist/main.js`, "--help"]);
    const variables = [...stdout.matchAll(/^ {2}([A-Z][A-Z0-9_]+) /gm)].map((m) => m[1]);
    expect(variables.length).toBeGreaterThan(10);
    const readme = readFileSync(`${ROOT}${service}/README.md`, "utf8");
    for (const v of variables) expect(readme).toContain(`| \`${v}\` |`);
  });

  it("detects a stale table", async () => {
    const { withConfigTable, SCHEMAS } = (await import(`${ROOT}scripts/config-docs.mjs`)) as {
      withConfigTable: (readme: string, schema: unknown) => string;
      SCHEMAS: Record<string, unknown>;
    };
    const readme = readFileSync(`${ROOT}collector/README.md`, "utf8");
    const stale = readme.replace("| `LOG_LEVEL` |", "| `LOG_LEVELS` |");
    expect(withConfigTable(stale, SCHEMAS.collector)).toBe(readme);
  });
});
