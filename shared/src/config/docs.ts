import { z } from "zod";

/** One documented configuration variable, derived from the schema (never written by hand). */
export interface ConfigVariable {
  name: string;
  required: boolean;
  default?: string;
  /** Accepted values for an enum field. */
  values?: string[];
  secret: boolean;
  description: string;
}

/** Lists the variables of a service schema in declaration order. */
export function describeConfig(schema: z.ZodObject): ConfigVariable[] {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, { default?: unknown; description?: string; enum?: string[]; secret?: boolean; anyOf?: { enum?: string[] }[] }>;
    required?: string[];
  };
  return Object.keys(schema.shape).map((name) => {
    const prop = json.properties?.[name] ?? {};
    const field = schema.shape[name] as z.ZodType;
    const values = prop.enum ?? prop.anyOf?.find((a) => a.enum)?.enum;
    return {
      name,
      required: (json.required ?? []).includes(name) && prop.default === undefined,
      default: prop.default === undefined ? undefined : String(prop.default),
      values,
      secret: Boolean(prop.secret ?? (field.meta() as { secret?: boolean } | undefined)?.secret),
      description: field.description ?? prop.description ?? "",
    };
  });
}

const escape = (s: string) => s.replace(/\|/g, "\\|");

/** A Markdown table of the variables; the service READMEs embed it between config markers. */
export function configMarkdown(schema: z.ZodObject): string {
  const rows = describeConfig(schema).map((v) => {
    const dflt = v.default !== undefined ? `\`${v.default}\`` : v.required ? "**required**" : "(unset)";
    return `| \`${v.name}\` | ${dflt} | ${escape(v.description)} |`;
  });
  return ["| Variable | Default | Meaning |", "| --- | --- | --- |", ...rows].join("\n");
}

/** Plain-text help for `--help`. */
export function configHelp(service: string, schema: z.ZodObject): string {
  const vars = describeConfig(schema);
  const width = Math.max(...vars.map((v) => v.name.length));
  const lines = vars.map((v) => {
    const dflt = v.default !== undefined ? ` [default: ${v.default}]` : v.required ? " [required]" : "";
    return `  ${v.name.padEnd(width)}  ${v.description}${dflt}`;
  });
  return `${service}: configured through environment variables (any NAME may also be given as NAME_FILE=<path>).\n\n${lines.join("\n")}\n`;
}
